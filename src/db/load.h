/*
 * Runs archive members on a server.  A member is an SQL script as stored
 * in the archive; a loader decodes it as a stream, through the decoder
 * chain its submitter names (stream/codec.h: the loader knows no codec), splits it into statements (db/sqlsplit.h)
 * and runs them one by one on its own connection, so a member is never
 * held decoded.  The multi-row INSERTs of a table whose values read the
 * same either way are sent as LOAD DATA LOCAL INFILE of their VALUES text
 * (the server reads rows much faster than it parses SQL), served from
 * memory by the loader's own handler, which never opens a file; a server
 * refusing LOCAL INFILE gets the INSERTs.  A pool runs data members on N
 * loaders in threads, fed through a queue bounded in members and bytes:
 * the reader blocks when the servers fall behind instead of buffering the
 * archive.
 *
 * Renaming a database touches exactly two statement shapes, `USE `SRC``
 * and a leading `CREATE DATABASE `SRC``, as FORMAT.md promises.
 */
#ifndef MYSHIP_LOAD_H
#define MYSHIP_LOAD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "stream/filter.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"

/*
 * A table whose rows come in several members.  Once the last of them ran,
 * the worker that ran it runs finish (when set) on its own session: the
 * deferred index build (db/defer.h) starts as soon as the rows are in,
 * while the other workers go on loading.
 */
struct load_table {
	char *what;		/* "db.table", for messages */
	size_t left;		/* members not run yet; the pool's lock */
	char *finish;		/* a statement, or NULL */
	int finished;		/* finish ran (or was run by load_table_run) */
	int load_data;		/* its INSERTs may go as LOAD DATA */
};

struct load_table *load_table_new(const char *what, size_t members);
void load_table_free(struct load_table *t);

/*
 * Builds the chain that turns the stored bytes of member back into SQL,
 * expanding to at most max_out bytes: codec_decoder_new's shape, with the
 * caller's codec (its keys) as ctx.
 */
typedef struct filter *load_decoder_fn(const void *ctx, const char *member,
    uint64_t max_out, struct err *e);
struct load_decoder {
	load_decoder_fn *fn;
	const void *ctx;
};

struct load_member {
	char *name;		/* archive member, for messages */
	char *what;		/* "db.table" or "database db", for messages */
	struct buf data;	/* the member's bytes as stored */
	const struct load_decoder *decoder;	/* borrowed */
	uint64_t raw_bytes;	/* what it must decode to; 0: unknown */
	char *rename_from;	/* NULL: no rename */
	char *rename_to;
	struct load_table *table;	/* NULL, or not owned */
	int64_t rows;		/* rows it must insert; -1: unknown */
	/*
	 * NULL, or the statement the member runs after in one transaction
	 * (restore --diff: the DELETE of the rows the chunk replaces), so
	 * that its rows are replaced all or none: any failure rolls it back,
	 * no statement in it is skipped, and a deadlock or a lock wait timeout
	 * runs it all again.
	 */
	char *txn_first;
};

/* Takes over name, what, rename_*, txn_first (may be NULL) and data. */
struct load_member *load_member_new(char *name, char *what, struct buf *data,
    const struct load_decoder *decoder, uint64_t raw_bytes);
void load_member_free(struct load_member *m);

/* Totals of what ran; filled by loaders, summed by the pool. */
struct load_stats {
	uint64_t members, statements, raw_bytes;
	uint64_t retries;	/* statements sent again after a deadlock */
	uint64_t infile;	/* INSERTs sent as LOAD DATA */
	uint64_t infile_refused; /* loaders the target refused LOCAL INFILE */
	uint64_t finished;	/* tables whose finish statement ran */
	double finish_secs;	/* time spent in them */
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
 * A look at every statement of a member before it runs (after a rename):
 * the filter may point *q and *n at another text (valid until its next
 * call) or run statements of its own on c first.  -1 fails the member.
 */
typedef int (*load_filter)(void *ctx, MYSQL *c, const char **q, size_t *n,
    struct err *e);
void loader_set_filter(struct loader *l, load_filter fn, void *ctx);
/*
 * A statement the server refuses (an error of its own, not a lost
 * connection) is handed to fn with the error ("member M (what) line L:
 * message"): 0 goes on with the next statement, -1 fails the member.
 */
typedef int (*load_on_error)(void *ctx, const char *q, size_t n,
    const struct err *e);
void loader_set_on_error(struct loader *l, load_on_error fn, void *ctx);
/*
 * After loader_run failed: 1 when the member itself failed (the server
 * refused a statement, or the rows differ from the manifest's), so the
 * session is fine and the rest of the archive can go on; 0 when the
 * session or the archive is at fault (connection, decoding, signal).
 */
int loader_failed_soft(const struct loader *l);
/* A flag that, once set, makes the loader stop between statements. */
void loader_set_cancel(struct loader *l, const atomic_int *flag);
/*
 * on: SIGINT/SIGTERM no longer stop the loader (restore --swap's replay
 * of post-data, which must run to its end once begun).
 */
void loader_set_uninterruptible(struct loader *l, int on);
/*
 * Runs t's finish statement now, if it has one that did not run yet, in
 * utf8mb4 (it comes from a schema member), then sets the session's names
 * back to names.  ERR_DB naming the table.
 */
int load_table_run(struct loader *l, struct load_table *t, const char *names,
    struct err *e);
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
/*
 * From now on a member that fails on its own (loader_failed_soft) is
 * handed to fn, under the pool's lock, and the others go on; any other
 * failure still stops the pool.
 */
typedef void (*load_report)(void *ctx, const struct load_member *m,
    const struct err *e);
void load_pool_set_report(struct load_pool *p, load_report fn, void *ctx);
/* Waits until every queued member ran; -1 with the first worker error. */
int load_pool_wait(struct load_pool *p, struct err *e);
/* Adds the workers' totals to st (call after load_pool_wait). */
void load_pool_stats(struct load_pool *p, struct load_stats *st);
/* Stops the workers, drops what is still queued, closes the sessions. */
void load_pool_free(struct load_pool *p);

#endif
