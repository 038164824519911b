/*
 * restore --swap on the target (policy/swap_plan.h decides the names, the
 * accounts and the RENAME): the backup's tables are loaded into a shadow
 * database by the restore; this then locks the accounts (ALTER USER ...
 * ACCOUNT LOCK), waits the grace for their queries, kills their sessions
 * left, drops db's triggers, renames every table of db to the archive
 * database and every table of the shadow into db in one RENAME TABLE,
 * recreates db's views, routines, triggers and events from the backup's
 * post-data members, unlocks, drops the shadow.  db is always wholly the
 * old or the new copy.
 *
 * The unlock runs whatever happens once an account is locked: an error,
 * SIGINT/SIGTERM (a signal before the triggers' drop stops the swap, after
 * it the swap runs to its end), a lost connection (a new one, retried).
 * Against SIGKILL, the accounts are written before the lock to a journal
 * in the target, table `_myship_swap_journal` of the archive database;
 * swap_prepare (the next restore --swap) and swap_recover (myship check)
 * unlock what it lists.  Before the RENAME a mark naming the backup goes
 * into table `_myship_swap_rename` of the archive database, deleted once
 * the post-data is replayed: a rerun of the same backup that finds it and
 * an empty shadow (the RENAME happened) finishes that swap (swap_prepare's
 * *finish): it loads no table, keeps the journalled accounts locked (and
 * locks the others), drops db's triggers, replays the post-data into db,
 * unlocks.  ERR_REFUSED for a shadow or archive
 * database that is not myship's, an archive that holds an earlier swap's
 * old tables, or a swap killed after its rename rerun with another backup;
 * ERR_DB, ERR_CONNECT, ERR_INTERRUPTED otherwise.
 */
#ifndef MYSHIP_SWAP_H
#define MYSHIP_SWAP_H

#include <stdio.h>

#include "db/restore_apply.h"
#include "policy/restore_plan.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"
#include "util/strutil.h"

#define SWAP_JOURNAL_TABLE	"_myship_swap_journal"
#define SWAP_MARK_TABLE		"_myship_swap_rename"

struct swap_opts {
	const char *db;			/* the database swapped */
	const struct strlist *lock_users;	/* none: privileged on db */
	long long grace_ms;
	int drop_old;
	const char *hold;		/* test hook: step to wait before */
	const char *backup;		/* "host/ID" restored, in the mark */
};

struct swap;

/* Connects to target (ERR_CONNECT). */
struct swap *swap_new(const struct host_cfg *target,
    const struct swap_opts *o, struct err *e);
void swap_free(struct swap *s);
/* The shadow database the restore loads into. */
const char *swap_shadow(const struct swap *s);
/*
 * Before the load: unlocks what a killed swap left locked (said so;
 * finishing, they stay locked until swap_run's unlock),
 * refuses what is not myship's; *replace: the shadow is myship's own
 * leftover, to be replaced; *finish: a swap of this backup was killed
 * after its rename, only the post-data is to be read (swap_run replays
 * it).  Unless dry_run, creates the archive database and its journal.
 */
int swap_prepare(struct swap *s, int dry_run, int *replace, int *finish,
    struct err *e);
/* --dry-run: accounts, sessions that would be killed now, renames. */
int swap_print(struct swap *s, FILE *f, struct err *e);
/* Keeps post-data member pm (its bytes as stored) for after the rename. */
void swap_keep_post(struct swap *s, const struct plan_member *pm,
    const struct buf *data);
/* The swap itself, once the shadow is loaded and its rows checked. */
int swap_run(struct swap *s, struct restore_apply *a, struct restore_plan *p,
    struct err *e);
/* Seconds the accounts were locked, after swap_run. */
double swap_lockout(const struct swap *s);
/*
 * myship check: unlocks the accounts journalled in every archive database
 * of the target; *n gets how many.
 */
int swap_recover(const struct host_cfg *target, size_t *n, struct err *e);

#endif
