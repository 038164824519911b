/* A restore's needed members by ranged reads (job/restore_fetch.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job/restore_fetch.h"
#include "policy/restore_diff.h"
#include "stream/hash.h"
#include "util/signals.h"
#include "util/xmalloc.h"

/*
 * From pos to the end of pm's body into data (the bytes between, tar
 * headers and members not needed, are read through and dropped), checked
 * against the manifest's SHA-256.  *pos moves past the member.
 */
static int
fetch_member(struct source *src, struct plan_member *pm, uint64_t *pos,
    struct buf *data, uint64_t *bytes, struct err *e)
{
	char hex[65];

	buf_reset(data);
	if (source_read_buf(src, pm->offset - *pos, data, bytes, e) == -1)
		return err_prefix(e, "member %s", pm->name);
	buf_reset(data);
	if (source_read_buf(src, pm->bytes, data, bytes, e) == -1)
		return err_prefix(e, "member %s", pm->name);
	*pos = pm->offset + pm->bytes;
	hash_hex(HASH_SHA256, data->data, data->len, hex);
	return restore_plan_check_sha256(pm, hex, e);
}

/* The members of one range: read, checked, handed on, one at a time. */
static int
fetch_range(struct repo *r, struct restore_plan *p, const size_t *idx,
    const struct plan_range *rg, fetch_fn fn, void *ctx, uint64_t *bytes,
    struct err *e)
{
	struct source src;
	struct plan_member *pm;
	struct err se;
	struct buf data;
	uint64_t pos = rg->offset;
	size_t i;
	int rc = 0;

	if (repo_archive_range(r, p->o.host, p->o.id, rg->offset, rg->length,
	    &src, &se) == -1) {
		*e = se;
		return -1;
	}
	buf_init(&data);
	for (i = 0; i < rg->n && rc == 0; i++) {
		pm = &p->members[idx[rg->first + i]];
		if (signals_interrupted())
			rc = err_set(e, ERR_INTERRUPTED, "interrupted");
		else if ((rc = fetch_member(&src, pm, &pos, &data, bytes,
		    e)) == 0) {
			pm->seen = 1;
			p->last = pm->name;
			rc = fn(ctx, pm, &data, e);
		}
	}
	source_close(&src);
	buf_free(&data);
	return rc;
}

/*
 * In parallel (S3): FETCH_WORKERS threads read whole ranges ahead, at most
 * FETCH_AHEAD ranges past the one being handed on, into the slot of their
 * range; this thread hands the members on in archive order.
 */
struct fa_slot {
	struct buf *data;	/* one per member of the range */
	size_t n;
	int ready;		/* 1 read, -1 failed (err) */
	struct err err;
};

struct fa {
	struct repo *r;
	struct restore_plan *p;
	const size_t *idx;
	const struct plan_range *rg;
	size_t nr;
	struct fa_slot slot[FETCH_AHEAD];	/* range k in slot k % AHEAD */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;		/* the next range to take */
	size_t done;		/* ranges handed on */
	int stop;
	uint64_t bytes;
};

/* Range k read whole into data (rg->n buffers). */
static int
fa_read(struct fa *a, size_t k, struct buf *data, uint64_t *bytes,
    struct err *e)
{
	const struct plan_range *rg = &a->rg[k];
	uint64_t pos = rg->offset;
	struct source src;
	size_t i;
	int rc = 0;

	if (repo_archive_range(a->r, a->p->o.host, a->p->o.id, rg->offset,
	    rg->length, &src, e) == -1)
		return -1;
	for (i = 0; i < rg->n && rc == 0; i++) {
		if (signals_interrupted())
			rc = err_set(e, ERR_INTERRUPTED, "interrupted");
		else
			rc = fetch_member(&src,
			    &a->p->members[a->idx[rg->first + i]], &pos,
			    &data[i], bytes, e);
	}
	source_close(&src);
	return rc;
}

static void *
fa_worker(void *arg)
{
	struct fa *a = arg;
	struct fa_slot *s;
	struct buf *data;
	uint64_t bytes;
	struct err e;
	size_t k, i;
	int rc;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (!a->stop && a->next < a->nr &&
		    a->next >= a->done + FETCH_AHEAD)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop || a->next >= a->nr)
			break;
		k = a->next++;
		pthread_mutex_unlock(&a->mu);
		data = xcalloc(a->rg[k].n, sizeof *data);
		for (i = 0; i < a->rg[k].n; i++)
			buf_init(&data[i]);
		bytes = 0;
		err_clear(&e);
		rc = fa_read(a, k, data, &bytes, &e);
		pthread_mutex_lock(&a->mu);
		s = &a->slot[k % FETCH_AHEAD];
		s->data = data;
		s->n = a->rg[k].n;
		s->ready = rc == 0 ? 1 : -1;
		s->err = e;
		a->bytes += bytes;
		pthread_cond_broadcast(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

static void
fa_slot_free(struct fa_slot *s)
{
	size_t i;

	for (i = 0; s->data != NULL && i < s->n; i++)
		buf_free(&s->data[i]);
	free(s->data);
	s->data = NULL;
	s->ready = 0;
}

/* Waits for range k, a tenth of a second at a time (a signal ends it). */
static int
fa_wait(struct fa *a, size_t k, struct err *e)
{
	struct fa_slot *s = &a->slot[k % FETCH_AHEAD];
	struct timespec ts;

	pthread_mutex_lock(&a->mu);
	while (s->ready == 0 && !signals_interrupted()) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&a->cv, &a->mu, &ts);
	}
	if (s->ready == -1)
		*e = s->err;
	else if (s->ready == 0)
		err_set(e, ERR_INTERRUPTED, "interrupted");
	pthread_mutex_unlock(&a->mu);
	return s->ready == 1 ? 0 : -1;
}

/* Range k's members, in order, to fn; then its slot is free again. */
static int
fa_hand_on(struct fa *a, size_t k, fetch_fn fn, void *ctx, struct err *e)
{
	const struct plan_range *rg = &a->rg[k];
	struct fa_slot *s = &a->slot[k % FETCH_AHEAD];
	struct plan_member *pm;
	size_t i;
	int rc = fa_wait(a, k, e);

	for (i = 0; i < rg->n && rc == 0; i++) {
		pm = &a->p->members[a->idx[rg->first + i]];
		pm->seen = 1;
		a->p->last = pm->name;
		rc = fn(ctx, pm, &s->data[i], e);
	}
	pthread_mutex_lock(&a->mu);
	fa_slot_free(s);
	a->done++;
	if (rc == -1)
		a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return rc;
}

static int
fetch_parallel(struct fa *a, fetch_fn fn, void *ctx, uint64_t *bytes,
    struct err *e)
{
	pthread_t t[FETCH_WORKERS];
	size_t i, started = 0, k;
	int rc = 0;

	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	for (i = 0; i < FETCH_WORKERS && i < a->nr; i++)
		if (pthread_create(&t[started], NULL, fa_worker, a) == 0)
			started++;
	if (started == 0)
		rc = err_set(e, ERR_INTERNAL, "cannot start a fetch thread");
	for (k = 0; k < a->nr && rc == 0; k++)
		rc = fa_hand_on(a, k, fn, ctx, e);
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < FETCH_AHEAD; i++)	/* read but not handed on */
		fa_slot_free(&a->slot[i]);
	*bytes += a->bytes;
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	return rc;
}

int
restore_fetch(struct repo *r, struct restore_plan *p, fetch_fn fn,
    void *ctx, uint64_t *bytes, struct err *e)
{
	size_t *idx = xcalloc(p->nmembers ? p->nmembers : 1, sizeof *idx);
	struct plan_range *rg;
	struct fa a;
	size_t i, n, nr;
	int rc = 0, s3 = repo_is_s3(r);

	n = restore_plan_fetch_order(p, idx);
	rg = xcalloc(n ? n : 1, sizeof *rg);
	nr = restore_plan_ranges(p, idx, n, s3 ? FETCH_GAP : 0,
	    s3 ? FETCH_PAR_SPAN : FETCH_SPAN, rg);
	if (s3 && nr > 1) {
		memset(&a, 0, sizeof a);
		a.r = r;
		a.p = p;
		a.idx = idx;
		a.rg = rg;
		a.nr = nr;
		rc = fetch_parallel(&a, fn, ctx, bytes, e);
	} else {
		for (i = 0; i < nr && rc == 0; i++)
			rc = fetch_range(r, p, idx, &rg[i], fn, ctx, bytes,
			    e);
	}
	free(rg);
	free(idx);
	return rc;
}

int
restore_fetch_diff(struct repo *r, struct restore_plan *p, fetch_fn fn,
    int (*settle)(void *ctx, struct err *e), void *ctx, uint64_t *bytes,
    struct err *e)
{
	unsigned char *want = xcalloc(p->nmembers ? p->nmembers : 1, 1);
	int rc;

	restore_diff_phase_schema(p, want);
	rc = restore_fetch(r, p, fn, ctx, bytes, e);
	if (rc == 0)
		rc = settle(ctx, e);
	restore_diff_phase_rest(p, want);
	if (rc == 0)
		rc = restore_fetch(r, p, fn, ctx, bytes, e);
	free(want);
	return rc;
}
