/*
 * The restore of cmd/restore.c as another command runs it (drill): one
 * backup, by id, into the target, every database renamed as dbs says
 * (SRC:DST, as --database), with the policy's threads and identity and
 * nothing forced; the summary goes to stdout unless quiet.  Fails as
 * myship restore does (ERR_RESTORE_PARTIAL: some tables or objects
 * failed, each named); what it created stays for the caller.
 */
#ifndef MYSHIP_CMD_RESTORE_H
#define MYSHIP_CMD_RESTORE_H

#include <stddef.h>

#include "util/config.h"
#include "util/err.h"

struct restore_job {
	const char *host, *id;		/* the backup */
	const struct host_cfg *target;
	char *const *dbs;		/* SRC:DST */
	size_t ndbs;
	int quiet;
	double secs;			/* out: the restore's wall time */
	char *target_version;		/* out: its VERSION(), or NULL */
};

int restore_job_run(const struct config *cfg, struct restore_job *j,
    struct err *e);

#endif
