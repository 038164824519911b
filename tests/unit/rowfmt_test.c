#include <stdlib.h>
#include <string.h>

#include "db/rowfmt.h"
#include "tap.h"

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
	CHECK_STR(fmt(COL_NUMBER, "-12.50", 6, &b), "-12.50");
	CHECK_STR(fmt(COL_NUMBER, "18446744073709551615", 20, &b),
	    "18446744073709551615");
	CHECK_STR(fmt(COL_FLOAT, "1.2e-45", 7, &b), "1.2e-45");
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
	return tap_done();
}
