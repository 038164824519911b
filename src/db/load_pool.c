/*
 * The loader pool (db/load.h): N loaders in threads, fed by one reader
 * through a queue bounded in members and bytes.  Decoding happens in the
 * workers, so N threads also spread the zstd work; the reader thread only
 * moves stored bytes and checks their hashes.  A failed worker records the
 * first error and raises a flag every other worker checks between
 * statements, so a failure stops the whole load within one statement per
 * session; a member's own failure (loader_failed_soft) goes to the report
 * function instead when there is one, and the load goes on.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/load.h"
#include "util/xmalloc.h"

/* The pool: a FIFO of members between the reader and the workers. */
struct load_pool {
	pthread_mutex_t mu;
	pthread_cond_t work, space, idle;
	struct load_member **q;		/* ring of qcap */
	size_t qcap, qhead, qlen, qbytes, max_bytes;
	size_t active;			/* members being run */
	int stop;
	atomic_int failed;
	load_report report;		/* NULL: a member's failure stops all */
	void *report_ctx;
	struct err first;		/* the first worker error */
	struct loader **loaders;
	pthread_t *threads;
	int nthreads, started;
};

static int
pool_next(struct load_pool *p, struct load_member **m)
{
	pthread_mutex_lock(&p->mu);
	while (!p->stop && !atomic_load(&p->failed) && p->qlen == 0)
		pthread_cond_wait(&p->work, &p->mu);
	if (p->stop || atomic_load(&p->failed)) {
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	*m = p->q[p->qhead];
	p->qhead = (p->qhead + 1) % p->qcap;
	p->qlen--;
	p->qbytes -= (*m)->data.len;
	p->active++;
	pthread_cond_signal(&p->space);
	pthread_mutex_unlock(&p->mu);
	return 1;
}

static void
pool_done(struct load_pool *p, int rc, const struct err *e)
{
	pthread_mutex_lock(&p->mu);
	p->active--;
	/* A worker cancelled by another's failure does not hide that one. */
	if (rc == -1 && !atomic_load(&p->failed)) {
		p->first = *e;
		atomic_store(&p->failed, 1);
	}
	pthread_cond_broadcast(&p->idle);
	if (rc == -1) {
		pthread_cond_broadcast(&p->space);
		pthread_cond_broadcast(&p->work);
	}
	pthread_mutex_unlock(&p->mu);
}

/* Counts a member of t as run: 1 when it was the last one. */
static int
pool_table_done(struct load_pool *p, struct load_table *t)
{
	int last;

	pthread_mutex_lock(&p->mu);
	last = t->left > 0 && --t->left == 0 && !atomic_load(&p->failed);
	pthread_mutex_unlock(&p->mu);
	return last;
}

struct pool_arg {
	struct load_pool *p;
	struct loader *l;
};

static void *
pool_worker(void *arg)
{
	struct load_pool *p = ((struct pool_arg *)arg)->p;
	struct loader *l = ((struct pool_arg *)arg)->l;
	struct load_member *m;
	struct err e;
	int rc;

	free(arg);
	mysql_thread_init();
	while (pool_next(p, &m)) {
		err_clear(&e);
		rc = loader_run(l, m, &e);
		if (rc == -1 && p->report != NULL && loader_failed_soft(l)) {
			pthread_mutex_lock(&p->mu);
			p->report(p->report_ctx, m, &e);
			pthread_mutex_unlock(&p->mu);
			rc = 0;
		}
		if (rc == 0 && m->table != NULL && pool_table_done(p, m->table))
			rc = load_table_run(l, m->table, "binary", &e);
		load_member_free(m);
		pool_done(p, rc, &e);
	}
	mysql_thread_end();
	return NULL;
}

static int
pool_connect(struct load_pool *p, const struct host_cfg *h, struct err *e)
{
	MYSQL *c;
	int i;

	/* Connections are made here, in one thread: mysql_init is not safe
	 * to call concurrently before the library is initialised. */
	for (i = 0; i < p->nthreads; i++) {
		if ((c = db_connect(h, e)) == NULL)
			return -1;
		p->loaders[i] = loader_new(c);
		loader_set_cancel(p->loaders[i], &p->failed);
		if (load_session_init(c, e) == -1)
			return err_prefix(e, "host %s", h->name);
	}
	return 0;
}

struct load_pool *
load_pool_new(const struct host_cfg *h, int nthreads, size_t max_queued_bytes,
    struct err *e)
{
	struct load_pool *p = xcalloc(1, sizeof *p);
	struct pool_arg *a;
	int i;

	if (nthreads < 1)
		nthreads = 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->space, NULL);
	pthread_cond_init(&p->idle, NULL);
	atomic_init(&p->failed, 0);
	p->nthreads = nthreads;
	p->qcap = 2 * (size_t)nthreads;
	p->q = xcalloc(p->qcap, sizeof *p->q);
	p->max_bytes = max_queued_bytes;
	p->loaders = xcalloc(nthreads, sizeof *p->loaders);
	p->threads = xcalloc(nthreads, sizeof *p->threads);
	if (pool_connect(p, h, e) == -1)
		goto fail;
	for (i = 0; i < nthreads; i++) {
		a = xmalloc(sizeof *a);
		a->p = p;
		a->l = p->loaders[i];
		if (pthread_create(&p->threads[i], NULL, pool_worker, a) != 0) {
			free(a);
			err_set(e, ERR_INTERNAL, "cannot start loader thread");
			goto fail;
		}
		p->started++;
	}
	return p;
fail:
	load_pool_free(p);
	return NULL;
}

void
load_pool_set_report(struct load_pool *p, load_report fn, void *ctx)
{
	pthread_mutex_lock(&p->mu);
	p->report = fn;
	p->report_ctx = ctx;
	pthread_mutex_unlock(&p->mu);
}

static int
pool_full(const struct load_pool *p, size_t add)
{
	if (p->qlen == 0)
		return 0;	/* one member always fits, however big */
	return p->qlen == p->qcap || p->qbytes + add > p->max_bytes;
}

int
load_pool_submit(struct load_pool *p, struct load_member *m, struct err *e)
{
	pthread_mutex_lock(&p->mu);
	while (!atomic_load(&p->failed) && pool_full(p, m->data.len))
		pthread_cond_wait(&p->space, &p->mu);
	if (atomic_load(&p->failed)) {
		*e = p->first;
		pthread_mutex_unlock(&p->mu);
		load_member_free(m);
		return -1;
	}
	p->q[(p->qhead + p->qlen) % p->qcap] = m;
	p->qlen++;
	p->qbytes += m->data.len;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
load_pool_wait(struct load_pool *p, struct err *e)
{
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	while (!atomic_load(&p->failed) && (p->qlen > 0 || p->active > 0))
		pthread_cond_wait(&p->idle, &p->mu);
	if (atomic_load(&p->failed)) {
		*e = p->first;
		rc = -1;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

void
load_pool_stats(struct load_pool *p, struct load_stats *st)
{
	const struct load_stats *ls;
	int i;

	for (i = 0; i < p->nthreads; i++) {
		if (p->loaders[i] == NULL)
			continue;
		ls = loader_stats(p->loaders[i]);
		st->members += ls->members;
		st->statements += ls->statements;
		st->raw_bytes += ls->raw_bytes;
		st->retries += ls->retries;
		st->infile += ls->infile;
		st->infile_refused += ls->infile_refused;
		st->finished += ls->finished;
		st->finish_secs += ls->finish_secs;
	}
}

void
load_pool_free(struct load_pool *p)
{
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	atomic_store(&p->failed, 1);	/* running members stop at a statement */
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	for (; p->qlen > 0; p->qlen--) {
		load_member_free(p->q[p->qhead]);
		p->qhead = (p->qhead + 1) % p->qcap;
	}
	for (i = 0; i < p->nthreads; i++)
		loader_free(p->loaders[i]);
	free(p->loaders);
	free(p->threads);
	free(p->q);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->idle);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
