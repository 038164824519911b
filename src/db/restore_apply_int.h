/*
 * Inside the apply step of a restore (db/restore_apply.h): the state
 * restore_apply.c, restore_resume.c and restore_apply_diff.c share.
 * restore_apply.c runs the members; restore_resume.c is what --resume does
 * to a database the target has (db/target_resume.h probes);
 * restore_apply_diff.c what --diff does.  Nothing else includes this.
 */
#ifndef MYSHIP_RESTORE_APPLY_INT_H
#define MYSHIP_RESTORE_APPLY_INT_H

#include <mysql.h>

#include "db/conn.h"
#include "db/defer.h"
#include "db/dump_rowsum.h"
#include "db/restore_apply.h"
#include "policy/restore_diff.h"
#include "util/strutil.h"

/* What deferring learns of a table while the schema runs. */
struct apply_table {
	int referenced;			/* a foreign key names it */
	int failed;			/* its CREATE failed */
	int rows_failed;		/* a data member failed; pool's lock */
	struct load_table *lt;		/* from its CREATE TABLE, or NULL */
	/* --resume: the target had it; its rows are probed */
	int resume, probed, keyed;
	enum plan_resume whole;		/* when not keyed */
	struct strlist pk;		/* its primary key on the target */
	int elsewhere_told;		/* its rows are not its own: said so */
	/* --diff: the target had it, as the backup defines it */
	int diff;
	struct plan_diff_table dt;
	struct rowsum_table *rs;	/* read as the dump reads it */
	uint64_t in_chunks;		/* keyed: its rows in the chunks' ranges */
	int atomic;			/* a chunk is replaced in a transaction */
	char *auto_inc;			/* the backup's AUTO_INCREMENT=, or NULL */
};

/* --diff: sessions comparing one table's chunks at once (at most
 * --threads): the comparison reads every row the target has. */
#define DIFF_SESSIONS	4
#define DIFF_BG		DIFF_SESSIONS	/* diff_session's for diff_bgc */

struct diff_bg;

struct restore_apply {
	struct restore_plan *p;
	const struct host_cfg *target;
	int threads;
	const struct load_decoder *decoder;
	struct apply_table *tabs;	/* as p->tables */
	int stopped;			/* nothing is deferred any more */
	size_t cur_db;			/* whose schema member runs */
	long cur_table;			/* whose CREATE TABLE runs, or -1 */
	enum plan_kind cur_kind;	/* of the member on the control session */
	struct apply_failures f;	/* of the control session */
	size_t rows_failed;		/* tables; the pool's lock */
	int tabs_reported;		/* the pool reports to us */
	struct defer_split ds;
	struct loader *ctl;		/* schema, post-data, probes */
	struct load_pool *pool;
	int touched;
	struct db_server server;	/* the target's, read by the probe */
	size_t skipped, cleared;	/* --resume: chunks in place, partly */
	MYSQL *diff_c;			/* --diff: fingerprints, deletes */
	MYSQL *diff_more[DIFF_SESSIONS - 1];	/* and chunks compared at once */
	MYSQL *diff_bgc;		/* and a keyless table's, meanwhile */
	struct diff_bg *diff_bg;	/* that comparison, not yet settled */
	int diff_cleared;		/* what differs was deleted */
	struct restore_diff_stats diff;
};

/* What the loaders learn of table t from its CREATE TABLE. */
struct load_table *apply_load_table(struct restore_apply *a, size_t t);
/* Holds back the keys defer_split_create cut from the table of lt. */
void apply_defer_table(struct restore_apply *a, struct load_table *lt);

/*
 * --resume (restore_resume.c).  apply_resume_other: a CREATE DATABASE, or
 * the CREATE SEQUENCE of a sequence the target has, becomes "DO 0".
 * apply_resume_table: 1 when table t (whose CREATE TABLE runs) is there:
 * its CREATE becomes "DO 0".  apply_resume_exists: the statement the
 * control session just failed creates an object that exists.
 * apply_resume_data: 1 when the rows of data member pm are there.
 */
int apply_resume_other(struct restore_apply *a, MYSQL *c, const char **q,
    size_t *n, struct err *e);
int apply_resume_table(struct restore_apply *a, MYSQL *c, size_t t, int cut,
    const char **q, size_t *n, struct err *e);
int apply_resume_exists(const struct restore_apply *a);
int apply_resume_data(struct restore_apply *a, const struct plan_member *pm,
    struct err *e);

/*
 * --diff (restore_apply_diff.c).  apply_diff_table: table t (whose CREATE TABLE
 * runs) is there: compared, its chunks decided (policy/restore_diff.h);
 * 1 when it is kept (its CREATE becomes "DO 0"), 0 when it is created
 * (absent, or dropped: its definition differs, --force).
 * apply_diff_clear: once, before the first data or post-data member runs:
 * drops the existing databases' objects the post-data members recreate
 * and their tables the backup lacks, then deletes what differs but the
 * chunks replaced each in one transaction (apply_diff_txn_first).
 */
int apply_diff_table(struct restore_apply *a, MYSQL *c, size_t t,
    const char **q, size_t *n, struct err *e);
int apply_diff_clear(struct restore_apply *a, struct err *e);
/* What data member pm runs in its transaction first (NULL: none). */
char *apply_diff_txn_first(const struct restore_apply *a,
    const struct plan_member *pm);
void apply_diff_free(struct restore_apply *a);
/* A table compared: into the diff's counts. */
void apply_diff_count(struct restore_apply *a,
    const struct plan_diff_table *dt);
/*
 * restore_apply_bg.c: table t (keyless, its rs open) compared on c in a
 * thread, after the one before it settles; apply_diff_settle waits for it
 * and decides t (nothing to do when none runs); apply_diff_bg_free only
 * waits, on the way out.
 */
int apply_diff_bg_start(struct restore_apply *a, MYSQL *c, size_t t,
    struct err *e);
int apply_diff_settle(struct restore_apply *a, struct err *e);
void apply_diff_bg_free(struct restore_apply *a);

#endif
