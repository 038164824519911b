#include "db/rowfmt.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Non-zero: the escape letter that follows a backslash. */
static const unsigned char esc_table[256] = {
	['\0'] = '0', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\',
	['\''] = '\'', ['"'] = '"', [0x1a] = 'Z',
};

/* Characters of a number's text: digits, sign, point, exponent. */
static const unsigned char num_table[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['-'] = 1, ['+'] = 1,
	['.'] = 1, ['e'] = 1, ['E'] = 1,
};

static const char hexdig[] = "0123456789ABCDEF";

/*
 * Writes the escaped bytes of s[0..n) at o (room for 2n) and returns the
 * new end.  With SSE2, 16 bytes at a time are copied as they are when none
 * of them is below 0x20 or one of ' " \ (every byte esc_table escapes is).
 */
static char *
esc_copy(char *o, const unsigned char *s, size_t n)
{
	const unsigned char *end = s + n;
	unsigned char c, x;
#ifdef __SSE2__
	const __m128i lim = _mm_set1_epi8(0x1f), q1 = _mm_set1_epi8('\''),
	    q2 = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	__m128i v, m;
	unsigned mask;

	while (end - s >= 16) {
		v = _mm_loadu_si128((const __m128i *)s);
		m = _mm_cmpeq_epi8(_mm_min_epu8(v, lim), v);
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, q1));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, q2));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(v, bs));
		mask = (unsigned)_mm_movemask_epi8(m);
		if (mask == 0) {
			_mm_storeu_si128((__m128i *)o, v);
			o += 16;
			s += 16;
			continue;
		}
		/* Copy up to the first candidate, then take it alone. */
		n = (size_t)__builtin_ctz(mask);
		memcpy(o, s, n);
		o += n;
		s += n;
		c = *s++;
		if ((x = esc_table[c]) != 0) {
			*o++ = '\\';
			*o++ = (char)x;
		} else
			*o++ = (char)c;
	}
#endif
	while (s < end) {
		c = *s++;
		if ((x = esc_table[c]) != 0) {
			*o++ = '\\';
			*o++ = (char)x;
		} else
			*o++ = (char)c;
	}
	return o;
}

/* Writes 'p' quoted and escaped at o (room for 2n + 2). */
static char *
put_string(char *o, const char *p, size_t n)
{
	*o++ = '\'';
	o = esc_copy(o, (const unsigned char *)p, n);
	*o++ = '\'';
	return o;
}

/* Writes X'..' at o (room for 2n + 3). */
static char *
put_hex(char *o, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i;

	*o++ = 'X';
	*o++ = '\'';
	for (i = 0; i < n; i++) {
		*o++ = hexdig[s[i] >> 4];
		*o++ = hexdig[s[i] & 15];
	}
	*o++ = '\'';
	return o;
}

/*
 * A value that is not a number's text (a hostile or broken server) is
 * quoted instead, which the column type converts back or rejects on
 * restore.
 */
static int
is_number(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!num_table[s[i]])
			return 0;
	return 1;
}

/* Writes one value at o (room for 2n + ROWFMT_VALUE_EXTRA), returns the end. */
static char *
put_value(char *o, enum col_kind kind, const char *p, size_t n)
{
	if (p == NULL) {
		memcpy(o, "NULL", 4);
		return o + 4;
	}
	switch (kind) {
	case COL_NUMBER:
	case COL_FLOAT:
	case COL_ENUM_INDEX:
		if (is_number(p, n)) {
			memcpy(o, p, n);
			return o + n;
		}
		break;
	case COL_BIT:
		return put_hex(o, p, n);
	case COL_JSON:
		memcpy(o, "_utf8mb4", 8);
		return put_string(o + 8, p, n);
	case COL_STRING:
		break;
	}
	return put_string(o, p, n);
}

void
rowfmt_string(struct buf *b, const char *p, size_t n)
{
	buf_reserve(b, 2 * n + 2);
	b->len = (size_t)(put_string(b->data + b->len, p, n) - b->data);
}

void
rowfmt_value(struct buf *b, enum col_kind kind, const char *p, size_t n)
{
	buf_reserve(b, 2 * n + ROWFMT_VALUE_EXTRA);
	b->len = (size_t)(put_value(b->data + b->len, kind, p, n) - b->data);
}

void
rowfmt_row(struct buf *b, const enum col_kind *kinds, size_t ncols,
    char **row, const unsigned long *lens)
{
	size_t i, room = 2;
	char *o;

	/* One reservation for the row's worst case: every byte escaped. */
	for (i = 0; i < ncols; i++)
		room += 2 * (size_t)lens[i] + ROWFMT_VALUE_EXTRA + 1;
	buf_reserve(b, room);
	o = b->data + b->len;
	*o++ = '(';
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			*o++ = ',';
		o = put_value(o, kinds[i], row[i], lens[i]);
	}
	*o++ = ')';
	b->len = (size_t)(o - b->data);
}
