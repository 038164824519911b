/*
 * The statement splitter: each case is split whole, one byte at a time and
 * in pieces of every size, and must give the same statements every time.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/sqlsplit.h"
#include "util/buf.h"
#include "tap.h"

/* The sql_mode flags split_all splits under (sqlsplit_set_mode). */
static int split_mode;

/* Splits script fed in pieces of size step (0: whole); statements joined by "|". */
static int
split_all(const char *script, size_t len, size_t step, struct buf *out,
    struct err *e)
{
	struct sqlsplit *s = sqlsplit_new();
	const char *stmt;
	size_t off = 0, n, slen;
	int rc = 0, eof;

	buf_reset(out);
	sqlsplit_set_mode(s, split_mode);
	do {
		n = step == 0 || len - off < step ? len - off : step;
		sqlsplit_feed(s, script + off, n);
		off += n;
		eof = off == len;
		while ((rc = sqlsplit_next(s, eof, &stmt, &slen, NULL, e)) == 1) {
			buf_append(out, stmt, slen);
			buf_append_char(out, '|');
		}
		if (rc == -1)
			break;
	} while (!eof);
	sqlsplit_free(s);
	buf_cstr(out);
	return rc;
}

/* Checks script splits to want ("a|b|") whole, bytewise and in pieces. */
static void
check_split(const char *script, const char *want)
{
	struct buf out;
	struct err e;
	size_t step, len = strlen(script);
	int same = 1;

	buf_init(&out);
	CHECK_INT(split_all(script, len, 0, &out, &e), 0);
	CHECK_STR(out.data, want);
	for (step = 1; step <= len && step < 40; step++) {
		if (split_all(script, len, step, &out, &e) != 0 ||
		    strcmp(out.data, want) != 0) {
			printf("# step %zu: \"%s\"\n", step, out.data);
			same = 0;
		}
	}
	CHECK(same);
	buf_free(&out);
}

static void
check_error(const char *script, const char *msgpart)
{
	struct buf out;
	struct err e;

	buf_init(&out);
	err_clear(&e);
	CHECK_INT(split_all(script, strlen(script), 0, &out, &e), -1);
	CHECK_INT(e.kind, ERR_CORRUPT);
	if (strstr(e.msg, msgpart) == NULL)
		printf("# message \"%s\" lacks \"%s\"\n", e.msg, msgpart);
	CHECK(strstr(e.msg, msgpart) != NULL);
	buf_free(&out);
}

static void
test_basic(void)
{
	check_split("", "");
	check_split("SELECT 1", "SELECT 1|");
	check_split("SELECT 1;", "SELECT 1|");
	check_split("  SELECT 1 ;\n\n SELECT 2;\n", "SELECT 1|SELECT 2|");
	check_split(";;; ;\n", "");
	check_split("a;b;c", "a|b|c|");
}

static void
test_quotes(void)
{
	check_split("INSERT INTO t VALUES ('a;b'),(\"c;d\");", "INSERT INTO t VALUES ('a;b'),(\"c;d\")|");
	check_split("SELECT 'it''s;', \"x\"\";\";", "SELECT 'it''s;', \"x\"\";\"|");
	check_split("SELECT 'a\\';b';x;", "SELECT 'a\\';b'|x|");
	check_split("SELECT \"a\\\";b\";x;", "SELECT \"a\\\";b\"|x|");
	check_split("SELECT 'a\\\\';x;", "SELECT 'a\\\\'|x|");
	check_split("SELECT `a;b``;c`;x", "SELECT `a;b``;c`|x|");
	/* backslash is not an escape inside identifiers */
	check_split("SELECT `a\\`;x", "SELECT `a\\`|x|");
	check_split("SELECT '-- no', '# no', '/* no */';", "SELECT '-- no', '# no', '/* no */'|");
}

static void
test_comments(void)
{
	check_split("-- head; comment\nSELECT 1; -- tail;\n", "SELECT 1|");
	check_split("# hash; comment\nSELECT 1 # c;\n;", "SELECT 1 # c;|");
	check_split("/* a; */ SELECT /* b; */ 1;", "SELECT /* b; */ 1|");
	check_split("/* multi\nline; */;SELECT 2", "SELECT 2|");
	/* "--" needs a blank after it to be a comment */
	check_split("SELECT 1--1;", "SELECT 1--1|");
	check_split("SELECT 1 --\tc;\n;", "SELECT 1 --\tc;|");
	check_split("SELECT 5 - -1;", "SELECT 5 - -1|");
	check_split("SELECT 4/2;", "SELECT 4/2|");
	check_split("SELECT 1 --", "SELECT 1 --|");
	/* executable comments are statement text; so are their delimiters */
	check_split("/*!40101 SET NAMES utf8 */;", "/*!40101 SET NAMES utf8 */|");
	check_split("CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;",
	    "CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 */|");
	check_split("/*M!100100 SELECT 1 */;", "/*M!100100 SELECT 1 */|");
	check_split("/* only a comment */", "");
	check_split("-- only\n# comments\n", "");
}

/*
 * The sql_mode a routine was created under decides where its strings end:
 * under NO_BACKSLASH_ESCAPES 'a\' is a whole string, under ANSI_QUOTES
 * "a\" is an identifier.
 */
static void
test_modes(void)
{
	split_mode = SQLSPLIT_NO_BACKSLASH_ESCAPES;
	check_split("SELECT 'a\\'; SELECT 2;", "SELECT 'a\\'|SELECT 2|");
	check_split("SELECT 'C:\\dir\\', 'it''s'; x", "SELECT 'C:\\dir\\', "
	    "'it''s'|x|");
	check_split("SELECT \"a\\\"; y", "SELECT \"a\\\"|y|");
	check_split("DELIMITER $$\nCREATE PROCEDURE p() SELECT 'x\\';$$\n"
	    "DELIMITER ;\nSELECT 1;", "CREATE PROCEDURE p() SELECT 'x\\';|"
	    "SELECT 1|");
	split_mode = SQLSPLIT_ANSI_QUOTES;
	check_split("SELECT \"a\\\"; SELECT 'b\\';'; z",
	    "SELECT \"a\\\"|SELECT 'b\\';'|z|");
	split_mode = SQLSPLIT_ANSI_QUOTES | SQLSPLIT_NO_BACKSLASH_ESCAPES;
	check_split("SELECT \"a\\\", 'b\\'; w", "SELECT \"a\\\", 'b\\'|w|");
	split_mode = 0;
	/* the default: a backslash escapes the quote */
	check_split("SELECT 'a\\';'; v", "SELECT 'a\\';'|v|");
	CHECK_INT(sqlsplit_mode_of("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES"),
	    SQLSPLIT_NO_BACKSLASH_ESCAPES);
	CHECK_INT(sqlsplit_mode_of("ANSI_QUOTES,NO_BACKSLASH_ESCAPES"),
	    SQLSPLIT_ANSI_QUOTES | SQLSPLIT_NO_BACKSLASH_ESCAPES);
	CHECK_INT(sqlsplit_mode_of("NO_BACKSLASH_ESCAPES_X,XANSI_QUOTES"), 0);
	CHECK_INT(sqlsplit_mode_of(""), 0);
	/* MariaDB's ORACLE, written by hand or expanded by the server */
	CHECK_INT(sqlsplit_mode_of("ORACLE"), SQLSPLIT_ANSI_QUOTES);
	CHECK_INT(sqlsplit_mode_of("PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,"
	    "ORACLE,NO_KEY_OPTIONS"), SQLSPLIT_ANSI_QUOTES);
	CHECK_INT(sqlsplit_mode_of("DB2,NO_BACKSLASH_ESCAPES"),
	    SQLSPLIT_ANSI_QUOTES | SQLSPLIT_NO_BACKSLASH_ESCAPES);
	CHECK_INT(sqlsplit_mode_of("ORACLEX"), 0);
	/*
	 * An ORACLE-mode package body and procedure as the backup writes them:
	 * ";" inside blocks, labels, "..." names holding the delimiter.
	 */
	split_mode = sqlsplit_mode_of("ORACLE");
	check_split("SET sql_mode='ORACLE';\nDELIMITER ;;;;\n"
	    "CREATE PACKAGE BODY \"pk\" AS\n  v INT := 1;\n"
	    "  FUNCTION g RETURN INT AS BEGIN RETURN v; END;\n"
	    "  PROCEDURE h AS BEGIN SELECT 'x;;;;y\\';;;;' FROM DUAL; END;\nEND;\n"
	    ";;;;\nDELIMITER ;\nSELECT \"a;;;;b\\\"; SELECT 2;",
	    "SET sql_mode='ORACLE'|CREATE PACKAGE BODY \"pk\" AS\n"
	    "  v INT := 1;\n  FUNCTION g RETURN INT AS BEGIN RETURN v; END;\n"
	    "  PROCEDURE h AS BEGIN SELECT 'x;;;;y\\';;;;' FROM DUAL; END;\nEND;|"
	    "SELECT \"a;;;;b\\\"|SELECT 2|");
	check_split("DELIMITER //\nCREATE PROCEDURE p(n IN INT) AS\n"
	    "  s VARCHAR2(9) := 'a;b';\nBEGIN\n  <<lbl>>\n"
	    "  FOR i IN 1..n LOOP s := s || ';'; END LOOP lbl; -- ; 'x\n"
	    "END;\n//\nDELIMITER ;\n", "CREATE PROCEDURE p(n IN INT) AS\n"
	    "  s VARCHAR2(9) := 'a;b';\nBEGIN\n  <<lbl>>\n"
	    "  FOR i IN 1..n LOOP s := s || ';'; END LOOP lbl; -- ; 'x\n"
	    "END;|");
	split_mode = 0;
}

static void
test_delimiter(void)
{
	check_split("DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END ;;\n"
	    "DELIMITER ;\nSELECT 3;",
	    "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END|SELECT 3|");
	check_split("delimiter //\nSELECT 1//SELECT 2 //\ndelimiter ;\nSELECT 3;",
	    "SELECT 1|SELECT 2|SELECT 3|");
	check_split("DELIMITER $$\nSELECT '$$'$$DELIMITER ;\nSELECT 4;",
	    "SELECT '$$'|SELECT 4|");
	/* a delimiter made of comment bytes wins over the comment */
	check_split("DELIMITER //\nSELECT 1 //\n", "SELECT 1|");
	check_split("DELIMITER ;;\nSELECT 1; SELECT 2;;", "SELECT 1; SELECT 2|");
	/* DELIMITER only where a statement begins */
	check_split("SELECT 1,\nDELIMITER ;", "SELECT 1,\nDELIMITER|");
	check_split("  DELIMITER ##\nSELECT 1##", "SELECT 1|");
	check_split("DELIMITERX;", "DELIMITERX|");
	check_split("DELIMITER ;;", "");
	check_error("DELIMITER\nSELECT 1;", "bad DELIMITER");
	check_error("SELECT 1;\nDELIMITER   \n", "line 2: bad DELIMITER");
	check_error("DELIMITER a\\b\n", "bad DELIMITER");
	check_error("DELIMITER 12345678901234567\n", "bad DELIMITER");
}

static void
test_unterminated(void)
{
	check_error("SELECT 'abc", "line 1: script ends inside a quoted string");
	check_error("SELECT 1;\nSELECT `x", "line 2: script ends inside a quoted string");
	check_error("SELECT 1; /* abc", "inside a comment");
	check_error("SELECT 'abc\\", "inside a quoted string");
}

static void
test_binary(void)
{
	static const char script[] = "INSERT INTO t VALUES ('\0;\xff\xfe'),('\\\0');\0;x";
	static const char want[] = "INSERT INTO t VALUES ('\0;\xff\xfe'),('\\\0')|\0|x|";
	struct buf out;
	struct err e;

	buf_init(&out);
	CHECK_INT(split_all(script, sizeof script - 1, 0, &out, &e), 0);
	CHECK_INT(out.len, sizeof want - 1);
	CHECK(memcmp(out.data, want, sizeof want - 1) == 0);
	buf_free(&out);
}

static void
test_lines(void)
{
	static const char script[] = "SELECT 1;\n\n-- c\nSELECT\n2;\n'a\nb';SELECT 3;";
	unsigned long lines[3], want[3] = { 1, 4, 6 };
	struct sqlsplit *s = sqlsplit_new();
	const char *stmt;
	size_t len, n = 0, i;
	struct err e;

	/* feed bytewise so compaction and counting interleave */
	for (i = 0; i < sizeof script - 1; i++) {
		sqlsplit_feed(s, script + i, 1);
		while (n < 3 && sqlsplit_next(s, i == sizeof script - 2, &stmt,
		    &len, &lines[n], &e) == 1)
			n++;
	}
	CHECK_INT(n, 3);
	for (i = 0; i < 3; i++)
		CHECK_INT(lines[i], want[i]);
	sqlsplit_free(s);
}

/* A big member: many long INSERTs split in uneven pieces; checks speed too. */
static void
test_bulk(void)
{
	struct buf script, row;
	struct sqlsplit *s = sqlsplit_new();
	const char *stmt;
	size_t off = 0, n, len, count = 0, bytes = 0, piece = 65521;
	struct err e;
	clock_t t0;
	double secs;
	int i, j, rc;

	buf_init(&script);
	buf_init(&row);
	for (i = 0; i < 64; i++) {
		buf_append_str(&script, "INSERT INTO `t` (`a`,`b`) VALUES ");
		for (j = 0; j < 4000; j++)
			buf_printf(&script, "%s(%d,'row \\'%d\\' ;with -- stuff /* x */ \"q\"')",
			    j ? "," : "", j, i);
		buf_append_str(&script, ";\n");
	}
	t0 = clock();
	while (off < script.len) {
		n = script.len - off < piece ? script.len - off : piece;
		sqlsplit_feed(s, script.data + off, n);
		off += n;
		while ((rc = sqlsplit_next(s, off == script.len, &stmt, &len,
		    NULL, &e)) == 1) {
			count++;
			bytes += len + 2;
		}
		CHECK(rc != -1);
	}
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK_INT(count, 64);
	CHECK_INT(bytes, script.len);
	printf("# split %zu bytes in %.3f s (%.0f MB/s)\n", script.len, secs,
	    secs > 0 ? script.len / secs / 1e6 : 0.0);
	sqlsplit_free(s);
	buf_free(&script);
	buf_free(&row);
}

int
main(void)
{
	test_basic();
	test_quotes();
	test_comments();
	test_delimiter();
	test_modes();
	test_unterminated();
	test_binary();
	test_lines();
	test_bulk();
	return tap_done();
}
