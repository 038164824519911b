/*
 * The apply step of a restore: the sessions on the target and what runs
 * on them, member by member, as the caller hands over the members of a
 * restore plan (policy/restore_plan.h) it read and checked.
 *
 * Schema members run in order on one control session, through a filter
 * that cuts the secondary keys to build after the data out of each CREATE
 * TABLE (db/defer.h) and tells the loaders which tables may take LOAD
 * DATA; a foreign key keeps the keys of the tables it names, and a CREATE
 * TABLE that cannot be read stops all deferring.  Data members go to a
 * pool of loaders (db/load.h), started at the first of them.  Post-data
 * members run on the control session once the pool is idle.  A database
 * that exists on the target is dropped just before its schema member
 * runs.  What ran before a failure stays.
 *
 * A table or object that fails on its own (the server refuses its
 * statement, its rows differ from the manifest's) costs only itself: it
 * is reported in one line naming it, the member and the server's error,
 * counted, and the restore goes on; the data of a table whose CREATE
 * failed is skipped.  Each statement of a post-data member (one view,
 * routine, trigger or event) runs on its own.  A lost connection, a
 * damaged member or a signal still stops the restore.  With the plan's
 * stop_on_error, the first statement refused or chunk failed stops it too.
 *
 * With the plan's resume, a database the target has is not dropped: its
 * CREATE DATABASE, and the CREATE of each table and sequence it has, do
 * not run; the data members of such a table are probed (db/target_resume.h)
 * and skipped, loaded, or loaded after deleting what of them is there
 * (restore_plan_resume); keys an interrupted restore held back and never
 * built are built after the rows; a view, routine, trigger or event that
 * exists is left alone.
 *
 * With the plan's diff, a database the target has is not dropped either:
 * each table it has is compared as its CREATE TABLE comes
 * (policy/restore_diff.h) and the members it does not need are marked
 * skip in the plan; before the first data member the views, routines,
 * triggers and events of the database, and its tables the backup lacks,
 * are dropped (the post-data members recreate the former), then the rows
 * that differ are deleted; skip members are never loaded.  A chunk of an
 * InnoDB table with no unique index but its key is instead replaced in
 * one transaction (its range deleted, its member loaded: all or none,
 * db/load.h); in another table a unique value can move between the rows
 * of two chunks, so all of its ranges are deleted before any is loaded.
 */
#ifndef MYSHIP_RESTORE_APPLY_H
#define MYSHIP_RESTORE_APPLY_H

#include "db/load.h"
#include "policy/restore_plan.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"

struct restore_apply;

/* What failed on its own, so far. */
struct apply_failures {
	size_t tables;		/* tables whose schema or rows failed */
	size_t objects;		/* post-data objects that failed */
	size_t objects_run;	/* post-data objects tried */
	size_t other;		/* other statements refused (SET ...) */
};

/*
 * Connects the control session to target (ERR_CONNECT); the pool gets
 * threads sessions of its own.  decoder builds each member's decoding
 * chain (stream/codec.h's codec_decoder_new): the codec is the caller's,
 * borrowed like p, which must outlive the result;
 * only restore_apply_probe writes to it.
 */
struct restore_apply *restore_apply_new(struct restore_plan *p,
    const struct host_cfg *target, int threads,
    const struct load_decoder *decoder, struct err *e);
void restore_apply_free(struct restore_apply *a);
/* Fills exists and nonempty of every selected database of the plan. */
int restore_apply_probe(struct restore_apply *a, struct err *e);
/* Sets up the control session (load_session_init) before any member. */
int restore_apply_begin(struct restore_apply *a, struct err *e);
/* The target's VERSION(), as the probe read it ("" before). */
const char *restore_apply_server_version(const struct restore_apply *a);
/*
 * Runs pm (of a selected database), or queues it for the pool, taking
 * over data (its bytes as stored); the accounts member is not run here.  -1 with the member's error, or the
 * first error of a loader.
 */
int restore_apply_member(struct restore_apply *a, const struct plan_member *pm,
    struct buf *data, struct err *e);
/*
 * on: schema and post-data members run to their end whatever signal
 * arrives (loader_set_uninterruptible on the control session).
 */
void restore_apply_uninterruptible(struct restore_apply *a, int on);
/* Waits until every queued member ran; -1 with the first loader error. */
int restore_apply_wait(struct restore_apply *a, struct err *e);
/* After the last member: builds the indexes still held back. */
int restore_apply_finish(struct restore_apply *a, struct err *e);
/* ANALYZE TABLE of every table of the selected databases. */
int restore_apply_analyze(struct restore_apply *a, struct err *e);
/* Totals of the control session and the pool, after restore_apply_wait. */
void restore_apply_stats(struct restore_apply *a, struct load_stats *st);
/* The failures counted so far (after restore_apply_wait: all of them). */
void restore_apply_failures(const struct restore_apply *a,
    struct apply_failures *f);
/* --diff: what was compared and what it cost. */
struct restore_diff_stats {
	size_t tables, tables_whole;	/* compared; reloaded whole */
	size_t compared, same, reload;	/* chunks */
	size_t atomic;			/* reloaded, each in one transaction */
	uint64_t pieces, pieces_read;	/* fingerprinted by the server; read */
	double secs;			/* comparing */
};
/*
 * --diff: decides the tables still being compared (a table without a key
 * is compared while the schema goes on).  Before reading any member but
 * the schema's, whose skip marks it may set.
 */
int restore_apply_diff_settle(struct restore_apply *a, struct err *e);
void restore_apply_diff_stats(const struct restore_apply *a,
    struct restore_diff_stats *st);
/* Whether anything ran on the target (a failure then leaves it changed). */
int restore_apply_touched(const struct restore_apply *a);

#endif
