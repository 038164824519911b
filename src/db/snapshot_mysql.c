/*
 * One snapshot for N connections on MySQL, which has no BACKUP STAGE and
 * no binlog_snapshot_* status.  In order of preference:
 *   LOCK INSTANCE FOR BACKUP (BACKUP_ADMIN), held by a control connection
 *     for the whole dump: DDL waits, DML does not, and no ALTER can make the
 *     dump fail half way with "table definition has changed";
 *   "ftwrl": FLUSH TABLES WITH READ LOCK (RELOAD) only while the N
 *     transactions open and the coordinates are read, bounded by
 *     SNAPSHOT_FTWRL_WAIT, and never while another query has been running
 *     for a second or more (FLUSH TABLES would wait for it, with every
 *     writer queued behind); the stall is measured and logged;
 *   "gtid-check": the binary log position and gtid_executed read before and
 *     after the N transactions open are equal: nothing committed between
 *     (retried a few times).  This does not block anything, but a commit
 *     whose engine part ends in the window while its GTID is published after
 *     it would go unseen; "ftwrl" has no such window.
 * Coordinates come from performance_schema.log_status (consistent with
 * each other), else SHOW BINARY LOG STATUS / SHOW MASTER STATUS.
 */
#include "db/snapshot_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define SNAPSHOT_FTWRL_WAIT	2	/* seconds: the longest writers may wait */
#define SNAPSHOT_GTID_TRIES	5
#define SNAPSHOT_CTL_IDLE	86400	/* the control connection idles for the dump */

struct coords {
	char *file, *gtid;
	uint64_t pos;
};

static void
coords_free(struct coords *c)
{
	free(c->file);
	free(c->gtid);
	memset(c, 0, sizeof *c);
}

static int
coords_equal(const struct coords *a, const struct coords *b)
{
	return a->pos == b->pos &&
	    strcmp(a->file ? a->file : "", b->file ? b->file : "") == 0 &&
	    strcmp(a->gtid ? a->gtid : "", b->gtid ? b->gtid : "") == 0;
}

static void
coords_from_row(struct coords *c, MYSQL_ROW row, unsigned nf, unsigned gtid_col)
{
	if (nf > 1 && row[0] != NULL && *row[0] != '\0') {
		c->file = xstrdup(row[0]);
		c->pos = row[1] != NULL ? strtoull(row[1], NULL, 10) : 0;
	}
	if (nf > gtid_col && row[gtid_col] != NULL && *row[gtid_col] != '\0')
		c->gtid = xstrdup(row[gtid_col]);
}

/* 0 with *c filled (file NULL: binary log off), -1 when nothing answers. */
static int
coords_read(MYSQL *ctl, struct coords *c)
{
	static const char *const q[] = {
		"SELECT JSON_UNQUOTE(JSON_EXTRACT(LOCAL, '$.binary_log_file')), "
		    "JSON_EXTRACT(LOCAL, '$.binary_log_position'), "
		    "JSON_UNQUOTE(JSON_EXTRACT(LOCAL, '$.gtid_executed')) "
		    "FROM performance_schema.log_status",
		"SHOW BINARY LOG STATUS",	/* 8.2 and later */
		"SHOW MASTER STATUS",		/* before 8.4 */
	};
	static const unsigned gtid_col[] = { 2, 4, 4 };
	struct err ign;
	MYSQL_RES *r;
	MYSQL_ROW row;
	size_t i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < sizeof q / sizeof q[0]; i++) {
		if ((r = db_query_store(ctl, q[i], &ign)) == NULL)
			continue;
		if ((row = mysql_fetch_row(r)) != NULL)
			coords_from_row(c, row, mysql_num_fields(r), gtid_col[i]);
		mysql_free_result(r);
		return 0;
	}
	return -1;
}

static void
coords_keep(struct snapshot *s, struct coords *c)
{
	s->binlog_file = c->file;
	s->binlog_pos = c->pos;
	s->gtid_binlog_pos = c->gtid;
	memset(c, 0, sizeof *c);
}

/*
 * Seconds the longest other running statement has run, or -1 unknown:
 * without PROCESS the process list shows only the account's own sessions.
 */
static long
longest_query(MYSQL *ctl)
{
	struct err ign;
	char *v = NULL;
	long t;

	if (db_query_value(ctl, "SELECT COUNT(*) FROM information_schema."
	    "USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'PROCESS'", &v,
	    &ign) == -1 || v == NULL || strcmp(v, "0") == 0) {
		free(v);
		return -1;
	}
	free(v);
	v = NULL;
	if (db_query_value(ctl, "SELECT COALESCE(MAX(TIME), 0) FROM "
	    "information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND "
	    "COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', "
	    "'Binlog Dump GTID', 'Connect') AND USER <> 'system user'",
	    &v, &ign) == -1 || v == NULL)
		return -1;
	t = strtol(v, NULL, 10);
	free(v);
	return t;
}

/* 1 used, 0 not available or not safe now, -1 failure. */
static int
snapshot_ftwrl(const struct host_cfg *h, struct snapshot *s, MYSQL *ctl,
    int64_t lwt, struct err *e)
{
	struct coords c;
	struct err ign;
	double t0;
	long busy;
	int rc;

	if ((busy = longest_query(ctl)) != 0) {
		log_info("host %s: FLUSH TABLES WITH READ LOCK not used: %s",
		    h->name, busy < 0 ? "without PROCESS, statements running "
		    "in other sessions cannot be seen" :
		    "a statement is running, writers would queue behind it");
		return 0;
	}
	if (db_execf(ctl, &ign, "SET SESSION lock_wait_timeout=%d",
	    lwt > 0 && lwt < SNAPSHOT_FTWRL_WAIT ? (int)lwt :
	    SNAPSHOT_FTWRL_WAIT) == -1)
		return 0;
	t0 = clock_seconds();
	if (db_exec(ctl, "FLUSH TABLES WITH READ LOCK", &ign) == -1) {
		log_info("host %s: FLUSH TABLES WITH READ LOCK: %s", h->name,
		    ign.msg);
		return 0;
	}
	rc = snapshot_begin_all(s, e) == -1 ? -1 : 1;
	if (rc == 1 && coords_read(ctl, &c) == 0)
		coords_keep(s, &c);
	db_exec(ctl, "UNLOCK TABLES", NULL);
	s->stall = clock_seconds() - t0;
	if (rc == -1)
		snapshot_rollback_all(s);
	else
		log_info("host %s: commits waited %.3fs while %zu snapshots "
		    "opened", h->name, s->stall, s->n);
	return rc;
}

/* 1 used, 0 never saw a quiet window (or no binary log), -1 failure. */
static int
snapshot_gtid_check(const struct host_cfg *h, struct snapshot *s,
    MYSQL *ctl, struct err *e)
{
	struct coords a, b;
	struct timespec ts;
	int try, same;

	for (try = 0; try < SNAPSHOT_GTID_TRIES; try++) {
		if (coords_read(ctl, &a) == -1 || (a.file == NULL &&
		    a.gtid == NULL)) {
			coords_free(&a);
			return 0;	/* nothing to compare */
		}
		if (snapshot_begin_all(s, e) == -1) {
			coords_free(&a);
			return -1;
		}
		same = coords_read(ctl, &b) == 0 && coords_equal(&a, &b);
		coords_free(&b);
		if (same) {
			coords_keep(s, &a);
			return 1;
		}
		coords_free(&a);
		snapshot_rollback_all(s);
		ts.tv_sec = 0;
		ts.tv_nsec = 50000000L * (try + 1);
		nanosleep(&ts, NULL);
	}
	log_info("host %s: the binary log moved every time %zu snapshots "
	    "opened", h->name, s->n);
	return 0;
}

int
snapshot_mysql_share(const struct host_cfg *h, struct snapshot *s,
    int64_t lwt, struct err *e)
{
	struct err ign;
	MYSQL *ctl;
	int rc = 0;

	if ((ctl = db_connect(h, &ign)) == NULL) {
		log_info("host %s: control connection: %s", h->name, ign.msg);
		return 0;
	}
	if (db_execf(ctl, &ign, "SET SESSION wait_timeout=%d, "
	    "SESSION lock_wait_timeout=%lld", SNAPSHOT_CTL_IDLE,
	    (long long)(lwt > 0 ? lwt : 1)) == 0 &&
	    db_exec(ctl, "LOCK INSTANCE FOR BACKUP", &ign) == 0)
		s->ctl = ctl;
	else
		log_info("host %s: LOCK INSTANCE FOR BACKUP: %s (DDL during "
		    "the dump may make it fail)", h->name, ign.msg);
	if (s->n > 1 && (rc = snapshot_ftwrl(h, s, ctl, lwt, e)) != 0)
		s->method = "ftwrl";
	else if ((rc = snapshot_gtid_check(h, s, ctl, e)) != 0)
		s->method = "gtid-check";
	if (s->ctl == NULL)
		db_close(ctl);
	return rc;
}
