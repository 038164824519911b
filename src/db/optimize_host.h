/*
 * Table maintenance on one host: lists the selected databases, and has a
 * pool of workers, each on its own connection, take whole databases (a
 * database is only ever worked on by one worker) and run OPTIMIZE TABLE on
 * the tables the policy finds worth it.  A dry run only reads
 * information_schema.  Failures of single tables are recorded in the
 * report and the work goes on; only a host that cannot be reached at all
 * stops early.
 */
#ifndef MYSHIP_DB_OPTIMIZE_HOST_H
#define MYSHIP_DB_OPTIMIZE_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "policy/optimize_rules.h"
#include "util/config.h"
#include "util/err.h"

enum opt_outcome {
	OPT_OUT_OPTIMIZED = 0,
	OPT_OUT_WOULD,		/* dry run: would be optimized */
	OPT_OUT_FAILED,
	OPT_OUT_SKIPPED
};

struct opt_table {
	char *db, *name, *engine;	/* engine may be NULL */
	int64_t data_length, index_length, data_free;	/* before */
	int64_t after_size, after_free;	/* after a success, else -1 */
	enum opt_outcome outcome;
	enum opt_verdict verdict;
	char *msg;			/* skip reason or error; NULL on success */
	double seconds;
};

struct opt_host_report {
	char *name;			/* [host NAME] */
	char *conn_error;		/* host unreachable: NULL when reached */
	struct strlist errors;		/* database-level errors, naming the host */
	struct opt_table *tables;	/* in database, then table order */
	size_t ntables;
	size_t optimized, would, failed, skipped;
	int64_t bytes_before, bytes_after;	/* of the tables optimized */
	int64_t reclaimable;		/* dry run: data_free of would-be tables */
	double seconds;
	int interrupted;
};

struct opt_host_job {
	const struct host_cfg *host;
	const struct optimize_cfg *policy;
	const struct opt_selector *sel;
	int dry_run;
	int scheduled;			/* max_table_size applies */
	int64_t lock_wait_timeout;	/* seconds; 0 = server default */
};

/* Fills out; never fails as a whole: errors are in out. */
void opt_host_run(const struct opt_host_job *job, struct opt_host_report *out);
void opt_host_report_free(struct opt_host_report *r);
/* True when the host was unreachable or anything in it failed. */
int opt_host_failed(const struct opt_host_report *r);

#endif
