/* Retention selection over hand-made calendars. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/retention.h"
#include "tap.h"

#define DAY 86400

static struct retention_cfg
rules(long long last, long long daily, long long weekly, long long monthly,
    long long yearly)
{
	struct retention_cfg rc;

	memset(&rc, 0, sizeof rc);
	rc.keep_last = last;
	rc.keep_daily = daily;
	rc.keep_weekly = weekly;
	rc.keep_monthly = monthly;
	rc.keep_yearly = yearly;
	rc.incomplete_grace = DAY;
	return rc;
}

static time_t
at(const char *id)
{
	time_t t;

	if (retention_parse_id(id, &t) == -1) {
		printf("# bad id %s\n", id);
		abort();
	}
	return t;
}

/*
 * Runs the selection over ids (all complete unless prefixed with '!') and
 * returns a string of K/D, one letter per id in the given order.
 */
static const char *
run(const struct retention_cfg *rc, const char *now, const char **ids,
    size_t n)
{
	static char res[64];
	struct retention_backup v[32];
	struct retention_result out[32];
	size_t i;

	memset(v, 0, sizeof v);
	for (i = 0; i < n; i++) {
		v[i].complete = ids[i][0] != '!';
		v[i].start = at(ids[i] + !v[i].complete);
		v[i].modified = v[i].start;
	}
	retention_select(rc, at(now), v, n, out);
	for (i = 0; i < n; i++) {
		res[i] = out[i].keep ? 'K' : 'D';
		if (out[i].why[0] == '\0')
			res[i] = '?';
	}
	res[n] = '\0';
	return res;
}

#define RUN(rc, now, ...) run(&(rc), now, (const char *[]){ __VA_ARGS__ }, \
	sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *))

static void
test_parse_id(void)
{
	time_t t;

	CHECK_INT(retention_parse_id("20240229T235959Z", &t), 0);
	CHECK_INT(t, 1709251199);
	CHECK_INT(retention_parse_id("19700101T000000Z", &t), 0);
	CHECK_INT(t, 0);
	CHECK_INT(retention_parse_id("20230229T000000Z", &t), -1);
	CHECK_INT(retention_parse_id("20240101T250000Z", &t), -1);
	CHECK_INT(retention_parse_id("20240101T000000", &t), -1);
	CHECK_INT(retention_parse_id("2024010xT000000Z", &t), -1);
	CHECK_INT(retention_parse_id("20240101-000000Z", &t), -1);
	CHECK_INT(retention_parse_id("+2024101T000000Z", &t), -1);
	CHECK_INT(retention_parse_id("", &t), -1);
}

static void
test_last(void)
{
	struct retention_cfg rc = rules(3, 0, 0, 0, 0);

	CHECK_STR(RUN(rc, "20250110T000000Z", "20250101T230000Z",
	    "20250102T230000Z", "20250103T230000Z", "20250104T230000Z",
	    "20250105T230000Z"), "DDKKK");
	/* Input order does not matter. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250105T230000Z",
	    "20250101T230000Z", "20250104T230000Z", "20250102T230000Z",
	    "20250103T230000Z"), "KDKDK");
	/* Several a day: keep_last counts backups, not days. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250101T010000Z",
	    "20250101T020000Z", "20250101T030000Z", "20250101T040000Z"),
	    "DKKK");
}

static void
test_daily(void)
{
	struct retention_cfg rc = rules(0, 3, 0, 0, 0);

	/* Newest of each day; three most recent days that have a backup. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250101T100000Z",
	    "20250102T100000Z", "20250102T200000Z", "20250105T000000Z",
	    "20250109T235959Z", "20250109T000000Z"), "DDKKKD");
	/* A day is a UTC calendar day: 23:59:59 and 00:00:00 differ. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250108T235959Z",
	    "20250109T000000Z"), "KK");
	/* Fewer days than the rule: all kept. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250101T100000Z"), "K");
}

static void
test_weekly_iso(void)
{
	struct retention_cfg rc = rules(0, 0, 2, 0, 0);

	/* 2020-12-31 (Thu) and 2021-01-03 (Sun) are both 2020-W53. */
	CHECK_STR(RUN(rc, "20210110T000000Z", "20201231T120000Z",
	    "20210103T120000Z", "20210104T120000Z"), "DKK");
	/* 2018-12-31 (Mon) is 2019-W01, with 2019-01-06; 2018-12-30 is W52. */
	CHECK_STR(RUN(rc, "20190110T000000Z", "20181230T120000Z",
	    "20181231T120000Z", "20190106T120000Z"), "KDK");
	rc = rules(0, 0, 3, 0, 0);
	/* Sunday to Monday is a new week; Monday to Sunday is not. */
	CHECK_STR(RUN(rc, "20250301T000000Z", "20250203T000000Z",
	    "20250209T235959Z", "20250210T000000Z", "20250216T120000Z"),
	    "DKDK");
}

static void
test_monthly_ends_and_leap(void)
{
	struct retention_cfg rc = rules(0, 0, 0, 3, 0);

	/* Month ends, the leap day, and gaps between months. */
	CHECK_STR(RUN(rc, "20240501T000000Z", "20240131T235959Z",
	    "20240201T000000Z", "20240229T235959Z", "20240301T000000Z",
	    "20240331T235959Z", "20240401T000000Z"), "DDKDKK");
	/* Months with no backup do not count: Jan, Mar, Jul all kept. */
	CHECK_STR(RUN(rc, "20240801T000000Z", "20240115T000000Z",
	    "20240315T000000Z", "20240715T000000Z"), "KKK");
	rc = rules(0, 1, 0, 0, 0);
	/* Leap day is its own day. */
	CHECK_STR(RUN(rc, "20240302T000000Z", "20240228T120000Z",
	    "20240229T120000Z"), "DK");
}

static void
test_yearly(void)
{
	struct retention_cfg rc = rules(0, 0, 0, 0, 2);

	CHECK_STR(RUN(rc, "20250601T000000Z", "20221231T235959Z",
	    "20230101T000000Z", "20231231T235959Z", "20240101T000000Z",
	    "20240601T000000Z"), "DDKDK");
}

static void
test_union_and_ties(void)
{
	struct retention_cfg rc = rules(1, 0, 0, 2, 0);

	/* Kept by any rule: newest by last, and newest of each of 2 months. */
	CHECK_STR(RUN(rc, "20250401T000000Z", "20250115T000000Z",
	    "20250215T000000Z", "20250301T000000Z", "20250302T000000Z"),
	    "DKDK");
	rc = rules(1, 0, 0, 0, 0);
	/* Same start time twice: exactly one of them is kept. */
	CHECK_STR(RUN(rc, "20250401T000000Z", "20250301T000000Z",
	    "20250301T000000Z"), "DK");
}

static void
test_newest_survives(void)
{
	struct retention_cfg rc = rules(0, 0, 0, 0, 0);

	/* No keep rule at all: everything is kept. */
	CHECK_STR(RUN(rc, "20250401T000000Z", "20250101T000000Z",
	    "20250201T000000Z"), "KK");
	/* keep_last = 0 and every backup beyond max_age: newest still kept. */
	rc.max_age = 7 * DAY;
	CHECK_STR(RUN(rc, "20250401T000000Z", "20250101T000000Z",
	    "20250201T000000Z", "20250301T000000Z"), "DDK");
	/* keep_last = 0 with another rule that keeps nothing recent. */
	rc = rules(0, 0, 0, 0, 1);
	rc.max_age = DAY;
	CHECK_STR(RUN(rc, "20250401T000000Z", "20240101T000000Z",
	    "20240201T000000Z"), "DK");
	/* An incomplete newer backup does not replace the newest complete one. */
	CHECK_STR(RUN(rc, "20250401T000000Z", "20240201T000000Z",
	    "!20250301T000000Z"), "KD");
}

static void
test_max_age(void)
{
	struct retention_cfg rc = rules(1, 0, 0, 0, 0);

	rc.max_age = 3 * DAY;
	/* max_age keeps what started at most 3d ago; exactly 3d is kept. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250101T000000Z",
	    "20250106T235959Z", "20250107T000000Z", "20250109T000000Z"),
	    "DDKK");
	/* max_age alone. */
	rc = rules(0, 0, 0, 0, 0);
	rc.max_age = 3 * DAY;
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250105T000000Z",
	    "20250108T000000Z", "20250109T000000Z"), "DKK");
	/* Union with a calendar rule: daily keeps an old one max_age does not. */
	rc = rules(0, 2, 0, 0, 0);
	rc.max_age = DAY;
	CHECK_STR(RUN(rc, "20250110T000000Z", "20250105T000000Z",
	    "20250108T000000Z", "20250109T120000Z", "20250109T180000Z"),
	    "DKKK");
}

static void
test_incomplete(void)
{
	struct retention_cfg rc = rules(1, 0, 0, 0, 0);
	struct retention_backup v[2];
	struct retention_result out[2];

	/* Young incomplete kept, old incomplete removed; not counted by rules. */
	CHECK_STR(RUN(rc, "20250110T000000Z", "!20250108T000000Z",
	    "20250109T000000Z", "!20250109T120000Z"), "DKK");
	/* Grace counts from the newest object, not from the start. */
	memset(v, 0, sizeof v);
	v[0].start = at("20250101T000000Z");
	v[0].modified = at("20250109T230000Z");
	v[1].start = at("20250101T000000Z");
	v[1].modified = at("20250108T230000Z");
	retention_select(&rc, at("20250110T000000Z"), v, 2, out);
	CHECK_INT(out[0].keep, 1);
	CHECK_STR(out[0].why, "incomplete, within grace");
	CHECK_INT(out[1].keep, 0);
	CHECK_STR(out[1].why, "incomplete, older than grace");
	/* Nothing at all: no crash. */
	retention_select(&rc, 0, v, 0, out);
}

static void
test_reasons(void)
{
	struct retention_cfg rc = rules(1, 2, 1, 1, 1);
	struct retention_backup v[3];
	struct retention_result out[3];

	memset(v, 0, sizeof v);
	v[0].start = at("20250301T000000Z");
	v[1].start = at("20250302T000000Z");
	v[2].start = at("20240101T000000Z");
	v[0].complete = v[1].complete = v[2].complete = 1;
	retention_select(&rc, at("20250310T000000Z"), v, 3, out);
	CHECK_STR(out[1].why, "last, daily, weekly, monthly, yearly");
	CHECK_STR(out[0].why, "daily");
	CHECK_STR(out[2].why, "no rule");
	rc.max_age = 9 * DAY;
	retention_select(&rc, at("20250310T000000Z"), v, 3, out);
	CHECK_STR(out[1].why, "last, daily, weekly, monthly, yearly, max_age");
	CHECK_STR(out[0].why, "daily, max_age");
	rc = rules(0, 0, 0, 0, 0);
	rc.max_age = DAY;
	retention_select(&rc, at("20250310T000000Z"), v, 3, out);
	CHECK_STR(out[1].why, "newest complete");
	CHECK_STR(out[0].why, "no rule");
	CHECK_INT(out[0].keep, 0);
	CHECK_INT(out[2].keep, 0);
}

/*
 * A lock keeps what the rules drop until its date, and only that: a
 * passed lock, no lock, and a backup the rules keep anyway are untouched.
 */
static void
test_lock(void)
{
	struct retention_cfg rc = rules(1, 0, 0, 0, 0);
	const char *ids[] = { "20261201T000000Z", "20261202T000000Z",
	    "20261203T000000Z", "20261204T000000Z" };
	struct retention_backup v[4];
	struct retention_result out[4];
	time_t now = at("20261205T000000Z"), until[4];
	size_t i;

	memset(v, 0, sizeof v);
	for (i = 0; i < 4; i++) {
		v[i].start = v[i].modified = at(ids[i]);
		v[i].complete = 1;
	}
	retention_select(&rc, now, v, 4, out);
	until[0] = 0;				/* never locked */
	until[1] = now;				/* lock ends now: passed */
	until[2] = at("20261206T120000Z");	/* still locked */
	until[3] = at("20261210T000000Z");	/* kept by keep_last anyway */
	CHECK_INT(retention_apply_lock(now, until, 4, out), 1);
	CHECK(!out[0].keep && !out[0].retained);
	CHECK(!out[1].keep && !out[1].retained);
	CHECK(out[2].keep && out[2].retained);
	CHECK_STR(out[2].why,
	    "retained by the bucket's lock until 2026-12-06T12:00:00Z");
	CHECK(out[3].keep && !out[3].retained);
	CHECK_STR(out[3].why, "last");
	/* Nothing to apply. */
	CHECK_INT(retention_apply_lock(now, until, 0, out), 0);
}

int
main(void)
{
	test_lock();
	test_parse_id();
	test_last();
	test_daily();
	test_weekly_iso();
	test_monthly_ends_and_leap();
	test_yearly();
	test_union_and_ties();
	test_newest_survives();
	test_max_age();
	test_incomplete();
	test_reasons();
	return tap_done();
}
