/*
 * One host's backup job, shared by `myship backup` and `myship run`: a new
 * id (the start time, or the next free second), one consistent dump of the
 * host (read from its replica when [backup] backup_from = replica) through
 * the archive writer into the repository's sink as HOST/ID/backup.tar,
 * then HOST/ID/manifest.ini.  The manifest is put only once the archive is
 * finished and durable, so a backup is complete exactly when its manifest
 * exists: on any failure or signal the archive is aborted and no manifest
 * is written (an archive whose manifest could not be put is removed), and
 * a signal turns the error into ERR_INTERRUPTED.
 */
#ifndef MYSHIP_JOB_BACKUP_HOST_H
#define MYSHIP_JOB_BACKUP_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "repo/repo.h"
#include "util/config.h"
#include "util/err.h"

struct backup_result {
	char *id;		/* YYYYMMDDTHHMMSSZ; NULL when none was started */
	time_t started;
	double duration;	/* seconds */
	uint64_t archive_bytes;	/* backup.tar as stored */
	uint64_t raw_bytes;	/* SQL before compression */
	uint64_t rows;
	size_t tables;
	size_t skipped;		/* objects left out: the backup is partial */
	int ok;			/* archive and manifest are in the repository */
};

/*
 * Backs up h into r by cfg.  r is open and stays the caller's (run prunes
 * through it afterwards).  only_dbs: --database regexes, or NULL for the
 * policy's databases/exclude.  verbose: the dump logs its progress.  res
 * is filled either way: free it with backup_result_free.  A partial
 * backup (res->skipped > 0) returns 0: it is complete and restorable.
 */
int backup_host(const struct config *cfg, struct repo *r,
    const struct host_cfg *h, const struct strlist *only_dbs, int verbose,
    struct backup_result *res, struct err *e);
void backup_result_free(struct backup_result *res);

#endif
