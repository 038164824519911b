#include "db/optimize_host.h"

#include <errmsg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/conn.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "util/clock.h"

/* The tables of one database: filled by the one worker that took it. */
struct opt_slot {
	char *db;
	struct opt_table *t;
	size_t n;
	char *error;
	int taken;
};

struct opt_pool {
	const struct opt_host_job *job;
	struct opt_slot *slots;
	size_t nslots, next;
	double start;
	pthread_mutex_t mu;
	struct strlist errors;		/* worker connection errors */
	int interrupted;
};


static int64_t
opt_num(const char *s)
{
	return s != NULL ? strtoll(s, NULL, 10) : 0;
}

static int
opt_conn_lost(MYSQL *c)
{
	unsigned int n = mysql_errno(c);

	return n == CR_SERVER_GONE_ERROR || n == CR_SERVER_LOST;
}

/*
 * Session settings.  A dry run changes nothing but what it must to read
 * fresh figures: MySQL 8 otherwise serves TABLES statistics up to a day
 * old.
 */
static MYSQL *
opt_open(const struct opt_host_job *job, struct err *e)
{
	struct db_server sv;
	MYSQL *c;

	if ((c = db_connect(job->host, e)) == NULL)
		return NULL;
	if (db_server_info(c, &sv, e) == -1)
		goto fail;
	if (!sv.is_mariadb && sv.major >= 8 && db_exec(c,
	    "SET SESSION information_schema_stats_expiry = 0", e) == -1) {
		db_server_free(&sv);
		goto fail;
	}
	db_server_free(&sv);
	if (!job->dry_run && job->lock_wait_timeout > 0 && db_execf(c, e,
	    "SET SESSION lock_wait_timeout = %lld",
	    (long long)job->lock_wait_timeout) == -1)
		goto fail;
	return c;
fail:
	err_prefix(e, "host %s", job->host->name);
	db_close(c);
	mysql_thread_end();
	return NULL;
}

static int
opt_list_dbs(MYSQL *c, const struct opt_host_job *job, struct opt_pool *p,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	r = db_query_store(c, "SELECT SCHEMA_NAME FROM information_schema."
	    "SCHEMATA ORDER BY BINARY SCHEMA_NAME", e);
	if (r == NULL)
		return err_prefix(e, "host %s", job->host->name);
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL || !opt_selector_match(job->sel, row[0]))
			continue;
		p->slots = xreallocarray(p->slots, p->nslots + 1,
		    sizeof *p->slots);
		memset(&p->slots[p->nslots], 0, sizeof *p->slots);
		p->slots[p->nslots++].db = xstrdup(row[0]);
	}
	mysql_free_result(r);
	return 0;
}

static int
opt_list_tables(MYSQL *c, struct opt_slot *s, struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct opt_table *t;

	buf_init(&q);
	buf_append_str(&q, "SELECT TABLE_NAME, ENGINE, DATA_LENGTH, "
	    "INDEX_LENGTH, DATA_FREE FROM information_schema.TABLES "
	    "WHERE ");
	sql_name_equals(&q, "TABLE_SCHEMA", s->db);
	buf_append_str(&q, " AND TABLE_TYPE IN ('BASE TABLE', "
	    "'SYSTEM VERSIONED') ORDER BY BINARY TABLE_NAME");
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL)
			continue;
		s->t = xreallocarray(s->t, s->n + 1, sizeof *s->t);
		t = &s->t[s->n++];
		memset(t, 0, sizeof *t);
		t->db = xstrdup(s->db);
		t->name = xstrdup(row[0]);
		t->engine = row[1] != NULL ? xstrdup(row[1]) : NULL;
		t->data_length = opt_num(row[2]);
		t->index_length = opt_num(row[3]);
		t->data_free = opt_num(row[4]);
		t->after_size = t->after_free = -1;
	}
	mysql_free_result(r);
	return 0;
}

/* Re-reads the sizes after a rebuild; unknown figures stay -1. */
static void
opt_reread(MYSQL *c, struct opt_table *t)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct err e;

	buf_init(&q);
	buf_append_str(&q, "SELECT DATA_LENGTH, INDEX_LENGTH, DATA_FREE "
	    "FROM information_schema.TABLES WHERE ");
	sql_name_equals(&q, "TABLE_SCHEMA", t->db);
	buf_append_str(&q, " AND TABLE_NAME = ");
	sql_quote_string(&q, t->name, strlen(t->name));
	r = db_query_store(c, buf_cstr(&q), &e);
	buf_free(&q);
	if (r == NULL)
		return;
	if ((row = mysql_fetch_row(r)) != NULL) {
		t->after_size = opt_num(row[0]) + opt_num(row[1]);
		t->after_free = opt_num(row[2]);
	}
	mysql_free_result(r);
}

static void
opt_collect(MYSQL_RES *r, struct opt_table *t)
{
	struct opt_msg *m = NULL;
	MYSQL_ROW row;
	size_t n = 0;
	char why[512];

	if (mysql_num_fields(r) >= 4) {
		while ((row = mysql_fetch_row(r)) != NULL) {
			m = xreallocarray(m, n + 1, sizeof *m);
			m[n].type = row[2];
			m[n++].text = row[3];
		}
	}
	if (opt_result_ok(m, n, why, sizeof why))
		t->outcome = OPT_OUT_OPTIMIZED;
	else {
		t->outcome = OPT_OUT_FAILED;
		t->msg = xstrdup(why);
	}
	free(m);
}

/* Returns -1 when the connection is gone: the table is failed already. */
static int
opt_table_run(MYSQL *c, const struct opt_host_job *job, struct opt_table *t)
{
	struct buf q;
	MYSQL_RES *r;
	double t0 = clock_seconds();
	int rc = 0, st, collected = 0;

	buf_init(&q);
	buf_append_str(&q, job->policy->binlog ? "OPTIMIZE TABLE " :
	    "OPTIMIZE NO_WRITE_TO_BINLOG TABLE ");
	sql_quote_ident(&q, t->db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, t->name);
	if (mysql_real_query(c, q.data, q.len) != 0) {
		t->outcome = OPT_OUT_FAILED;
		t->msg = xstrdup(mysql_error(c));
		rc = opt_conn_lost(c) ? -1 : 0;
		goto out;
	}
	do {
		if ((r = mysql_store_result(c)) != NULL) {
			if (!collected)
				opt_collect(r, t);
			collected = 1;
			mysql_free_result(r);
		}
	} while ((st = mysql_next_result(c)) == 0);
	if (st > 0 || !collected) {
		t->outcome = OPT_OUT_FAILED;
		free(t->msg);
		t->msg = xstrdup(st > 0 || mysql_errno(c) != 0 ?
		    mysql_error(c) : "no result rows");
		rc = opt_conn_lost(c) ? -1 : 0;
		goto out;
	}
	if (t->outcome == OPT_OUT_OPTIMIZED)
		opt_reread(c, t);
out:
	t->seconds = clock_seconds() - t0;
	buf_free(&q);
	return rc;
}

static int
opt_past_deadline(const struct opt_pool *p)
{
	int64_t max = p->job->policy->max_duration;

	return max > 0 && clock_seconds() - p->start >= (double)max;
}

static void
opt_skip(struct opt_table *t, enum opt_verdict v, const char *why)
{
	t->outcome = OPT_OUT_SKIPPED;
	t->verdict = v;
	t->msg = xstrdup(why);
}

/* Works through one database; returns -1 when the connection died. */
static int
opt_db_run(MYSQL *c, struct opt_pool *p, struct opt_slot *s)
{
	const struct opt_host_job *job = p->job;
	struct opt_table_stats st;
	struct opt_table *t;
	char why[256];
	size_t i;
	int dead = 0;

	for (i = 0; i < s->n; i++) {
		t = &s->t[i];
		if (dead) {
			t->outcome = OPT_OUT_FAILED;
			t->msg = xstrdup("not attempted: connection lost");
			continue;
		}
		if (signals_interrupted()) {
			opt_skip(t, OPT_SKIP_DEADLINE, "interrupted");
			pthread_mutex_lock(&p->mu);
			p->interrupted = 1;
			pthread_mutex_unlock(&p->mu);
			continue;
		}
		st.engine = t->engine;
		st.data_length = t->data_length;
		st.index_length = t->index_length;
		st.data_free = t->data_free;
		t->verdict = opt_decide(&st, job->policy, job->scheduled,
		    opt_past_deadline(p), why, sizeof why);
		if (t->verdict != OPT_RUN)
			opt_skip(t, t->verdict, why);
		else if (job->dry_run)
			t->outcome = OPT_OUT_WOULD;
		else {
			log_debug("host %s: optimizing %s.%s", job->host->name,
			    t->db, t->name);
			dead = opt_table_run(c, job, t) == -1;
			if (t->outcome == OPT_OUT_FAILED)
				log_warn("host %s: %s.%s: optimize failed: %s",
				    job->host->name, t->db, t->name, t->msg);
		}
	}
	return dead ? -1 : 0;
}

static struct opt_slot *
opt_take(struct opt_pool *p)
{
	struct opt_slot *s = NULL;

	pthread_mutex_lock(&p->mu);
	if (p->next < p->nslots && !signals_interrupted()) {
		s = &p->slots[p->next++];
		s->taken = 1;
	}
	pthread_mutex_unlock(&p->mu);
	return s;
}

static void *
opt_worker(void *arg)
{
	struct opt_pool *p = arg;
	struct opt_slot *s;
	struct err e;
	MYSQL *c;

	mysql_thread_init();
	if ((c = opt_open(p->job, &e)) == NULL) {
		log_error("%s", e.msg);
		pthread_mutex_lock(&p->mu);
		strlist_add(&p->errors, e.msg);
		pthread_mutex_unlock(&p->mu);
		mysql_thread_end();
		return NULL;
	}
	while ((s = opt_take(p)) != NULL) {
		if (opt_list_tables(c, s, &e) == -1) {
			s->error = xasprintf("host %s: database %s: %s",
			    p->job->host->name, s->db, e.msg);
			log_error("%s", s->error);
			if (opt_conn_lost(c))
				break;
			continue;
		}
		if (opt_db_run(c, p, s) == -1) {
			s->error = xasprintf("host %s: database %s: "
			    "connection lost", p->job->host->name, s->db);
			log_error("%s", s->error);
			break;
		}
	}
	db_close(c);
	mysql_thread_end();
	return NULL;
}

static void
opt_add_table(struct opt_host_report *out, struct opt_table *t)
{
	switch (t->outcome) {
	case OPT_OUT_OPTIMIZED:
		out->optimized++;
		out->bytes_before += t->data_length + t->index_length +
		    t->data_free;
		if (t->after_size >= 0)
			out->bytes_after += t->after_size + t->after_free;
		else	/* unknown: claim nothing was reclaimed */
			out->bytes_after += t->data_length + t->index_length +
			    t->data_free;
		break;
	case OPT_OUT_WOULD:
		out->would++;
		out->reclaimable += t->data_free;
		break;
	case OPT_OUT_FAILED:
		out->failed++;
		break;
	case OPT_OUT_SKIPPED:
		out->skipped++;
		break;
	}
}

/* Moves every slot's tables and errors into the report, in db order. */
static void
opt_merge(struct opt_pool *p, struct opt_host_report *out)
{
	struct opt_slot *s;
	size_t i, j;
	char *msg;

	for (i = 0; i < p->errors.n; i++)
		strlist_add(&out->errors, p->errors.v[i]);
	for (i = 0; i < p->nslots; i++) {
		s = &p->slots[i];
		if (!s->taken && !p->interrupted && !signals_interrupted()) {
			msg = xasprintf("host %s: database %s: not processed: "
			    "no connection", p->job->host->name, s->db);
			strlist_add(&out->errors, msg);
			free(msg);
		}
		if (s->error != NULL)
			strlist_add(&out->errors, s->error);
		out->tables = xreallocarray(out->tables, out->ntables + s->n,
		    sizeof *out->tables);
		for (j = 0; j < s->n; j++) {
			out->tables[out->ntables++] = s->t[j];
			opt_add_table(out, &s->t[j]);
		}
		free(s->t);
		free(s->error);
		free(s->db);
	}
	free(p->slots);
	if (p->interrupted || signals_interrupted())
		out->interrupted = 1;
}

static void
opt_pool_start(struct opt_pool *p)
{
	pthread_t *tid;
	long long n = p->job->policy->threads_per_host;
	long long i, started = 0;
	struct err e;

	if (n <= 0)
		n = 2;
	if ((size_t)n > p->nslots)
		n = (long long)p->nslots;
	tid = xcalloc((size_t)(n ? n : 1), sizeof *tid);
	for (i = 0; i < n; i++) {
		if (pthread_create(&tid[i], NULL, opt_worker, p) != 0) {
			err_setsys(&e, ERR_INTERNAL, "host %s: pthread_create",
			    p->job->host->name);
			strlist_add(&p->errors, e.msg);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

void
opt_host_run(const struct opt_host_job *job, struct opt_host_report *out)
{
	struct opt_pool p;
	struct err e;
	MYSQL *c;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	out->name = xstrdup(job->host->name);
	p.job = job;
	p.start = clock_seconds();
	pthread_mutex_init(&p.mu, NULL);
	if ((c = opt_open(job, &e)) == NULL) {
		log_error("%s", e.msg);
		out->conn_error = xstrdup(e.msg);
		goto out;
	}
	if (opt_list_dbs(c, job, &p, &e) == -1) {
		log_error("%s", e.msg);
		db_close(c);
		strlist_add(&out->errors, e.msg);
		goto out;
	}
	db_close(c);
	if (p.nslots == 0)
		log_warn("host %s: no database selected", job->host->name);
	opt_pool_start(&p);
	opt_merge(&p, out);
out:
	strlist_free(&p.errors);
	pthread_mutex_destroy(&p.mu);
	out->seconds = clock_seconds() - p.start;
}

int
opt_host_failed(const struct opt_host_report *r)
{
	return r->conn_error != NULL || r->errors.n > 0 || r->failed > 0;
}

void
opt_host_report_free(struct opt_host_report *r)
{
	size_t i;

	for (i = 0; i < r->ntables; i++) {
		free(r->tables[i].db);
		free(r->tables[i].name);
		free(r->tables[i].engine);
		free(r->tables[i].msg);
	}
	free(r->tables);
	free(r->name);
	free(r->conn_error);
	strlist_free(&r->errors);
	memset(r, 0, sizeof *r);
}
