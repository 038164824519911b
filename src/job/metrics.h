/*
 * The outcome of a run, and the Prometheus textfile (node_exporter
 * textfile collector format) written from it after every run.  The file is
 * replaced atomically so the collector never reads half of it; a host that
 * failed this time keeps its last success time from the previous file.
 * A drill puts its own lines (myship_drill_*, one each per host) into the
 * same file, and both carry the other's lines over.
 */
#ifndef MYSHIP_JOB_METRICS_H
#define MYSHIP_JOB_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/err.h"

struct host_result {
	const char *host;
	int done;		/* it was worked on (not cut short) */
	int ok;			/* backup, optimize and retention succeeded */
	double started, finished;	/* wall clock, seconds */
	uint64_t bytes, rows;
	size_t tables;
	size_t skipped;		/* objects the backup left out (partial) */
	int verified;		/* -1: not verified, 0: damaged, 1: whole */
	char *backup_id;	/* NULL when no backup was made */
	char error[ERR_MSG_MAX + 64];	/* the first failure, "" when ok */
};

struct run_result {
	double started, finished;
	struct host_result *hosts;
	size_t nhosts;
};

/* Writes path.tmp then renames it over path (mode 0644). */
int metrics_write(const char *path, const struct run_result *rr,
    struct err *e);

struct drill_metric {
	const char *host;	/* whose backup was drilled */
	int ok;
	double finished;	/* wall clock, seconds */
	double restore_secs;	/* the restore alone: the measured RTO */
};

/* Replaces host's myship_drill_* lines, keeping every other line. */
int metrics_drill(const char *path, const struct drill_metric *d,
    struct err *e);

#endif
