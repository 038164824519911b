#include "db/rowfmt.h"

#include <string.h>

/* Non-zero: the escape letter that follows a backslash. */
static const unsigned char esc_table[256] = {
	['\0'] = '0', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\',
	['\''] = '\'', ['"'] = '"', [0x1a] = 'Z',
};

static const char hexdig[] = "0123456789ABCDEF";

void
rowfmt_string(struct buf *b, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p, *end = s + n;
	char *o;

	buf_reserve(b, 2 * n + 2);
	o = b->data + b->len;
	*o++ = '\'';
	while (s < end) {
		unsigned char c = *s++, x = esc_table[c];

		if (x != 0) {
			*o++ = '\\';
			*o++ = (char)x;
		} else
			*o++ = (char)c;
	}
	*o++ = '\'';
	b->len = (size_t)(o - b->data);
}

static void
rowfmt_hex(struct buf *b, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	char *o;
	size_t i;

	buf_reserve(b, 2 * n + 3);
	o = b->data + b->len;
	*o++ = 'X';
	*o++ = '\'';
	for (i = 0; i < n; i++) {
		*o++ = hexdig[s[i] >> 4];
		*o++ = hexdig[s[i] & 15];
	}
	*o++ = '\'';
	b->len = (size_t)(o - b->data);
}

/*
 * The text of a number: digits, sign, point, exponent.  A value that is
 * not one (a hostile or broken server) is quoted instead, which the column
 * type converts back or rejects on restore.
 */
static int
rowfmt_is_number(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!((c >= '0' && c <= '9') || c == '-' || c == '+' ||
		    c == '.' || c == 'e' || c == 'E'))
			return 0;
	}
	return 1;
}

void
rowfmt_value(struct buf *b, enum col_kind kind, const char *p, size_t n)
{
	if (p == NULL) {
		buf_append(b, "NULL", 4);
		return;
	}
	switch (kind) {
	case COL_NUMBER:
	case COL_FLOAT:
		if (rowfmt_is_number(p, n)) {
			buf_append(b, p, n);
			return;
		}
		break;
	case COL_BIT:
		rowfmt_hex(b, p, n);
		return;
	case COL_STRING:
		break;
	}
	rowfmt_string(b, p, n);
}

void
rowfmt_row(struct buf *b, const enum col_kind *kinds, size_t ncols,
    char **row, const unsigned long *lens)
{
	size_t i;

	buf_append_char(b, '(');
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			buf_append_char(b, ',');
		rowfmt_value(b, kinds[i], row[i], lens[i]);
	}
	buf_append_char(b, ')');
}
