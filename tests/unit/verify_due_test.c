/* [verify] when, decided: never, after-backup, weekly by verified ids. */
#include <time.h>

#include "policy/verify_due.h"
#include "tap.h"

int
main(void)
{
	/* 2026-12-12T23:00:00Z */
	time_t now = 1797116400;
	char *recent[] = { "20261205T230000Z", "20261210T230000Z" };
	char *old[] = { "20261205T225959Z", "20261101T000000Z" };
	char *junk[] = { "not-an-id", "20261299T000000Z" };
	char *future[] = { "20270101T000000Z" };

	CHECK_INT(verify_due(VERIFY_NEVER, recent, 2, now), 0);
	CHECK_INT(verify_due(VERIFY_AFTER_BACKUP, recent, 2, now), 1);
	CHECK_INT(verify_due(VERIFY_WEEKLY, NULL, 0, now), 1);
	CHECK_INT(verify_due(VERIFY_WEEKLY, recent, 2, now), 0);
	CHECK_INT(verify_due(VERIFY_WEEKLY, recent, 1, now), 1);	/* exactly 7 days */
	CHECK_INT(verify_due(VERIFY_WEEKLY, old, 2, now), 1);
	CHECK_INT(verify_due(VERIFY_WEEKLY, junk, 2, now), 1);
	CHECK_INT(verify_due(VERIFY_WEEKLY, future, 1, now), 1);
	return tap_done();
}
