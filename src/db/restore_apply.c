#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/catalog.h"
#include "db/conn.h"
#include "db/defer.h"
#include "db/restore_apply_int.h"
#include "db/target.h"
#include "util/log.h"
#include "util/show.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

/* The bytes of members queued for the pool, at most. */
#define APPLY_QUEUE_BYTES	(64 * 1024 * 1024)

static int apply_ctl_error(void *ctx, const char *q, size_t n,
    const struct err *e);

struct restore_apply *
restore_apply_new(struct restore_plan *p, const struct host_cfg *target,
    int threads, const struct load_decoder *decoder, struct err *e)
{
	struct restore_apply *a;
	MYSQL *c;

	if ((c = db_connect(target, e)) == NULL)
		return NULL;
	a = xcalloc(1, sizeof *a);
	a->p = p;
	a->target = target;
	a->threads = threads;
	a->decoder = decoder;
	a->tabs = xcalloc(p->ntables ? p->ntables : 1, sizeof *a->tabs);
	defer_split_init(&a->ds);
	a->ctl = loader_new(c);
	a->cur_table = -1;
	if (!p->o.stop_on_error)
		loader_set_on_error(a->ctl, apply_ctl_error, a);
	return a;
}

void
restore_apply_free(struct restore_apply *a)
{
	size_t i;

	if (a == NULL)
		return;
	load_pool_free(a->pool);
	apply_diff_free(a);
	loader_free(a->ctl);
	db_server_free(&a->server);
	for (i = 0; i < a->p->ntables; i++) {
		load_table_free(a->tabs[i].lt);
		strlist_free(&a->tabs[i].pk);
	}
	free(a->tabs);
	defer_split_free(&a->ds);
	free(a);
}

int
restore_apply_probe(struct restore_apply *a, struct err *e)
{
	struct plan_db *d;
	size_t i;

	if (db_server_info(loader_conn(a->ctl), &a->server, e) == -1)
		return -1;
	for (i = 0; i < a->p->ndbs; i++) {
		d = &a->p->dbs[i];
		if (d->selected && target_db_state(loader_conn(a->ctl), d->dst,
		    &d->exists, &d->nonempty, e) == -1)
			return -1;
	}
	return 0;
}

const char *
restore_apply_server_version(const struct restore_apply *a)
{
	return a->server.version != NULL ? a->server.version : "";
}

int
restore_apply_begin(struct restore_apply *a, struct err *e)
{
	return load_session_init(loader_conn(a->ctl), e);
}

/*
 * A foreign key names table t: it keeps its keys from now on, and those
 * already held back are built now, while it is empty, so the foreign key
 * finds the index it refers to.
 */
static int
apply_undefer(struct restore_apply *a, long t, struct err *e)
{
	if (t == -1)
		return 0;
	a->tabs[t].referenced = 1;
	if (a->tabs[t].lt == NULL || a->tabs[t].failed)
		return 0;
	return load_table_run(a->ctl, a->tabs[t].lt, "utf8mb4", e);
}

/* A CREATE TABLE that cannot be read: nothing is held back any more. */
static int
apply_defer_stop(struct restore_apply *a, struct err *e)
{
	size_t i;

	a->stopped = 1;
	for (i = 0; i < a->p->ntables; i++)
		if (a->tabs[i].lt != NULL && !a->tabs[i].failed &&
		    load_table_run(a->ctl, a->tabs[i].lt, "utf8mb4", e) == -1)
			return -1;
	return 0;
}

/* What the loaders learn of table t from its CREATE TABLE. */
struct load_table *
apply_load_table(struct restore_apply *a, size_t t)
{
	char what[2 * SHOW_MAX + 2];
	struct load_table *lt;

	restore_plan_table_what(a->p, t, what, sizeof what);
	lt = load_table_new(what, a->p->tables[t].nchunks);
	lt->load_data = a->ds.plain_rows;
	load_table_free(a->tabs[t].lt);
	a->tabs[t].lt = lt;
	return lt;
}

/* Holds back the keys defer_split_create cut from the table of lt. */
void
apply_defer_table(struct restore_apply *a, struct load_table *lt)
{
	struct buf q;

	buf_init(&q);
	buf_append_str(&q, "ALTER TABLE ");
	sql_quote_ident(&q, a->p->dbs[a->cur_db].dst);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, a->ds.table);
	buf_append_char(&q, ' ');
	buf_append(&q, a->ds.adds.data, a->ds.adds.len);
	lt->finish = xstrdup(buf_cstr(&q));
	buf_free(&q);
}

/*
 * A statement of the schema member of a partial database (--table): 1
 * when it does not run (it becomes "DO 0"): the CREATE DATABASE of one
 * the target has, which is not dropped; the CREATE TABLE or SEQUENCE of
 * an object not selected, and the statements setting a sequence's value.
 * A selected table the target has is dropped before its CREATE (the plan
 * refused a database that holds objects, without --force).
 */
static int
apply_partial(struct restore_apply *a, MYSQL *c, const char **q, size_t *n,
    struct err *e)
{
	static const char *const named[] = { "CREATE TABLE ",
	    "CREATE SEQUENCE ", "ALTER SEQUENCE ", "DO SETVAL(" };
	const struct plan_db *d = &a->p->dbs[a->cur_db];
	char *text, *name = NULL;
	size_t i, len;
	int rc = 0;

	if (*n >= 16 && memcmp(*q, "CREATE DATABASE ", 16) == 0) {
		if (!d->exists || a->p->o.resume)
			return 0;
		rc = 1;
	}
	for (i = 0; i < sizeof named / sizeof *named && rc == 0; i++) {
		len = strlen(named[i]);
		if (*n < len || memcmp(*q, named[i], len) != 0)
			continue;
		text = xstrndup(*q, *n < 4096 ? *n : 4096);
		name = defer_first_key(text);
		free(text);
		if (name == NULL || !restore_plan_object_wanted(a->p, a->cur_db,
		    name))
			rc = 1;
		else if (i < 2 && d->exists && !a->p->o.resume &&
		    target_drop_table(c, d->dst, name, e) == -1)
			rc = -1;
		free(name);
		break;
	}
	if (rc == 1) {
		*q = "DO 0";
		*n = 4;
	}
	return rc;
}

/*
 * The schema members' filter: CREATE TABLE statements lose the keys that
 * are built after the data (db/defer.h), and foreign keys keep the keys
 * of the tables they name.
 */
static int
apply_filter(void *ctx, MYSQL *c, const char **q, size_t *n, struct err *e)
{
	struct restore_apply *a = ctx;
	const char *db = a->p->dbs[a->cur_db].md->name;
	struct defer_split *ds = &a->ds;
	struct load_table *lt;
	size_t i;
	long t;
	int cut;

	a->cur_table = -1;
	if (a->p->dbs[a->cur_db].partial &&
	    (cut = apply_partial(a, c, q, n, e)) != 0)
		return cut == -1 ? -1 : 0;
	if ((a->p->o.resume || a->p->o.diff) && a->p->dbs[a->cur_db].exists &&
	    apply_resume_other(a, c, q, n, e) == -1)
		return -1;
	if (*n < 13 || memcmp(*q, "CREATE TABLE ", 13) != 0)
		return 0;
	cut = defer_split_create(*q, *n, ds);
	if (ds->table == NULL)
		return apply_defer_stop(a, e);
	for (i = 0; i < ds->ref_tables.n; i++) {
		t = restore_plan_table(a->p, *ds->ref_dbs.v[i] != '\0' ?
		    ds->ref_dbs.v[i] : db, ds->ref_tables.v[i]);
		if (apply_undefer(a, t, e) == -1)
			return -1;
	}
	if ((t = restore_plan_table(a->p, db, ds->table)) == -1)
		return 0;
	a->cur_table = t;
	if (a->p->o.resume && a->p->dbs[a->cur_db].exists)
		switch (apply_resume_table(a, c, (size_t)t, cut, q, n, e)) {
		case -1:
			return -1;
		case 1:
			return 0;	/* there: not created again */
		}
	if (a->p->o.diff && a->p->dbs[a->cur_db].exists)
		switch (apply_diff_table(a, c, (size_t)t, q, n, e)) {
		case -1:
			return -1;
		case 1:
			return 0;	/* compared: kept */
		}
	lt = apply_load_table(a, (size_t)t);
	if (!cut || a->stopped || !a->p->tables[t].defer ||
	    a->tabs[t].referenced)
		return 0;
	apply_defer_table(a, lt);
	*q = ds->create.data;
	*n = ds->create.len;
	return 0;
}

/* Skips a quoted run at p (opening quote at *p); returns past its end. */
static const char *
skip_quoted(const char *p, const char *end)
{
	char q = *p++;

	while (p < end && *p != q)
		p += *p == '\\' && q != '`' && p + 1 < end ? 2 : 1;
	return p < end ? p + 1 : end;
}

/*
 * "view `v`" for a post-data statement CREATE ... VIEW `v` ...: the kind
 * word and the name after it, or "statement" when there is none.
 */
static void
apply_object_name(const char *q, size_t n, char *out, size_t len)
{
	static const char *const kinds[] = { "VIEW", "PROCEDURE", "FUNCTION",
	    "TRIGGER", "EVENT", "PACKAGE BODY", "PACKAGE", "LIBRARY", "SEQUENCE",
	    NULL };
	const char *p = q, *end = q + (n < 4096 ? n : 4096), *name;
	size_t i, k;

	snprintf(out, len, "statement");
	while (p < end) {
		if (*p == '`' || *p == '\'' || *p == '"') {
			p = skip_quoted(p, end);
			continue;
		}
		for (i = 0; kinds[i] != NULL; i++) {
			k = strlen(kinds[i]);
			if ((p == q || p[-1] == ' ' || p[-1] == '\n') &&
			    (size_t)(end - p) > k && p[k] == ' ' &&
			    strncasecmp(p, kinds[i], k) == 0)
				break;
		}
		if (kinds[i] == NULL) {
			p++;
			continue;
		}
		name = p + k + 1;
		p = *name == '`' ? skip_quoted(name, end) : name;
		while (p < end && *p != ' ' && *p != '(' && *p != '\n')
			p++;
		snprintf(out, len, "%.*s %.*s", (int)k, kinds[i],
		    (int)(p - name < 200 ? p - name : 200), name);
		for (; *out != '\0' && *out != ' '; out++)
			*out = (char)(*out - 'A' + 'a');
		return;
	}
}

/* The current table's CREATE was refused: it fails alone. */
static void
apply_table_error(struct restore_apply *a, const struct err *e)
{
	char what[2 * SHOW_MAX + 2];

	restore_plan_table_what(a->p, (size_t)a->cur_table, what, sizeof what);
	if (!a->tabs[a->cur_table].failed)
		a->f.tables++;
	a->tabs[a->cur_table].failed = 1;
	log_error("table %s not restored: %s", what, e->msg);
}

/*
 * A statement of a schema or post-data member the server refused: a
 * table's CREATE, any other statement of a schema member (a MariaDB
 * sequence restored into MySQL with --force) or one post-data object
 * fails alone; only the database's CREATE or USE stops the restore.
 */
static int
apply_ctl_error(void *ctx, const char *q, size_t n, const struct err *e)
{
	struct restore_apply *a = ctx;
	char what[2 * SHOW_MAX + 2], obj[256], shown[SHOW_MAX];

	if (a->cur_kind == PLAN_SCHEMA) {
		if (a->cur_table != -1) {
			apply_table_error(a, e);
			return 0;
		}
		/* Without its database nothing else can go on. */
		if ((n > 16 && strncasecmp(q, "CREATE DATABASE ", 16) == 0) ||
		    (n > 4 && strncasecmp(q, "USE ", 4) == 0))
			return -1;
		if (n > 16 && strncasecmp(q, "CREATE SEQUENCE ", 16) == 0)
			a->f.objects_run++;	/* an object of its own */
	}
	if (a->p->o.resume && apply_resume_exists(a))
		return 0;	/* left alone: the interrupted restore made it */
	apply_object_name(q, n, obj, sizeof obj);
	if (strcmp(obj, "statement") == 0) {
		a->f.other++;
		log_error("%s", e->msg);
		return 0;
	}
	a->f.objects++;
	log_error("%s in database %s not restored: %s", show_str(obj, shown,
	    sizeof shown), show_str(a->p->dbs[a->cur_db].dst, what,
	    sizeof what), e->msg);
	return 0;
}

/* The post-data members' filter: counts the objects tried. */
static int
apply_post_filter(void *ctx, MYSQL *c, const char **q, size_t *n,
    struct err *e)
{
	struct restore_apply *a = ctx;

	(void)c;
	(void)e;
	if (*n > 7 && strncasecmp(*q, "CREATE ", 7) == 0)
		a->f.objects_run++;
	return 0;
}

/* A data member that failed on its own (the pool's lock is held). */
static void
apply_data_report(void *ctx, const struct load_member *m, const struct err *e)
{
	struct restore_apply *a = ctx;
	size_t i;

	log_error("table %s not restored whole%s: %s", m->what,
	    m->txn_first != NULL ? " (that chunk keeps its old rows)" : "",
	    e->msg);
	for (i = 0; i < a->p->ntables; i++)
		if (m->table != NULL && a->tabs[i].lt == m->table)
			break;
	if (i < a->p->ntables && a->tabs[i].rows_failed)
		return;
	if (i < a->p->ntables)
		a->tabs[i].rows_failed = 1;
	a->rows_failed++;
}

void
restore_apply_failures(const struct restore_apply *a, struct apply_failures *f)
{
	*f = a->f;
	f->tables += a->rows_failed;	/* the rows of a failed CREATE never ran */
}

static struct load_member *
apply_member_new(struct restore_apply *a, const struct plan_member *pm,
    struct buf *data)
{
	const struct plan_db *d = &a->p->dbs[pm->db];
	char what[2 * SHOW_MAX + 16];
	struct load_member *m;

	restore_plan_what(a->p, pm, what, sizeof what);
	m = load_member_new(xstrdup(pm->name), xstrdup(what), data,
	    a->decoder, pm->raw_bytes);
	if (strcmp(d->dst, d->md->name) != 0) {
		m->rename_from = xstrdup(d->md->name);
		m->rename_to = xstrdup(d->dst);
	}
	if (pm->kind == PLAN_DATA && pm->table != -1)
		m->table = a->tabs[pm->table].lt;
	m->rows = pm->rows;
	m->txn_first = apply_diff_txn_first(a, pm);
	return m;
}

/* Schema and post-data members run in order on the control session. */
static int
apply_run_ctl(struct restore_apply *a, const struct plan_member *pm,
    struct load_member *m, struct err *e)
{
	const struct plan_db *d = &a->p->dbs[pm->db];
	char shown[SHOW_MAX];
	int rc = 0;

	a->touched = 1;
	if (pm->kind == PLAN_SCHEMA && d->exists && !a->p->o.resume &&
	    !d->partial && !a->p->o.diff) {
		log_warn("host %s: replacing database %s", a->target->name,
		    show_str(d->dst, shown, sizeof shown));
		rc = target_drop_db(loader_conn(a->ctl), d->dst, e);
	}
	a->cur_db = pm->db;
	a->cur_kind = pm->kind;
	a->cur_table = -1;
	loader_set_filter(a->ctl, pm->kind == PLAN_SCHEMA ? apply_filter :
	    apply_post_filter, a);
	if (rc == 0)
		rc = loader_run(a->ctl, m, e);
	load_member_free(m);
	return rc;
}

/*
 * Rows an older backup dumped of a table whose rows are not its own
 * (db/catalog.h: MERGE, FEDERATED, BLACKHOLE...): loaded, they would be
 * written twice (into the underlying tables and through the MERGE table)
 * or into another server.  Said once per table.
 */
static int
apply_rows_elsewhere(struct restore_apply *a, size_t t)
{
	const struct manifest_table *mt = a->p->tables[t].mt;
	char what[2 * SHOW_MAX + 2];

	if (!catalog_engine_rows_elsewhere(mt->engine))
		return 0;
	if (!a->tabs[t].elsewhere_told) {
		a->tabs[t].elsewhere_told = 1;
		restore_plan_table_what(a->p, t, what, sizeof what);
		log_warn("table %s: engine %s, its rows in the backup are not "
		    "loaded (they are other tables' or another server's)",
		    what, mt->engine);
	}
	return 1;
}

int
restore_apply_member(struct restore_apply *a, const struct plan_member *pm,
    struct buf *data, struct err *e)
{
	struct load_member *m;

	if (pm->kind == PLAN_USERS)
		return 0;	/* accounts are db/users.h's, on request */
	if (pm->kind != PLAN_SCHEMA && apply_diff_clear(a, e) == -1)
		return -1;
	if (pm->skip)
		return 0;	/* --diff: its rows are there */
	/* its CREATE failed, which said so: its rows have nowhere to go */
	if (pm->kind == PLAN_DATA && pm->table != -1 &&
	    a->tabs[pm->table].failed)
		return 0;
	if (pm->kind == PLAN_DATA && pm->table != -1 &&
	    apply_rows_elsewhere(a, (size_t)pm->table))
		return 0;
	if (pm->kind == PLAN_DATA && pm->table != -1 &&
	    a->tabs[pm->table].resume) {
		switch (apply_resume_data(a, pm, e)) {
		case -1:
			return -1;
		case 1:
			return 0;	/* its rows are there */
		}
	}
	m = apply_member_new(a, pm, data);
	if (pm->kind == PLAN_DATA) {
		if (a->pool == NULL && (a->pool = load_pool_new(a->target,
		    a->threads, APPLY_QUEUE_BYTES, e)) == NULL) {
			load_member_free(m);
			return -1;
		}
		if (!a->p->o.stop_on_error && a->tabs_reported++ == 0)
			load_pool_set_report(a->pool, apply_data_report, a);
		a->touched = 1;
		return load_pool_submit(a->pool, m, e);
	}
	if (pm->kind == PLAN_POST && a->pool != NULL &&
	    load_pool_wait(a->pool, e) == -1) {
		load_member_free(m);
		return -1;
	}
	return apply_run_ctl(a, pm, m, e);
}

void
restore_apply_uninterruptible(struct restore_apply *a, int on)
{
	loader_set_uninterruptible(a->ctl, on);
}

int
restore_apply_wait(struct restore_apply *a, struct err *e)
{
	return a->pool != NULL ? load_pool_wait(a->pool, e) : 0;
}

/* Indexes still held back (their table had no rows after all). */
int
restore_apply_finish(struct restore_apply *a, struct err *e)
{
	size_t i;

	if (apply_diff_clear(a, e) == -1)
		return -1;
	for (i = 0; i < a->p->ntables; i++)
		if (a->tabs[i].lt != NULL && !a->tabs[i].failed &&
		    load_table_run(a->ctl, a->tabs[i].lt, "binary", e) == -1)
			return -1;
	if (a->p->o.resume)
		log_info("host %s: resumed: %zu chunks already in place "
		    "skipped, %zu partly there deleted and loaded again",
		    a->target->name, a->skipped, a->cleared);
	return 0;
}

int
restore_apply_analyze(struct restore_apply *a, struct err *e)
{
	const struct plan_db *d;
	size_t i;

	if (db_exec(loader_conn(a->ctl), "SET NAMES utf8mb4", e) == -1)
		return -1;
	for (i = 0; i < a->p->ntables; i++) {
		d = &a->p->dbs[a->p->tables[i].db];
		if (a->p->tables[i].selected && !a->tabs[i].failed &&
		    target_analyze(loader_conn(a->ctl), d->dst,
		    a->p->tables[i].mt->name, e) == -1)
			return -1;
	}
	return 0;
}

void
restore_apply_stats(struct restore_apply *a, struct load_stats *st)
{
	*st = *loader_stats(a->ctl);
	if (a->pool != NULL)
		load_pool_stats(a->pool, st);
}

int
restore_apply_touched(const struct restore_apply *a)
{
	return a != NULL && a->touched;
}
