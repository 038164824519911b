/* db/load_int.h: sending one statement of a member to the target. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <errmsg.h>

#include "db/conn.h"
#include "db/insert_cut.h"
#include "db/load_int.h"
#include "util/log.h"

/*
 * LOCAL INFILE handlers: whatever file name the server asks for, they
 * serve the rows of the statement being sent, then ",\n" so that the
 * last row ends like the others.
 */
static int
infile_init(void **ptr, const char *name, void *ctx)
{
	struct loader *l = ctx;

	(void)name;
	l->rows_off = 0;
	*ptr = l;
	return 0;
}

static int
infile_read(void *ptr, char *out, unsigned int len)
{
	struct loader *l = ptr;
	size_t total = l->nrows + 2, done = 0, n;

	while (l->rows != NULL && done < len && l->rows_off < total) {
		if (l->rows_off < l->nrows) {
			n = l->nrows - l->rows_off;
			n = n < len - done ? n : len - done;
			memcpy(out + done, l->rows + l->rows_off, n);
		} else {
			n = total - l->rows_off;
			n = n < len - done ? n : len - done;
			memcpy(out + done, ",\n" + (l->rows_off - l->nrows), n);
		}
		done += n;
		l->rows_off += n;
	}
	return (int)done;
}

static void
infile_end(void *ptr)
{
	(void)ptr;
}

static int
infile_error(void *ptr, char *msg, unsigned int len)
{
	(void)ptr;
	snprintf(msg, len, "no rows to send");
	return CR_UNKNOWN_ERROR;
}

void
loader_infile_setup(struct loader *l)
{
	mysql_set_local_infile_handler(l->c, infile_init, infile_read,
	    infile_end, infile_error, l);
}

int
load_retryable(MYSQL *c)
{
	unsigned int no = mysql_errno(c);

	return no == 1213 || no == 1205;	/* ER_LOCK_DEADLOCK, _WAIT_TIMEOUT */
}

/* Past the `quoted` identifier at p; NULL if there is none. */
static const char *
skip_ident(const char *p, const char *end)
{
	if (p >= end || *p != '`')
		return NULL;
	for (p++; p < end; p++) {
		if (*p != '`')
			continue;
		if (p + 1 < end && p[1] == '`') {
			p++;
			continue;
		}
		return p + 1;
	}
	return NULL;
}

/*
 * INSERT INTO `T` (`a`,...) VALUES\n(...),\n(...) as a LOAD DATA of its
 * rows, read exactly as the INSERT would (binary strings, backslash
 * escapes, unquoted NULL): 1 with the statement in l->ld and the rows in
 * l->rows; 0 for a statement of any other shape.
 */
static int
load_as_infile(struct loader *l, const char *q, size_t n)
{
	const char *end = q + n, *t = q + 12, *p, *cols;

	if (n < 12 || memcmp(q, "INSERT INTO ", 12) != 0 ||
	    (p = skip_ident(t, end)) == NULL || end - p < 2 ||
	    memcmp(p, " (", 2) != 0)
		return 0;
	for (cols = ++p, p++;;) {
		if ((p = skip_ident(p, end)) == NULL || p >= end)
			return 0;
		if (*p++ == ')')
			break;
		if (p[-1] != ',')
			return 0;
	}
	if (end - p < 9 || memcmp(p, " VALUES\n(", 9) != 0 || end[-1] != ')')
		return 0;
	buf_reset(&l->ld);
	buf_append_str(&l->ld, "LOAD DATA LOCAL INFILE 'rows' INTO TABLE ");
	buf_append(&l->ld, t, (size_t)(cols - 1 - t));
	buf_append_str(&l->ld, " CHARACTER SET binary FIELDS TERMINATED BY "
	    "',' OPTIONALLY ENCLOSED BY '''' ESCAPED BY '\\\\' LINES STARTING "
	    "BY '(' TERMINATED BY '),\\n' ");
	buf_append(&l->ld, cols, (size_t)(p - cols));
	l->rows = p + 8;
	l->nrows = (size_t)(end - l->rows);
	return 1;
}

/* The server (or the library) does not take LOCAL INFILE. */
static int
load_infile_refused(MYSQL *c)
{
	unsigned int no = mysql_errno(c);

	/* ER_NOT_ALLOWED_COMMAND, ER_LOAD_INFILE_CAPABILITY_DISABLED, MySQL 8 */
	return no == 1148 || no == 4166 || no == 3948 ||
	    no == CR_UNKNOWN_ERROR;
}

/* Sends q as it is until it is not deadlocked. */
static int
load_query(struct loader *l, const struct load_member *m, const char *q,
    size_t n, unsigned long line)
{
	struct timespec ts;
	int tries = 0;

	while (mysql_real_query(l->c, q, n) != 0) {
		if (l->in_txn || !load_retryable(l->c) ||
		    ++tries > LOAD_RETRIES)
			return -1;
		l->st.retries++;
		log_debug("member %s line %lu: %s; retrying", m->name, line,
		    mysql_error(l->c));
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(5000000L << (tries < 6 ? tries : 6));
		nanosleep(&ts, NULL);
	}
	if (mysql_field_count(l->c) == 0)
		l->affected += mysql_affected_rows(l->c);
	return 0;
}

/*
 * The longest statement the target takes: its max_allowed_packet, less
 * room for the command byte and query attributes (read once).
 */
static uint64_t
load_room(struct loader *l)
{
	struct err ign;
	char *v = NULL;

	if (l->max_packet == 0) {
		l->max_packet = UINT64_MAX;
		if (db_query_value(l->c, "SELECT @@max_allowed_packet", &v,
		    &ign) == 0 && v != NULL && strtoull(v, NULL, 10) > 4096)
			l->max_packet = strtoull(v, NULL, 10);
		free(v);
	}
	return l->max_packet == UINT64_MAX ? UINT64_MAX : l->max_packet - 1024;
}

/*
 * A statement longer than the target takes: a multi-row INSERT goes as
 * several of whole rows (db/insert_cut.h), each sent as load_query does;
 * anything else, or a row too long alone, is refused before anything
 * ran: -2 with e naming the member, the sizes and the setting to raise.
 */
static int
load_send_cut(struct loader *l, const struct load_member *m, const char *q,
    size_t n, unsigned long line, struct err *e)
{
	struct insert_cut c;
	uint64_t room = load_room(l);
	const char *s;
	size_t sn = n;
	int rc, ins;

	if (!(ins = insert_cut_init(&c, q, n, (size_t)room,
	    !(l->mode & SQLSPLIT_NO_BACKSLASH_ESCAPES))))
		goto refuse;
	while ((rc = insert_cut_next(&c, &s, &sn)) == 1)
		;
	insert_cut_free(&c);
	if (rc == -1)
		goto refuse;
	if (!l->cut_logged++)
		log_info("member %s (%s): statements longer than the target's "
		    "max_allowed_packet (%llu) sent as several INSERTs",
		    m->name, m->what, (unsigned long long)l->max_packet);
	insert_cut_init(&c, q, n, (size_t)room,
	    !(l->mode & SQLSPLIT_NO_BACKSLASH_ESCAPES));
	while ((rc = insert_cut_next(&c, &s, &sn)) == 1 &&
	    (rc = load_query(l, m, s, sn, line)) == 0)
		;
	insert_cut_free(&c);
	return rc;
refuse:
	err_set(e, ERR_DB, "member %s (%s) line %lu: %s of %zu bytes exceeds "
	    "the target's max_allowed_packet (%llu bytes): set it to at least "
	    "%zu on the target", m->name, m->what, line, ins ?
	    "a row that needs a statement" : "a statement", sn,
	    (unsigned long long)l->max_packet, sn + 1024);
	return -2;
}

#define ER_WRONG_VALUE_FOR_VAR_	1231

/* Sets sql_mode to the flags of list (comma-separated) for which on. */
static void
mode_flags(MYSQL *c, const char *list, size_t n, struct buf *keep,
    struct buf *drop)
{
	struct buf one;
	struct buf *to;
	size_t i, j;

	buf_init(&one);
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && list[j] != ','; j++)
			;
		if (j == i)
			continue;
		buf_reset(&one);
		buf_printf(&one, "SET sql_mode='%.*s'", (int)(j - i), list + i);
		to = mysql_real_query(c, one.data, one.len) == 0 ? keep : drop;
		if (to->len > 0)
			buf_append_char(to, ',');
		buf_append(to, list + i, j - i);
	}
	buf_free(&one);
}

/*
 * SET sql_mode='A,B' refused by a server that lacks one of the flags
 * (MariaDB's NO_AUTO_CREATE_USER on MySQL: a restore --force across
 * flavours): the flags it takes are set and the others named in a
 * warning, so that the object that follows is created under the nearest
 * mode rather than under the previous object's.  0 done; -1 not that
 * case, or still refused (the server's error as the statement got it).
 */
static int
load_mode_fallback(struct loader *l, const struct load_member *m,
    const char *q, size_t n, unsigned long line)
{
	static const char pre[] = "SET sql_mode='";
	const size_t k = sizeof pre - 1;
	struct buf keep, drop, set;
	size_t i;
	int rc = -1;

	if (mysql_errno(l->c) != ER_WRONG_VALUE_FOR_VAR_ || n <= k ||
	    strncasecmp(q, pre, k) != 0 || q[n - 1] != '\'')
		return -1;
	for (i = k; i < n - 1; i++)
		if (!isupper((unsigned char)q[i]) && q[i] != '_' && q[i] != ',')
			return -1;
	buf_init(&keep);
	buf_init(&drop);
	buf_init(&set);
	mode_flags(l->c, q + k, n - 1 - k, &keep, &drop);
	buf_printf(&set, "SET sql_mode='%.*s'", (int)keep.len,
	    keep.len > 0 ? keep.data : "");
	if (drop.len > 0 && mysql_real_query(l->c, set.data, set.len) == 0) {
		log_warn("member %s (%s) line %lu: sql_mode %.*s unknown to "
		    "the target, left out", m->name, m->what, line,
		    (int)drop.len, drop.data);
		rc = 0;
	} else
		(void)mysql_real_query(l->c, q, n);	/* its own error again */
	buf_free(&keep);
	buf_free(&drop);
	buf_free(&set);
	return rc;
}

#define ER_PARSE_ERROR_	1064

/*
 * CREATE DATABASE ... COMMENT '...' refused by a server without database
 * comments (MySQL, for a MariaDB backup restored with --force): created
 * without the comment, in a warning, rather than failing the restore
 * before anything is created.  0 done; -1 not that case or still refused
 * (the server's error as the statement got it).
 */
static int
load_db_comment_fallback(struct loader *l, const struct load_member *m,
    const char *q, size_t n, unsigned long line)
{
	static const char cw[] = " COMMENT '";
	const size_t k = sizeof cw - 1;
	const char *c = NULL, *p;

	if (mysql_errno(l->c) != ER_PARSE_ERROR_ || n < 16 ||
	    strncasecmp(q, "CREATE DATABASE ", 16) != 0)
		return -1;
	for (p = q; (size_t)(q + n - p) > k; p++)
		if (memcmp(p, cw, k) == 0)
			c = p;	/* the last one: myship writes it last */
	if (c == NULL)
		return -1;
	for (p = c + k; p < q + n; p++)
		if (*p == '\\')
			p++;
		else if (*p == '\'' && p + 1 < q + n && p[1] == '\'')
			p++;
		else if (*p == '\'')
			break;
	if (p != q + n - 1 || mysql_real_query(l->c, q,
	    (size_t)(c - q)) != 0) {
		(void)mysql_real_query(l->c, q, n);	/* its own error again */
		return -1;
	}
	log_warn("member %s (%s) line %lu: the target takes no database "
	    "comment: created without it", m->name, m->what, line);
	return 0;
}

/*
 * Sends q (as LOAD DATA when it can; cut when it is too long; a sql_mode
 * the target half knows in part): 0, -1 the server's error, -2 refused
 * here (e set).
 */
int
load_send(struct loader *l, const struct load_member *m, const char *q,
    size_t n, unsigned long line, struct err *e)
{
	if (!l->no_infile && m->table != NULL && m->table->load_data &&
	    load_as_infile(l, q, n)) {
		if (load_query(l, m, l->ld.data, l->ld.len, line) == 0) {
			l->rows = NULL;
			l->st.infile++;
			return 0;
		}
		l->rows = NULL;
		if (!load_infile_refused(l->c))
			return -1;
		/*
		 * MySQL's default (local_infile=OFF): the restore summary
		 * says which path ran; the server's setting is the DBA's to
		 * change, never ours.
		 */
		log_info("LOCAL INFILE refused (%s): loading with INSERT "
		    "statements", mysql_error(l->c));
		l->no_infile = 1;
		l->st.infile_refused++;
	}
	if (n > load_room(l))
		return load_send_cut(l, m, q, n, line, e);
	if (load_query(l, m, q, n, line) == 0 ||
	    load_mode_fallback(l, m, q, n, line) == 0 ||
	    load_db_comment_fallback(l, m, q, n, line) == 0)
		return 0;
	return -1;
}
