/* [verify] when, decided (policy/verify_due.h). */
#include "policy/verify_due.h"

#include "policy/retention.h"

int
verify_due(enum verify_when when, char *const *verified, size_t n,
    time_t now)
{
	time_t t;
	size_t i;

	if (when == VERIFY_NEVER)
		return 0;
	if (when == VERIFY_AFTER_BACKUP)
		return 1;
	for (i = 0; i < n; i++)
		if (retention_parse_id(verified[i], &t) == 0 &&
		    t <= now && now - t < VERIFY_WEEK)
			return 0;
	return 1;
}
