#include "db/dump.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysqld_error.h>

#include "db/chunk.h"
#include "db/rowfmt.h"
#include "db/schema.h"
#include "db/snapshot.h"
#include "stream/hash.h"
#include "stream/tar.h"
#include "stream/zstd_filter.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/names.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

/* One INSERT statement: big enough to amortize, far below max_allowed_packet. */
#define DUMP_STMT_MAX		(1024 * 1024)
#define DUMP_CHECK_ROWS		1024
#define DUMP_MAX_RANGES		10000

struct dtable {
	struct cat_table cat;
	char *member_prefix;		/* 1-data/DE/TE/ */
	char *preamble;			/* SET ...; USE `D`; */
	char *insert;			/* INSERT INTO `T` (...) VALUES\n */
	char *select;			/* SELECT ... FROM ... */
	enum col_kind *kinds;		/* of cat.cols */
	size_t mt;			/* index in manifest tables */
	size_t pending;			/* work items not yet finished */
	size_t next_member;
};

struct witem {
	struct dtable *t;
	char *lo, *hi;
	uint64_t est;
};

/* A finished member, or (data.len == 0, done) the end of a work item. */
struct member {
	struct dtable *t;
	struct buf data;
	uint64_t rows, raw;
	char *first_key, *last_key;
	char sha256[65];
	int done;
	struct member *next;
};

struct dump {
	const struct host_cfg *h;
	const struct dump_opts *o;
	struct snapshot snap;
	struct tar_writer *tw;
	struct manifest *m;
	struct dtable **tables;
	size_t ntables, tables_done;
	struct witem *items;
	size_t nitems, next_item;

	pthread_mutex_t mu;
	pthread_cond_t cv_out, cv_space;
	struct member *qhead, *qtail;
	size_t qlen, qmax, running;
	atomic_int failed;
	struct err err;			/* first worker error */
	atomic_uint_fast64_t rows, raw;
	uint64_t bytes;
	time_t started, last_progress;
	const char *ext;
};

struct worker {
	struct dump *d;
	MYSQL *c;
	pthread_t tid;
	struct zcomp *z;
	struct buf stmt, key;
	uint64_t stmt_rows;
	struct member *cur;
};

static void
member_free(struct member *mb)
{
	if (mb == NULL)
		return;
	buf_free(&mb->data);
	free(mb->first_key);
	free(mb->last_key);
	free(mb);
}

static void
dump_fail(struct dump *d, const struct err *e)
{
	pthread_mutex_lock(&d->mu);
	if (!atomic_load(&d->failed)) {
		d->err = *e;
		atomic_store(&d->failed, 1);
	}
	pthread_cond_broadcast(&d->cv_space);
	pthread_cond_broadcast(&d->cv_out);
	pthread_mutex_unlock(&d->mu);
}

/* Hands a member to the writer; -1 (member freed) once the dump failed. */
static int
dump_push(struct dump *d, struct member *mb)
{
	pthread_mutex_lock(&d->mu);
	while (d->qlen >= d->qmax && !atomic_load(&d->failed))
		pthread_cond_wait(&d->cv_space, &d->mu);
	if (atomic_load(&d->failed)) {
		pthread_mutex_unlock(&d->mu);
		member_free(mb);
		return -1;
	}
	if (d->qtail != NULL)
		d->qtail->next = mb;
	else
		d->qhead = mb;
	d->qtail = mb;
	d->qlen++;
	pthread_cond_signal(&d->cv_out);
	pthread_mutex_unlock(&d->mu);
	return 0;
}

/* The current row's key as an SQL literal: "5" or "(1,'a')". */
static void
worker_key(struct worker *w, const struct cat_table *t, char **row,
    const unsigned long *lens)
{
	size_t i, k;

	buf_reset(&w->key);
	if (t->nkey > 1)
		buf_append_char(&w->key, '(');
	for (i = 0; i < t->nkey; i++) {
		k = t->key[i];
		if (i > 0)
			buf_append_char(&w->key, ',');
		rowfmt_value(&w->key, t->cols[k].kind, row[k], lens[k]);
	}
	if (t->nkey > 1)
		buf_append_char(&w->key, ')');
	buf_cstr(&w->key);
}

static int
worker_begin(struct worker *w, struct dtable *t, struct err *e)
{
	size_t n = strlen(t->preamble);

	w->cur = xcalloc(1, sizeof *w->cur);
	w->cur->t = t;
	zcomp_begin(w->z);
	w->cur->raw = n;
	atomic_fetch_add(&w->d->raw, n);
	return zcomp_update(w->z, t->preamble, n, &w->cur->data, e);
}

/* Ends the open INSERT and compresses it into the member. */
static int
worker_flush(struct worker *w, struct err *e)
{
	if (w->stmt.len == 0)
		return 0;
	buf_append(&w->stmt, ";\n", 2);
	w->cur->raw += w->stmt.len;
	atomic_fetch_add(&w->d->raw, w->stmt.len);
	atomic_fetch_add(&w->d->rows, w->stmt_rows);
	w->stmt_rows = 0;
	if (zcomp_update(w->z, w->stmt.data, w->stmt.len, &w->cur->data,
	    e) == -1)
		return -1;
	buf_reset(&w->stmt);
	return 0;
}

static int
worker_finish(struct worker *w, int with_key, struct err *e)
{
	struct member *mb = w->cur;

	if (mb == NULL)
		return 0;
	if (worker_flush(w, e) == -1 || zcomp_end(w->z, &mb->data, e) == -1)
		return -1;
	if (with_key)
		mb->last_key = xstrdup(w->key.data);
	hash_hex(HASH_SHA256, mb->data.data, mb->data.len, mb->sha256);
	w->cur = NULL;
	return dump_push(w->d, mb);
}

static int
worker_row(struct worker *w, struct dtable *t, char **row,
    unsigned long *lens, struct err *e)
{
	const struct cat_table *ct = &t->cat;

	if (w->cur == NULL && worker_begin(w, t, e) == -1)
		return -1;
	if (ct->nkey > 0) {
		worker_key(w, ct, row, lens);
		if (w->cur->first_key == NULL)
			w->cur->first_key = xstrdup(w->key.data);
	}
	if (w->stmt.len == 0)
		buf_append_str(&w->stmt, t->insert);
	else
		buf_append(&w->stmt, ",\n", 2);
	rowfmt_row(&w->stmt, t->kinds, ct->ncols, row, lens);
	w->cur->rows++;
	w->stmt_rows++;
	if (w->stmt.len >= DUMP_STMT_MAX && worker_flush(w, e) == -1)
		return -1;
	if (w->cur->raw + w->stmt.len >= w->d->o->chunk_size)
		return worker_finish(w, ct->nkey > 0, e);
	return 0;
}

static char *
item_query(const struct witem *it)
{
	const struct cat_table *t = &it->t->cat;
	struct buf q;
	size_t i;

	buf_init(&q);
	buf_append_str(&q, it->t->select);
	if (it->lo != NULL || it->hi != NULL) {
		buf_append_str(&q, " WHERE ");
		if (it->lo != NULL) {
			sql_quote_ident(&q, t->cols[t->key[0]].name);
			buf_printf(&q, " >= %s", it->lo);
		}
		if (it->lo != NULL && it->hi != NULL)
			buf_append_str(&q, " AND ");
		if (it->hi != NULL) {
			sql_quote_ident(&q, t->cols[t->key[0]].name);
			buf_printf(&q, " <= %s", it->hi);
		}
	}
	for (i = 0; i < t->nkey; i++) {
		buf_append_str(&q, i == 0 ? " ORDER BY " : ",");
		sql_quote_ident(&q, t->cols[t->key[i]].name);
	}
	return buf_cstr(&q);
}

static int
worker_item_rows(struct worker *w, const struct witem *it, MYSQL_RES *r,
    struct err *e)
{
	MYSQL_ROW row;
	unsigned long *lens;
	uint64_t n = 0;

	while ((row = mysql_fetch_row(r)) != NULL) {
		lens = mysql_fetch_lengths(r);
		if (worker_row(w, it->t, row, lens, e) == -1)
			return -1;
		if (++n % DUMP_CHECK_ROWS == 0) {
			if (signals_interrupted())
				return err_set(e, ERR_INTERRUPTED,
				    "interrupted");
			if (atomic_load(&w->d->failed))
				return err_set(e, ERR_FAILED, "stopped");
		}
	}
	if (mysql_errno(w->c) != 0)
		return err_set(e, ERR_DB, "reading rows: %s",
		    mysql_error(w->c));
	return 0;
}

static int
worker_item(struct worker *w, const struct witem *it, struct err *e)
{
	char *q = item_query(it);
	MYSQL_RES *r = NULL;
	struct member *done;
	int rc = -1;

	if (mysql_real_query(w->c, q, strlen(q)) != 0 ||
	    (r = mysql_use_result(w->c)) == NULL) {
		/* DDL is not transactional: a table can go after the catalog. */
		if (mysql_errno(w->c) == ER_NO_SUCH_TABLE)
			log_warn("host %s: table %s.%s was dropped during the "
			    "backup; it is restored empty", w->d->h->name,
			    it->t->cat.db, it->t->cat.name);
		else {
			err_set(e, ERR_DB, "%s", mysql_error(w->c));
			goto out;
		}
	}
	if (r != NULL && (worker_item_rows(w, it, r, e) == -1 ||
	    worker_finish(w, it->t->cat.nkey > 0, e) == -1))
		goto out;
	done = xcalloc(1, sizeof *done);
	done->t = it->t;
	done->done = 1;
	rc = dump_push(w->d, done);
out:
	if (rc == -1) {
		/* Do not drain a half-read result: drop the connection. */
		if (r != NULL)
			mariadb_cancel(w->c);
		member_free(w->cur);
		w->cur = NULL;
		buf_reset(&w->stmt);
		err_prefix(e, "table %s.%s", it->t->cat.db, it->t->cat.name);
	}
	if (r != NULL)
		mysql_free_result(r);
	free(q);
	return rc;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct dump *d = w->d;
	struct witem *it;
	struct err e;

	for (;;) {
		pthread_mutex_lock(&d->mu);
		if (atomic_load(&d->failed) || d->next_item == d->nitems) {
			d->running--;
			pthread_cond_broadcast(&d->cv_out);
			pthread_mutex_unlock(&d->mu);
			return NULL;
		}
		it = &d->items[d->next_item++];
		pthread_mutex_unlock(&d->mu);
		err_clear(&e);
		if (worker_item(w, it, &e) == -1) {
			if (!atomic_load(&d->failed))
				dump_fail(d, &e);
		}
	}
}

static const char data_preamble[] =
    "SET NAMES binary; SET foreign_key_checks=0; SET unique_checks=0;\n"
    "SET sql_mode='NO_AUTO_VALUE_ON_ZERO'; SET time_zone='+00:00';\n";

/* Precomputes the texts every member and query of a table repeats. */
static struct dtable *
dtable_new(struct cat_table *ct)
{
	struct dtable *t = xcalloc(1, sizeof *t);
	struct buf b;
	char *de, *te;
	size_t i;

	t->cat = *ct;
	memset(ct, 0, sizeof *ct);
	de = name_encode(t->cat.db, strlen(t->cat.db));
	te = name_encode(t->cat.name, strlen(t->cat.name));
	t->member_prefix = xasprintf("1-data/%s/%s/", de, te);
	free(de);
	free(te);

	buf_init(&b);
	buf_append_str(&b, data_preamble);
	if (t->cat.versioned)
		buf_append_str(&b,
		    "SET @@system_versioning_insert_history=1;\n");
	buf_append_str(&b, "USE ");
	sql_quote_ident(&b, t->cat.db);
	buf_append_str(&b, ";\n");
	t->preamble = buf_cstr(&b);

	buf_init(&b);
	buf_append_str(&b, "INSERT INTO ");
	sql_quote_ident(&b, t->cat.name);
	buf_append_str(&b, " (");
	for (i = 0; i < t->cat.ncols; i++) {
		if (i > 0)
			buf_append_char(&b, ',');
		sql_quote_ident(&b, t->cat.cols[i].name);
	}
	buf_append_str(&b, ") VALUES\n");
	t->insert = buf_cstr(&b);

	t->kinds = xcalloc(t->cat.ncols + 1, sizeof *t->kinds);
	buf_init(&b);
	buf_append_str(&b, "SELECT ");
	for (i = 0; i < t->cat.ncols; i++) {
		t->kinds[i] = t->cat.cols[i].kind;
		if (i > 0)
			buf_append_char(&b, ',');
		/* FLOAT's own text is rounded; its exact value as DOUBLE is not. */
		if (t->kinds[i] == COL_FLOAT)
			buf_append_str(&b, "CAST(");
		sql_quote_ident(&b, t->cat.cols[i].name);
		if (t->kinds[i] == COL_FLOAT)
			buf_append_str(&b, " AS DOUBLE)");
	}
	if (t->cat.ncols == 0)
		buf_append_str(&b, "1");
	buf_append_str(&b, " FROM ");
	sql_quote_ident(&b, t->cat.db);
	buf_append_char(&b, '.');
	sql_quote_ident(&b, t->cat.name);
	if (t->cat.versioned)
		buf_append_str(&b, " FOR SYSTEM_TIME ALL");
	t->select = buf_cstr(&b);
	return t;
}

static void
dtable_free(struct dtable *t)
{
	cat_table_free(&t->cat);
	free(t->member_prefix);
	free(t->preamble);
	free(t->insert);
	free(t->select);
	free(t->kinds);
	free(t);
}

/* Compresses a whole text as one member and adds it to the tar. */
static int
dump_add_text(struct dump *d, struct zcomp *z, const char *name,
    const struct buf *text, struct err *e)
{
	struct buf out;
	int rc = -1;

	buf_init(&out);
	zcomp_begin(z);
	if (zcomp_update(z, text->data, text->len, &out, e) == -1 ||
	    zcomp_end(z, &out, e) == -1)
		goto out;
	rc = tar_writer_add(d->tw, name, out.data, out.len, d->o->mtime, e);
	d->bytes += out.len;
out:
	buf_free(&out);
	return rc;
}

struct dbpost {
	char *member;
	struct buf sql;
};

static void
dump_add_tables(struct dump *d, struct cat_table *ct, size_t n)
{
	struct manifest_table *mt;
	struct dtable *t;
	size_t i;

	d->tables = xreallocarray(d->tables, d->ntables + n + 1,
	    sizeof *d->tables);
	for (i = 0; i < n; i++) {
		t = dtable_new(&ct[i]);
		mt = manifest_add_table(d->m);
		mt->db = xstrdup(t->cat.db);
		mt->name = xstrdup(t->cat.name);
		mt->engine = xstrdup(t->cat.engine);
		mt->transactional = t->cat.transactional;
		t->mt = d->m->ntables - 1;
		d->tables[d->ntables++] = t;
	}
}

/* The schema member of db, its tables, and its post-data text for later. */
static int
dump_schema_db(struct dump *d, struct zcomp *z, const char *db,
    struct dbpost *post, struct err *e)
{
	struct schema_out so;
	struct manifest_db *md;
	struct cat_table *ct = NULL;
	size_t nct = 0, i;
	char *de = name_encode(db, strlen(db)), *name;
	int rc = -1;

	schema_out_init(&so);
	if (schema_dump_database(d->snap.conns[0], db, &so, e) == -1 ||
	    catalog_tables(d->snap.conns[0], db, so.tables, so.ntables, &ct,
	    &nct, e) == -1)
		goto out;
	name = xasprintf("0-schema/%s%s", de, d->ext);
	md = manifest_add_db(d->m);
	md->name = xstrdup(db);
	md->charset = xstrdup(so.charset ? so.charset : "");
	md->collation = xstrdup(so.collation ? so.collation : "");
	md->comment = xstrdup(so.comment ? so.comment : "");
	md->schema_member = name;
	if (so.post_sql.len > 0) {
		md->post_member = xasprintf("2-post/%s%s", de, d->ext);
		post->member = xstrdup(md->post_member);
		post->sql = so.post_sql;
		buf_init(&so.post_sql);
	}
	if (dump_add_text(d, z, name, &so.schema_sql, e) == -1)
		goto out;
	dump_add_tables(d, ct, nct);
	rc = 0;
out:
	for (i = 0; i < nct; i++)
		cat_table_free(&ct[i]);
	free(ct);
	free(de);
	schema_out_free(&so);
	return rc;
}

static void
dump_warn_nontransactional(struct dump *d)
{
	struct buf b;
	size_t i, n = 0;

	buf_init(&b);
	for (i = 0; i < d->ntables; i++) {
		const struct cat_table *t = &d->tables[i]->cat;

		if (t->transactional)
			continue;
		if (n++ < 10)
			buf_printf(&b, "%s%s.%s (%s)", n > 1 ? ", " : "",
			    t->db, t->name, *t->engine ? t->engine : "?");
	}
	if (n > 10)
		buf_printf(&b, " and %zu more", n - 10);
	if (n > 0)
		log_warn("host %s: %zu table%s of non-transactional engines "
		    "copied outside the snapshot: %s", d->h->name, n,
		    n > 1 ? "s" : "", buf_cstr(&b));
	buf_free(&b);
}

static void
dump_add_item(struct dump *d, struct dtable *t, char *lo, char *hi,
    uint64_t est)
{
	struct witem *it;

	d->items = xreallocarray(d->items, d->nitems + 1, sizeof *d->items);
	it = &d->items[d->nitems++];
	it->t = t;
	it->lo = lo;
	it->hi = hi;
	it->est = est;
	t->pending++;
}

/* Key ranges of a big table with an integer key, read in the snapshot. */
static int
dump_plan_table(struct dump *d, struct dtable *t, struct err *e)
{
	const struct cat_table *ct = &t->cat;
	struct chunk_range *r = NULL;
	MYSQL_RES *res;
	MYSQL_ROW row;
	struct buf q;
	size_t n = 0, i;
	uint64_t target;

	if (!ct->int_key || ct->est_bytes <= d->o->chunk_size) {
		dump_add_item(d, t, NULL, NULL, ct->est_bytes);
		return 0;
	}
	buf_init(&q);
	buf_append_str(&q, "SELECT MIN(");
	sql_quote_ident(&q, ct->cols[ct->key[0]].name);
	buf_append_str(&q, "), MAX(");
	sql_quote_ident(&q, ct->cols[ct->key[0]].name);
	buf_append_str(&q, ") FROM ");
	sql_quote_ident(&q, ct->db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, ct->name);
	res = db_query_store(d->snap.conns[0], buf_cstr(&q), e);
	buf_free(&q);
	if (res == NULL)
		return err_prefix(e, "table %s.%s", ct->db, ct->name);
	target = chunk_target_bytes(ct->est_bytes, d->o->chunk_size,
	    d->snap.n);
	row = mysql_fetch_row(res);
	if (row == NULL || row[0] == NULL || row[1] == NULL ||
	    chunk_plan(row[0], row[1], ct->est_bytes, target, DUMP_MAX_RANGES,
	    &r, &n) == -1)
		dump_add_item(d, t, NULL, NULL, ct->est_bytes);
	mysql_free_result(res);
	for (i = 0; i < n; i++)
		dump_add_item(d, t, r[i].lo, r[i].hi, ct->est_bytes / n);
	free(r);
	return 0;
}

static int
witem_cmp(const void *a, const void *b)
{
	const struct witem *x = a, *y = b;

	return x->est < y->est ? 1 : x->est > y->est ? -1 : 0;
}

static int
dump_plan(struct dump *d, struct err *e)
{
	size_t i;

	for (i = 0; i < d->ntables; i++)
		if (dump_plan_table(d, d->tables[i], e) == -1)
			return -1;
	/* Biggest first: the long tail of a run is then small items. */
	qsort(d->items, d->nitems, sizeof *d->items, witem_cmp);
	return 0;
}

static void
dump_progress(struct dump *d)
{
	char sz[32], rate[32];
	double secs = difftime(time(NULL), d->started);
	uint64_t raw = atomic_load(&d->raw);

	if (!log_progress_enabled())
		return;
	format_size(d->bytes, sz, sizeof sz);
	format_size(secs > 0 ? (uint64_t)(raw / secs) : raw, rate,
	    sizeof rate);
	log_progress("%s: %zu/%zu tables, %" PRIu64 " rows, %s written, "
	    "%s/s SQL", d->h->name, d->tables_done, d->ntables,
	    (uint64_t)atomic_load(&d->rows), sz, rate);
}

static void
dump_table_done(struct dump *d, struct dtable *t)
{
	struct manifest_table *mt = &d->m->tables[t->mt];
	char sz[32];

	d->tables_done++;
	if (!d->o->verbose)
		return;
	format_size(mt->raw_bytes, sz, sizeof sz);
	log_info("host %s: %s.%s: %" PRIu64 " rows, %s SQL in %zu member%s",
	    d->h->name, t->cat.db, t->cat.name, mt->rows, sz, mt->nchunks,
	    mt->nchunks == 1 ? "" : "s");
}

static int
dump_write_member(struct dump *d, struct member *mb, struct err *e)
{
	struct dtable *t = mb->t;
	struct manifest_table *mt = &d->m->tables[t->mt];
	struct manifest_chunk *c;
	char *name;

	if (mb->done) {
		if (--t->pending == 0)
			dump_table_done(d, t);
		return 0;
	}
	name = xasprintf("%s%06zu%s", t->member_prefix, ++t->next_member,
	    d->ext);
	if (tar_writer_add(d->tw, name, mb->data.data, mb->data.len,
	    d->o->mtime, e) == -1) {
		free(name);
		return -1;
	}
	c = manifest_add_chunk(d->m);
	c->member = name;
	c->db = xstrdup(t->cat.db);
	c->table = xstrdup(t->cat.name);
	c->first_key = xstrdup(mb->first_key ? mb->first_key : "");
	c->last_key = xstrdup(mb->last_key ? mb->last_key : "");
	c->rows = mb->rows;
	c->raw_bytes = mb->raw;
	c->bytes = mb->data.len;
	memcpy(c->sha256, mb->sha256, sizeof c->sha256);
	mt->rows += mb->rows;
	mt->raw_bytes += mb->raw;
	mt->bytes += mb->data.len;
	mt->nchunks++;
	d->m->rows += mb->rows;
	d->m->raw_bytes += mb->raw;
	d->bytes += mb->data.len;
	if (time(NULL) != d->last_progress) {
		d->last_progress = time(NULL);
		dump_progress(d);
	}
	return 0;
}

/* The calling thread: the only writer of the tar. */
static int
dump_writer(struct dump *d, struct err *e)
{
	struct member *mb;
	struct timespec ts;
	int rc = 0;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (d->qhead == NULL && d->running > 0 &&
		    !atomic_load(&d->failed) && !signals_interrupted()) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&d->cv_out, &d->mu, &ts);
			pthread_mutex_unlock(&d->mu);
			dump_progress(d);
			pthread_mutex_lock(&d->mu);
		}
		if (signals_interrupted() && !atomic_load(&d->failed)) {
			err_set(&d->err, ERR_INTERRUPTED, "host %s: "
			    "interrupted", d->h->name);
			atomic_store(&d->failed, 1);
			pthread_cond_broadcast(&d->cv_space);
		}
		if (atomic_load(&d->failed) ||
		    (d->qhead == NULL && d->running == 0))
			break;
		mb = d->qhead;
		if ((d->qhead = mb->next) == NULL)
			d->qtail = NULL;
		d->qlen--;
		pthread_cond_signal(&d->cv_space);
		pthread_mutex_unlock(&d->mu);
		rc = dump_write_member(d, mb, e);
		member_free(mb);
		if (rc == -1) {
			dump_fail(d, e);
			return -1;
		}
		pthread_mutex_lock(&d->mu);
	}
	if (atomic_load(&d->failed)) {
		*e = d->err;
		rc = -1;
	}
	pthread_mutex_unlock(&d->mu);
	return rc;
}

static int
dump_schemas(struct dump *d, const struct db_filter *f, struct dbpost **posts,
    size_t *nposts, struct err *e)
{
	struct strlist all = { NULL, 0 }, sel = { NULL, 0 };
	struct zcomp *z = NULL;
	size_t i;
	int rc = -1;

	if (catalog_databases(d->snap.conns[0], &all, e) == -1 ||
	    db_filter_apply(f, all.v, all.n, &sel, e) == -1)
		goto out;
	if (sel.n == 0) {
		err_set(e, ERR_NOT_FOUND, "no database to back up");
		goto out;
	}
	if ((z = zcomp_new(d->o->level, e)) == NULL)
		goto out;
	*posts = xcalloc(sel.n, sizeof **posts);
	*nposts = sel.n;
	for (i = 0; i < sel.n; i++) {
		buf_init(&(*posts)[i].sql);
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		if (dump_schema_db(d, z, sel.v[i], &(*posts)[i], e) == -1)
			goto out;
	}
	rc = 0;
out:
	zcomp_free(z);
	strlist_free(&all);
	strlist_free(&sel);
	return rc;
}

static int
dump_posts(struct dump *d, struct dbpost *posts, size_t n, struct err *e)
{
	struct zcomp *z;
	size_t i;
	int rc = 0;

	if ((z = zcomp_new(d->o->level, e)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (posts[i].member != NULL)
			rc = dump_add_text(d, z, posts[i].member,
			    &posts[i].sql, e);
	zcomp_free(z);
	return rc;
}

static void
worker_free(struct worker *w)
{
	zcomp_free(w->z);
	buf_free(&w->stmt);
	buf_free(&w->key);
	member_free(w->cur);
}

/* Starts the workers, writes what they produce, waits for them. */
static int
dump_data(struct dump *d, struct err *e)
{
	struct worker *w = xcalloc(d->snap.n, sizeof *w);
	struct member *mb;
	size_t i, started = 0;
	int rc = -1;

	for (i = 0; i < d->snap.n; i++) {
		w[i].d = d;
		w[i].c = d->snap.conns[i];
		buf_init(&w[i].stmt);
		buf_init(&w[i].key);
		if (db_exec(w[i].c, "SET NAMES binary", e) == -1 ||
		    (w[i].z = zcomp_new(d->o->level, e)) == NULL)
			goto out;
	}
	d->qmax = d->snap.n < 2 ? 2 : d->snap.n;
	d->running = d->snap.n;
	for (i = 0; i < d->snap.n; i++) {
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0) {
			err_set(&d->err, ERR_INTERNAL, "cannot start thread");
			pthread_mutex_lock(&d->mu);
			d->running -= d->snap.n - i;
			pthread_mutex_unlock(&d->mu);
			dump_fail(d, &d->err);
			break;
		}
		started++;
	}
	rc = dump_writer(d, e);
	for (i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	while ((mb = d->qhead) != NULL) {
		d->qhead = mb->next;
		member_free(mb);
	}
	d->qtail = NULL;
out:
	for (i = 0; i < d->snap.n; i++)
		worker_free(&w[i]);
	free(w);
	return rc;
}

static void
dump_fill_manifest(struct dump *d)
{
	struct manifest *m = d->m;

	m->server_version = xstrdup(d->snap.server.version);
	m->snapshot_method = xstrdup(d->snap.method);
	m->threads = (long)d->snap.n;
	m->compression_level = d->o->level;
	if (d->snap.binlog_file != NULL) {
		m->binlog_file = xstrdup(d->snap.binlog_file);
		m->binlog_position = d->snap.binlog_pos;
	}
	if (d->snap.gtid_binlog_pos != NULL)
		m->gtid_binlog_pos = xstrdup(d->snap.gtid_binlog_pos);
}

int
dump_host(const struct host_cfg *h, const struct db_filter *f,
    const struct dump_opts *o, struct sink *out, struct manifest *m,
    struct err *e)
{
	struct dump d;
	struct dbpost *posts = NULL;
	size_t nposts = 0, i;
	int rc = -1;

	memset(&d, 0, sizeof d);
	d.h = h;
	d.o = o;
	d.m = m;
	d.started = time(NULL);
	d.ext = o->level > 0 ? ".sql.zst" : ".sql";
	pthread_mutex_init(&d.mu, NULL);
	pthread_cond_init(&d.cv_out, NULL);
	pthread_cond_init(&d.cv_space, NULL);
	if (snapshot_open(h, o->threads, o->lock_wait_timeout, &d.snap,
	    e) == -1)
		goto out;
	log_debug("host %s: snapshot %s with %zu connection%s", h->name,
	    d.snap.method, d.snap.n, d.snap.n == 1 ? "" : "s");
	dump_fill_manifest(&d);
	if ((d.tw = tar_writer_new(out, e)) == NULL ||
	    dump_schemas(&d, f, &posts, &nposts, e) == -1)
		goto fail;
	dump_warn_nontransactional(&d);
	if (dump_plan(&d, e) == -1 || dump_data(&d, e) == -1 ||
	    dump_posts(&d, posts, nposts, e) == -1 ||
	    tar_writer_close(d.tw, e) == -1)
		goto fail;
	if (log_progress_enabled())
		log_progress("%s", "");
	rc = 0;
	goto out;
fail:
	if (e->kind != ERR_INTERRUPTED && e->kind != ERR_CONNECT &&
	    strncmp(e->msg, "host ", 5) != 0)
		err_prefix(e, "host %s", h->name);
out:
	if (log_progress_enabled())
		log_progress("%s", "");
	tar_writer_free(d.tw);
	snapshot_close(&d.snap);
	for (i = 0; i < nposts; i++) {
		free(posts[i].member);
		buf_free(&posts[i].sql);
	}
	free(posts);
	for (i = 0; i < d.nitems; i++) {
		free(d.items[i].lo);
		free(d.items[i].hi);
	}
	free(d.items);
	for (i = 0; i < d.ntables; i++)
		dtable_free(d.tables[i]);
	free(d.tables);
	pthread_cond_destroy(&d.cv_out);
	pthread_cond_destroy(&d.cv_space);
	pthread_mutex_destroy(&d.mu);
	return rc;
}
