/*
 * A loader: one session running members statement by statement (db/load.h;
 * the pool of them is load_pool.c).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <errmsg.h>

#include "db/conn.h"
#include "db/load_int.h"
#include "db/sqlsplit.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "util/clock.h"

#define LOAD_PIECE	(256 * 1024)	/* stored bytes decoded at a time */
/* A member whose decoded size the manifest does not give is capped. */
#define LOAD_UNKNOWN_MAX	(1ULL << 30)


struct load_member *
load_member_new(char *name, char *what, struct buf *data,
    const struct load_decoder *decoder, uint64_t raw_bytes)
{
	struct load_member *m = xcalloc(1, sizeof *m);

	m->name = name;
	m->what = what;
	m->data = *data;
	buf_init(data);
	m->decoder = decoder;
	m->raw_bytes = raw_bytes;
	m->rows = -1;
	return m;
}

struct load_table *
load_table_new(const char *what, size_t members)
{
	struct load_table *t = xcalloc(1, sizeof *t);

	t->what = xstrdup(what);
	t->left = members;
	return t;
}

void
load_table_free(struct load_table *t)
{
	if (t == NULL)
		return;
	free(t->what);
	free(t->finish);
	free(t);
}

void
load_member_free(struct load_member *m)
{
	if (m == NULL)
		return;
	free(m->name);
	free(m->what);
	free(m->rename_from);
	free(m->rename_to);
	free(m->txn_first);
	buf_free(&m->data);
	free(m);
}

int
load_session_init(MYSQL *c, struct err *e)
{
	static const char *const setup[] = {
		"SET NAMES binary",
		"SET foreign_key_checks=0",
		"SET unique_checks=0",
		"SET sql_mode='NO_AUTO_VALUE_ON_ZERO'",
		"SET time_zone='+00:00'",
		/* fewer gap locks between sessions loading one table */
		"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
	};
	size_t i;

	for (i = 0; i < sizeof setup / sizeof setup[0]; i++)
		if (db_exec(c, setup[i], e) == -1)
			return -1;
	return 0;
}

struct loader *
loader_new(MYSQL *c)
{
	struct loader *l = xcalloc(1, sizeof *l);
	unsigned int on = 1;

	l->c = c;
	db_option(c, MYSQL_OPT_LOCAL_INFILE, &on);
	loader_infile_setup(l);
	buf_init(&l->ld);
	l->split = sqlsplit_new();
	buf_init(&l->dec);
	buf_init(&l->stmt);
	buf_init(&l->src_q);
	buf_init(&l->dst_q);
	return l;
}

void
loader_free(struct loader *l)
{
	if (l == NULL)
		return;
	db_close(l->c);
	sqlsplit_free(l->split);
	buf_free(&l->dec);
	buf_free(&l->stmt);
	buf_free(&l->src_q);
	buf_free(&l->dst_q);
	buf_free(&l->ld);
	free(l);
}

MYSQL *
loader_conn(struct loader *l)
{
	return l->c;
}

const struct load_stats *
loader_stats(const struct loader *l)
{
	return &l->st;
}

void
loader_set_filter(struct loader *l, load_filter fn, void *ctx)
{
	l->filter = fn;
	l->filter_ctx = ctx;
}


int
load_table_run(struct loader *l, struct load_table *t, const char *names,
    struct err *e)
{
	double t0 = clock_seconds();

	if (t->finish == NULL || t->finished)
		return 0;
	t->finished = 1;
	log_debug("%s: building deferred indexes", t->what);
	if (db_exec(l->c, "SET NAMES utf8mb4", e) == -1)
		return -1;
	if (mysql_real_query(l->c, t->finish, strlen(t->finish)) != 0)
		return err_set(e, ERR_DB, "%s: building deferred indexes: %s",
		    t->what, mysql_error(l->c));
	if (db_execf(l->c, e, "SET NAMES %s", names) == -1)
		return -1;
	l->st.finished++;
	l->st.finish_secs += clock_seconds() - t0;
	log_debug("%s: deferred indexes built in %.1f s", t->what,
	    clock_seconds() - t0);
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skips word (case-insensitive) and the blanks after it; NULL if absent. */
static const char *
skip_word(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(end - p) <= n || strncasecmp(p, word, n) != 0 ||
	    !is_blank(p[n]))
		return NULL;
	for (p += n; p < end && is_blank(*p); p++)
		;
	return p;
}

/*
 * The statement to send: a rewritten copy for the two renamed shapes,
 * else the statement itself.
 */
static void
load_rename(struct loader *l, const char **q, size_t *n)
{
	const char *p = *q, *end = *q + *n, *at;
	const struct buf *src = &l->src_q;
	int use;

	if ((at = skip_word(p, end, "USE")) != NULL)
		use = 1;
	else if (!l->created && (at = skip_word(p, end, "CREATE")) != NULL &&
	    (at = skip_word(at, end, "DATABASE")) != NULL)
		use = 0;
	else
		return;
	if ((size_t)(end - at) < src->len || memcmp(at, src->data,
	    src->len) != 0)
		return;
	at += src->len;
	if (use ? at != end : (at != end && !is_blank(*at) && *at != '/'))
		return;
	if (!use)
		l->created = 1;
	buf_reset(&l->stmt);
	buf_append_str(&l->stmt, use ? "USE " : "CREATE DATABASE ");
	buf_append(&l->stmt, l->dst_q.data, l->dst_q.len);
	buf_append(&l->stmt, at, end - at);
	*q = l->stmt.data;
	*n = l->stmt.len;
}

/*
 * A statement that may have changed the session's sql_mode: the splitter
 * must read what follows as the server does (a routine created under
 * NO_BACKSLASH_ESCAPES holds strings like 'a\').
 */
static int
load_track_mode(struct loader *l, const char *q, size_t n, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	size_t i;

	if (n < 12 || strncasecmp(q, "SET ", 4) != 0)
		return 0;
	for (i = 4; i + 8 <= n && strncasecmp(q + i, "sql_mode", 8) != 0; i++)
		;
	if (i + 8 > n)
		return 0;
	if ((r = db_query_store(l->c, "SELECT @@SESSION.sql_mode", e)) == NULL)
		return -1;
	row = mysql_fetch_row(r);
	l->mode = sqlsplit_mode_of(row != NULL && row[0] != NULL ? row[0] : "");
	mysql_free_result(r);
	sqlsplit_set_mode(l->split, l->mode);
	return 0;
}

/* The server refused the statement (not a lost connection). */
static int
load_server_error(MYSQL *c)
{
	unsigned int no = mysql_errno(c);

	return no != 0 && (no < 2000 || no > 2999);
}

/* Runs one statement and throws away whatever it returns. */
static int
load_exec(struct loader *l, const struct load_member *m, const char *q,
    size_t n, unsigned long line, struct err *e)
{
	MYSQL_RES *r;
	int st;

	if (l->src_q.len > 0)
		load_rename(l, &q, &n);
	if (l->filter != NULL && l->filter(l->filter_ctx, l->c, &q, &n, e) == -1)
		return err_prefix(e, "member %s (%s) line %lu", m->name,
		    m->what, line);
	l->st.statements++;
	if ((st = load_send(l, m, q, n, line, e)) == -2) {
		l->soft = 1;
		goto refused;
	}
	if (st == -1)
		goto fail;
	do {
		if ((r = mysql_store_result(l->c)) != NULL)
			mysql_free_result(r);
		else if (mysql_field_count(l->c) != 0)
			goto fail;
		if ((st = mysql_next_result(l->c)) > 0)
			goto fail;
	} while (st == 0);
	return load_track_mode(l, q, n, e);
fail:
	l->rows = NULL;
	l->soft = load_server_error(l->c);
	err_set(e, ERR_DB, "member %s (%s) line %lu: %s", m->name, m->what,
	    line, mysql_error(l->c));
refused:
	if (l->soft && l->on_error != NULL && !l->in_txn &&
	    l->on_error(l->on_error_ctx, q, n, e) == 0) {
		err_clear(e);
		return 0;
	}
	return -1;
}

/* Runs the statements the splitter has complete. */
static int
load_drain(struct loader *l, const struct load_member *m, int eof,
    struct err *e)
{
	const char *q;
	size_t n;
	unsigned long line;
	int rc;

	for (;;) {
		if (!l->uninterruptible && signals_interrupted())
			return err_set(e, ERR_INTERRUPTED, "interrupted");
		if (l->cancel != NULL && atomic_load(l->cancel))
			return err_set(e, ERR_INTERRUPTED, "cancelled");
		rc = sqlsplit_next(l->split, eof, &q, &n, &line, e);
		if (rc == -1)
			return err_prefix(e, "member %s (%s)", m->name, m->what);
		if (rc == 0)
			return 0;
		if (load_exec(l, m, q, n, line, e) == -1)
			return -1;
	}
}

static void
load_set_rename(struct loader *l, const struct load_member *m)
{
	buf_reset(&l->src_q);
	buf_reset(&l->dst_q);
	l->created = 0;
	if (m->rename_from == NULL || m->rename_to == NULL)
		return;
	sql_quote_ident(&l->src_q, m->rename_from);
	sql_quote_ident(&l->dst_q, m->rename_to);
}

/*
 * Decodes one piece into l->dec (appended), within the member's cap: the
 * decoder caps what it expands to, and this caps a chain that only copies.
 */
static int
load_decode(struct loader *l, struct filter *dec, const void *p, size_t n,
    int end, uint64_t limit, uint64_t *decoded, struct err *e)
{
	size_t before = l->dec.len;

	if ((n > 0 && filter_process(dec, p, n, &l->dec, e) == -1) ||
	    (end && filter_finish(dec, &l->dec, e) == -1))
		return -1;
	*decoded += l->dec.len - before;
	if (*decoded > limit)
		return err_set(e, ERR_CORRUPT, "member decodes to more than "
		    "%llu bytes", (unsigned long long)limit);
	return 0;
}

/*
 * Feeds the member's stored bytes through its decoder, a piece at a time.
 * A streamed member's SQL runs as it decodes; otherwise it is decoded
 * whole into l->dec first.
 */
static int
load_feed(struct loader *l, const struct load_member *m, struct filter *dec,
    int stream, uint64_t *decoded, struct err *e)
{
	uint64_t limit = stream ? m->raw_bytes : LOAD_UNKNOWN_MAX;
	size_t off = 0, n;
	int end;

	buf_reset(&l->dec);
	do {
		n = m->data.len - off < LOAD_PIECE ? m->data.len - off :
		    LOAD_PIECE;
		end = off + n == m->data.len;
		if (stream)
			buf_reset(&l->dec);
		if (load_decode(l, dec, m->data.data + off, n, end, limit,
		    decoded, e) == -1)
			return err_prefix(e, "member %s (%s)", m->name, m->what);
		off += n;
		if (!stream)
			continue;
		sqlsplit_feed(l->split, l->dec.data, l->dec.len);
		if (load_drain(l, m, 0, e) == -1)
			return -1;
	} while (!end);
	if (!stream)
		sqlsplit_feed(l->split, l->dec.data, l->dec.len);
	return 0;
}

/*
 * A member the manifest gives a hash for was checked before it got here
 * and runs as it decodes.  One without (raw_bytes 0) is decoded whole
 * first, so a damaged frame fails on its checksum before anything ran.
 */
static int
loader_run_member(struct loader *l, const struct load_member *m,
    struct err *e)
{
	struct filter *dec;
	uint64_t decoded = 0;
	int stream = m->raw_bytes != 0, rc;

	if ((dec = m->decoder->fn(m->decoder->ctx, m->name, stream ?
	    m->raw_bytes : LOAD_UNKNOWN_MAX, e)) == NULL)
		return -1;
	load_set_rename(l, m);
	l->affected = 0;
	l->soft = 0;
	sqlsplit_reset(l->split);
	sqlsplit_set_mode(l->split, l->mode);
	rc = load_feed(l, m, dec, stream, &decoded, e);
	filter_free(dec);
	if (rc == -1)
		return -1;
	if (stream && decoded != m->raw_bytes)
		return err_set(e, ERR_CORRUPT, "member %s (%s): decodes to %llu "
		    "bytes, manifest says %llu", m->name, m->what,
		    (unsigned long long)decoded,
		    (unsigned long long)m->raw_bytes);
	if (load_drain(l, m, 1, e) == -1)
		return -1;
	/* LOAD DATA LOCAL skips what it cannot take instead of failing. */
	l->soft = 1;
	if (m->rows >= 0 && l->affected != (uint64_t)m->rows)
		return err_set(e, ERR_CORRUPT, "member %s (%s): %llu rows "
		    "loaded, manifest says %lld", m->name, m->what,
		    (unsigned long long)l->affected, (long long)m->rows);
	l->soft = 0;
	l->st.members++;
	l->st.raw_bytes += decoded;
	return 0;
}

int
loader_failed_soft(const struct loader *l)
{
	return l->soft;
}

void
loader_set_on_error(struct loader *l, load_on_error fn, void *ctx)
{
	l->on_error = fn;
	l->on_error_ctx = ctx;
}

void
loader_set_cancel(struct loader *l, const atomic_int *flag)
{
	l->cancel = flag;
}

void
loader_set_uninterruptible(struct loader *l, int on)
{
	l->uninterruptible = on;
}

/*
 * m in one transaction after its txn_first.  On any failure it is rolled
 * back (a lost session rolls it back too); l->txn_retry says whether it
 * was a deadlock, which may go away when it runs again.
 */
static int
loader_run_txn(struct loader *l, const struct load_member *m, struct err *e)
{
	int rc;

	l->txn_retry = 0;
	l->soft = 0;
	if (db_exec(l->c, "START TRANSACTION", e) == -1)
		return -1;
	l->in_txn = 1;
	if (mysql_real_query(l->c, m->txn_first, strlen(m->txn_first)) != 0) {
		l->soft = load_server_error(l->c);
		rc = err_set(e, ERR_DB, "member %s (%s): deleting the rows it "
		    "replaces: %s", m->name, m->what, mysql_error(l->c));
	} else {
		rc = loader_run_member(l, m, e);
	}
	if (rc == 0 && db_exec(l->c, "COMMIT", e) == -1) {
		l->soft = load_server_error(l->c);
		rc = -1;
	}
	l->in_txn = 0;
	if (rc == 0)
		return 0;
	l->txn_retry = load_retryable(l->c);
	/* its own error is the one to report; the session may be gone */
	(void)mysql_real_query(l->c, "ROLLBACK", 8);
	return -1;
}

int
loader_run(struct loader *l, const struct load_member *m, struct err *e)
{
	int tries = 0;

	if (m->txn_first == NULL)
		return loader_run_member(l, m, e);
	while (loader_run_txn(l, m, e) == -1) {
		if (!l->txn_retry || ++tries > LOAD_RETRIES)
			return -1;
		l->st.retries++;
		log_debug("%s; running it again", e->msg);
		err_clear(e);
	}
	return 0;
}
