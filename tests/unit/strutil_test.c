/* Strict value parsers, SQL quoting and member-name encoding. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/json.h"
#include "util/names.h"
#include "util/strutil.h"

static void
test_size_duration(void)
{
	int64_t v;

	CHECK_INT(parse_size("64M", &v), 0); CHECK_INT(v, 64LL << 20);
	CHECK_INT(parse_size("1GiB", &v), 0); CHECK_INT(v, 1LL << 30);
	CHECK_INT(parse_size("100", &v), 0); CHECK_INT(v, 100);
	CHECK_INT(parse_size("", &v), -1);
	CHECK_INT(parse_size("-1M", &v), -1);
	CHECK_INT(parse_size("1.5G", &v), -1);
	CHECK_INT(parse_size("64 M", &v), -1);
	CHECK_INT(parse_size("99999999999T", &v), -1);
	CHECK_INT(parse_duration("7d", &v), 0); CHECK_INT(v, 7 * 86400);
	CHECK_INT(parse_duration("36h", &v), 0); CHECK_INT(v, 36 * 3600);
	CHECK_INT(parse_duration("1d12h", &v), 0); CHECK_INT(v, 36 * 3600);
	CHECK_INT(parse_duration("90", &v), 0); CHECK_INT(v, 90);
	CHECK_INT(parse_duration("1d12", &v), -1);
	CHECK_INT(parse_duration("d", &v), -1);
	CHECK_INT(parse_duration("7 d", &v), -1);
	CHECK_INT(parse_duration("-7d", &v), -1);
}

static void
test_quote(void)
{
	struct buf b;
	char *q;

	buf_init(&b);
	sql_quote_ident(&b, "a`b");
	CHECK_STR(buf_cstr(&b), "`a``b`");
	buf_reset(&b);
	sql_quote_string(&b, "it's \\ \0x", 9);
	CHECK_INT(b.len, 14);
	CHECK(memcmp(b.data, "'it''s \\\\ \\0x'", 14) == 0);
	buf_free(&b);
	q = sql_qualified("d.b", "t`");
	CHECK_STR(q, "`d.b`.`t```");
	free(q);
	/* Databases `ab` and `AB` are two: the match must be exact. */
	buf_init(&b);
	sql_name_equals(&b, "TABLE_SCHEMA", "A'b");
	CHECK_STR(buf_cstr(&b), "TABLE_SCHEMA = 'A''b' AND "
	    "CAST(TABLE_SCHEMA AS BINARY) = 'A''b'");
	buf_free(&b);
}

static void
roundtrip(const char *s, size_t len)
{
	char *enc = name_encode(s, len), *dec, *p;
	size_t outlen = 0;

	for (p = enc; *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_-%", *p))
			break;
	CHECK(*p == '\0');
	CHECK(strcmp(enc, ".") != 0 && strcmp(enc, "..") != 0);
	CHECK(strchr(enc, '/') == NULL);
	dec = name_decode(enc, &outlen);
	CHECK(dec != NULL && outlen == len && memcmp(dec, s, len) == 0);
	free(enc);
	free(dec);
}

static void
test_names(void)
{
	char *d;

	roundtrip("plain_name", 10);
	roundtrip("..", 2);
	roundtrip("a/b/../c", 8);
	roundtrip("with space\nnewline", 18);
	roundtrip("caf\xc3\xa9 \xf0\x9f\x90\xac", 10);
	roundtrip("\xff\xfe%25", 5);
	d = name_encode("a.b", 3);
	CHECK_STR(d, "a%2Eb");
	free(d);
	CHECK(name_decode("%2e", NULL) == NULL);	/* lower-case hex */
	CHECK(name_decode("%41", NULL) == NULL);	/* needless escape */
	CHECK(name_decode("%00", NULL) == NULL);
	CHECK(name_decode("a.b", NULL) == NULL);
	CHECK(name_decode("%4", NULL) == NULL);
	CHECK(name_decode("../x", NULL) == NULL);
}

static void
test_json(void)
{
	struct buf b;

	buf_init(&b);
	json_append_string(&b, "a\"b\\c\n\x7f caf\xc3\xa9 \xff\xc3(");
	CHECK_STR(buf_cstr(&b),
	    "\"a\\\"b\\\\c\\u000a\\u007f caf\xc3\xa9 \\ufffd\\ufffd(\"");
	buf_reset(&b);
	json_append_string(&b, NULL);
	CHECK_STR(buf_cstr(&b), "null");
	buf_reset(&b);
	json_append_string(&b, "\xc0\x80\xed\xa0\x80");	/* overlong, surrogate */
	CHECK_STR(buf_cstr(&b), "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	buf_free(&b);
}

int
main(void)
{
	test_json();
	test_size_duration();
	test_quote();
	test_names();
	return tap_done();
}
