#include <stdlib.h>
#include <string.h>

#include "db/insert_cut.h"
#include "tap.h"

/* Every piece of q at limit, joined with " | ", or "ERR <size>". */
static char *
cut_all(const char *q, size_t limit, int backslash)
{
	struct insert_cut c;
	struct buf out;
	const char *s;
	size_t sn;
	int rc;

	if (!insert_cut_init(&c, q, strlen(q), limit, backslash))
		return strdup("NOT");
	buf_init(&out);
	while ((rc = insert_cut_next(&c, &s, &sn)) == 1) {
		if (out.len > 0)
			buf_append_str(&out, " | ");
		if (sn > limit)
			buf_append_str(&out, "OVER ");
		buf_append(&out, s, sn);
	}
	if (rc == -1)
		buf_printf(&out, "%sERR %zu", out.len > 0 ? " | " : "", sn);
	insert_cut_free(&c);
	return buf_cstr(&out);
}

static void
check_cut(const char *q, size_t limit, int backslash, const char *want)
{
	char *got = cut_all(q, limit, backslash);

	CHECK_STR(got, want);
	free(got);
}

int
main(void)
{
	static const char *q =
	    "INSERT INTO `t` (`a`,`b`) VALUES\n(1,'x'),\n(2,'y'),\n(3,'z')";

	/* Everything fits: one statement, the same text. */
	check_cut(q, 1000, 1, q);
	/* Head is 33 bytes, a row 7: two rows fit in 33 + 7 + 3 + 7 = 50. */
	check_cut(q, 50, 1, "INSERT INTO `t` (`a`,`b`) VALUES\n(1,'x'),\n(2,'y') | "
	    "INSERT INTO `t` (`a`,`b`) VALUES\n(3,'z')");
	check_cut(q, 40, 1, "INSERT INTO `t` (`a`,`b`) VALUES\n(1,'x') | "
	    "INSERT INTO `t` (`a`,`b`) VALUES\n(2,'y') | "
	    "INSERT INTO `t` (`a`,`b`) VALUES\n(3,'z')");
	/* A row alone is too long: its statement's size. */
	check_cut(q, 39, 1, "ERR 40");
	check_cut("INSERT INTO `t` VALUES (1),(22222222),(3)", 30, 1,
	    "INSERT INTO `t` VALUES (1) | ERR 33");
	/* mysqldump's shape, a qualified name, lower case. */
	check_cut("insert into `d`.`t` values (1),(2)", 30, 1,
	    "insert into `d`.`t` values (1) | insert into `d`.`t` values (2)");
	/* Row ends inside strings are not row ends; escapes and doubled quotes. */
	check_cut("INSERT INTO `t` VALUES ('),\\n(\\''),('a''),(b'),(\"),(\")",
	    40, 1, "INSERT INTO `t` VALUES ('),\\n(\\'') | "
	    "INSERT INTO `t` VALUES ('a''),(b') | INSERT INTO `t` VALUES (\"),(\")");
	/* Under NO_BACKSLASH_ESCAPES a backslash ends nothing early. */
	check_cut("INSERT INTO `t` VALUES ('a\\'),('b')", 30, 0,
	    "INSERT INTO `t` VALUES ('a\\') | INSERT INTO `t` VALUES ('b')");
	check_cut("INSERT INTO `t` VALUES ('a\\'),('b')", 30, 1, "NOT");
	/* Parentheses inside a row. */
	check_cut("INSERT INTO `t` VALUES (POINT(1,2)),(3)", 38, 1,
	    "INSERT INTO `t` VALUES (POINT(1,2)) | INSERT INTO `t` VALUES (3)");
	/* Other shapes are not cut. */
	check_cut("INSERT INTO `t` VALUES (1),(2) ON DUPLICATE KEY UPDATE a=1", 30,
	    1, "NOT");
	check_cut("INSERT INTO `t` SELECT 1", 30, 1, "NOT");
	check_cut("INSERT INTO t VALUES (1)", 30, 1, "NOT");
	check_cut("INSERT INTO `t` VALUES (1),", 30, 1, "NOT");
	check_cut("INSERT INTO `t` VALUES (1", 30, 1, "NOT");
	check_cut("INSERT INTO `t` VALUES ('1)", 30, 1, "NOT");
	check_cut("INSERT INTO `t` VALUES (1))", 30, 1, "NOT");
	check_cut("INSERT INTO `t` (`a` VALUES (1)", 30, 1, "NOT");
	check_cut("INSERTINTO `t` VALUES (1)", 30, 1, "NOT");
	check_cut("CREATE TABLE `t` (a int)", 30, 1, "NOT");
	check_cut("", 30, 1, "NOT");
	return tap_done();
}
