#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/conn.h"
#include "db/swap.h"
#include "db/swap_int.h"
#include "db/target.h"
#include "policy/swap_plan.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/show.h"
#include "util/signals.h"
#include "util/xmalloc.h"

#define SWAP_RECONNECTS	10	/* tries of the unlock on new connections */


static void
swap_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void
swap_journal_name(struct buf *q, const char *archive)
{
	sql_quote_ident(q, archive);
	buf_append_str(q, ".`" SWAP_JOURNAL_TABLE "`");
}

/* The accounts journalled in archive into users and hosts. */
static int
swap_journal_read(MYSQL *c, const char *archive, struct strlist *users,
    struct strlist *hosts, struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;

	buf_init(&q);
	buf_append_str(&q, "SELECT user, host FROM ");
	swap_journal_name(&q, archive);
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL)
		if (row[0] != NULL && row[1] != NULL) {
			strlist_add(users, row[0]);
			strlist_add(hosts, row[1]);
		}
	mysql_free_result(r);
	return 0;
}

/* ALTER USER ... ACCOUNT LOCK or UNLOCK of each account, then the journal. */
static int
swap_set_locked(MYSQL *c, const char *archive, const struct strlist *users,
    const struct strlist *hosts, int lock, struct err *e)
{
	struct buf q;
	size_t i;
	int rc = 0;

	buf_init(&q);
	for (i = 0; i < users->n && rc == 0; i++) {
		buf_reset(&q);
		buf_append_str(&q, "ALTER USER IF EXISTS ");
		swap_account_sql(&q, users->v[i], hosts->v[i]);
		buf_append_str(&q, lock ? " ACCOUNT LOCK" : " ACCOUNT UNLOCK");
		rc = db_exec(c, buf_cstr(&q), e);
	}
	if (rc == 0 && !lock) {
		buf_reset(&q);
		buf_append_str(&q, "DELETE FROM ");
		swap_journal_name(&q, archive);
		rc = db_exec(c, buf_cstr(&q), e);
	}
	buf_free(&q);
	return rc;
}

/* Unlocks what the journal of archive lists; *n gets how many. */
static int
swap_unlock_journal(MYSQL *c, const char *host, const char *archive,
    size_t *n, struct err *e)
{
	struct strlist users = { NULL, 0 }, hosts = { NULL, 0 };
	char shown[SHOW_MAX], acc[SHOW_MAX];
	size_t i;
	int rc;

	rc = swap_journal_read(c, archive, &users, &hosts, e);
	if (rc == 0 && users.n > 0)
		rc = swap_set_locked(c, archive, &users, &hosts, 0, e);
	for (i = 0; rc == 0 && i < users.n; i++)
		log_warn("host %s: account %s@%s, left locked by a swap that "
		    "was killed (journal in database %s), unlocked", host,
		    show_str(users.v[i], acc, sizeof acc), hosts.v[i],
		    show_str(archive, shown, sizeof shown));
	*n = rc == 0 ? users.n : 0;
	strlist_free(&users);
	strlist_free(&hosts);
	return rc;
}

struct swap *
swap_new(const struct host_cfg *target, const struct swap_opts *o,
    struct err *e)
{
	struct swap *s;
	MYSQL *c;

	if ((c = db_connect(target, e)) == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->target = target;
	s->o = *o;
	s->c = c;
	swap_names(o->db, s->shadow, s->archive);
	return s;
}

void
swap_free(struct swap *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->npost; i++)
		buf_free(&s->post[i].data);
	free(s->post);
	strlist_free(&s->users);
	strlist_free(&s->hosts);
	db_close(s->c);
	free(s);
}

const char *
swap_shadow(const struct swap *s)
{
	return s->shadow;
}

double
swap_lockout(const struct swap *s)
{
	return s->lockout;
}

void
swap_keep_post(struct swap *s, const struct plan_member *pm,
    const struct buf *data)
{
	struct swap_post *sp;

	s->post = xrealloc(s->post, (s->npost + 1) * sizeof *s->post);
	sp = &s->post[s->npost++];
	sp->pm = pm;
	buf_init(&sp->data);
	buf_append(&sp->data, data->data, data->len);
}

static int
swap_refuse(struct swap *s, const char *what, const char *db,
    const char *why, struct err *e)
{
	char shown[SHOW_MAX];

	return err_set(e, ERR_REFUSED, "restore --swap into host %s: %s "
	    "database %s %s", s->target->name, what, show_str(db, shown,
	    sizeof shown), why);
}

/*
 * A mark in the archive: the swap of a killed run began its rename.  Done
 * (the shadow is empty), it is finished if the backup is the same one.
 */
static int
swap_check_mark(struct swap *s, int shadow, struct err *e)
{
	struct strlist l = { NULL, 0 };
	char *mark = NULL, a[SHOW_MAX], b[SHOW_MAX];
	enum swap_rerun r;

	if (swap_mark_read(s->c, s->archive, &mark, e) == -1 ||
	    (shadow && swap_tables(s->c, s->shadow, &l, e) == -1)) {
		free(mark);
		return -1;
	}
	r = swap_rerun(mark != NULL, l.n, mark != NULL &&
	    strcmp(mark, s->o.backup) == 0);
	strlist_free(&l);
	if (r == SWAP_RERUN_FINISH)
		log_warn("swap: host %s: a swap of backup %s was killed after "
		    "its rename: database %s holds its tables; only the "
		    "post-data is replayed now", s->target->name,
		    show_str(mark, a, sizeof a), show_str(s->o.db, b,
		    sizeof b));
	else if (r == SWAP_RERUN_OTHER)
		err_set(e, ERR_REFUSED, "restore --swap into host %s: "
		    "database %s holds the tables of backup %s, swapped in by "
		    "a run killed before its post-data: rerun restore --swap "
		    "with that backup", s->target->name, show_str(s->o.db, b,
		    sizeof b), show_str(mark, a, sizeof a));
	s->finish = r == SWAP_RERUN_FINISH;
	free(mark);
	return r == SWAP_RERUN_OTHER ? -1 : 0;
}

/* Refuses a shadow or archive database that is not myship's. */
static int
swap_check_names(struct swap *s, int *replace, struct err *e)
{
	struct strlist l = { NULL, 0 };
	int db_there, arch, journal = 0, shadow, rc = 0;

	if (swap_db_exists(s->c, s->o.db, &db_there, e) == -1 ||
	    swap_db_exists(s->c, s->archive, &arch, e) == -1 ||
	    swap_db_exists(s->c, s->shadow, &shadow, e) == -1 ||
	    (arch && swap_journal_exists(s->c, s->archive, &journal, e) == -1))
		return -1;
	if (!db_there)
		return swap_refuse(s, "the", s->o.db, "does not exist (restore "
		    "it without --swap)", e);
	if (arch && !journal)
		return swap_refuse(s, "archive", s->archive, "exists and is not "
		    "myship's (it has no " SWAP_JOURNAL_TABLE ")", e);
	if (shadow && !journal)
		return swap_refuse(s, "shadow", s->shadow, "exists and is not "
		    "myship's (no archive database with its journal)", e);
	*replace = shadow;
	if (journal && swap_check_mark(s, shadow, e) == -1)
		return -1;
	if (s->finish)
		return 0;
	if (arch && swap_tables(s->c, s->archive, &l, e) == -1)
		return -1;
	if (l.n > 0)
		rc = swap_refuse(s, "archive", s->archive, "holds the old "
		    "tables of an earlier swap: drop it first (--drop-old "
		    "drops it after a swap)", e);
	strlist_free(&l);
	return rc;
}

/*
 * Finishing: the accounts the killed swap journalled stay locked until
 * the post-data is replayed; they head s->users, already journalled.
 */
static int
swap_keep_locked(struct swap *s, struct err *e)
{
	char shown[SHOW_MAX];
	size_t i;

	if (swap_journal_read(s->c, s->archive, &s->users, &s->hosts,
	    e) == -1)
		return -1;
	s->journalled = s->users.n;
	for (i = 0; i < s->users.n; i++)
		log_warn("host %s: account %s@%s, left locked by a swap that "
		    "was killed after its rename, kept locked until its "
		    "post-data is replayed", s->target->name,
		    show_str(s->users.v[i], shown, sizeof shown),
		    s->hosts.v[i]);
	return 0;
}

int
swap_prepare(struct swap *s, int dry_run, int *replace, int *finish,
    struct err *e)
{
	struct err e2;
	struct buf q;
	size_t n;
	int arch, journal = 0, rc;

	if (swap_db_exists(s->c, s->archive, &arch, e) == -1 ||
	    (arch && swap_journal_exists(s->c, s->archive, &journal, e) == -1))
		return -1;
	memset(&e2, 0, sizeof e2);
	rc = swap_check_names(s, replace, e);
	if (journal && !s->finish && swap_unlock_journal(s->c,
	    s->target->name, s->archive, &n, rc == 0 ? e : &e2) == -1)
		return -1;
	if (rc == -1 || (s->finish && swap_keep_locked(s, e) == -1))
		return -1;
	*finish = s->finish;
	if (dry_run)
		return 0;
	buf_init(&q);
	buf_append_str(&q, "CREATE DATABASE IF NOT EXISTS ");
	sql_quote_ident(&q, s->archive);
	rc = db_exec(s->c, buf_cstr(&q), e);
	buf_reset(&q);
	buf_append_str(&q, "CREATE TABLE IF NOT EXISTS ");
	swap_journal_name(&q, s->archive);
	buf_append_str(&q, " (user VARCHAR(255) NOT NULL, host VARCHAR(255) "
	    "NOT NULL) DEFAULT CHARSET=utf8mb4");
	if (rc == 0)
		rc = db_exec(s->c, buf_cstr(&q), e);
	buf_reset(&q);
	buf_append_str(&q, "CREATE TABLE IF NOT EXISTS ");
	sql_quote_ident(&q, s->archive);
	buf_append_str(&q, ".`" SWAP_MARK_TABLE "` (backup VARCHAR(1024) "
	    "NOT NULL) DEFAULT CHARSET=utf8mb4");
	if (rc == 0)
		rc = db_exec(s->c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

/* The mark naming the backup (set) before the rename, or none after. */
static int
swap_mark(struct swap *s, int set, struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, "DELETE FROM ");
	sql_quote_ident(&q, s->archive);
	buf_append_str(&q, ".`" SWAP_MARK_TABLE "`");
	rc = db_exec(s->c, buf_cstr(&q), e);
	buf_reset(&q);
	buf_append_str(&q, "INSERT INTO ");
	sql_quote_ident(&q, s->archive);
	buf_append_str(&q, ".`" SWAP_MARK_TABLE "` (backup) VALUES (");
	sql_quote_string(&q, s->o.backup, strlen(s->o.backup));
	buf_append_char(&q, ')');
	if (rc == 0 && set)
		rc = db_exec(s->c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

/* Test hook (MYSHIP_SWAP_HOLD): waits before step st for a signal. */
static void
swap_hold(struct swap *s, enum swap_step st)
{
	int i;

	if (s->o.hold == NULL || swap_step_parse(s->o.hold) != (int)st)
		return;
	log_warn("swap: holding before step %s (MYSHIP_SWAP_HOLD)",
	    swap_step_name(st));
	for (i = 0; i < 600 && !signals_interrupted(); i++)
		swap_sleep_ms(100);
}

/*
 * Before step st: the hook, the log line, a signal stops what may stop
 * (nothing when finishing: db is the new copy already).
 */
static int
swap_step(struct swap *s, enum swap_step st, struct err *e)
{
	swap_hold(s, st);
	log_debug("swap: step %s", swap_step_name(st));
	if (!s->finish && swap_step_stoppable(st) && signals_interrupted())
		return err_set(e, ERR_INTERRUPTED, "restore --swap into host "
		    "%s interrupted before step %s: database %s unchanged",
		    s->target->name, swap_step_name(st), s->o.db);
	return 0;
}

/* Notes the accounts in the journal, before they are locked. */
static int
swap_journal_write(struct swap *s, struct err *e)
{
	struct buf q;
	size_t i;
	int rc;

	if (s->users.n == s->journalled)
		return 0;
	buf_init(&q);
	buf_append_str(&q, "INSERT INTO ");
	swap_journal_name(&q, s->archive);
	buf_append_str(&q, " (user, host) VALUES ");
	for (i = s->journalled; i < s->users.n; i++) {
		buf_append_str(&q, i > s->journalled ? ", (" : "(");
		sql_quote_string(&q, s->users.v[i], strlen(s->users.v[i]));
		buf_append_str(&q, ", ");
		sql_quote_string(&q, s->hosts.v[i], strlen(s->hosts.v[i]));
		buf_append_char(&q, ')');
	}
	rc = db_exec(s->c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

/* The grace, then KILL CONNECTION of the sessions left. */
static int
swap_wait_kill(struct swap *s, struct err *e)
{
	struct strlist ids = { NULL, 0 };
	struct buf q;
	double t0 = clock_seconds();
	size_t i;
	int rc;

	for (;;) {
		strlist_free(&ids);
		if ((rc = swap_sessions(s, &ids, e)) == -1 ||
		    swap_grace_over((long long)((clock_seconds() - t0) * 1000),
		    s->o.grace_ms, ids.n) || signals_interrupted())
			break;
		swap_sleep_ms(100);
	}
	if (rc == 0)
		rc = swap_step(s, SWAP_KILL, e);
	buf_init(&q);
	for (i = 0; rc == 0 && i < ids.n; i++) {
		buf_reset(&q);
		buf_printf(&q, "KILL CONNECTION %lld", atoll(ids.v[i]));
		if (db_exec(s->c, buf_cstr(&q), e) == -1 &&
		    mysql_errno(s->c) != 1094)	/* gone meanwhile */
			rc = -1;
	}
	if (rc == 0 && ids.n > 0)
		log_info("swap: host %s: %zu sessions of the locked accounts "
		    "still there after %.1f s killed", s->target->name, ids.n,
		    s->o.grace_ms / 1000.0);
	buf_free(&q);
	strlist_free(&ids);
	return rc;
}

/* DROP kind `db`.`name` of each name of information_schema.table. */
static int
swap_drop_all(MYSQL *c, const char *db, const char *kind, const char *what,
    const char *table, const char *column, const char *more, struct err *e)
{
	struct strlist l = { NULL, 0 };
	struct buf q;
	size_t i;
	int rc;

	rc = swap_names_in(c, what, table, column, db, more, &l, e);
	buf_init(&q);
	for (i = 0; rc == 0 && i < l.n; i++) {
		buf_reset(&q);
		buf_printf(&q, "DROP %s ", kind);
		sql_quote_ident(&q, db);
		buf_append_char(&q, '.');
		sql_quote_ident(&q, l.v[i]);
		rc = db_exec(c, buf_cstr(&q), e);
	}
	buf_free(&q);
	strlist_free(&l);
	return rc;
}

static int
swap_rename(struct swap *s, struct err *e)
{
	struct strlist old = { NULL, 0 }, new = { NULL, 0 };
	struct buf q;
	int rc;

	buf_init(&q);
	rc = swap_tables(s->c, s->o.db, &old, e) == -1 ||
	    swap_tables(s->c, s->shadow, &new, e) == -1 ? -1 : 0;
	if (rc == 0 && swap_rename_sql(s->o.db, s->shadow, s->archive, &old,
	    &new, &q) == 0)
		rc = db_exec(s->c, buf_cstr(&q), e);
	if (rc == 0)
		log_info("swap: host %s: %zu tables of %s moved to %s, %zu "
		    "restored tables moved in", s->target->name, old.n,
		    s->o.db, s->archive, new.n);
	buf_free(&q);
	strlist_free(&old);
	strlist_free(&new);
	return rc;
}

/* db's old views, routines and events go; the backup's are created. */
static int
swap_post(struct swap *s, struct restore_apply *a, struct restore_plan *p,
    struct err *e)
{
	const char *db = s->o.db, *dst;
	struct buf copy;
	size_t i;
	int rc;

	rc = swap_drop_all(s->c, db, "VIEW", "TABLE_NAME", "VIEWS",
	    "TABLE_SCHEMA", "", e);
	if (rc == 0)
		rc = swap_drop_all(s->c, db, "PROCEDURE", "ROUTINE_NAME",
		    "ROUTINES", "ROUTINE_SCHEMA", " AND ROUTINE_TYPE = "
		    "'PROCEDURE'", e);
	if (rc == 0)
		rc = swap_drop_all(s->c, db, "FUNCTION", "ROUTINE_NAME",
		    "ROUTINES", "ROUTINE_SCHEMA", " AND ROUTINE_TYPE = "
		    "'FUNCTION'", e);
	if (rc == 0)
		rc = swap_drop_all(s->c, db, "EVENT", "EVENT_NAME", "EVENTS",
		    "EVENT_SCHEMA", "", e);
	restore_apply_uninterruptible(a, 1);	/* runs to its end */
	for (i = 0; rc == 0 && i < s->npost; i++) {
		dst = p->dbs[s->post[i].pm->db].dst;
		p->dbs[s->post[i].pm->db].dst = db;
		buf_init(&copy);
		buf_append(&copy, s->post[i].data.data, s->post[i].data.len);
		rc = restore_apply_member(a, s->post[i].pm, &copy, e);
		buf_free(&copy);
		p->dbs[s->post[i].pm->db].dst = dst;
	}
	restore_apply_uninterruptible(a, 0);
	return rc;
}

/*
 * The unlock, on this connection or, lost, on new ones, SWAP_RECONNECTS
 * times a second apart.  Keeps the first error in e.
 */
static int
swap_unlock(struct swap *s, struct err *e)
{
	struct err e2;
	int i;

	memset(&e2, 0, sizeof e2);
	for (i = 0; i <= SWAP_RECONNECTS; i++) {
		if (i > 0) {
			swap_sleep_ms(1000);
			db_close(s->c);
			if ((s->c = db_connect(s->target, &e2)) == NULL)
				continue;
		}
		if (s->c != NULL && swap_set_locked(s->c, s->archive,
		    &s->users, &s->hosts, 0, &e2) == 0) {
			s->locked = 0;
			s->lockout = clock_seconds() - s->locked_at;
			return 0;
		}
		log_warn("swap: host %s: unlock failed (%s)%s",
		    s->target->name, e2.msg, i < SWAP_RECONNECTS ?
		    ", retrying on a new connection" : "");
	}
	if (e->kind == ERR_OK)
		*e = e2;
	log_error("swap: host %s: %zu accounts stay locked (listed in %s."
	    SWAP_JOURNAL_TABLE "): the next restore --swap or myship check "
	    "unlocks them", s->target->name, s->users.n, s->archive);
	return -1;
}

/* Every step from the lock on; returns with the accounts still locked. */
static int
swap_locked_steps(struct swap *s, struct restore_apply *a,
    struct restore_plan *p, struct err *e)
{
	if (swap_step(s, SWAP_LOCK, e) == -1)
		return -1;
	s->locked_at = clock_seconds();
	s->locked = 1;
	if (swap_set_locked(s->c, s->archive, &s->users, &s->hosts, 1,
	    e) == -1 || swap_step(s, SWAP_GRACE, e) == -1 ||
	    swap_wait_kill(s, e) == -1 || swap_step(s, SWAP_TRIGGERS, e) == -1)
		return -1;
	if (swap_drop_all(s->c, s->o.db, "TRIGGER", "TRIGGER_NAME", "TRIGGERS",
	    "TRIGGER_SCHEMA", "", e) == -1)
		return err_prefix(e, "database %s kept its %s tables, its "
		    "triggers may be gone (the backup's post-data has them)",
		    s->o.db, s->finish ? "restored" : "old");
	if (swap_step(s, SWAP_RENAME, e) == -1 || (!s->finish &&
	    (swap_mark(s, 1, e) == -1 || swap_rename(s, e) == -1)))
		return err_prefix(e, "database %s kept its old tables without "
		    "their triggers", s->o.db);
	if (swap_step(s, SWAP_POST, e) == -1 || swap_post(s, a, p, e) == -1 ||
	    swap_mark(s, 0, e) == -1)
		return err_prefix(e, "database %s holds the restored tables, "
		    "some views, routines, triggers or events may be missing "
		    "(restore --swap of the same backup again replays them)",
		    s->o.db);
	return 0;
}

int
swap_run(struct swap *s, struct restore_apply *a, struct restore_plan *p,
    struct err *e)
{
	int rc;

	if (swap_step(s, SWAP_JOURNAL, e) == -1 || swap_accounts(s, e) == -1 ||
	    swap_journal_write(s, e) == -1)
		return -1;
	log_info("swap: host %s: locking %zu accounts, grace %.1f s",
	    s->target->name, s->users.n, s->o.grace_ms / 1000.0);
	rc = swap_locked_steps(s, a, p, e);
	if (s->locked) {
		swap_hold(s, SWAP_UNLOCK);
		if (swap_unlock(s, e) == -1)
			return -1;
		log_info("swap: host %s: %zu accounts locked out for %.2f s",
		    s->target->name, s->users.n, s->lockout);
	}
	if (rc == -1 || swap_step(s, SWAP_CLEANUP, e) == -1)
		return -1;
	if (target_drop_db(s->c, s->shadow, e) == -1)
		return -1;
	return s->o.drop_old ? target_drop_db(s->c, s->archive, e) : 0;
}

/* Warns of a swap killed after it began its rename (archive's mark). */
static int
swap_recover_mark(MYSQL *c, const char *host, const char *archive,
    struct err *e)
{
	char *mark = NULL, a[SHOW_MAX], b[SHOW_MAX];

	if (swap_mark_read(c, archive, &mark, e) == -1)
		return -1;
	if (mark != NULL)
		log_warn("host %s: a swap of backup %s was killed at its "
		    "rename (mark in database %s): its database may lack "
		    "views, routines, triggers or events; restore --swap of "
		    "that backup again finishes it", host,
		    show_str(mark, a, sizeof a), show_str(archive, b,
		    sizeof b));
	free(mark);
	return 0;
}

int
swap_recover(const struct host_cfg *target, size_t *n, struct err *e)
{
	struct strlist dbs = { NULL, 0 };
	MYSQL *c;
	size_t i, k;
	int rc, journal;

	*n = 0;
	if ((c = db_connect(target, e)) == NULL)
		return -1;
	rc = db_query_column(c, "SELECT SCHEMA_NAME FROM information_schema."
	    "SCHEMATA WHERE SCHEMA_NAME LIKE '\\_myship\\_old\\_%'", &dbs, e);
	for (i = 0; rc == 0 && i < dbs.n; i++) {
		rc = swap_journal_exists(c, dbs.v[i], &journal, e);
		if (rc == 0 && journal && (rc = swap_unlock_journal(c,
		    target->name, dbs.v[i], &k, e)) == 0)
			*n += k;
		if (rc == 0 && journal)
			rc = swap_recover_mark(c, target->name, dbs.v[i], e);
	}
	strlist_free(&dbs);
	db_close(c);
	return rc;
}
