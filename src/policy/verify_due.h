/*
 * Whether `run` verifies the backup it just made of a host ([verify] when,
 * myship.ini(5)), from the ids of that host's backups already verified
 * (ids are their UTC start times) and the time now.  Pure.
 */
#ifndef MYSHIP_VERIFY_DUE_H
#define MYSHIP_VERIFY_DUE_H

#include <stddef.h>
#include <time.h>

#include "util/config.h"

/* What weekly means: a verified backup younger than this is enough. */
#define VERIFY_WEEK	(7 * 24 * 3600)

/*
 * never: 0; after-backup: 1; weekly: 1 unless one of verified (n ids)
 * started within VERIFY_WEEK before now.  Ids that do not parse count as
 * never verified.
 */
int verify_due(enum verify_when when, char *const *verified, size_t n,
    time_t now);

#endif
