/*
 * Replicas: reading a replica's state (SHOW REPLICA STATUS, else SHOW SLAVE
 * STATUS; MariaDB's gtid_slave_pos or MySQL's Executed_Gtid_Set),
 * deciding whether it is fit to be backed up, and which server a host's
 * backup is taken from under [backup] backup_from.  Used by backup, run and
 * status; the coordinates end up in the manifest as source_binlog_*.
 */
#ifndef MYSHIP_DB_REPLICA_H
#define MYSHIP_DB_REPLICA_H

#include <stdint.h>

#include <mysql.h>

#include "util/config.h"
#include "util/err.h"

struct replica_status {
	int configured;			/* SHOW SLAVE STATUS had a row */
	int io_running, sql_running;	/* Slave_IO_Running/Slave_SQL_Running */
	unsigned sql_errno;		/* Last_SQL_Errno */
	char *sql_error;		/* Last_SQL_Error, "" when none */
	long long lag;			/* Seconds_Behind_Master; -1 = NULL */
	char *source_file;		/* Relay_Master_Log_File */
	uint64_t source_pos;		/* Exec_Master_Log_Pos */
	char *gtid_slave_pos;		/* @@gtid_slave_pos (MySQL:
					   Executed_Gtid_Set), "" when none */
};

int replica_status_read(MYSQL *c, struct replica_status *st, struct err *e);
void replica_status_free(struct replica_status *st);

/*
 * Refuses (ERR_REFUSED) a replica whose SQL thread stopped with an error,
 * that is not replicating, or whose lag is unknown or over max_lag; the
 * message names the replica (name) and the reason.
 */
int replica_check(const char *name, const struct replica_status *st,
    int64_t max_lag, struct err *e);

/* The first host with role = replica and source = h->name, or NULL. */
const struct host_cfg *replica_of(const struct config *cfg,
    const struct host_cfg *h);
/* True for role = replica. */
int replica_is(const struct host_cfg *h);

/*
 * The server h's backup is read from: h itself, or with backup_from =
 * replica its replica (ERR_CONFIG when it has none).  A replica is backed
 * up only when asked for by name: `run` skips it (its data is its source's).
 */
const struct host_cfg *replica_backup_source(const struct config *cfg,
    const struct host_cfg *h, struct err *e);

#endif
