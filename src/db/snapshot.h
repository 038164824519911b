/*
 * One consistent view of a server shared by N connections, taken without
 * FLUSH TABLES WITH READ LOCK.  Every connection runs REPEATABLE READ and
 * START TRANSACTION WITH CONSISTENT SNAPSHOT; to make N snapshots one:
 *   "backup-stage"  MariaDB BACKUP STAGE BLOCK_COMMIT held (bounded by
 *                   lock_wait_timeout) only while the N transactions open;
 *   "gtid-check"    else open them and check that all report the same
 *                   binlog snapshot position, retrying a few times;
 *   "single"        else one connection (warned).
 * MySQL (db/snapshot_mysql.c) holds LOCK INSTANCE FOR BACKUP for the dump
 * where it may, and makes the N snapshots one with the shortest
 * FLUSH TABLES WITH READ LOCK ("ftwrl") or by an unchanged binary log
 * position and gtid_executed ("gtid-check"), else "single".
 * Also captures the binlog coordinates of the snapshot when binary logging
 * is on (the GTID set: MariaDB's gtid_binlog_pos, MySQL's gtid_executed).
 */
#ifndef MYSHIP_SNAPSHOT_H
#define MYSHIP_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "db/conn.h"
#include "util/config.h"
#include "util/err.h"

struct snapshot {
	MYSQL **conns;		/* n connections, each inside the snapshot */
	size_t n;
	const char *method;	/* "backup-stage", "ftwrl", "gtid-check", "single" */
	MYSQL *ctl;		/* MySQL: holds LOCK INSTANCE FOR BACKUP, or NULL */
	double stall;		/* seconds commits were blocked (0: never) */
	struct db_server server;
	char *binlog_file;	/* NULL when binary logging is off */
	uint64_t binlog_pos;
	char *gtid_binlog_pos;	/* GTID set of the snapshot, or NULL */
};

/*
 * Opens up to nconns connections to h in one snapshot.  Sessions use
 * utf8mb4, UTC, sql_mode '' (so SHOW CREATE output is plain), and long
 * net timeouts (a worker may stall on a full queue mid-result).
 */
int snapshot_open(const struct host_cfg *h, size_t nconns,
    int64_t lock_wait_timeout, struct snapshot *s, struct err *e);
void snapshot_close(struct snapshot *s);

#endif
