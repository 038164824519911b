/* db/insert_cut.h: cutting a multi-row INSERT to fit max_allowed_packet. */
#include "db/insert_cut.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static size_t
skip_blanks(const char *q, size_t n, size_t i)
{
	while (i < n && is_blank(q[i]))
		i++;
	return i;
}

/* Past the `quoted` identifier at i (`db`.`t` too); 0 if there is none. */
static size_t
skip_name(const char *q, size_t n, size_t i)
{
	for (;;) {
		if (i >= n || q[i] != '`')
			return 0;
		for (i++; i < n; i++) {
			if (q[i] != '`')
				continue;
			if (i + 1 < n && q[i + 1] == '`') {
				i++;
				continue;
			}
			break;
		}
		if (i++ >= n)
			return 0;
		if (i >= n || q[i] != '.')
			return i;
		i++;
	}
}

/* Past a word (case-insensitive) and the blanks after it; 0 if not there. */
static size_t
skip_word(const char *q, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);

	if (n - i < k || strncasecmp(q + i, w, k) != 0 ||
	    (i + k < n && (isalnum((unsigned char)q[i + k]) || q[i + k] == '_')))
		return 0;
	return skip_blanks(q, n, i + k);
}

/* Offset of the first row's '(' of INSERT INTO `T` [(`a`,...)] VALUES. */
static size_t
values_start(const char *q, size_t n)
{
	size_t i;

	if ((i = skip_word(q, n, 0, "INSERT")) == 0 ||
	    (i = skip_word(q, n, i, "INTO")) == 0 ||
	    (i = skip_name(q, n, i)) == 0)
		return 0;
	i = skip_blanks(q, n, i);
	if (i < n && q[i] == '(') {
		do {
			i = skip_blanks(q, n, i + 1);
			if ((i = skip_name(q, n, i)) == 0)
				return 0;
			i = skip_blanks(q, n, i);
		} while (i < n && q[i] == ',');
		if (i >= n || q[i] != ')')
			return 0;
		i = skip_blanks(q, n, i + 1);
	}
	if ((i = skip_word(q, n, i, "VALUES")) == 0 || i >= n || q[i] != '(')
		return 0;
	return i;
}

/* Past the row (...) at i, read as the server reads it; 0 if malformed. */
static size_t
row_end(const char *q, size_t n, size_t i, int backslash)
{
	size_t depth = 0;
	char quote;

	for (; i < n; i++) {
		if (q[i] == '(')
			depth++;
		else if (q[i] == ')') {
			if (depth == 0)
				return 0;
			if (--depth == 0)
				return i + 1;
		} else if (q[i] == '\'' || q[i] == '"') {
			quote = q[i];
			for (i++; i < n; i++) {
				if (backslash && q[i] == '\\')
					i++;
				else if (q[i] == quote) {
					if (i + 1 < n && q[i + 1] == quote)
						i++;
					else
						break;
				}
			}
			if (i >= n)
				return 0;
		}
	}
	return 0;
}

/* Offset of the row after the one ending at i, n when it was the last. */
static size_t
next_row(const char *q, size_t n, size_t i)
{
	i = skip_blanks(q, n, i);
	if (i == n)
		return n;
	if (q[i] != ',')
		return 0;
	i = skip_blanks(q, n, i + 1);
	return i < n && q[i] == '(' ? i : 0;
}

int
insert_cut_init(struct insert_cut *c, const char *q, size_t n, size_t limit,
    int backslash)
{
	size_t start, i;

	if ((start = values_start(q, n)) == 0)
		return 0;
	for (i = start; i < n;)
		if ((i = row_end(q, n, i, backslash)) == 0 ||
		    (i = next_row(q, n, i)) == 0)
			return 0;
	memset(c, 0, sizeof *c);
	c->q = q;
	c->n = n;
	c->head = start;
	c->pos = start;
	c->limit = limit;
	c->backslash = backslash;
	buf_init(&c->out);
	return 1;
}

int
insert_cut_next(struct insert_cut *c, const char **s, size_t *sn)
{
	size_t end = c->pos, last = 0, next, i = c->pos;

	if (i >= c->n)
		return 0;
	/* Whole rows while head + rows fit; init checked they all read. */
	while (i < c->n) {
		end = row_end(c->q, c->n, i, c->backslash);
		if (c->head + (end - c->pos) > c->limit)
			break;
		last = end;
		i = next_row(c->q, c->n, end);
	}
	if (last == 0) {
		*sn = c->head + (end - c->pos);
		return -1;
	}
	buf_reset(&c->out);
	buf_append(&c->out, c->q, c->head);
	buf_append(&c->out, c->q + c->pos, last - c->pos);
	next = next_row(c->q, c->n, last);
	c->pos = next;
	*s = c->out.data;
	*sn = c->out.len;
	return 1;
}

void
insert_cut_free(struct insert_cut *c)
{
	buf_free(&c->out);
}
