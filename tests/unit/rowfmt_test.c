#include <stdlib.h>
#include <string.h>

#include "db/rowfmt.h"
#include "tap.h"

/* The escaping rowfmt must match, one byte at a time. */
static void
ref_string(struct buf *b, const unsigned char *p, size_t n)
{
	size_t i;

	buf_append_char(b, '\'');
	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case 0: buf_append(b, "\\0", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\'': buf_append(b, "\\'", 2); break;
		case '"': buf_append(b, "\\\"", 2); break;
		case 0x1a: buf_append(b, "\\Z", 2); break;
		default: buf_append_char(b, (char)p[i]);
		}
	}
	buf_append_char(b, '\'');
}

/*
 * Random strings of every length up to 100 (the vector path takes 16
 * bytes at a time, the tail one by one), with special bytes at random
 * places, compared with the reference.
 */
static int
random_strings(void)
{
	static const unsigned char pool[] = { 0, '\n', '\r', '\\', '\'', '"',
	    0x1a, 0x1f, 0x20, 0x7f, 0x80, 0xff, 'a', 'Z', '0', 0x19, 0x1b };
	unsigned char s[128];
	struct buf a, b;
	size_t n, i, k;
	int bad = 0;

	buf_init(&a);
	buf_init(&b);
	srand(1);
	for (k = 0; k < 20000; k++) {
		n = (size_t)rand() % 101;
		for (i = 0; i < n; i++)
			s[i] = rand() % 4 == 0 ?
			    pool[(size_t)rand() % sizeof pool] :
			    (unsigned char)(rand() % 256);
		buf_reset(&a);
		buf_reset(&b);
		buf_append(&a, "x", 1);	/* unaligned output */
		buf_append(&b, "x", 1);
		rowfmt_string(&a, (const char *)s, n);
		ref_string(&b, s, n);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			bad++;
	}
	buf_free(&a);
	buf_free(&b);
	return bad;
}

static const char *
fmt(enum col_kind k, const char *p, size_t n, struct buf *b)
{
	buf_reset(b);
	rowfmt_value(b, k, p, n);
	return buf_cstr(b);
}

int
main(void)
{
	struct buf b;
	char *row[4] = { "1", NULL, "a'b", "\x05" };
	unsigned long lens[4] = { 1, 0, 3, 1 };
	enum col_kind kinds[4] = { COL_NUMBER, COL_STRING, COL_STRING, COL_BIT };
	char big[1000];

	buf_init(&b);
	CHECK_STR(fmt(COL_STRING, NULL, 0, &b), "NULL");
	CHECK_STR(fmt(COL_NUMBER, NULL, 0, &b), "NULL");
	CHECK_STR(fmt(COL_STRING, "", 0, &b), "''");
	CHECK_STR(fmt(COL_STRING, "abc", 3, &b), "'abc'");
	CHECK_STR(fmt(COL_STRING, "a\0b", 3, &b), "'a\\0b'");
	CHECK_STR(fmt(COL_STRING, "\n\r\\'\"\x1a", 6, &b),
	    "'\\n\\r\\\\\\'\\\"\\Z'");
	CHECK_STR(fmt(COL_STRING, "\xff\xfe\x80", 3, &b), "'\xff\xfe\x80'");
	CHECK_STR(fmt(COL_STRING, "NULL", 4, &b), "'NULL'");
	CHECK_STR(fmt(COL_JSON, "{\"a\": \"b'c\"}", 12, &b),
	    "_utf8mb4'{\\\"a\\\": \\\"b\\'c\\\"}'");
	CHECK_STR(fmt(COL_JSON, NULL, 0, &b), "NULL");
	CHECK_STR(fmt(COL_NUMBER, "-12.50", 6, &b), "-12.50");
	CHECK_STR(fmt(COL_NUMBER, "18446744073709551615", 20, &b),
	    "18446744073709551615");
	CHECK_STR(fmt(COL_FLOAT, "1.2e-45", 7, &b), "1.2e-45");
	/* An ENUM's index: 0 is the error value, never the '' member. */
	CHECK_STR(fmt(COL_ENUM_INDEX, "0", 1, &b), "0");
	CHECK_STR(fmt(COL_ENUM_INDEX, "3", 1, &b), "3");
	/* A server that sends SQL where a number belongs gets it quoted. */
	CHECK_STR(fmt(COL_NUMBER, "1);DROP", 7, &b), "'1);DROP'");
	CHECK_STR(fmt(COL_NUMBER, "", 0, &b), "''");
	CHECK_STR(fmt(COL_BIT, "\x00\xa5", 2, &b), "X'00A5'");
	buf_reset(&b);
	rowfmt_row(&b, kinds, 4, row, lens);
	CHECK_STR(buf_cstr(&b), "(1,NULL,'a\\'b',X'05')");
	/* Worst case growth: every byte escaped. */
	memset(big, '\'', sizeof big);
	fmt(COL_STRING, big, sizeof big, &b);
	CHECK_INT(b.len, 2 * sizeof big + 2);
	buf_free(&b);
	CHECK_INT(random_strings(), 0);
	return tap_done();
}
