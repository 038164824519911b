/*
 * Inside myship restore: the state one run carries (cmd/restore.c) and
 * its report (cmd/restore_report.c), the summary lines a restore and a
 * --diff end with.  Not an interface for other commands: cmd/restore.h is.
 */
#ifndef MYSHIP_CMD_RESTORE_INT_H
#define MYSHIP_CMD_RESTORE_INT_H

#include <stdint.h>

#include "db/load.h"
#include "db/restore_apply.h"
#include "db/swap.h"
#include "policy/manifest.h"
#include "policy/restore_plan.h"
#include "repo/repo.h"
#include "stream/codec.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/strutil.h"

#define RESTORE_THREADS_MAX	64

struct restore {
	const struct config *cfg;
	int quiet, verbose, dry_run;
	const char *id_arg;
	char *id;
	const struct host_cfg *target;
	struct restore_opts o;
	struct repo *repo;
	struct manifest m;
	int have_manifest;
	struct restore_plan plan;
	struct restore_apply *apply;
	uint64_t members_read, bytes_read;
	uint64_t repo_bytes;		/* read from the repository */
	int ranged;			/* by ranges (job/restore_fetch.h) */
	uint64_t archive_bytes;		/* --diff: the whole archive */
	const char *identity_file;	/* --identity, else the policy's */
	struct crypt_identity ident;
	struct codec codec;		/* decoding: ident, when loaded */
	struct load_decoder decoder;
	int users;			/* --users given */
	const struct strlist *user_patterns;
	struct buf users_text;		/* the accounts member, decoded */
	int have_users;
	int swap_on;			/* --swap */
	struct swap_opts so;
	struct swap *swap;
	char *swap_arg;			/* SRC:shadow */
	char *swap_backup;		/* "host/ID", the swap's mark */
};

/* "restored ...": stdout unless quiet, the log in full. */
void restore_summary(struct restore *r, double secs);
/* "diff: ...": what --diff compared, reloaded and read. */
void restore_diff_summary(struct restore *r);

#endif
