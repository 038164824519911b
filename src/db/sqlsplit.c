/*
 * The splitter is a small state machine over a buffer holding the input
 * not yet consumed.  It runs over every byte of a restore, so the common
 * cases (inside a quoted value, inside ordinary statement text) are tight
 * loops over a byte table; everything else is handled one byte at a time.
 * A construct that cannot be decided with the bytes at hand (a delimiter
 * or "--" cut by the end of a piece, a DELIMITER line without its newline)
 * leaves the scan position on it until more input or eof arrives.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "db/sqlsplit.h"
#include "util/buf.h"
#include "util/xmalloc.h"

enum split_state { SP_NORMAL, SP_QUOTE, SP_LINE_COMMENT, SP_BLOCK_COMMENT };

#define NO_START SIZE_MAX

struct sqlsplit {
	struct buf in;
	size_t off;		/* where the current statement's region begins */
	size_t pos;		/* scan position */
	size_t start;		/* its first byte of content, or NO_START */
	enum split_state state;
	char quote;
	int mode;		/* SQLSPLIT_* flags */
	char delim[SQLSPLIT_DELIM_MAX + 1];
	size_t dlen;
	unsigned char special[256];	/* bytes that stop the normal-text scan */
	unsigned long line;	/* line number at line_pos */
	size_t line_pos;
};

static void
split_set_delimiter(struct sqlsplit *s, const char *d, size_t n)
{
	memcpy(s->delim, d, n);
	s->delim[n] = '\0';
	s->dlen = n;
	memset(s->special, 0, sizeof s->special);
	s->special['\''] = s->special['"'] = s->special['`'] = 1;
	s->special['-'] = s->special['#'] = s->special['/'] = 1;
	s->special[(unsigned char)d[0]] = 1;
}

struct sqlsplit *
sqlsplit_new(void)
{
	struct sqlsplit *s = xcalloc(1, sizeof *s);

	buf_init(&s->in);
	sqlsplit_reset(s);
	return s;
}

void
sqlsplit_free(struct sqlsplit *s)
{
	if (s == NULL)
		return;
	buf_free(&s->in);
	free(s);
}

void
sqlsplit_reset(struct sqlsplit *s)
{
	buf_reset(&s->in);
	s->off = s->pos = s->line_pos = 0;
	s->start = NO_START;
	s->state = SP_NORMAL;
	s->line = 1;
	s->mode = 0;
	split_set_delimiter(s, ";", 1);
}

void
sqlsplit_set_mode(struct sqlsplit *s, int mode)
{
	s->mode = mode;
}

/* Whether word is one of the comma-separated names of list (the server
 * spells them in capitals). */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

int
sqlsplit_mode_of(const char *sql_mode)
{
	/*
	 * The server reports a combination mode expanded (ORACLE with
	 * ANSI_QUOTES), but one written by hand is not: ANSI and MariaDB's
	 * ORACLE, DB2, MSSQL, POSTGRESQL and MAXDB imply ANSI_QUOTES.  Their
	 * block syntax (ORACLE's BEGIN ... END; with ";" inside) needs no
	 * more: a body is framed by DELIMITER lines, as the client wants it.
	 */
	static const char *const ansi[] = { "ANSI_QUOTES", "ANSI", "ORACLE",
	    "DB2", "MSSQL", "POSTGRESQL", "MAXDB" };
	size_t i;
	int quotes = 0;

	for (i = 0; i < sizeof ansi / sizeof ansi[0]; i++)
		quotes |= has_word(sql_mode, ansi[i]);
	return (has_word(sql_mode, "NO_BACKSLASH_ESCAPES") ?
	    SQLSPLIT_NO_BACKSLASH_ESCAPES : 0) |
	    (quotes ? SQLSPLIT_ANSI_QUOTES : 0);
}

const char *
sqlsplit_delimiter(const struct sqlsplit *s)
{
	return s->delim;
}

/* Counts newlines up to to, so line numbers survive compaction. */
static void
split_count_lines(struct sqlsplit *s, size_t to)
{
	const char *p = s->in.data + s->line_pos, *end = s->in.data + to;
	const char *nl;

	if (to <= s->line_pos)
		return;
	while (p < end && (nl = memchr(p, '\n', end - p)) != NULL) {
		s->line++;
		p = nl + 1;
	}
	s->line_pos = to;
}

void
sqlsplit_feed(struct sqlsplit *s, const void *p, size_t n)
{
	size_t off = s->off;

	if (off > 0 && (off >= 65536 || off * 2 >= s->in.len)) {
		split_count_lines(s, off);
		memmove(s->in.data, s->in.data + off, s->in.len - off);
		s->in.len -= off;
		s->pos -= off;
		s->line_pos -= off;
		if (s->start != NO_START)
			s->start -= off;
		s->off = 0;
	}
	buf_append(&s->in, p, n);
}

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/*
 * A DELIMITER command where a statement would begin.  Returns 1 when
 * handled (pos moved past its line), 0 when this is not one, 2 when the
 * line is not complete yet, -1 on error.
 */
static int
split_delimiter_command(struct sqlsplit *s, int eof, struct err *e)
{
	const char *p = s->in.data + s->pos, *end = s->in.data + s->in.len;
	const char *nl, *arg, *argend;
	size_t n;

	if ((size_t)(end - p) < 10) {
		if (!eof && strncasecmp(p, "delimiter", end - p) == 0)
			return 2;
		if (end - p != 9 || strncasecmp(p, "delimiter", 9) != 0)
			return 0;
		/* "delimiter" alone at the very end */
	} else if (strncasecmp(p, "delimiter", 9) != 0 ||
	    (p[9] != ' ' && p[9] != '\t' && p[9] != '\n' && p[9] != '\r'))
		return 0;
	nl = memchr(p, '\n', end - p);
	if (nl == NULL && !eof)
		return 2;
	if (nl == NULL)
		nl = end;
	for (arg = p + 9; arg < nl && (*arg == ' ' || *arg == '\t'); arg++)
		;
	for (argend = arg; argend < nl && !is_blank(*argend); argend++)
		;
	n = argend - arg;
	if (n == 0 || n > SQLSPLIT_DELIM_MAX || memchr(arg, '\\', n) != NULL ||
	    memchr(arg, '\0', n) != NULL) {
		split_count_lines(s, s->pos);
		return err_set(e, ERR_CORRUPT, "line %lu: bad DELIMITER "
		    "command (want 1 to %d bytes, no backslash)", s->line,
		    SQLSPLIT_DELIM_MAX);
	}
	split_set_delimiter(s, arg, n);
	s->pos = s->off = (nl == end) ? s->in.len : (size_t)(nl - s->in.data) + 1;
	return 1;
}

/* Scans inside a quote; returns 0 when it needs more input. */
static int
split_quote(struct sqlsplit *s)
{
	const unsigned char *p = (const unsigned char *)s->in.data;
	size_t pos = s->pos, len = s->in.len;
	unsigned char q = s->quote;
	/* identifiers, and strings under NO_BACKSLASH_ESCAPES, have none */
	int plain = q == '`' || (q == '"' &&
	    (s->mode & SQLSPLIT_ANSI_QUOTES)) ||
	    (s->mode & SQLSPLIT_NO_BACKSLASH_ESCAPES);

	for (;;) {
		while (pos < len && p[pos] != q && p[pos] != '\\')
			pos++;
		if (pos >= len) {
			s->pos = pos;
			return 0;
		}
		if (p[pos] == q) {
			s->pos = pos + 1;
			s->state = SP_NORMAL;
			return 1;
		}
		if (plain) {
			pos++;
			continue;
		}
		if (pos + 1 >= len) {
			s->pos = pos;
			return 0;
		}
		pos += 2;
	}
}

/* Scans inside a comment; returns 0 when it needs more input. */
static int
split_comment(struct sqlsplit *s)
{
	const char *p = s->in.data, *q;
	size_t len = s->in.len;

	if (s->state == SP_LINE_COMMENT) {
		q = memchr(p + s->pos, '\n', len - s->pos);
		if (q == NULL) {
			s->pos = len;
			return 0;
		}
		s->pos = q - p + 1;
		s->state = SP_NORMAL;
		return 1;
	}
	for (;;) {
		q = memchr(p + s->pos, '*', len - s->pos);
		if (q == NULL || (size_t)(q - p) + 1 >= len) {
			s->pos = q == NULL ? len : (size_t)(q - p);
			return 0;
		}
		s->pos = q - p + 1;
		if (q[1] == '/') {
			s->pos++;
			s->state = SP_NORMAL;
			return 1;
		}
	}
}

/*
 * Decides what starts at pos in normal text: 1 when the statement ended
 * (delimiter at pos), 0 when consumed (pos moved on), 2 when more input is
 * needed.
 */
static int
split_special(struct sqlsplit *s, int eof)
{
	const char *p = s->in.data + s->pos;
	size_t avail = s->in.len - s->pos;
	unsigned char c = *p;

	if (c == (unsigned char)s->delim[0]) {
		if (avail >= s->dlen) {
			if (memcmp(p, s->delim, s->dlen) == 0)
				return 1;
		} else if (!eof && memcmp(p, s->delim, avail) == 0)
			return 2;
	}
	switch (c) {
	case '\'':
	case '"':
	case '`':
		if (s->start == NO_START)
			s->start = s->pos;
		s->quote = c;
		s->state = SP_QUOTE;
		s->pos++;
		return 0;
	case '#':
		s->state = SP_LINE_COMMENT;
		s->pos++;
		return 0;
	case '-':
		if (avail < 3 && !eof && (avail < 2 || p[1] == '-'))
			return 2;
		/* the server's rule: "--" then a blank or control byte, or the end */
		if (avail >= 2 && p[1] == '-' &&
		    (avail == 2 || (unsigned char)p[2] <= ' ')) {
			s->state = SP_LINE_COMMENT;
			s->pos += 2;
			return 0;
		}
		break;
	case '/':
		if (avail < 2 || (p[1] == '*' && avail < 4)) {
			if (!eof)
				return 2;
		}
		if (avail >= 2 && p[1] == '*') {
			if ((avail >= 3 && p[2] == '!') ||
			    (avail >= 4 && p[2] == 'M' && p[3] == '!')) {
				/* executable comment: statement text */
				if (s->start == NO_START)
					s->start = s->pos;
				s->pos += p[2] == '!' ? 3 : 4;
				return 0;
			}
			s->state = SP_BLOCK_COMMENT;
			s->pos += 2;
			return 0;
		}
		break;
	}
	if (s->start == NO_START && !is_blank(c))
		s->start = s->pos;
	s->pos++;
	return 0;
}

static void
split_emit(struct sqlsplit *s, size_t end, const char **stmt, size_t *len,
    unsigned long *line)
{
	const char *p = s->in.data;

	while (end > s->start && is_blank((unsigned char)p[end - 1]))
		end--;
	split_count_lines(s, s->start);
	*stmt = p + s->start;
	*len = end - s->start;
	if (line != NULL)
		*line = s->line;
	s->start = NO_START;
}

/*
 * Blanks before a statement, where DELIMITER may appear: 1 to go on, 0
 * when more input is needed, -1 on error.
 */
static int
split_lead(struct sqlsplit *s, int eof, struct err *e)
{
	unsigned char c;
	int rc;

	while (s->pos < s->in.len) {
		c = s->in.data[s->pos];
		if (is_blank(c)) {
			s->pos++;
			continue;
		}
		if (c == 'd' || c == 'D') {
			rc = split_delimiter_command(s, eof, e);
			if (rc == 1)
				continue;
			if (rc != 0)
				return rc == 2 ? 0 : -1;
		}
		if (!s->special[c])
			s->start = s->pos++;
		break;
	}
	return 1;
}

int
sqlsplit_next(struct sqlsplit *s, int eof, const char **stmt, size_t *len,
    unsigned long *line, struct err *e)
{
	const unsigned char *p;
	size_t n;
	int rc;

	for (;;) {
		if (s->state == SP_QUOTE) {
			if (!split_quote(s))
				break;
		} else if (s->state != SP_NORMAL) {
			if (!split_comment(s))
				break;
		}
		if (s->start == NO_START) {
			if ((rc = split_lead(s, eof, e)) != 1)
				return rc;
			if (s->pos >= s->in.len)
				break;
		}
		p = (const unsigned char *)s->in.data;
		n = s->in.len;
		while (s->pos < n && !s->special[p[s->pos]])
			s->pos++;
		if (s->pos >= n)
			break;
		rc = split_special(s, eof);
		if (rc == 2)
			break;
		if (rc == 1) {
			size_t at = s->pos;

			s->pos += s->dlen;
			s->off = s->pos;
			if (s->start != NO_START) {
				split_emit(s, at, stmt, len, line);
				return 1;
			}
		}
	}
	if (!eof)
		return 0;
	if (s->state == SP_QUOTE || s->state == SP_BLOCK_COMMENT) {
		split_count_lines(s, s->start != NO_START ? s->start : s->off);
		return err_set(e, ERR_CORRUPT, "line %lu: script ends inside %s",
		    s->line, s->state == SP_QUOTE ? "a quoted string" :
		    "a comment");
	}
	s->off = s->pos = s->in.len;
	if (s->start == NO_START)
		return 0;
	split_emit(s, s->in.len, stmt, len, line);
	return 1;
}
