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
#include "stream/archive.h"
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
	int whole;		/* a big table read in one query: goes first */
};

/*
 * Each worker is a pipeline of two threads so that the server never waits
 * for zstd: the fetch thread reads rows and formats statements into a ring
 * of DUMP_BLOCKS blocks; the compress thread turns them into the member
 * and adds finished members to the tar itself (under the dump's lock), so
 * no compressed member waits in a queue.
 */
#define DUMP_BLOCKS		3

/* One statement (or less) of a member, with what the member needs at its end. */
struct block {
	struct dtable *t;
	struct buf sql;
	int first;			/* the member begins here */
	int last;			/* the member ends here: rows..last_key */
	int item_done;			/* the work item ends after this block */
	uint64_t rows, raw;
	char *first_key, *last_key;
};

struct dump;

struct worker {
	struct dump *d;
	MYSQL *c;
	pthread_t fetch_tid, zstd_tid;
	int fetch_started, zstd_started;

	pthread_mutex_t mu;
	pthread_cond_t cv_full, cv_free;
	struct block blk[DUMP_BLOCKS];
	size_t head, nfull;		/* compress takes blk[head] */
	int eof;			/* the fetch thread has stopped */

	/* fetch thread */
	struct block *cur;		/* being filled */
	struct buf key;
	int in_member, in_stmt;
	uint64_t m_rows, m_raw, stmt_rows;
	char *m_first_key;

	/* compress thread */
	struct member_enc *enc;		/* the member, encoded; reused */
};

struct dump {
	const struct host_cfg *h;
	const struct dump_opts *o;
	struct snapshot snap;
	struct archive_writer *aw;
	struct manifest *m;
	struct dtable **tables;
	size_t ntables, tables_done;
	struct witem *items;
	size_t nitems, next_item;
	struct worker *w;
	size_t nw;

	pthread_mutex_t mu;		/* the archive, the manifest, the items */
	pthread_cond_t cv_out;		/* a compress thread stopped */
	size_t running;			/* compress threads */
	atomic_int failed;
	struct err err;			/* first error */
	atomic_uint_fast64_t rows, raw;
	uint64_t bytes;
	time_t started, last_progress;
	const char *ext;
};

static void
block_clear(struct block *b)
{
	buf_reset(&b->sql);
	free(b->first_key);
	free(b->last_key);
	b->first_key = b->last_key = NULL;
	b->t = NULL;
	b->first = b->last = b->item_done = 0;
	b->rows = b->raw = 0;
}

/* Records the first error and wakes every thread that waits. */
static void
dump_fail(struct dump *d, const struct err *e)
{
	size_t i;

	pthread_mutex_lock(&d->mu);
	if (!atomic_load(&d->failed)) {
		d->err = *e;
		atomic_store(&d->failed, 1);
	}
	pthread_cond_broadcast(&d->cv_out);
	pthread_mutex_unlock(&d->mu);
	for (i = 0; i < d->nw; i++) {
		pthread_mutex_lock(&d->w[i].mu);
		pthread_cond_broadcast(&d->w[i].cv_full);
		pthread_cond_broadcast(&d->w[i].cv_free);
		pthread_mutex_unlock(&d->w[i].mu);
	}
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

/* A free block to fill; -1 once the dump failed. */
static int
fetch_block(struct worker *w, struct dtable *t, struct err *e)
{
	if (w->cur != NULL)
		return 0;
	pthread_mutex_lock(&w->mu);
	while (w->nfull == DUMP_BLOCKS && !atomic_load(&w->d->failed))
		pthread_cond_wait(&w->cv_free, &w->mu);
	/* The slot past the full ones is free, and only this thread fills. */
	w->cur = &w->blk[(w->head + w->nfull) % DUMP_BLOCKS];
	pthread_mutex_unlock(&w->mu);
	if (atomic_load(&w->d->failed)) {
		w->cur = NULL;
		return err_set(e, ERR_FAILED, "stopped");
	}
	block_clear(w->cur);
	w->cur->t = t;
	return 0;
}

/* Hands the filled block to the compress thread. */
static void
fetch_ship(struct worker *w)
{
	w->m_raw += w->cur->sql.len;
	atomic_fetch_add(&w->d->raw, w->cur->sql.len);
	pthread_mutex_lock(&w->mu);
	w->nfull++;
	pthread_cond_signal(&w->cv_full);
	pthread_mutex_unlock(&w->mu);
	w->cur = NULL;
}

static void
fetch_end_stmt(struct worker *w)
{
	if (!w->in_stmt)
		return;
	buf_append(&w->cur->sql, ";\n", 2);
	w->in_stmt = 0;
	atomic_fetch_add(&w->d->rows, w->stmt_rows);
	w->stmt_rows = 0;
}

/* Closes the open member in the current block (which the caller ships). */
static void
fetch_end_member(struct worker *w, int with_key)
{
	struct block *b = w->cur;

	fetch_end_stmt(w);
	b->last = 1;
	b->rows = w->m_rows;
	b->raw = w->m_raw + b->sql.len;
	b->first_key = w->m_first_key;
	w->m_first_key = NULL;
	if (with_key)
		b->last_key = xstrdup(w->key.data);
	w->in_member = 0;
}

static int
fetch_row(struct worker *w, struct dtable *t, char **row,
    unsigned long *lens, struct err *e)
{
	const struct cat_table *ct = &t->cat;
	struct block *b;

	if (fetch_block(w, t, e) == -1)
		return -1;
	b = w->cur;
	if (!w->in_member) {
		b->first = 1;
		buf_append_str(&b->sql, t->preamble);
		w->in_member = 1;
		w->m_rows = w->m_raw = 0;
	}
	if (ct->nkey > 0) {
		worker_key(w, ct, row, lens);
		if (w->m_first_key == NULL)
			w->m_first_key = xstrdup(w->key.data);
	}
	if (!w->in_stmt) {
		buf_append_str(&b->sql, t->insert);
		w->in_stmt = 1;
	} else
		buf_append(&b->sql, ",\n", 2);
	rowfmt_row(&b->sql, t->kinds, ct->ncols, row, lens);
	w->m_rows++;
	w->stmt_rows++;
	if (w->m_raw + b->sql.len >= w->d->o->chunk_size) {
		fetch_end_member(w, ct->nkey > 0);
		fetch_ship(w);
	} else if (b->sql.len >= DUMP_STMT_MAX) {
		fetch_end_stmt(w);
		fetch_ship(w);
	}
	return 0;
}

/* The work item ended: its last member and the end mark go out. */
static int
fetch_item_end(struct worker *w, struct dtable *t, struct err *e)
{
	if (fetch_block(w, t, e) == -1)
		return -1;
	if (w->in_member)
		fetch_end_member(w, t->cat.nkey > 0);
	w->cur->item_done = 1;
	fetch_ship(w);
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
fetch_item_rows(struct worker *w, const struct witem *it, MYSQL_RES *r,
    struct err *e)
{
	MYSQL_ROW row;
	unsigned long *lens;
	uint64_t n = 0;

	while ((row = mysql_fetch_row(r)) != NULL) {
		lens = mysql_fetch_lengths(r);
		if (fetch_row(w, it->t, row, lens, e) == -1)
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
fetch_item(struct worker *w, const struct witem *it, struct err *e)
{
	char *q = item_query(it);
	MYSQL_RES *r = NULL;
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
	if (r != NULL && fetch_item_rows(w, it, r, e) == -1)
		goto out;
	rc = fetch_item_end(w, it->t, e);
out:
	if (rc == -1) {
		/* Do not drain a half-read result: drop the connection. */
		if (r != NULL)
			mariadb_cancel(w->c);
		err_prefix(e, "table %s.%s", it->t->cat.db, it->t->cat.name);
	}
	if (r != NULL)
		mysql_free_result(r);
	free(q);
	return rc;
}

static void *
fetch_main(void *arg)
{
	struct worker *w = arg;
	struct dump *d = w->d;
	struct witem *it;
	struct err e;

	for (;;) {
		pthread_mutex_lock(&d->mu);
		if (atomic_load(&d->failed) || d->next_item == d->nitems) {
			pthread_mutex_unlock(&d->mu);
			break;
		}
		it = &d->items[d->next_item++];
		pthread_mutex_unlock(&d->mu);
		err_clear(&e);
		if (fetch_item(w, it, &e) == -1) {
			if (!atomic_load(&d->failed))
				dump_fail(d, &e);
			break;
		}
	}
	pthread_mutex_lock(&w->mu);
	w->eof = 1;
	pthread_cond_signal(&w->cv_full);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int dump_write_member(struct dump *, const struct block *,
    const struct member_enc *, struct err *);
static void dump_item_done(struct dump *, struct dtable *);

/* Encodes one block into the member; at its end, into the archive. */
static int
zstd_block(struct worker *w, const struct block *b, struct err *e)
{
	int rc;

	if (b->first)
		member_enc_begin(w->enc);
	if (member_enc_write(w->enc, b->sql.data, b->sql.len, e) == -1 ||
	    (b->last && member_enc_end(w->enc, e) == -1))
		return err_prefix(e, "table %s.%s", b->t->cat.db,
		    b->t->cat.name);
	if (b->last) {
		pthread_mutex_lock(&w->d->mu);
		rc = dump_write_member(w->d, b, w->enc, e);
		pthread_mutex_unlock(&w->d->mu);
		if (rc == -1)
			return -1;
	}
	if (b->item_done) {
		pthread_mutex_lock(&w->d->mu);
		dump_item_done(w->d, b->t);
		pthread_mutex_unlock(&w->d->mu);
	}
	return 0;
}

static void *
zstd_main(void *arg)
{
	struct worker *w = arg;
	struct dump *d = w->d;
	struct block *b;
	struct err e;

	err_clear(&e);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->nfull == 0 && !w->eof && !atomic_load(&d->failed))
			pthread_cond_wait(&w->cv_full, &w->mu);
		b = w->nfull > 0 ? &w->blk[w->head] : NULL;
		pthread_mutex_unlock(&w->mu);
		if (b == NULL || atomic_load(&d->failed))
			break;
		if (zstd_block(w, b, &e) == -1) {
			if (!atomic_load(&d->failed))
				dump_fail(d, &e);
			break;
		}
		pthread_mutex_lock(&w->mu);
		w->head = (w->head + 1) % DUMP_BLOCKS;
		w->nfull--;
		pthread_cond_signal(&w->cv_free);
		pthread_mutex_unlock(&w->mu);
	}
	pthread_mutex_lock(&d->mu);
	d->running--;
	pthread_cond_broadcast(&d->cv_out);
	pthread_mutex_unlock(&d->mu);
	return NULL;
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

/*
 * Encodes a whole text as one member and adds it to the archive; its size
 * and SHA-256 go to the manifest so a restore checks them before running
 * any of it.
 */
static int
dump_add_text(struct dump *d, struct member_enc *enc, const char *name,
    const struct buf *text, uint64_t *bytes, char *sha256, struct err *e)
{
	if (archive_writer_add_text(d->aw, enc, name, text->data, text->len,
	    e) == -1)
		return -1;
	*bytes = member_enc_data(enc)->len;
	memcpy(sha256, member_enc_sha256(enc), 65);
	d->bytes += *bytes;
	return 0;
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
dump_schema_db(struct dump *d, struct member_enc *enc, const char *db,
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
	if (dump_add_text(d, enc, name, &so.schema_sql, &md->schema_bytes,
	    md->schema_sha256, e) == -1)
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
	it->whole = lo == NULL && hi == NULL && est > d->o->chunk_size;
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

	if (x->whole != y->whole)
		return x->whole ? -1 : 1;
	return x->est < y->est ? 1 : x->est > y->est ? -1 : 0;
}

static int
dump_plan(struct dump *d, struct err *e)
{
	size_t i;

	for (i = 0; i < d->ntables; i++)
		if (dump_plan_table(d, d->tables[i], e) == -1)
			return -1;
	/*
	 * Tables that cannot be split first (one of them started last would
	 * end the run alone), then biggest first: the tail is small items.
	 */
	qsort(d->items, d->nitems, sizeof *d->items, witem_cmp);
	return 0;
}

static void
dump_progress(struct dump *d)
{
	char sz[32], rate[32], eta[40] = "";
	double secs = difftime(time(NULL), d->started);
	uint64_t raw = atomic_load(&d->raw), rows = atomic_load(&d->rows);
	uint64_t est = 0;
	size_t i;

	if (!log_progress_enabled())
		return;
	/* The server's row estimates are rough: the ETA says "~". */
	for (i = 0; i < d->ntables; i++)
		est += d->tables[i]->cat.est_rows;
	if (secs >= 1 && rows > 0 && est > rows) {
		strcpy(eta, ", ETA ~");
		format_duration((double)(est - rows) * secs / (double)rows,
		    eta + strlen(eta), sizeof eta - strlen(eta));
	}
	format_size(d->bytes, sz, sizeof sz);
	format_size(secs > 0 ? (uint64_t)(raw / secs) : raw, rate,
	    sizeof rate);
	log_progress("%s: %zu/%zu tables, %" PRIu64 " rows, %s written, "
	    "%s/s SQL%s", d->h->name, d->tables_done, d->ntables, rows, sz,
	    rate, eta);
}

/* A work item of t is finished (called with d->mu held). */
static void
dump_item_done(struct dump *d, struct dtable *t)
{
	struct manifest_table *mt = &d->m->tables[t->mt];
	char sz[32];

	if (--t->pending > 0)
		return;
	d->tables_done++;
	if (!d->o->verbose)
		return;
	format_size(mt->raw_bytes, sz, sizeof sz);
	log_info("host %s: %s.%s: %" PRIu64 " rows, %s SQL in %zu member%s",
	    d->h->name, t->cat.db, t->cat.name, mt->rows, sz, mt->nchunks,
	    mt->nchunks == 1 ? "" : "s");
}

/* Adds a finished member to the archive and the manifest (d->mu held). */
static int
dump_write_member(struct dump *d, const struct block *b,
    const struct member_enc *enc, struct err *e)
{
	const struct buf *data = member_enc_data(enc);
	struct dtable *t = b->t;
	struct manifest_table *mt = &d->m->tables[t->mt];
	struct manifest_chunk *c;
	char *name;

	if (atomic_load(&d->failed))
		return err_set(e, ERR_FAILED, "stopped");
	name = xasprintf("%s%06zu%s", t->member_prefix, ++t->next_member,
	    d->ext);
	if (archive_writer_add(d->aw, name, enc, e) == -1) {
		free(name);
		return -1;
	}
	c = manifest_add_chunk(d->m);
	c->member = name;
	c->db = xstrdup(t->cat.db);
	c->table = xstrdup(t->cat.name);
	c->first_key = xstrdup(b->first_key ? b->first_key : "");
	c->last_key = xstrdup(b->last_key ? b->last_key : "");
	c->rows = b->rows;
	c->raw_bytes = b->raw;
	c->bytes = data->len;
	memcpy(c->sha256, member_enc_sha256(enc), sizeof c->sha256);
	mt->rows += b->rows;
	mt->raw_bytes += b->raw;
	mt->bytes += data->len;
	mt->nchunks++;
	d->m->rows += b->rows;
	d->m->raw_bytes += b->raw;
	d->bytes += data->len;
	if (time(NULL) != d->last_progress) {
		d->last_progress = time(NULL);
		dump_progress(d);
	}
	return 0;
}

/*
 * The calling thread waits for the compress threads, showing progress and
 * turning a signal into the dump's error.
 */
static int
dump_wait(struct dump *d, struct err *e)
{
	struct timespec ts;
	struct err ie;
	int rc = 0;

	pthread_mutex_lock(&d->mu);
	while (d->running > 0) {
		if (signals_interrupted() && !atomic_load(&d->failed)) {
			pthread_mutex_unlock(&d->mu);
			err_set(&ie, ERR_INTERRUPTED, "host %s: interrupted",
			    d->h->name);
			dump_fail(d, &ie);
			pthread_mutex_lock(&d->mu);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&d->cv_out, &d->mu, &ts);
		if (!atomic_load(&d->failed))
			dump_progress(d);
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
	struct member_enc *enc = NULL;
	size_t i;
	int rc = -1;

	if (catalog_databases(d->snap.conns[0], &all, e) == -1 ||
	    db_filter_apply(f, all.v, all.n, &sel, e) == -1)
		goto out;
	if (sel.n == 0) {
		err_set(e, ERR_NOT_FOUND, "no database to back up");
		goto out;
	}
	if ((enc = member_enc_new(d->aw, e)) == NULL)
		goto out;
	*posts = xcalloc(sel.n, sizeof **posts);
	*nposts = sel.n;
	for (i = 0; i < sel.n; i++) {
		buf_init(&(*posts)[i].sql);
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		if (dump_schema_db(d, enc, sel.v[i], &(*posts)[i], e) == -1)
			goto out;
	}
	rc = 0;
out:
	member_enc_free(enc);
	strlist_free(&all);
	strlist_free(&sel);
	return rc;
}

static int
dump_posts(struct dump *d, struct dbpost *posts, size_t n, struct err *e)
{
	struct member_enc *enc;
	size_t i;
	int rc = 0;

	if ((enc = member_enc_new(d->aw, e)) == NULL)
		return -1;
	/* posts[i] belongs to the i-th database of the manifest. */
	for (i = 0; i < n && rc == 0; i++)
		if (posts[i].member != NULL)
			rc = dump_add_text(d, enc, posts[i].member,
			    &posts[i].sql, &d->m->dbs[i].post_bytes,
			    d->m->dbs[i].post_sha256, e);
	member_enc_free(enc);
	return rc;
}


static int
worker_init(struct dump *d, struct worker *w, MYSQL *c, struct err *e)
{
	size_t i;

	w->d = d;
	w->c = c;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv_full, NULL);
	pthread_cond_init(&w->cv_free, NULL);
	for (i = 0; i < DUMP_BLOCKS; i++)
		buf_init(&w->blk[i].sql);
	buf_init(&w->key);
	if (db_exec(c, "SET NAMES binary", e) == -1 ||
	    (w->enc = member_enc_new(d->aw, e)) == NULL)
		return -1;
	return 0;
}

static void
worker_free(struct worker *w)
{
	size_t i;

	if (w->d == NULL)
		return;
	member_enc_free(w->enc);
	for (i = 0; i < DUMP_BLOCKS; i++) {
		block_clear(&w->blk[i]);
		buf_free(&w->blk[i].sql);
	}
	buf_free(&w->key);
	free(w->m_first_key);
	pthread_cond_destroy(&w->cv_full);
	pthread_cond_destroy(&w->cv_free);
	pthread_mutex_destroy(&w->mu);
}

static int
worker_start(struct worker *w)
{
	if (pthread_create(&w->zstd_tid, NULL, zstd_main, w) != 0)
		return -1;
	w->zstd_started = 1;
	w->d->running++;
	if (pthread_create(&w->fetch_tid, NULL, fetch_main, w) != 0) {
		/* The compress thread then sees eof at once. */
		pthread_mutex_lock(&w->mu);
		w->eof = 1;
		pthread_cond_signal(&w->cv_full);
		pthread_mutex_unlock(&w->mu);
		return -1;
	}
	w->fetch_started = 1;
	return 0;
}

/* Starts the workers and waits for them. */
static int
dump_data(struct dump *d, struct err *e)
{
	struct err se;
	size_t i;
	int rc = -1;

	d->nw = d->snap.n;
	d->w = xcalloc(d->nw, sizeof *d->w);
	for (i = 0; i < d->nw; i++)
		if (worker_init(d, &d->w[i], d->snap.conns[i], e) == -1)
			goto out;
	pthread_mutex_lock(&d->mu);
	for (i = 0; i < d->nw; i++)
		if (worker_start(&d->w[i]) == -1)
			break;
	pthread_mutex_unlock(&d->mu);
	if (i < d->nw) {
		err_set(&se, ERR_INTERNAL, "cannot start thread");
		dump_fail(d, &se);
	}
	rc = dump_wait(d, e);
	for (i = 0; i < d->nw; i++) {
		if (d->w[i].fetch_started)
			pthread_join(d->w[i].fetch_tid, NULL);
		if (d->w[i].zstd_started)
			pthread_join(d->w[i].zstd_tid, NULL);
	}
out:
	for (i = 0; i < d->nw; i++)
		worker_free(&d->w[i]);
	free(d->w);
	d->w = NULL;
	d->nw = 0;
	return rc;
}
static void
dump_fill_manifest(struct dump *d)
{
	struct manifest *m = d->m;

	m->server_version = xstrdup(d->snap.server.version);
	m->snapshot_method = xstrdup(d->snap.method);
	m->threads = (long)d->snap.n;
	if (d->snap.binlog_file != NULL) {
		m->binlog_file = xstrdup(d->snap.binlog_file);
		m->binlog_position = d->snap.binlog_pos;
	}
	if (d->snap.gtid_binlog_pos != NULL)
		m->gtid_binlog_pos = xstrdup(d->snap.gtid_binlog_pos);
}

int
dump_host(const struct host_cfg *h, const struct db_filter *f,
    const struct dump_opts *o, struct archive_writer *aw, struct manifest *m,
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
	d.aw = aw;
	d.ext = archive_writer_suffix(aw);
	pthread_mutex_init(&d.mu, NULL);
	pthread_cond_init(&d.cv_out, NULL);
	if (snapshot_open(h, o->threads, o->lock_wait_timeout, &d.snap,
	    e) == -1)
		goto out;
	log_debug("host %s: snapshot %s with %zu connection%s", h->name,
	    d.snap.method, d.snap.n, d.snap.n == 1 ? "" : "s");
	dump_fill_manifest(&d);
	if (dump_schemas(&d, f, &posts, &nposts, e) == -1)
		goto fail;
	dump_warn_nontransactional(&d);
	if (dump_plan(&d, e) == -1 || dump_data(&d, e) == -1 ||
	    dump_posts(&d, posts, nposts, e) == -1)
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
	pthread_mutex_destroy(&d.mu);
	return rc;
}
