#include "db/snapshot_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define SNAPSHOT_CHECK_TRIES	5
/* Server side: a worker may wait on a full queue with a result open. */
#define SNAPSHOT_NET_TIMEOUT	3600

static const char start_sql[] = "START TRANSACTION WITH CONSISTENT SNAPSHOT";

static int
snapshot_session(MYSQL *c, int64_t lock_wait_timeout, struct err *e)
{
	if (db_execf(c, e, "SET SESSION sql_mode='', "
	    "SESSION sql_quote_show_create=1, SESSION net_write_timeout=%d, "
	    "SESSION net_read_timeout=%d, SESSION lock_wait_timeout=%lld",
	    SNAPSHOT_NET_TIMEOUT, SNAPSHOT_NET_TIMEOUT,
	    (long long)(lock_wait_timeout > 0 ? lock_wait_timeout : 1)) == -1)
		return -1;
	return db_exec(c, "SET SESSION TRANSACTION ISOLATION LEVEL "
	    "REPEATABLE READ", e);
}

/* Binlog_snapshot_file/position as seen by c's transaction. */
static int
snapshot_position(MYSQL *c, char **file, uint64_t *pos, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	*file = NULL;
	*pos = 0;
	if ((r = db_query_store(c, "SHOW STATUS LIKE 'binlog_snapshot_%'",
	    e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (strcasecmp(row[0], "Binlog_snapshot_file") == 0) {
			free(*file);
			*file = xstrdup(row[1]);
		} else if (strcasecmp(row[0], "Binlog_snapshot_position") == 0)
			*pos = strtoull(row[1], NULL, 10);
	}
	mysql_free_result(r);
	return 0;
}

int
snapshot_begin_all(struct snapshot *s, struct err *e)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (db_exec(s->conns[i], start_sql, e) == -1)
			return -1;
	return 0;
}

void
snapshot_rollback_all(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		db_exec(s->conns[i], "ROLLBACK", NULL);
}

/*
 * MariaDB's backup lock: BLOCK_COMMIT stops commits (not reads, not
 * running statements) while the N snapshots open.  Returns 1 when used,
 * 0 when unavailable (privilege, timeout), -1 on a real failure.
 */
static int
snapshot_backup_stage(const struct host_cfg *h, struct snapshot *s,
    int64_t lwt, struct err *e)
{
	struct err ign;
	MYSQL *ctl;
	int rc = 0;

	if ((ctl = db_connect(h, &ign)) == NULL) {
		log_info("host %s: backup stage: %s", h->name, ign.msg);
		return 0;
	}
	if (db_execf(ctl, &ign, "SET SESSION lock_wait_timeout=%lld",
	    (long long)(lwt > 0 ? lwt : 1)) == -1 ||
	    db_exec(ctl, "BACKUP STAGE START", &ign) == -1 ||
	    db_exec(ctl, "BACKUP STAGE BLOCK_COMMIT", &ign) == -1) {
		log_info("host %s: backup stage unavailable: %s", h->name,
		    ign.msg);
		goto out;
	}
	rc = snapshot_begin_all(s, e) == -1 ? -1 : 1;
out:
	db_exec(ctl, "BACKUP STAGE END", NULL);
	db_close(ctl);
	if (rc == -1)
		snapshot_rollback_all(s);
	return rc;
}

/*
 * Whether all N snapshots report one binlog position (no commit between):
 * 1 yes, 0 no, 2 binary log off (nothing to compare), -1 error.
 */
static int
snapshot_same_position(struct snapshot *s, struct err *e)
{
	char *f0 = NULL, *f = NULL;
	uint64_t p0, p;
	size_t i;
	int same = 1;

	if (snapshot_position(s->conns[0], &f0, &p0, e) == -1)
		return -1;
	if (f0 == NULL || *f0 == '\0')
		same = 2;	/* binary log off: nothing to compare */
	for (i = 1; same == 1 && i < s->n; i++) {
		if (snapshot_position(s->conns[i], &f, &p, e) == -1) {
			free(f0);
			return -1;
		}
		same = f != NULL && strcmp(f, f0) == 0 && p == p0;
		free(f);
		f = NULL;
	}
	free(f0);
	return same;
}

static int
snapshot_check(const struct host_cfg *h, struct snapshot *s, struct err *e)
{
	struct timespec ts;
	int try, same;

	for (try = 0; try < SNAPSHOT_CHECK_TRIES; try++) {
		if (snapshot_begin_all(s, e) == -1)
			return -1;
		if ((same = snapshot_same_position(s, e)) == -1 || same == 1)
			return same;
		snapshot_rollback_all(s);
		if (same == 2)
			break;
		ts.tv_sec = 0;
		ts.tv_nsec = 50000000L * (try + 1);
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int
snapshot_single(const struct host_cfg *h, struct snapshot *s, size_t want,
    struct err *e)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		db_close(s->conns[i]);
	s->n = 1;
	s->method = "single";
	if (want > 1)
		log_warn("host %s: could not share one snapshot between %zu "
		    "connections; dumping with one", h->name, want);
	return db_exec(s->conns[0], start_sql, e);
}

static int
snapshot_coordinates(struct snapshot *s, struct err *e)
{
	char *on = NULL, *gtid = NULL;
	struct buf q;
	int rc;

	if (db_query_value(s->conns[0], "SELECT @@log_bin", &on, e) == -1)
		return -1;
	rc = on == NULL || strcmp(on, "1") != 0;
	free(on);
	/* MySQL's come from snapshot_mysql_share, read with its snapshot. */
	if (rc || !s->server.is_mariadb)
		return 0;
	if (snapshot_position(s->conns[0], &s->binlog_file, &s->binlog_pos,
	    e) == -1)
		return -1;
	if (s->binlog_file == NULL || *s->binlog_file == '\0')
		return 0;
	buf_init(&q);
	buf_append_str(&q, "SELECT BINLOG_GTID_POS(");
	sql_quote_string(&q, s->binlog_file, strlen(s->binlog_file));
	buf_printf(&q, ", %" PRIu64 ")", s->binlog_pos);
	rc = db_query_value(s->conns[0], buf_cstr(&q), &gtid, e);
	buf_free(&q);
	s->gtid_binlog_pos = gtid;
	return rc;
}

static int
snapshot_share(const struct host_cfg *h, struct snapshot *s, size_t want,
    int64_t lwt, struct err *e)
{
	int rc;

	if (!s->server.is_mariadb) {
		if ((rc = snapshot_mysql_share(h, s, lwt, e)) != 0)
			return rc;
	} else if (s->n > 1) {
		if ((rc = snapshot_backup_stage(h, s, lwt, e)) != 0) {
			s->method = "backup-stage";
			return rc;
		}
		if ((rc = snapshot_check(h, s, e)) != 0) {
			s->method = "gtid-check";
			return rc;
		}
	}
	return snapshot_single(h, s, want, e);
}

int
snapshot_open(const struct host_cfg *h, size_t nconns,
    int64_t lock_wait_timeout, struct snapshot *s, struct err *e)
{
	size_t i;

	memset(s, 0, sizeof *s);
	if (nconns == 0)
		nconns = 1;
	s->conns = xcalloc(nconns, sizeof *s->conns);
	for (i = 0; i < nconns; i++) {
		if ((s->conns[i] = db_connect(h, e)) == NULL)
			goto fail;
		s->n++;
		if (snapshot_session(s->conns[i], lock_wait_timeout, e) == -1)
			goto fail;
	}
	if (db_server_info(s->conns[0], &s->server, e) == -1 ||
	    snapshot_share(h, s, nconns, lock_wait_timeout, e) == -1 ||
	    snapshot_coordinates(s, e) == -1)
		goto fail;
	return 0;
fail:
	if (e != NULL && e->kind != ERR_CONNECT)
		err_prefix(e, "host %s", h->name);
	snapshot_close(s);
	return -1;
}

void
snapshot_close(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		db_close(s->conns[i]);
	if (s->ctl != NULL)
		db_close(s->ctl);	/* ends LOCK INSTANCE FOR BACKUP */
	free(s->conns);
	db_server_free(&s->server);
	free(s->binlog_file);
	free(s->gtid_binlog_pos);
	memset(s, 0, sizeof *s);
}
