/* Unit tests of policy/optimize_rules: selection, verdicts, result rows. */
#include <stdint.h>
#include <string.h>

#include "policy/optimize_rules.h"
#include "tap.h"

static struct optimize_cfg
policy(void)
{
	struct optimize_cfg p;

	memset(&p, 0, sizeof p);
	p.min_free_ratio = 0.10;
	p.threads_per_host = 2;
	return p;
}

static enum opt_verdict
decide(const char *engine, int64_t data, int64_t index, int64_t free_,
    const struct optimize_cfg *p, int scheduled, int late)
{
	struct opt_table_stats t = { engine, data, index, free_ };
	char why[256];

	return opt_decide(&t, p, scheduled, late, why, sizeof why);
}

static void
test_selector(void)
{
	struct opt_selector s;
	struct err e;
	char *none[] = { NULL };
	char *pats[] = { "app", "shop_[0-9]+", "mysql", "a|b" };
	char *bad[] = { "ok", "x(" };

	CHECK_INT(opt_selector_init(&s, none, 0, &e), 0);
	CHECK(opt_selector_match(&s, "anything"));
	CHECK(!opt_selector_match(&s, "mysql"));
	CHECK(!opt_selector_match(&s, "information_schema"));
	CHECK(!opt_selector_match(&s, "performance_schema"));
	CHECK(!opt_selector_match(&s, "sys"));
	opt_selector_free(&s);

	CHECK_INT(opt_selector_init(&s, pats, 4, &e), 0);
	CHECK(opt_selector_match(&s, "app"));
	CHECK(!opt_selector_match(&s, "app2"));	/* whole name */
	CHECK(!opt_selector_match(&s, "myapp"));
	CHECK(opt_selector_match(&s, "shop_12"));
	CHECK(!opt_selector_match(&s, "shop_"));
	CHECK(!opt_selector_match(&s, "shop_1x"));
	CHECK(opt_selector_match(&s, "mysql"));	/* named explicitly */
	CHECK(!opt_selector_match(&s, "sys"));
	CHECK(opt_selector_match(&s, "a"));	/* alternation anchored */
	CHECK(opt_selector_match(&s, "b"));
	CHECK(!opt_selector_match(&s, "ab"));
	opt_selector_free(&s);

	/* A regex that matches a system schema does not select it. */
	{
		char *all[] = { ".*" };

		CHECK_INT(opt_selector_init(&s, all, 1, &e), 0);
		CHECK(!opt_selector_match(&s, "mysql"));
		CHECK(opt_selector_match(&s, "x"));
		opt_selector_free(&s);
	}

	CHECK_INT(opt_selector_init(&s, bad, 2, &e), -1);
	CHECK_INT(e.kind, ERR_USAGE);
	CHECK(strstr(e.msg, "'x('") != NULL);
}

static void
test_decide(void)
{
	struct optimize_cfg p = policy();
	struct opt_table_stats t = { "InnoDB", 900, 0, 100 };
	char why[256];

	CHECK(opt_free_ratio(&t) > 0.0999 && opt_free_ratio(&t) < 0.1001);
	/* Exactly at the ratio is worth it; just below is not. */
	CHECK_INT(decide("InnoDB", 900, 0, 100, &p, 0, 0), OPT_RUN);
	CHECK_INT(decide("InnoDB", 901, 0, 99, &p, 0, 0), OPT_SKIP_LOW_RATIO);
	CHECK_INT(decide("InnoDB", 1000, 0, 0, &p, 0, 0), OPT_SKIP_LOW_RATIO);
	CHECK_INT(decide("InnoDB", 0, 0, 0, &p, 0, 0), OPT_SKIP_LOW_RATIO);
	/* Index pages count in the table's size. */
	CHECK_INT(decide("InnoDB", 450, 450, 100, &p, 0, 0), OPT_RUN);
	CHECK_INT(decide("InnoDB", 500, 500, 100, &p, 0, 0),
	    OPT_SKIP_LOW_RATIO);

	p.min_free_bytes = 1 << 20;
	CHECK_INT(decide("InnoDB", 100, 0, (1 << 20) - 1, &p, 0, 0),
	    OPT_SKIP_FEW_BYTES);
	CHECK_INT(decide("InnoDB", 100, 0, 1 << 20, &p, 0, 0), OPT_RUN);

	/* max_table_size only in scheduled runs. */
	p = policy();
	p.max_table_size = 1000;
	CHECK_INT(decide("InnoDB", 800, 201, 500, &p, 1, 0), OPT_SKIP_TOO_BIG);
	CHECK_INT(decide("InnoDB", 800, 200, 500, &p, 1, 0), OPT_RUN);
	CHECK_INT(decide("InnoDB", 800, 201, 500, &p, 0, 0), OPT_RUN);
	p.max_table_size = 0;
	CHECK_INT(decide("InnoDB", 1LL << 40, 0, 1LL << 40, &p, 1, 0),
	    OPT_RUN);

	/* Past the window nothing starts, whatever the table. */
	CHECK_INT(decide("InnoDB", 0, 0, 1 << 30, &p, 0, 1), OPT_SKIP_DEADLINE);
	CHECK_INT(decide(NULL, 0, 0, 1 << 30, &p, 0, 0), OPT_SKIP_NO_ENGINE);
	CHECK_INT(decide("", 0, 0, 1 << 30, &p, 0, 0), OPT_SKIP_NO_ENGINE);

	/* Thresholds of zero optimize everything, even a tight table. */
	p.min_free_ratio = 0;
	CHECK_INT(decide("InnoDB", 1000, 0, 0, &p, 0, 0), OPT_RUN);

	/* Negative figures from a confused server are taken as zero. */
	p = policy();
	CHECK_INT(decide("InnoDB", -5, -5, 100, &p, 0, 0), OPT_RUN);

	p = policy();
	t.data_length = 10000;
	t.data_free = 10;
	CHECK_INT(opt_decide(&t, &p, 0, 0, why, sizeof why),
	    OPT_SKIP_LOW_RATIO);
	CHECK(strstr(why, "min_free_ratio") != NULL);
	t.data_free = 100000;
	CHECK_INT(opt_decide(&t, &p, 0, 0, why, sizeof why), OPT_RUN);
	CHECK_STR(why, "");
}

static void
test_result(void)
{
	char why[256];
	struct opt_msg innodb[] = {
		{ "note", "Table does not support optimize, doing recreate + "
		    "analyze instead" },
		{ "status", "OK" },
	};
	struct opt_msg note_only[] = {
		{ "note", "Table does not support optimize, doing recreate + "
		    "analyze instead" },
	};
	struct opt_msg myisam[] = { { "status", "OK" } };
	struct opt_msg uptodate[] = {
		{ "status", "Table is already up to date" },
	};
	struct opt_msg locked[] = {
		{ "Error", "Lock wait timeout exceeded; try restarting "
		    "transaction" },
		{ "status", "Operation failed" },
	};
	struct opt_msg gone[] = {
		{ "Error", "Table 'app.t' doesn't exist" },
		{ "status", "Operation failed" },
	};
	struct opt_msg rebuilt_then_error[] = {
		{ "note", "Table does not support optimize, doing recreate + "
		    "analyze instead" },
		{ "error", "Got error 28 \"No space left on device\"" },
		{ "status", "Operation failed" },
	};
	struct opt_msg memory[] = {
		{ "note", "The storage engine for the table doesn't support "
		    "optimize" },
	};
	struct opt_msg nullrow[] = { { NULL, NULL } };

	CHECK_INT(opt_result_ok(innodb, 2, why, sizeof why), 1);
	CHECK_STR(why, "");
	CHECK_INT(opt_result_ok(note_only, 1, why, sizeof why), 1);
	CHECK_INT(opt_result_ok(myisam, 1, why, sizeof why), 1);
	CHECK_INT(opt_result_ok(uptodate, 1, why, sizeof why), 1);
	CHECK_INT(opt_result_ok(locked, 2, why, sizeof why), 0);
	CHECK_STR(why, "Lock wait timeout exceeded; try restarting transaction");
	CHECK_INT(opt_result_ok(gone, 2, why, sizeof why), 0);
	CHECK_STR(why, "Table 'app.t' doesn't exist");
	CHECK_INT(opt_result_ok(rebuilt_then_error, 3, why, sizeof why), 0);
	CHECK(strstr(why, "No space left") != NULL);
	CHECK_INT(opt_result_ok(memory, 1, why, sizeof why), 0);
	CHECK(strstr(why, "doesn't support optimize") != NULL);
	CHECK_INT(opt_result_ok(NULL, 0, why, sizeof why), 0);
	CHECK_STR(why, "no result rows");
	CHECK_INT(opt_result_ok(nullrow, 1, why, sizeof why), 0);
}

int
main(void)
{
	test_selector();
	test_decide();
	test_result();
	return tap_done();
}
