/*
 * What load.c and load_send.c share: the loader's state, and sending one
 * statement (as LOAD DATA LOCAL when it can, cut to the target's
 * max_allowed_packet when it must).  Internal to db/load*.c; the
 * interface is db/load.h.
 */
#ifndef MYSHIP_LOAD_INT_H
#define MYSHIP_LOAD_INT_H

#include "db/load.h"
#include "db/sqlsplit.h"

struct loader {
	MYSQL *c;
	struct sqlsplit *split;
	struct buf dec;			/* decoded piece */
	struct buf stmt;		/* a rewritten statement */
	struct buf src_q, dst_q;	/* `SRC` and `DST` of a rename */
	int created;			/* CREATE DATABASE seen in this member */
	load_filter filter;
	void *filter_ctx;
	int no_infile;			/* the server refused LOCAL INFILE */
	struct buf ld;			/* an INSERT as LOAD DATA */
	const char *rows;		/* its VALUES text, served to the server */
	size_t nrows, rows_off;
	uint64_t affected;		/* rows the member's statements wrote */
	const atomic_int *cancel;	/* the pool's failure flag, or NULL */
	int uninterruptible;	/* signals do not stop it */
	load_on_error on_error;		/* NULL: a failed statement fails */
	void *on_error_ctx;
	int mode;			/* the session's SQLSPLIT_* flags */
	int soft;			/* the last failure was the member's own */
	int in_txn;			/* a member's transaction is open */
	int txn_retry;			/* it ended in a deadlock or lock wait */
	uint64_t max_packet;		/* the target's max_allowed_packet */
	int cut_logged;
	struct load_stats st;
};

/*
 * Sessions inserting into one table can deadlock in InnoDB (and time out
 * on a lock); the server then rolls back the statement (a transaction:
 * all of it), which is sent again up to LOAD_RETRIES times.
 */
#define LOAD_RETRIES	8
/* Whether c's last error was a deadlock or a lock wait timeout. */
int load_retryable(MYSQL *c);

/* Serves LOCAL INFILE requests on l's connection from l->rows. */
void loader_infile_setup(struct loader *l);
/*
 * Sends q (as LOAD DATA when it can, as several INSERTs when it is longer
 * than the target takes), sent again while deadlocked (outside a
 * transaction, which the deadlock rolled back whole), counting the rows
 * it wrote: 0; -1 the server's error (mysql_error); -2 refused before
 * anything ran, e naming the member, the sizes and the setting to raise.
 */
int load_send(struct loader *l, const struct load_member *m, const char *q,
    size_t n, unsigned long line, struct err *e);

#endif
