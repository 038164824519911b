/*
 * restore --diff: a table without a usable key compared in the
 * background (restore_apply_int.h).  Its comparison reads every row
 * through one session, which no other can share; the keyed tables that
 * follow it are meanwhile compared by the server on the other sessions.
 * Its chunks are decided when it is settled: before any member past the
 * schema is read or run.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/restore_apply_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/show.h"
#include "util/xmalloc.h"

struct diff_bg {
	struct restore_apply *a;
	size_t t;
	MYSQL *c;
	char (*hex)[65];
	uint64_t *cuts, extra;
	size_t n;
	int by_sum, rc;
	struct err err;
	double t0;
	pthread_t th;
};

static void *
bg_run(void *arg)
{
	struct diff_bg *b = arg;
	const struct rowsum_table *rs = b->a->tabs[b->t].rs;
	struct err *e = &b->err;

	b->rc = db_exec(b->c, "START TRANSACTION WITH CONSISTENT SNAPSHOT", e);
	if (b->rc == 0)
		b->rc = b->by_sum ? rowsum_multiset(b->c, rs, b->hex[0], e) :
		    rowsum_split(b->c, rs, b->cuts, b->n, b->hex, &b->extra, e);
	if (db_exec(b->c, "COMMIT", b->rc == 0 ? e : &(struct err){ 0 }) == -1)
		b->rc = -1;
	return NULL;
}

static void
bg_free(struct diff_bg *b)
{
	free(b->hex);
	free(b->cuts);
	free(b);
}

int
apply_diff_bg_start(struct restore_apply *a, MYSQL *c, size_t t,
    struct err *e)
{
	const struct restore_plan *p = a->p;
	struct diff_bg *b;
	size_t i;

	/* one at a time: each holds a session and a core */
	if (apply_diff_settle(a, e) == -1)
		return -1;
	b = xcalloc(1, sizeof *b);
	b->a = a;
	b->t = t;
	b->c = c;
	b->t0 = clock_seconds();
	b->by_sum = restore_diff_by_sum(p, t);
	b->hex = xcalloc(p->tables[t].nchunks + 1, sizeof *b->hex);
	b->cuts = xcalloc(p->tables[t].nchunks + 1, sizeof *b->cuts);
	for (i = 0; i < p->nmembers; i++)
		if (p->members[i].kind == PLAN_DATA &&
		    p->members[i].table == (long)t)
			b->cuts[b->n++] = p->members[i].chunk->rows;
	if (pthread_create(&b->th, NULL, bg_run, b) != 0) {
		bg_free(b);
		return err_set(e, ERR_FAILED, "cannot start a thread");
	}
	a->diff_bg = b;
	return 0;
}

int
apply_diff_settle(struct restore_apply *a, struct err *e)
{
	struct diff_bg *b = a->diff_bg;
	struct apply_table *at;
	char **sums, what[2 * SHOW_MAX + 2];
	double t0 = clock_seconds();
	size_t i, n;
	int rc;

	if (b == NULL)
		return 0;
	a->diff_bg = NULL;
	pthread_join(b->th, NULL);
	a->diff.secs += clock_seconds() - t0;	/* what it was waited for */
	if ((rc = b->rc) == -1)
		*e = b->err;
	at = &a->tabs[b->t];
	n = b->by_sum ? 1 : b->n;
	sums = xcalloc(n + 1, sizeof *sums);
	for (i = 0; i < n; i++)
		sums[i] = b->hex[i];
	if (rc == 0)
		rc = restore_diff_table(a->p, b->t, 1, sums, b->extra, &at->dt,
		    e);
	free(sums);
	if (rc == 0) {
		restore_plan_table_what(a->p, b->t, what, sizeof what);
		log_debug("diff: table %s: %zu chunks compared in %.2f s in "
		    "the background, %zu identical", what, at->dt.compared,
		    clock_seconds() - b->t0, at->dt.same);
		apply_diff_count(a, &at->dt);
	}
	bg_free(b);
	return rc;
}

void
apply_diff_bg_free(struct restore_apply *a)
{
	if (a->diff_bg == NULL)
		return;
	pthread_join(a->diff_bg->th, NULL);
	bg_free(a->diff_bg);
	a->diff_bg = NULL;
}
