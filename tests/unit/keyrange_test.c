#include <string.h>

#include "tap.h"
#include "util/keyrange.h"

/* lit split into n, joined back with "|" ("-" when it does not split) */
static const char *
split(const char *lit, size_t n)
{
	static char out[256];
	struct strlist v = { NULL, 0 };
	size_t i;

	if (keyrange_split(lit, n, &v) == -1)
		return "-";
	out[0] = '\0';
	for (i = 0; i < v.n; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, v.v[i]);
	}
	strlist_free(&v);
	return out;
}

static const char *
range(const char *const *cols, size_t n, const char *first, int incl,
    const char *last)
{
	static char out[1024];
	struct strlist c = { NULL, 0 };
	struct buf q;
	size_t i;

	for (i = 0; i < n; i++)
		strlist_add(&c, cols[i]);
	buf_init(&q);
	keyrange_sql(&q, &c, first, incl, last);
	strcpy(out, buf_cstr(&q));
	buf_free(&q);
	strlist_free(&c);
	return out;
}

int
main(void)
{
	const char *one[] = { "id" }, *two[] = { "a", "b" },
	    *three[] = { "x", "y", "z`" };

	/* As the dump writes keys (db/rowfmt.h). */
	CHECK_STR(split("5", 1), "5");
	CHECK_STR(split("'a,b'", 1), "'a,b'");
	CHECK_STR(split("(1,'a')", 2), "1|'a'");
	CHECK_STR(split("('a,b)','c\\'d')", 2), "'a,b)'|'c\\'d'");
	CHECK_STR(split("('it''s',-2.5e+3)", 2), "'it''s'|-2.5e+3");
	CHECK_STR(split("(X'0a',_binary'\\\\',3)", 3), "X'0a'|_binary'\\\\'|3");
	CHECK_STR(split("(_utf8mb4'{\"a\": [1, 2]}',NULL)", 2),
	    "_utf8mb4'{\"a\": [1, 2]}'|NULL");
	/* Not a tuple of that many: the row comparison is kept. */
	CHECK_STR(split("(1,'a')", 3), "-");
	CHECK_STR(split("(1,'a'", 2), "-");
	CHECK_STR(split("(1,'a)", 2), "-");
	CHECK_STR(split("(1,'a'))", 2), "-");
	CHECK_STR(split("(1,,2)", 3), "-");
	CHECK_STR(split("(1,(2))", 2), "-");
	CHECK_STR(split("1,2", 2), "-");
	CHECK_STR(split("()", 2), "-");
	CHECK_STR(split("", 1), "-");

	CHECK_STR(range(one, 1, "5", 1, "9"), "(`id` >= 5 AND `id` <= 9)");
	CHECK_STR(range(one, 1, "5", 0, "9"), "(`id` > 5 AND `id` <= 9)");
	CHECK_STR(range(two, 2, "(1,'x')", 1, "(9,'y')"),
	    "(`a` >= 1 AND `a` <= 9 AND (`a` > 1 OR (`a` = 1 AND `b` >= 'x')) "
	    "AND (`a` < 9 OR (`a` = 9 AND `b` <= 'y')))");
	CHECK_STR(range(two, 2, "(1,'x')", 0, "(9,'y')"),
	    "(`a` >= 1 AND `a` <= 9 AND (`a` > 1 OR (`a` = 1 AND `b` > 'x')) "
	    "AND (`a` < 9 OR (`a` = 9 AND `b` <= 'y')))");
	CHECK_STR(range(three, 3, "(1,2,3)", 1, "(4,5,6)"),
	    "(`x` >= 1 AND `x` <= 4 AND (`x` > 1 OR (`x` = 1 AND (`y` > 2 OR "
	    "(`y` = 2 AND `z``` >= 3)))) AND (`x` < 4 OR (`x` = 4 AND (`y` < 5 "
	    "OR (`y` = 5 AND `z``` <= 6)))))");
	/* A bound that does not split: the row comparison, still right. */
	CHECK_STR(range(two, 2, "(1,'x'", 1, "(9,'y')"),
	    "((`a`,`b`) >= (1,'x' AND (`a`,`b`) <= (9,'y'))");
	return tap_done();
}
