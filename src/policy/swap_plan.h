/*
 * What restore --swap decides, without a server: the names of the shadow
 * database a backup is loaded into and of the archive database the old
 * tables go to, which accounts are locked, the one RENAME TABLE statement
 * that swaps the copies, and the order of the steps (which of them a
 * signal may still stop), and what a rerun makes of a swap killed after
 * its rename.  Unit-tested; db/swap.h runs them.
 *
 * Names: "_myship_new_" or "_myship_old_", the database's name cut to 43
 * characters, "_" and 8 hex digits of its FNV-1a hash: at most 64
 * characters for any name, and two names cut alike still differ.
 */
#ifndef MYSHIP_SWAP_PLAN_H
#define MYSHIP_SWAP_PLAN_H

#include <stddef.h>

#include "util/buf.h"
#include "util/strutil.h"

#define SWAP_SHADOW_PREFIX	"_myship_new_"
#define SWAP_ARCHIVE_PREFIX	"_myship_old_"
/* Room for a name: 64 characters of up to 4 bytes. */
#define SWAP_NAME_MAX		(64 * 4 + 1)

/* The shadow (new) and archive (old) database names of db. */
void swap_names(const char *db, char shadow[SWAP_NAME_MAX],
    char archive[SWAP_NAME_MAX]);

/* A mysql.db Db pattern (LIKE: % _ and \ escapes) against name. */
int swap_like(const char *pattern, const char *name);

struct swap_account {
	const char *user, *host;
	int privileged;		/* holds a privilege on the database */
};

/*
 * Marks in pick[i] whether account i is locked: with no patterns, those
 * privileged on the database; else those whose user name, or "user@host"
 * for a pattern with an @, matches a pattern (fnmatch(3)).  The account
 * myship itself uses (self_user@self_host) is never locked.  Returns how
 * many are picked.
 */
size_t swap_pick_accounts(const struct swap_account *a, size_t n,
    const struct strlist *patterns, const char *self_user,
    const char *self_host, int *pick);

/*
 * The one statement that swaps: every table of db (old) to archive, every
 * table of shadow (new) to db.  -1 when there is nothing to rename.
 */
int swap_rename_sql(const char *db, const char *shadow, const char *archive,
    const struct strlist *old_tables, const struct strlist *new_tables,
    struct buf *out);

/* The steps, in the order they run, once the shadow is loaded. */
enum swap_step {
	SWAP_JOURNAL,		/* note the accounts about to be locked */
	SWAP_LOCK,		/* ALTER USER ... ACCOUNT LOCK */
	SWAP_GRACE,		/* wait for their queries */
	SWAP_KILL,		/* KILL CONNECTION of those left */
	SWAP_TRIGGERS,		/* drop triggers (RENAME across databases) */
	SWAP_RENAME,		/* the one RENAME TABLE */
	SWAP_POST,		/* views, routines, triggers, events of db */
	SWAP_UNLOCK,		/* ALTER USER ... ACCOUNT UNLOCK */
	SWAP_CLEANUP,		/* drop the shadow, the archive with --drop-old */
	SWAP_NSTEPS
};

const char *swap_step_name(enum swap_step s);
/* The step named name; -1 for none. */
int swap_step_parse(const char *name);
/*
 * Whether a signal arriving before step s stops the swap (the accounts are
 * then unlocked and db keeps the old copy): from the triggers' drop on,
 * the swap runs to its end so that db is whole.
 */
int swap_step_stoppable(enum swap_step s);
/* Whether the grace ends: no session left, or grace_ms passed. */
int swap_grace_over(long long elapsed_ms, long long grace_ms,
    size_t sessions_left);

/* What a restore --swap does with what an earlier one left. */
enum swap_rerun {
	SWAP_RERUN_FRESH,	/* no rename began, or it did not happen */
	SWAP_RERUN_FINISH,	/* renamed: replay the post-data only */
	SWAP_RERUN_OTHER	/* renamed from another backup: refused */
};
/*
 * marked: the archive's mark (written before the RENAME, deleted once the
 * post-data is replayed) is there; shadow_tables: tables the shadow holds
 * (the RENAME is one atomic statement: none once it happened);
 * same_backup: the mark names the backup being restored.
 */
enum swap_rerun swap_rerun(int marked, size_t shadow_tables,
    int same_backup);

#endif
