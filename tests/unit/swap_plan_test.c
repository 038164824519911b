/* restore --swap decided: names, LIKE, accounts, the RENAME, step order. */
#include <string.h>

#include "policy/swap_plan.h"
#include "tap.h"

static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
test_names(void)
{
	char sh[SWAP_NAME_MAX], ar[SWAP_NAME_MAX], sh2[SWAP_NAME_MAX];
	char longdb[200];
	char utf[64 * 3 + 1];
	int i;

	swap_names("shop", sh, ar);
	CHECK_STR(sh, "_myship_new_shop_a847e0a9");
	CHECK(strncmp(ar, "_myship_old_shop_", 17) == 0);
	CHECK_STR(ar + 17, sh + 17);
	memset(longdb, 'x', 64);
	longdb[64] = '\0';
	swap_names(longdb, sh, ar);
	CHECK_INT(chars(sh), 64);
	CHECK_INT(chars(ar), 64);
	longdb[63] = 'y';		/* cut alike, hashed apart */
	swap_names(longdb, sh2, ar);
	CHECK(strcmp(sh, sh2) != 0);
	utf[0] = '\0';
	for (i = 0; i < 64; i++)
		strcat(utf, "\xe2\x82\xac");	/* 64 euro signs */
	swap_names(utf, sh, ar);
	CHECK_INT(chars(sh), 64);
	CHECK(strlen(sh) < SWAP_NAME_MAX);
}

static void
test_like(void)
{
	CHECK(swap_like("shop", "shop"));
	CHECK(!swap_like("shop", "shops"));
	CHECK(swap_like("sh%", "shop"));
	CHECK(swap_like("s_op", "shop"));
	CHECK(swap_like("%", ""));
	CHECK(!swap_like("my\\_db", "myxdb"));
	CHECK(swap_like("my\\_db", "my_db"));
	CHECK(swap_like("%p", "shop"));
	CHECK(!swap_like("%x", "shop"));
}

static void
test_accounts(void)
{
	struct swap_account a[] = {
		{ "app", "%", 1 }, { "report", "10.%", 1 }, { "root", "localhost", 0 },
		{ "myship", "localhost", 1 }, { "app", "localhost", 0 },
	};
	char *pv[] = { "app", "rep*@10.*" };
	struct strlist pats = { pv, 2 }, none = { NULL, 0 };
	char *pv2[] = { "myship" };
	struct strlist self = { pv2, 1 };
	int pick[5];

	CHECK_INT(swap_pick_accounts(a, 5, &none, "myship", "localhost", pick),
	    2);
	CHECK(pick[0] && pick[1] && !pick[2] && !pick[3] && !pick[4]);
	CHECK_INT(swap_pick_accounts(a, 5, &pats, "myship", "localhost", pick),
	    3);
	CHECK(pick[0] && pick[1] && !pick[2] && !pick[3] && pick[4]);
	CHECK_INT(swap_pick_accounts(a, 5, &self, "myship", "localhost", pick),
	    0);
	CHECK_INT(swap_pick_accounts(a, 5, NULL, "root", "localhost", pick), 3);
}

static void
test_rename(void)
{
	char *ov[] = { "t1", "we`ird" }, *nv[] = { "t1", "t2" };
	struct strlist old = { ov, 2 }, new = { nv, 2 }, none = { NULL, 0 };
	struct buf b;

	buf_init(&b);
	CHECK_INT(swap_rename_sql("db", "new", "old", &old, &new, &b), 0);
	CHECK_STR(buf_cstr(&b), "RENAME TABLE `db`.`t1` TO `old`.`t1`, "
	    "`db`.`we``ird` TO `old`.`we``ird`, `new`.`t1` TO `db`.`t1`, "
	    "`new`.`t2` TO `db`.`t2`");
	CHECK_INT(swap_rename_sql("db", "new", "old", &none, &new, &b), 0);
	CHECK_STR(buf_cstr(&b), "RENAME TABLE `new`.`t1` TO `db`.`t1`, "
	    "`new`.`t2` TO `db`.`t2`");
	CHECK_INT(swap_rename_sql("db", "new", "old", &none, &none, &b), -1);
	buf_free(&b);
}

static void
test_steps(void)
{
	int i;

	for (i = 0; i < SWAP_NSTEPS; i++)
		CHECK_INT(swap_step_parse(swap_step_name((enum swap_step)i)), i);
	CHECK_INT(swap_step_parse("nope"), -1);
	CHECK(SWAP_JOURNAL < SWAP_LOCK && SWAP_LOCK < SWAP_KILL);
	CHECK(SWAP_TRIGGERS < SWAP_RENAME && SWAP_RENAME < SWAP_POST &&
	    SWAP_POST < SWAP_UNLOCK);
	CHECK(swap_step_stoppable(SWAP_GRACE));
	CHECK(swap_step_stoppable(SWAP_KILL));
	CHECK(!swap_step_stoppable(SWAP_TRIGGERS));
	CHECK(!swap_step_stoppable(SWAP_POST));
	CHECK(swap_grace_over(10, 30000, 0));
	CHECK(!swap_grace_over(10, 30000, 2));
	CHECK(swap_grace_over(30000, 30000, 2));
}

static void
test_rerun(void)
{
	CHECK_INT(swap_rerun(0, 0, 1), SWAP_RERUN_FRESH);
	CHECK_INT(swap_rerun(0, 3, 0), SWAP_RERUN_FRESH);
	CHECK_INT(swap_rerun(1, 3, 1), SWAP_RERUN_FRESH);	/* not renamed */
	CHECK_INT(swap_rerun(1, 3, 0), SWAP_RERUN_FRESH);
	CHECK_INT(swap_rerun(1, 0, 1), SWAP_RERUN_FINISH);
	CHECK_INT(swap_rerun(1, 0, 0), SWAP_RERUN_OTHER);
}

int
main(void)
{
	test_names();
	test_like();
	test_accounts();
	test_rename();
	test_steps();
	test_rerun();
	return tap_done();
}
