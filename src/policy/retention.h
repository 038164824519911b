/*
 * Retention: which backups of one host to keep.  A pure function of the
 * rules, the clock and the list of backups, so that every calendar case is
 * unit-tested without a repository.
 *
 * Rules follow restic's `forget`: keep_last keeps the N newest complete
 * backups; keep_daily/weekly/monthly/yearly keep the newest backup of each
 * of the N most recent days/ISO weeks/months/years that have one (UTC);
 * max_age keeps every backup started at most that long before now (restic's
 * --keep-within, counted from now).  A backup kept by any rule is kept; with
 * no rule set at all every complete backup is kept.  The newest complete
 * backup is never removed.  Incomplete backups are not counted by any rule:
 * they are kept while younger than incomplete_grace and removed after.
 */
#ifndef MYSHIP_RETENTION_H
#define MYSHIP_RETENTION_H

#include <stddef.h>
#include <time.h>

#include "util/config.h"

struct retention_backup {
	time_t start;		/* from the backup id, UTC */
	time_t modified;	/* newest object's time; 0 = unknown */
	int complete;
};

struct retention_result {
	int keep;
	int retained;		/* kept only because a lock protects it */
	char why[96];		/* the rules that decided, e.g. "last, daily" */
};

/* Fills out[i] for every v[i]; v may be in any order. */
void retention_select(const struct retention_cfg *rc, time_t now,
    const struct retention_backup *v, size_t n, struct retention_result *out);

/*
 * What the store's retention lock keeps (S3 Object Lock): every backup
 * out[i] drops whose locked_until[i] is after now is kept after all, with
 * retained set and why "retained by the bucket's lock until DATE" (UTC).
 * A lock that has passed changes nothing.  Returns how many it kept.
 */
size_t retention_apply_lock(time_t now, const time_t *locked_until, size_t n,
    struct retention_result *out);

/* Parses a backup id "YYYYMMDDTHHMMSSZ"; -1 when it is not one. */
int retention_parse_id(const char *id, time_t *out);

#endif
