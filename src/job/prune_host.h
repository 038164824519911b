/*
 * Pruning one host's backups by its retention rules (policy/retention.h),
 * shared by `myship prune` and `myship run`.  The same on a local directory
 * and on S3: everything goes through repo.h.
 */
#ifndef MYSHIP_JOB_PRUNE_HOST_H
#define MYSHIP_JOB_PRUNE_HOST_H

#include <stdio.h>
#include <time.h>

#include "repo/repo.h"
#include "util/config.h"
#include "util/err.h"

struct prune_stats {
	size_t complete;	/* complete backups left after the prune */
	size_t kept, deleted, failed;
	size_t retained;	/* kept only because a lock protects them */
};

/*
 * Applies h's rules at time now.  With dry_run nothing is removed.  When
 * out is not NULL every backup is printed with keep/delete and the rule
 * that decided.  A backup a retention lock still protects is kept and
 * reported retained (repo_lock_until, or a removal the lock refused): not
 * a failure.  Removal failures do not stop the others: they are counted
 * and the first is returned as ERR_REPO once all were tried.
 */
int prune_host(struct repo *r, const struct host_cfg *h, time_t now,
    int dry_run, FILE *out, struct prune_stats *st, struct err *e);

#endif
