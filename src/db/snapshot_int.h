/*
 * What snapshot.c and snapshot_mysql.c share: opening and abandoning the N
 * transactions, and MySQL's ways to make them one snapshot.  Internal to
 * db/snapshot*.c; the interface is db/snapshot.h.
 */
#ifndef MYSHIP_SNAPSHOT_INT_H
#define MYSHIP_SNAPSHOT_INT_H

#include "db/snapshot.h"

/* START TRANSACTION WITH CONSISTENT SNAPSHOT on every connection. */
int snapshot_begin_all(struct snapshot *s, struct err *e);
void snapshot_rollback_all(struct snapshot *s);

/*
 * MySQL: opens the N transactions as one snapshot and records its binary
 * log coordinates ("ftwrl", else "gtid-check"); 1 done (s->method set),
 * 0 neither method could be used (nothing open), -1 failure.
 */
int snapshot_mysql_share(const struct host_cfg *h, struct snapshot *s,
    int64_t lock_wait_timeout, struct err *e);

#endif
