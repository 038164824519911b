/*
 * myship backup: one consistent dump per host into the repository as
 * HOST/ID/backup.tar, then its manifest, written only once the archive is
 * durable.  backup_host is also what `run` calls for each host.
 */
#ifndef MYSHIP_CMD_BACKUP_H
#define MYSHIP_CMD_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cmd/cmd.h"
#include "repo/repo.h"

struct backup_result {
	char *id;		/* YYYYMMDDTHHMMSSZ; NULL when none was started */
	time_t started;
	double duration;	/* seconds */
	uint64_t archive_bytes;	/* backup.tar as stored */
	uint64_t raw_bytes;	/* SQL before compression */
	uint64_t rows;
	size_t tables;
	int ok;			/* archive and manifest are in the repository */
};

/*
 * Backs up h (read from its replica when [backup] backup_from = replica)
 * into r.  only_dbs: --database regexes, or NULL for the policy's
 * databases/exclude.  On any failure or signal the archive is aborted and
 * no manifest is written.
 */
int backup_host_dbs(struct cmd_ctx *ctx, struct repo *r,
    const struct host_cfg *h, const struct strlist *only_dbs,
    struct backup_result *res, struct err *e);
/* backup_host_dbs with the policy's databases (what `run` does). */
int backup_host(struct cmd_ctx *ctx, struct repo *r, const struct host_cfg *h,
    struct backup_result *res, struct err *e);
void backup_result_free(struct backup_result *res);

#endif
