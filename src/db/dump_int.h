/*
 * Inside the dump engine (db/dump.h): the state its three files share.
 * dump.c runs a host's dump (schemas, workers, post-data, progress, the
 * manifest); dump_plan.c turns tables into work items; dump_worker.c is a
 * worker's two threads, fetching rows into blocks and encoding blocks into
 * members; dump_rowsum.c reads a table as dtable_new would for restore
 * --diff.  Nothing outside db/dump*.c includes this.
 */
#ifndef MYSHIP_DUMP_INT_H
#define MYSHIP_DUMP_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "db/catalog.h"
#include "db/dump.h"
#include "db/dump_rowsum.h"
#include "db/snapshot.h"
#include "stream/archive.h"
#include "stream/hash.h"
#include "util/buf.h"
#include "util/rate.h"

/* One INSERT statement: big enough to amortize, far below max_allowed_packet. */
#define DUMP_STMT_MAX		(1024 * 1024)
#define DUMP_CHECK_ROWS		1024
#define DUMP_MAX_RANGES		10000
/* Row bytes a fetch thread reads between two takes from the rate bucket. */
#define DUMP_RATE_STEP		(64 * 1024)

struct dtable {
	struct cat_table cat;
	char *member_prefix;		/* 1-data/DE/TE/ */
	char *preamble;			/* SET ...; USE `D`; */
	char *insert;			/* INSERT INTO `T` (...) VALUES\n */
	char *select;			/* SELECT ... FROM ... */
	char *from;			/* " FROM `D`.`T`..." */
	char *values;			/* its values text, in SQL */
	enum col_kind *kinds;		/* of cat.cols */
	size_t mt;			/* index in manifest tables */
	size_t pending;			/* work items not yet finished */
	size_t next_member;
	unsigned char values_sum[32];	/* keyless: its members' sums so far */
};

struct witem {
	struct dtable *t;
	char *lo, *hi;
	uint64_t est;
	int whole;		/* a big table read in one query: goes first */
};

/*
 * Each worker is a pipeline of two threads so that the server never waits
 * for zstd: the fetch thread reads rows and formats statements into a ring
 * of DUMP_BLOCKS blocks; the compress thread turns them into the member
 * and adds finished members to the tar itself (under the dump's lock), so
 * no compressed member waits in a queue.
 */
#define DUMP_BLOCKS		3

/* One statement (or less) of a member, with what the member needs at its end. */
struct block {
	struct dtable *t;
	struct buf sql;
	int first;			/* the member begins here */
	int last;			/* the member ends here: rows..last_key */
	int item_done;			/* the work item ends after this block */
	uint64_t rows, raw;
	char *first_key, *last_key;
	char values_sha256[65];		/* when last: db/dump_rowsum.h */
	char *piece_keys;		/* when last: its pieces' end keys */
	unsigned char values_sum[32];	/* when last, keyless: the member's */
};

struct dump;

struct worker {
	struct dump *d;
	MYSQL *c;
	pthread_t fetch_tid, zstd_tid;
	int fetch_started, zstd_started;

	pthread_mutex_t mu;
	pthread_cond_t cv_full, cv_free;
	struct block blk[DUMP_BLOCKS];
	size_t head, nfull;		/* compress takes blk[head] */
	int eof;			/* the fetch thread has stopped */

	/* fetch thread */
	struct block *cur;		/* being filled */
	struct buf key;
	uint64_t untaxed;		/* row bytes not yet taken from d->rate */
	int in_member, in_stmt;
	uint64_t m_rows, m_raw, stmt_rows;
	char *m_first_key;
	struct rowsum_acc sums;		/* the member's (dump_rowsum.h) */

	/* compress thread */
	struct member_enc *enc;		/* the member, encoded; reused */
};

struct dump {
	const struct host_cfg *h;
	const struct dump_opts *o;
	struct snapshot snap;
	struct archive_writer *aw;
	struct manifest *m;
	struct dtable **tables;
	size_t ntables, tables_done;
	struct witem *items;
	size_t nitems, next_item;
	struct worker *w;
	size_t nw;

	pthread_mutex_t mu;		/* the archive, the manifest, the items */
	pthread_cond_t cv_out;		/* a compress thread stopped */
	size_t running;			/* compress threads */
	atomic_int failed;
	struct err err;			/* first error */
	pthread_mutex_t rate_mu;	/* rate, when o->max_rate */
	struct rate rate;
	atomic_uint_fast64_t rows, raw;
	uint64_t bytes;
	time_t started, last_progress;
	const char *ext;
};


/* dump.c: the first error wins and wakes every thread (d->mu not held). */
void dump_fail(struct dump *d, const struct err *e);
/* dump.c, d->mu held: a finished member into the archive and manifest. */
int dump_write_member(struct dump *d, const struct block *b,
    const struct member_enc *enc, struct err *e);
/* dump.c, d->mu held: one work item of t is done. */
void dump_item_done(struct dump *d, struct dtable *t);

/* dump_plan.c: a table's texts (member prefix, preamble, INSERT, SELECT). */
struct dtable *dtable_new(struct cat_table *ct);
void dtable_free(struct dtable *t);
/* dump_plan.c: every table's work items, in the order workers take them. */
int dump_plan(struct dump *d, struct err *e);

/* dump_worker.c: a worker on connection c; start runs its two threads. */
int worker_init(struct dump *d, struct worker *w, MYSQL *c, struct err *e);
void worker_free(struct worker *w);
int worker_start(struct worker *w);

#endif
