/* The dump's workers: a fetch thread and an encode thread each (dump_int.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysqld_error.h>

#include "db/dump_int.h"
#include "db/dump_rowsum.h"
#include "db/rowfmt.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

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
	free(b->piece_keys);
	b->piece_keys = NULL;
	b->values_sha256[0] = '\0';
	memset(b->values_sum, 0, sizeof b->values_sum);
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
	rowsum_acc_end(&w->sums, b->values_sha256, &b->piece_keys,
	    b->values_sum);
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
	} else if (ct->nkey > 0)
		rowsum_acc_next(&w->sums, w->key.data);
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
	rowsum_acc_row(&w->sums, ct->nkey == 0, t->kinds, ct->ncols, row,
	    lens);
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

/*
 * [backup] max_rate: takes the row bytes read since the last take from
 * the bucket all fetch threads share, and sleeps what it says, in steps
 * of at most 100 ms so that a signal or a failure stops it soon.
 */
static int
fetch_throttle(struct worker *w, struct err *e)
{
	struct dump *d = w->d;
	struct timespec ts;
	double wait, step;

	pthread_mutex_lock(&d->rate_mu);
	wait = rate_take(&d->rate, w->untaxed, clock_seconds());
	pthread_mutex_unlock(&d->rate_mu);
	w->untaxed = 0;
	while (wait > 0) {
		if (signals_interrupted())
			return err_set(e, ERR_INTERRUPTED, "interrupted");
		if (atomic_load(&d->failed))
			return err_set(e, ERR_FAILED, "stopped");
		step = wait < 0.1 ? wait : 0.1;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(step * 1e9);
		nanosleep(&ts, NULL);
		wait -= step;
	}
	return 0;
}

static int
fetch_item_rows(struct worker *w, const struct witem *it, MYSQL_RES *r,
    struct err *e)
{
	MYSQL_ROW row;
	unsigned long *lens;
	uint64_t n = 0;
	unsigned int i, ncols = mysql_num_fields(r);
	int capped = w->d->o->max_rate > 0;

	while ((row = mysql_fetch_row(r)) != NULL) {
		lens = mysql_fetch_lengths(r);
		if (fetch_row(w, it->t, row, lens, e) == -1)
			return -1;
		if (capped) {
			for (i = 0; i < ncols; i++)
				w->untaxed += lens[i];
			if (w->untaxed >= DUMP_RATE_STEP &&
			    fetch_throttle(w, e) == -1)
				return -1;
		}
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
			db_cancel(w->c);
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


int
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
	rowsum_acc_init(&w->sums, d->o->chunk_size);
	if (db_exec(c, "SET NAMES binary", e) == -1 ||
	    (w->enc = member_enc_new(d->aw, e)) == NULL)
		return -1;
	return 0;
}

void
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
	rowsum_acc_free(&w->sums);
	free(w->m_first_key);
	pthread_cond_destroy(&w->cv_full);
	pthread_cond_destroy(&w->cv_free);
	pthread_mutex_destroy(&w->mu);
}

int
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

