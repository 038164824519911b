/*
 * OPTIMIZE TABLE across the fleet.  Hosts are worked on concurrently
 * (parallel_hosts), each by db/optimize_host.h's pool of workers; the
 * report holds per-host and total figures, which `myship optimize` prints.
 * `myship run` calls optimize_hosts() after a backup with scheduled = 1 so
 * that max_table_size applies.
 */
#ifndef MYSHIP_JOB_OPTIMIZE_FLEET_H
#define MYSHIP_JOB_OPTIMIZE_FLEET_H

#include <stdint.h>

#include "db/optimize_host.h"
#include "util/config.h"
#include "util/err.h"

struct optimize_request {
	int dry_run;			/* read information_schema only */
	int scheduled;			/* from run: max_table_size applies and
					   hosts with when = never are left out */
	const struct host_cfg *const *hosts;	/* none = every host */
	size_t nhosts;
	char *const *patterns;		/* names or regexes; none = [optimize]
					   databases */
	size_t npatterns;
};

struct optimize_report {
	struct opt_host_report *hosts;	/* in policy order */
	size_t nhosts;
	int dry_run;
	size_t optimized, would, failed, skipped;
	size_t hosts_failed, hosts_unreachable;
	int64_t bytes_before, bytes_after, reclaimable;
	double seconds;			/* wall clock for all hosts */
	int interrupted;
};

/*
 * Fills out (free it with optimize_report_free whatever the result).
 * Returns 0 when every host and table succeeded; else -1 with e:
 * ERR_USAGE (a pattern that does not compile) before anything was done,
 * ERR_INTERRUPTED, ERR_CONNECT when a host was unreachable, ERR_FAILED
 * when a table or a database failed on hosts that were all reached.
 */
int optimize_hosts(const struct config *cfg,
    const struct optimize_request *req, struct optimize_report *out,
    struct err *e);
void optimize_report_free(struct optimize_report *r);

#endif
