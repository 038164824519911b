/* What restore --diff does to a database the target has (apply_int.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/restore_apply_int.h"
#include "db/target_resume.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/show.h"
#include "util/xmalloc.h"

/*
 * Session i of the comparison (0: also the deletes; DIFF_BG: a keyless
 * table's, restore_apply_bg.c), opened once, with the dump's settings.
 */
static MYSQL *
diff_session(struct restore_apply *a, size_t i, struct err *e)
{
	MYSQL **c = i == 0 ? &a->diff_c : i == DIFF_BG ? &a->diff_bgc :
	    &a->diff_more[i - 1];

	if (*c != NULL)
		return *c;
	if ((*c = db_connect(a->target, e)) == NULL)
		return NULL;
	/* no cascade may touch rows already compared; a piece's text may be
	 * as long as the server lets a string be (db/dump_rowsum.h) */
	if (db_exec(*c, "SET NAMES binary", e) == -1 ||
	    db_exec(*c, "SET foreign_key_checks=0", e) == -1 ||
	    db_exec(*c, "SET SESSION group_concat_max_len = "
	    "@@global.max_allowed_packet", e) == -1)
		return NULL;
	return *c;
}

void
apply_diff_free(struct restore_apply *a)
{
	size_t i;

	apply_diff_bg_free(a);
	if (a->diff_bgc != NULL)
		mysql_close(a->diff_bgc);
	for (i = 0; i < a->p->ntables; i++) {
		rowsum_free(a->tabs[i].rs);
		free(a->tabs[i].auto_inc);
	}
	if (a->diff_c != NULL)
		mysql_close(a->diff_c);
	for (i = 0; i < DIFF_SESSIONS - 1; i++)
		if (a->diff_more[i] != NULL)
			mysql_close(a->diff_more[i]);
}

/*
 * A CREATE TABLE as compared: without " AUTO_INCREMENT=N" (its N into
 * *ai_out when that is not NULL) and the ";\n" after it.
 */
static void
diff_norm(struct buf *out, const char *p, size_t n, char **ai_out)
{
	static const char ai[] = " AUTO_INCREMENT=";
	const char *end = p + n, *num;

	while (end > p && (end[-1] == '\n' || end[-1] == ';' ||
	    end[-1] == ' '))
		end--;
	while (p < end) {
		if ((size_t)(end - p) > sizeof ai - 1 &&
		    memcmp(p, ai, sizeof ai - 1) == 0 &&
		    p[sizeof ai - 1] >= '0' && p[sizeof ai - 1] <= '9') {
			for (num = p += sizeof ai - 1; p < end && *p >= '0' &&
			    *p <= '9'; p++)
				;
			if (ai_out != NULL && *ai_out == NULL)
				*ai_out = xstrndup(num, (size_t)(p - num));
			continue;
		}
		buf_append_char(out, *p++);
	}
	buf_cstr(out);
}

/* Whether the target's SHOW CREATE TABLE is the backup's q..q+n. */
static int
diff_schema_same(MYSQL *c, const char *db, const char *table, const char *q,
    size_t n, int *same, char **ai, struct err *e)
{
	struct buf s, a, b;
	MYSQL_RES *r;
	MYSQL_ROW row;
	unsigned long *len;

	buf_init(&s);
	buf_append_str(&s, "SHOW CREATE TABLE ");
	sql_quote_ident(&s, db);
	buf_append_char(&s, '.');
	sql_quote_ident(&s, table);
	r = db_query_store(c, buf_cstr(&s), e);
	buf_free(&s);
	if (r == NULL)
		return -1;
	buf_init(&a);
	buf_init(&b);
	*same = 0;
	if ((row = mysql_fetch_row(r)) != NULL && row[1] != NULL &&
	    (len = mysql_fetch_lengths(r)) != NULL) {
		diff_norm(&a, row[1], len[1], NULL);
		diff_norm(&b, q, n, ai);
		*same = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
	}
	mysql_free_result(r);
	buf_free(&a);
	buf_free(&b);
	return 0;
}

/*
 * A keyed table's chunks compared by several sessions at once, each in a
 * consistent read of its own (nothing else writes the target during a
 * diff: myship.8): each takes the next chunk not yet taken.
 */
struct diff_par {
	const struct rowsum_table *rs;
	const struct plan_member **pm;	/* the table's chunks, plan order */
	char (*hex)[65];
	size_t n, next;
	struct rowsum_count count;
	pthread_mutex_t mu;
	int failed;
	struct err err;			/* the first failure */
};

struct diff_worker {
	struct diff_par *p;
	MYSQL *c;
	pthread_t t;
};

static void *
diff_par_run(void *arg)
{
	struct diff_worker *w = arg;
	struct diff_par *p = w->p;
	struct err e = { .kind = ERR_OK };
	size_t i;
	const struct manifest_chunk *ch;
	struct rowsum_count n = { 0, 0, 0 };
	int rc;

	rc = db_exec(w->c, "START TRANSACTION WITH CONSISTENT SNAPSHOT", &e);
	while (rc == 0) {
		pthread_mutex_lock(&p->mu);
		i = p->failed ? p->n : p->next;
		if (i < p->n)
			p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->n)
			break;
		ch = p->pm[i]->chunk;
		rc = rowsum_chunk(w->c, p->rs, ch->first_key, ch->piece_keys,
		    ch->last_key, p->hex[i], &n, &e);
	}
	if (db_exec(w->c, "COMMIT", rc == 0 ? &e : &(struct err){ 0 }) == -1)
		rc = -1;
	pthread_mutex_lock(&p->mu);
	p->count.server += n.server;
	p->count.read += n.read;
	p->count.rows += n.rows;
	if (rc == -1 && !p->failed)
		p->err = e;
	p->failed |= rc == -1;
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The n chunks pm[] of a keyed table into hex[], by up to --threads. */
static int
diff_ranges(struct restore_apply *a, const struct rowsum_table *rs,
    const struct plan_member **pm, size_t n, char (*hex)[65],
    uint64_t *rows, struct err *e)
{
	struct diff_worker w[DIFF_SESSIONS];
	struct diff_par p = { .rs = rs, .pm = pm, .hex = hex, .n = n };
	size_t k, nw = (size_t)(a->threads > 1 ? a->threads : 1), started;

	*rows = 0;
	if (n == 0)
		return 0;
	nw = nw > DIFF_SESSIONS ? DIFF_SESSIONS : nw;
	nw = nw > n ? n : nw;
	for (k = 0; k < nw; k++) {
		w[k].p = &p;
		if ((w[k].c = diff_session(a, k, e)) == NULL)
			return -1;
	}
	pthread_mutex_init(&p.mu, NULL);
	for (started = 1; started < nw; started++)
		if (pthread_create(&w[started].t, NULL, diff_par_run,
		    &w[started]) != 0)
			break;
	diff_par_run(&w[0]);
	for (k = 1; k < started; k++)
		pthread_join(w[k].t, NULL);
	pthread_mutex_destroy(&p.mu);
	a->diff.pieces += p.count.server;
	a->diff.pieces_read += p.count.read;
	*rows = p.count.rows;
	if (p.failed)
		*e = p.err;
	return p.failed ? -1 : 0;
}

/*
 * The target's fingerprint of each chunk of keyed table t, in plan order
 * (sums gets them), by diff_ranges (a keyless table's: restore_apply_bg.c).
 */
static int
diff_sums(struct restore_apply *a, size_t t, char **sums, struct err *e)
{
	const struct restore_plan *p = a->p;
	char (*hex)[65] = xcalloc(p->tables[t].nchunks + 1, sizeof *hex);
	const struct plan_member **pms = xcalloc(p->tables[t].nchunks + 1,
	    sizeof *pms);
	size_t i, j = 0;
	int rc;

	for (i = 0; i < p->nmembers; i++)
		if (p->members[i].kind == PLAN_DATA &&
		    p->members[i].table == (long)t)
			pms[j++] = &p->members[i];
	rc = diff_ranges(a, a->tabs[t].rs, pms, j, hex, &a->tabs[t].in_chunks,
	    e);
	free(pms);
	for (i = 0; rc == 0 && i < j; i++)
		sums[i] = xstrdup(hex[i]);
	free(hex);
	return rc;
}

/* DROP kind `db`.`name` */
static int
diff_drop(MYSQL *c, const char *kind, const char *db, const char *name,
    struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_printf(&q, "DROP %s ", kind);
	sql_quote_ident(&q, db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, name);
	rc = db_exec(c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

/* Compares table t the target has and decides it: the plan's marks. */
static int
diff_decide(struct restore_apply *a, size_t t, int same, struct err *e)
{
	struct apply_table *at = &a->tabs[t];
	size_t n = a->p->tables[t].nchunks, i;
	char **sums = xcalloc(n + 1, sizeof *sums);
	char what[2 * SHOW_MAX + 2];
	double t0 = clock_seconds();
	MYSQL *c = a->diff_c;
	int rc = 0;

	if (same)
		rc = rowsum_open(c, a->p->dbs[a->cur_db].dst,
		    a->p->tables[t].mt->name, &at->rs, e);
	if (rc == 0 && same && !(restore_diff_keyed(a->p, t) &&
	    rowsum_key(at->rs)->n > 0)) {
		free(sums);
		c = diff_session(a, DIFF_BG, e);
		return c == NULL ? -1 : apply_diff_bg_start(a, c, t, e);
	}
	if (rc == 0 && same)
		rc = target_range_atomic(c, a->p->dbs[a->cur_db].dst,
		    a->p->tables[t].mt->name, &at->atomic, e);
	if (rc == 0 && same)
		rc = diff_sums(a, t, sums, e);
	if (rc == 0)
		rc = restore_diff_table(a->p, t, same, sums, 0, &at->dt, e);
	for (i = 0; i < n; i++)
		free(sums[i]);
	free(sums);
	if (rc == -1)
		return -1;
	restore_plan_table_what(a->p, t, what, sizeof what);
	log_debug("diff: table %s: %zu chunks compared in %.2f s, %zu "
	    "identical", what, at->dt.compared, clock_seconds() - t0,
	    at->dt.same);
	apply_diff_count(a, &at->dt);
	if (at->atomic && at->dt.how == PLAN_DIFF_CHUNKS)
		a->diff.atomic += at->dt.reload;
	return 0;
}

void
apply_diff_count(struct restore_apply *a, const struct plan_diff_table *dt)
{
	a->diff.tables++;
	a->diff.tables_whole += dt->how == PLAN_DIFF_WHOLE;
	a->diff.compared += dt->compared;
	a->diff.same += dt->same;
	a->diff.reload += dt->reload;
}

int
apply_diff_table(struct restore_apply *a, MYSQL *c, size_t t,
    const char **q, size_t *n, struct err *e)
{
	const char *dst = a->p->dbs[a->cur_db].dst;
	const char *name = a->p->tables[t].mt->name;
	char what[2 * SHOW_MAX + 2];
	double t0 = clock_seconds();
	int exists, same, rc;
	MYSQL *dc;

	(void)c;
	if ((dc = diff_session(a, 0, e)) == NULL ||
	    target_table_exists(dc, dst, name, &exists, e) == -1)
		return -1;
	if (!exists)
		return 0;
	if (diff_schema_same(dc, dst, name, *q, *n, &same,
	    &a->tabs[t].auto_inc, e) == -1)
		return -1;
	rc = diff_decide(a, t, same, e);
	a->diff.secs += clock_seconds() - t0;
	if (rc == -1)
		return -1;
	if (!same) {
		restore_plan_table_what(a->p, t, what, sizeof what);
		log_warn("table %s on host %s: its definition differs from "
		    "the backup's: dropped and loaded whole (--force)", what,
		    a->target->name);
		return diff_drop(dc, "TABLE", dst, name, e);
	}
	a->tabs[t].diff = 1;
	apply_load_table(a, t);
	*q = "DO 0";
	*n = 4;
	return 1;
}

/*
 * Objects of database d on the target that a full restore would not leave
 * as they are: views, triggers, routines and events (its post-data
 * member recreates those of the backup) and tables the backup lacks.
 */
static const char *const diff_objects[] = {
	"SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE "
	    "TABLE_SCHEMA = ",
	"SELECT TRIGGER_NAME, 'TRIGGER' FROM information_schema.TRIGGERS "
	    "WHERE TRIGGER_SCHEMA = ",
	"SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
	    "WHERE ROUTINE_SCHEMA = ",
	"SELECT EVENT_NAME, 'EVENT' FROM information_schema.EVENTS WHERE "
	    "EVENT_SCHEMA = ",
	NULL
};

/* What DROP an object of that kind takes, or NULL to leave it. */
static const char *
diff_drop_kind(const struct restore_apply *a, size_t d, const char *name,
    const char *kind)
{
	static const char *const kinds[] = { "VIEW", "TRIGGER", "PROCEDURE",
	    "FUNCTION", "PACKAGE", "EVENT", NULL };
	size_t i;

	if (strcmp(kind, "BASE TABLE") == 0 ||
	    strcmp(kind, "SYSTEM VERSIONED") == 0)
		return restore_plan_table(a->p, a->p->dbs[d].md->name,
		    name) == -1 ? "TABLE" : NULL;
	for (i = 0; kinds[i] != NULL; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return kinds[i];
	return NULL;	/* sequences: the schema member kept them */
}

static int
diff_drop_objects(struct restore_apply *a, MYSQL *c, size_t d, struct err *e)
{
	const char *db = a->p->dbs[d].dst, *kind;
	struct strlist names, kinds;
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;
	size_t i, j;
	int rc = 0;

	memset(&names, 0, sizeof names);
	memset(&kinds, 0, sizeof kinds);
	for (i = 0; rc == 0 && diff_objects[i] != NULL; i++) {
		buf_init(&q);
		buf_append_str(&q, diff_objects[i]);
		sql_quote_string(&q, db, strlen(db));
		if ((r = db_query_store(c, buf_cstr(&q), e)) == NULL)
			rc = -1;
		while (r != NULL && (row = mysql_fetch_row(r)) != NULL)
			if (row[0] != NULL && row[1] != NULL &&
			    (kind = diff_drop_kind(a, d, row[0], row[1])) !=
			    NULL) {
				strlist_add(&names, row[0]);
				strlist_add(&kinds, kind);
			}
		if (r != NULL)
			mysql_free_result(r);
		buf_free(&q);
	}
	for (j = 0; rc == 0 && j < names.n; j++)
		rc = diff_drop(c, kinds.v[j], db, names.v[j], e);
	strlist_free(&names);
	strlist_free(&kinds);
	return rc;
}

/* ALTER TABLE `db`.`name` AUTO_INCREMENT = n (digits only) */
static int
diff_auto_inc(MYSQL *c, const char *db, const char *name, const char *n,
    struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, "ALTER TABLE ");
	sql_quote_ident(&q, db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, name);
	buf_printf(&q, " AUTO_INCREMENT = %s", n);
	rc = db_exec(c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

/* The rows of table t the load replaces, and those in no chunk. */
static int
diff_delete(struct restore_apply *a, MYSQL *c, size_t t, struct err *e)
{
	const struct apply_table *at = &a->tabs[t];
	const struct plan_member *pm;
	char **first, **last;
	uint64_t total = 0;
	size_t i, n = 0;
	int rc = 0;

	/* the counter a full restore sets, before the rows go in */
	if (at->auto_inc != NULL && diff_auto_inc(c, a->p->dbs[a->p->tables[t].
	    db].dst, a->p->tables[t].mt->name, at->auto_inc, e) == -1)
		return -1;
	if (at->dt.how == PLAN_DIFF_WHOLE || rowsum_key(at->rs)->n == 0 ||
	    !restore_diff_keyed(a->p, t))
		return at->dt.how == PLAN_DIFF_SAME ? 0 :
		    rowsum_delete_outside(c, at->rs, NULL, NULL, 0, e);
	/*
	 * Rows in no chunk's range are deleted by a scan of every row (NOT of
	 * the ranges uses no index); when the chunks held all the rows the
	 * comparison counted, there are none, and no scan.  Counted before
	 * any range is deleted, as the comparison counted.
	 */
	if (rowsum_rows(c, at->rs, &total, e) == -1)
		return -1;
	first = xcalloc(a->p->tables[t].nchunks + 1, sizeof *first);
	last = xcalloc(a->p->tables[t].nchunks + 1, sizeof *last);
	for (i = 0; rc == 0 && i < a->p->nmembers; i++) {
		pm = &a->p->members[i];
		if (pm->kind != PLAN_DATA || pm->table != (long)t)
			continue;
		first[n] = pm->chunk->first_key;
		last[n++] = pm->chunk->last_key;
		if (!pm->skip && !at->atomic)
			rc = target_delete_rows(c, a->p->dbs[pm->db].dst,
			    a->p->tables[t].mt->name, rowsum_key(at->rs),
			    pm->chunk->first_key, pm->chunk->last_key, e);
	}
	if (rc == 0 && total != at->in_chunks)
		rc = rowsum_delete_outside(c, at->rs, first, last, n, e);
	free(first);
	free(last);
	return rc;
}

char *
apply_diff_txn_first(const struct restore_apply *a,
    const struct plan_member *pm)
{
	const struct apply_table *at;

	if (pm->kind != PLAN_DATA || pm->table == -1)
		return NULL;
	at = &a->tabs[pm->table];
	if (!at->diff || !at->atomic || at->dt.how != PLAN_DIFF_CHUNKS)
		return NULL;
	return target_delete_sql(a->p->dbs[pm->db].dst,
	    a->p->tables[pm->table].mt->name, rowsum_key(at->rs),
	    pm->chunk->first_key, pm->chunk->last_key);
}

int
apply_diff_clear(struct restore_apply *a, struct err *e)
{
	double t0 = clock_seconds();
	MYSQL *c;
	size_t i;

	if (!a->p->o.diff || a->diff_cleared)
		return 0;
	if (apply_diff_settle(a, e) == -1)
		return -1;
	a->diff_cleared = 1;
	if ((c = diff_session(a, 0, e)) == NULL)
		return -1;
	for (i = 0; i < a->p->ndbs; i++)
		if (a->p->dbs[i].selected && a->p->dbs[i].exists &&
		    diff_drop_objects(a, c, i, e) == -1)
			return -1;
	for (i = 0; i < a->p->ntables; i++)
		if (a->tabs[i].diff && diff_delete(a, c, i, e) == -1)
			return -1;
	log_debug("diff: what differs deleted in %.2f s",
	    clock_seconds() - t0);
	a->diff.secs += clock_seconds() - t0;
	return 0;
}

int
restore_apply_diff_settle(struct restore_apply *a, struct err *e)
{
	return a != NULL ? apply_diff_settle(a, e) : 0;
}

void
restore_apply_diff_stats(const struct restore_apply *a,
    struct restore_diff_stats *st)
{
	*st = a->diff;
}
