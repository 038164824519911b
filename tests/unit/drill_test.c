/* Restore drills: scratch names, comparability, verdicts, the record. */
#include <string.h>

#include "policy/drill_plan.h"
#include "tap.h"

static void
names(void)
{
	char a[DRILL_NAME_MAX + 1], b[DRILL_NAME_MAX + 1];
	char big[200];

	drill_scratch_name("db1", "20261206T002141Z", "Shop", a);
	CHECK(strncmp(a, DRILL_PREFIX, strlen(DRILL_PREFIX)) == 0);
	CHECK(strstr(a, "_20261206t002141z_") != NULL);
	CHECK(strcmp(a + strlen(a) - 5, "_shop") == 0);
	CHECK(drill_is_scratch("db1", a));
	CHECK(!drill_is_scratch("db2", a));
	CHECK(!drill_is_scratch("db1", "shop"));
	/* Case twins and names that sanitize alike stay apart. */
	drill_scratch_name("db1", "20261206T002141Z", "shop", b);
	CHECK(strcmp(a, b) != 0);
	drill_scratch_name("db1", "20261206T002141Z", "sh`op", b);
	CHECK(strcmp(a, b) != 0);
	CHECK(strspn(b, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(b));
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	drill_scratch_name("db1", "20261206T002141Z", big, a);
	CHECK_INT((long long)strlen(a), DRILL_NAME_MAX);
	drill_scratch_name("db1", "20261206T002141Z", "", a);
	CHECK(strlen(a) < DRILL_NAME_MAX);
}

static void
comparable(void)
{
	CHECK(drill_comparable("10.11.6-MariaDB-0+deb12u1", "10.11.9-MariaDB"));
	CHECK(!drill_comparable("10.11.6-MariaDB", "11.8.2-MariaDB"));
	CHECK(!drill_comparable("10.11.6-MariaDB", "10.1.6-MariaDB"));
	CHECK(drill_comparable("9.7.0", "9.7.1"));
	CHECK(!drill_comparable("9.7.0", "8.4.3"));
	CHECK(!drill_comparable("11.8.2-MariaDB", "11.8.2"));
	CHECK(!drill_comparable(NULL, "9.7.0"));
	CHECK(!drill_comparable("garbage", "garbage"));
}

static void
verdicts(void)
{
	CHECK_INT(drill_table(5, 5, "123", "123", 1), DRILL_OK);
	CHECK_INT(drill_table(5, 4, "123", "123", 1), DRILL_ROWS);
	CHECK_INT(drill_table(5, 5, "123", "124", 1), DRILL_CHECKSUM);
	CHECK_INT(drill_table(5, 5, "123", NULL, 1), DRILL_CHECKSUM);
	CHECK_INT(drill_table(5, 5, "123", "124", 0), DRILL_OK);
	CHECK_INT(drill_table(5, 5, NULL, "124", 1), DRILL_OK);
}

static void
record(void)
{
	struct drill_record r, back;
	struct buf b;
	struct err e;

	memset(&r, 0, sizeof r);
	r.ok = 1;
	r.finished = 1797116400;
	r.restore_secs = 12.5;
	r.tables = 7;
	r.failed = 0;
	r.sums = DRILL_SUMS_NOT_COMPARABLE;
	strcpy(r.target, "db-2.x");
	buf_init(&b);
	drill_record_format(&r, &b);
	CHECK_INT(drill_record_parse(b.data, b.len, &back, &e), 0);
	CHECK_INT(back.ok, 1);
	CHECK_INT((long long)back.finished, 1797116400);
	CHECK(back.restore_secs == 12.5);
	CHECK_INT((long long)back.tables, 7);
	CHECK_INT(back.sums, DRILL_SUMS_NOT_COMPARABLE);
	CHECK_STR(back.target, "db-2.x");
	buf_free(&b);
	CHECK_INT(drill_record_parse("myship-drill 1 ok 1 2 3 4 compared h",
	    36, &back, &e), -1);	/* 4 wrong of 3 */
	CHECK_INT(drill_record_parse("myship-drill 1 ok 1 2 3 1 compared h x",
	    38, &back, &e), -1);
	CHECK_INT(drill_record_parse("myship-drill 1 ok 1 2 3 1 sure h", 32,
	    &back, &e), -1);
	CHECK_INT(drill_record_parse("myship-drill 1 ok 1 2 3 1 compared h/",
	    37, &back, &e), -1);
	CHECK_INT(e.kind, ERR_CORRUPT);
}

int
main(void)
{
	names();
	comparable();
	verdicts();
	record();
	return tap_done();
}
