/*
 * Object Lock headers: the retain-until date is now plus the days, in the
 * ISO 8601 UTC form S3 takes, across month, year and leap-day ends; the
 * mode names are the ones S3 spells.
 */
#include <string.h>
#include <time.h>

#include "repo/s3_lock.h"
#include "tap.h"
#include "util/config.h"

static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

int
main(void)
{
	char b[32];

	s3_lock_until_str(utc(2026, 12, 5, 21, 30, 7), 1, b, sizeof b);
	CHECK_STR(b, "2026-12-06T21:30:07Z");
	s3_lock_until_str(utc(2026, 12, 31, 23, 59, 59), 1, b, sizeof b);
	CHECK_STR(b, "2027-01-01T23:59:59Z");
	s3_lock_until_str(utc(2028, 2, 28, 0, 0, 0), 1, b, sizeof b);
	CHECK_STR(b, "2028-02-29T00:00:00Z");
	s3_lock_until_str(utc(2026, 1, 1, 0, 0, 0), 365, b, sizeof b);
	CHECK_STR(b, "2027-01-01T00:00:00Z");
	s3_lock_until_str(utc(2026, 1, 1, 0, 0, 0), 36500, b, sizeof b);
	CHECK_STR(b, "2125-12-08T00:00:00Z");
	CHECK_STR(s3_lock_mode_name(S3_LOCK_COMPLIANCE), "COMPLIANCE");
	CHECK_STR(s3_lock_mode_name(S3_LOCK_GOVERNANCE), "GOVERNANCE");
	return tap_done();
}
