/* Replica state and the backup_from choice. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/replica.h"
#include "db/conn.h"
#include "util/xmalloc.h"

/* Column of a result by name; -1 when the server has no such column. */
static int
column(MYSQL_RES *res, const char *name)
{
	MYSQL_FIELD *f = mysql_fetch_fields(res);
	unsigned i, n = mysql_num_fields(res);

	for (i = 0; i < n; i++)
		if (strcasecmp(f[i].name, name) == 0)
			return (int)i;
	return -1;
}

/*
 * A column under MySQL's 8.0.22+ name (Replica_*, *_Source_*), else
 * under the older one MariaDB still uses (Slave_*, *_Master_*).
 */
static const char *
value(MYSQL_RES *res, MYSQL_ROW row, const char *name, const char *old)
{
	int i = column(res, name);

	if (i < 0 && old != NULL)
		i = column(res, old);
	return i < 0 || row[i] == NULL ? NULL : row[i];
}

static unsigned long long
number(const char *s, unsigned long long dflt)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' ? dflt : v;
}

static void
status_from_row(MYSQL_RES *res, MYSQL_ROW row, struct replica_status *st)
{
	const char *s;

	st->configured = 1;
	s = value(res, row, "Replica_IO_Running", "Slave_IO_Running");
	st->io_running = s != NULL && strcasecmp(s, "Yes") == 0;
	s = value(res, row, "Replica_SQL_Running", "Slave_SQL_Running");
	st->sql_running = s != NULL && strcasecmp(s, "Yes") == 0;
	st->sql_errno = (unsigned)number(value(res, row, "Last_SQL_Errno",
	    NULL), 0);
	s = value(res, row, "Last_SQL_Error", NULL);
	st->sql_error = xstrdup(s != NULL ? s : "");
	s = value(res, row, "Seconds_Behind_Source", "Seconds_Behind_Master");
	st->lag = s == NULL ? -1 : (long long)number(s, (unsigned long long)-1);
	s = value(res, row, "Relay_Source_Log_File", "Relay_Master_Log_File");
	st->source_file = xstrdup(s != NULL ? s : "");
	st->source_pos = number(value(res, row, "Exec_Source_Log_Pos",
	    "Exec_Master_Log_Pos"), 0);
	/* MySQL: the GTID set the replica has applied. */
	s = value(res, row, "Executed_Gtid_Set", NULL);
	if (s != NULL)
		st->gtid_slave_pos = xstrdup(s);
}

int
replica_status_read(MYSQL *c, struct replica_status *st, struct err *e)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	char *gtid = NULL;

	memset(st, 0, sizeof *st);
	st->lag = -1;
	/*
	 * SHOW REPLICA STATUS: MySQL 8.0.22+ (8.4 and 9.x have no SHOW SLAVE
	 * STATUS) and MariaDB 10.5+; older servers know only the other.
	 */
	if ((res = db_query_store(c, "SHOW REPLICA STATUS", NULL)) == NULL &&
	    (res = db_query_store(c, "SHOW SLAVE STATUS", e)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(res)) != NULL)
		status_from_row(res, row, st);
	mysql_free_result(res);
	if (st->gtid_slave_pos == NULL) {
		/* MariaDB's GTID position of the replica. */
		if (db_query_value(c, "SELECT @@GLOBAL.gtid_slave_pos", &gtid,
		    e) == -1) {
			replica_status_free(st);
			return -1;
		}
		st->gtid_slave_pos = gtid != NULL ? gtid : xstrdup("");
	}
	if (st->sql_error == NULL)
		st->sql_error = xstrdup("");
	if (st->source_file == NULL)
		st->source_file = xstrdup("");
	return 0;
}

void
replica_status_free(struct replica_status *st)
{
	free(st->sql_error);
	free(st->source_file);
	free(st->gtid_slave_pos);
	memset(st, 0, sizeof *st);
}

int
replica_check(const char *name, const struct replica_status *st,
    int64_t max_lag, struct err *e)
{
	if (!st->configured)
		return err_set(e, ERR_REFUSED, "replica %s: not a replica "
		    "(SHOW REPLICA STATUS is empty)", name);
	if (!st->sql_running && st->sql_errno != 0)
		return err_set(e, ERR_REFUSED, "replica %s: SQL thread stopped "
		    "with error %u: %.300s", name, st->sql_errno, st->sql_error);
	if (!st->sql_running)
		return err_set(e, ERR_REFUSED, "replica %s: SQL thread is not "
		    "running", name);
	if (st->lag < 0)
		return err_set(e, ERR_REFUSED, "replica %s: replication lag is "
		    "unknown (IO thread not running?)", name);
	if (st->lag > max_lag)
		return err_set(e, ERR_REFUSED, "replica %s: lag %llds exceeds "
		    "max_replica_lag %llds", name, st->lag, (long long)max_lag);
	return 0;
}

int
replica_is(const struct host_cfg *h)
{
	return h->role != NULL && strcmp(h->role, "replica") == 0;
}

const struct host_cfg *
replica_of(const struct config *cfg, const struct host_cfg *h)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++) {
		const struct host_cfg *r = &cfg->hosts[i];

		if (replica_is(r) && r->source != NULL &&
		    strcmp(r->source, h->name) == 0)
			return r;
	}
	return NULL;
}

const struct host_cfg *
replica_backup_source(const struct config *cfg, const struct host_cfg *h,
    struct err *e)
{
	const struct host_cfg *r;

	if (replica_is(h) || cfg->backup_from == NULL ||
	    strcmp(cfg->backup_from, "replica") != 0)
		return h;
	if ((r = replica_of(cfg, h)) == NULL) {
		err_set(e, ERR_CONFIG, "host %s: backup_from = replica but no "
		    "[host] has role = replica and source = %s", h->name,
		    h->name);
		return NULL;
	}
	return r;
}
