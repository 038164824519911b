/*
 * Runs archive members on a server.  A member is an SQL script as stored
 * in the archive (zstd-compressed, or plain at compression level 0); a
 * loader decodes it as a stream, splits it into statements (db/sqlsplit.h)
 * and runs them one by one on its own connection, so a member is never
 * held decoded.  A pool runs data members on N loaders in threads, fed
 * through a queue bounded in members and bytes: the reader blocks when the
 * servers fall behind instead of buffering the archive.
 *
 * Renaming a database touches exactly two statement shapes, `USE `SRC``
 * and a leading `CREATE DATABASE `SRC``, as FORMAT.md promises.
 */
#ifndef MYSHIP_LOAD_H
#define MYSHIP_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"

struct load_member {
	char *name;		/* archive member, for messages */
	char *what;		/* "db.table" or "database db", for messages */
	struct buf data;	/* the member's bytes as stored */
	int compressed;
	uint64_t raw_bytes;	/* what it must decode to; 0: unknown */
	char *rename_from;	/* NULL: no rename */
	char *rename_to;
};

/* Takes over name, what, rename_* (may be NULL) and data. */
struct load_member *load_member_new(char *name, char *what, struct buf *data,
    int compressed, uint64_t raw_bytes);
void load_member_free(struct load_member *m);

/* Totals of what ran; filled by loaders, summed by the pool. */
struct load_stats {
	uint64_t members, statements, raw_bytes;
	uint64_t retries;	/* statements sent again after a deadlock */
};

/*
 * The session every loader's connection gets: binary names, no foreign
 * key or unique checks, NO_AUTO_VALUE_ON_ZERO, UTC.  The members set it
 * too; setting it first keeps a member's own prologue from mattering.
 */
int load_session_init(MYSQL *c, struct err *e);

struct loader;
/* Takes over c (closed by loader_free). */
struct loader *loader_new(MYSQL *c);
void loader_free(struct loader *l);
MYSQL *loader_conn(struct loader *l);
/*
 * Decodes and runs m.  ERR_DB ("member M (db.t) statement N, line L:
 * server message"), ERR_CORRUPT when it does not decode to raw_bytes or
 * is not a whole script, ERR_INTERRUPTED on a signal.
 */
int loader_run(struct loader *l, const struct load_member *m, struct err *e);
const struct load_stats *loader_stats(const struct loader *l);

struct load_pool;
/* Connects nthreads sessions to h and starts their threads. */
struct load_pool *load_pool_new(const struct host_cfg *h, int nthreads,
    size_t max_queued_bytes, struct err *e);
/*
 * Queues m, taking it over (freed even on error); blocks while the queue
 * is full.  -1 with the first worker's error once any worker failed.
 */
int load_pool_submit(struct load_pool *p, struct load_member *m,
    struct err *e);
/* Waits until every queued member ran; -1 with the first worker error. */
int load_pool_wait(struct load_pool *p, struct err *e);
/* Adds the workers' totals to st (call after load_pool_wait). */
void load_pool_stats(struct load_pool *p, struct load_stats *st);
/* Stops the workers, drops what is still queued, closes the sessions. */
void load_pool_free(struct load_pool *p);

#endif
