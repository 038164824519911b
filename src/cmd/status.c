/* myship status [--host NAME] [--json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "db/replica.h"
#include "db/conn.h"
#include "policy/drill_plan.h"
#include "policy/manifest.h"
#include "policy/retention.h"
#include "repo/repo.h"
#include "util/json.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct host_status {
	const struct host_cfg *h;
	int reachable;
	char *version;
	char *error;		/* why unreachable, or why the repo failed */
	int replica;
	long long lag;		/* -1 unknown */
	char *replication;	/* "running", "stopped: error N", ... */
	char *last_id;		/* NULL: no complete backup */
	int64_t age;
	int64_t bytes;
	double duration;
	size_t backups;		/* complete backups kept in the repository */
	size_t skipped;		/* of the last backup: > 0 = partial */
	int stale;
	char *drill_id;		/* the newest backup drilled, or NULL */
	struct drill_record drill;
};

static void
host_status_free(struct host_status *s)
{
	free(s->version);
	free(s->error);
	free(s->replication);
	free(s->last_id);
	free(s->drill_id);
}

static void
probe_replication(MYSQL *c, struct host_status *s)
{
	struct replica_status rs;
	struct err e;

	if (replica_status_read(c, &rs, &e) == -1) {
		s->replication = xasprintf("unknown: %s", e.msg);
		return;
	}
	s->lag = rs.lag;
	if (!rs.configured)
		s->replication = xstrdup("not configured");
	else if (rs.sql_running && rs.io_running)
		s->replication = xstrdup("running");
	else if (!rs.sql_running && rs.sql_errno != 0)
		s->replication = xasprintf("SQL thread stopped: error %u",
		    rs.sql_errno);
	else
		s->replication = xasprintf("stopped (IO %s, SQL %s)",
		    rs.io_running ? "yes" : "no", rs.sql_running ? "yes" : "no");
	replica_status_free(&rs);
}

static void
probe_server(struct host_status *s)
{
	struct db_server info;
	struct err e;
	MYSQL *c;

	if ((c = db_connect(s->h, &e)) == NULL) {
		s->error = xstrdup(e.msg);
		return;
	}
	s->reachable = 1;
	if (db_server_info(c, &info, &e) == 0) {
		s->version = xstrdup(info.version);
		db_server_free(&info);
	}
	if (s->replica)
		probe_replication(c, s);
	db_close(c);
}

/* The newest complete backup's manifest gives its size and duration. */
static void
probe_last(struct repo *r, const char *host, struct host_status *s)
{
	struct manifest m;
	struct buf b;
	struct err e;

	buf_init(&b);
	manifest_init(&m);
	if (repo_get(r, host, s->last_id, REPO_MANIFEST, &b, &e) == 0 &&
	    manifest_parse(b.data, b.len, REPO_MANIFEST, &m, &e) == 0) {
		s->bytes = (int64_t)m.archive_bytes;
		s->duration = m.duration;
		s->skipped = manifest_skipped(&m);
	} else
		log_warn("host %s: backup %s: %s", host, s->last_id, e.msg);
	manifest_free(&m);
	buf_free(&b);
}

/* The newest drill's record (myship drill, REPO_DRILLED). */
static void
probe_drill(struct repo *r, const char *host, const char *id,
    struct host_status *s)
{
	struct buf b;
	struct err e;

	buf_init(&b);
	if (repo_get(r, host, id, REPO_DRILLED, &b, &e) == 0 &&
	    drill_record_parse(b.data, b.len, &s->drill, &e) == 0) {
		free(s->drill_id);
		s->drill_id = xstrdup(id);
	} else
		log_warn("host %s: backup %s: %s", host, id, e.msg);
	buf_free(&b);
}

static void
probe_repo(struct repo *r, time_t now, int64_t alert_age, struct host_status *s)
{
	struct repo_entry *v = NULL;
	size_t n = 0, i;
	time_t start;
	struct err e;

	s->stale = 1;
	if (repo_list(r, s->h->name, &v, &n, &e) == -1) {
		if (s->error == NULL)
			s->error = xstrdup(e.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!v[i].complete || retention_parse_id(v[i].id, &start) == -1)
			continue;
		s->backups++;
		free(s->last_id);
		s->last_id = xstrdup(v[i].id);	/* sorted: last is newest */
		s->age = (int64_t)(now - start);
		s->bytes = v[i].archive_bytes;
		if (v[i].drilled)
			probe_drill(r, s->h->name, v[i].id, s);
	}
	repo_entries_free(v, n);
	if (s->last_id == NULL)
		return;
	probe_last(r, s->h->name, s);
	s->stale = s->age > alert_age;
}

static void
json_host(struct buf *b, const struct host_status *s)
{
	buf_append_str(b, "{\"host\":");
	json_append_string(b, s->h->name);
	buf_printf(b, ",\"reachable\":%s,\"version\":",
	    s->reachable ? "true" : "false");
	if (s->version != NULL)
		json_append_string(b, s->version);
	else
		buf_append_str(b, "null");
	buf_append_str(b, ",\"role\":");
	json_append_string(b, s->h->role);
	if (s->replica) {
		buf_append_str(b, ",\"replication\":");
		json_append_string(b, s->replication);
		if (s->lag >= 0)
			buf_printf(b, ",\"lag_seconds\":%lld", s->lag);
		else
			buf_append_str(b, ",\"lag_seconds\":null");
	}
	if (s->error != NULL) {
		buf_append_str(b, ",\"error\":");
		json_append_string(b, s->error);
	}
	buf_printf(b, ",\"backups\":%zu,\"last_backup\":", s->backups);
	if (s->last_id != NULL) {
		buf_append_str(b, "{\"id\":");
		json_append_string(b, s->last_id);
		buf_printf(b, ",\"age_seconds\":%lld,\"bytes\":%lld,"
		    "\"duration_seconds\":%.3f,\"partial\":%s,"
		    "\"skipped\":%zu}", (long long)s->age,
		    (long long)s->bytes, s->duration,
		    s->skipped > 0 ? "true" : "false", s->skipped);
	} else
		buf_append_str(b, "null");
	buf_append_str(b, ",\"last_drill\":");
	if (s->drill_id != NULL) {
		buf_append_str(b, "{\"id\":");
		json_append_string(b, s->drill_id);
		buf_printf(b, ",\"ok\":%s,\"finished\":%lld,"
		    "\"restore_seconds\":%.3f,\"tables\":%zu,\"failed\":%zu,"
		    "\"checksums\":\"%s\",\"target\":", s->drill.ok ? "true" :
		    "false", (long long)s->drill.finished,
		    s->drill.restore_secs, s->drill.tables, s->drill.failed,
		    drill_sums_names[s->drill.sums]);
		json_append_string(b, s->drill.target);
		buf_append_str(b, "}");
	} else
		buf_append_str(b, "null");
	buf_printf(b, ",\"stale\":%s}", s->stale ? "true" : "false");
}

static void
print_json(FILE *out, const struct host_status *v, size_t n, int stale)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_append_str(&b, "{\"hosts\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_append_char(&b, ',');
		json_host(&b, &v[i]);
	}
	buf_printf(&b, "],\"stale\":%s}\n", stale ? "true" : "false");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
}

/* Ages are days more often than hours: "9d02h" reads better than "218h". */
static void
format_age(int64_t age, char *out, size_t len)
{
	if (age >= 86400)
		snprintf(out, len, "%lldd%02lldh", (long long)(age / 86400),
		    (long long)(age % 86400 / 3600));
	else
		format_duration((double)age, out, len);
}

static void
print_row(FILE *out, const struct host_status *s)
{
	char age[32] = "-", size[32] = "-", dur[32] = "-", lag[32] = "-";

	if (s->last_id != NULL) {
		format_age(s->age, age, sizeof age);
		if (s->bytes >= 0)
			format_size((uint64_t)s->bytes, size, sizeof size);
		format_duration(s->duration, dur, sizeof dur);
	}
	if (s->replica && s->lag >= 0)
		snprintf(lag, sizeof lag, "%llds", s->lag);
	fprintf(out, "%-12s %-9s %-30.30s %-8s %-6s %-16s %-10s %-10s %-9s "
	    "%4zu  %s\n", s->h->name, s->reachable ? "yes" : "no",
	    s->version != NULL ? s->version : "-", s->h->role, lag,
	    s->last_id != NULL ? s->last_id : "none", age, size, dur,
	    s->backups, s->stale ? "STALE" : s->skipped > 0 ? "partial" : "ok");
	if (s->replica && s->replication != NULL)
		fprintf(out, "%-12s replication: %s\n", "", s->replication);
	if (s->drill_id != NULL)
		fprintf(out, "%-12s drill: %s, backup %s into host %s, restore "
		    "%.1f s, %zu of %zu tables as backed up, checksums %s\n", "",
		    s->drill.ok ? "ok" : "FAILED", s->drill_id, s->drill.target,
		    s->drill.restore_secs, s->drill.tables - s->drill.failed,
		    s->drill.tables, drill_sums_names[s->drill.sums]);
	if (s->error != NULL)
		fprintf(out, "%-12s error: %s\n", "", s->error);
}

static void
print_table(FILE *out, const struct host_status *v, size_t n)
{
	size_t i;

	fprintf(out, "%-12s %-9s %-30s %-8s %-6s %-16s %-10s %-10s %-9s "
	    "%4s  %s\n", "HOST", "REACHABLE", "VERSION", "ROLE", "LAG",
	    "LAST BACKUP", "AGE", "SIZE", "DURATION", "KEPT", "STATE");
	for (i = 0; i < n; i++)
		print_row(out, &v[i]);
}

static int
cmd_status(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const struct config *cfg = ctx->cfg;
	struct host_status *v;
	struct repo *r;
	size_t i, stale = 0, down = 0;

	if ((r = repo_open(cfg, e)) == NULL)
		return -1;
	v = xcalloc(a->nhosts ? a->nhosts : 1, sizeof *v);
	for (i = 0; i < a->nhosts; i++) {
		struct host_status *s = &v[i];

		s->h = a->hosts[i];
		s->lag = -1;
		s->replica = replica_is(s->h);
		probe_server(s);
		probe_repo(r, ctx->now, cfg->alert_age, s);
		/* A replica's data is backed up under its source's name. */
		if (s->replica && s->last_id == NULL)
			s->stale = 0;
		stale += s->stale;
		down += !s->reachable;
	}
	if (args_count(a, "json") > 0)
		print_json(stdout, v, a->nhosts, stale > 0);
	else
		print_table(stdout, v, a->nhosts);
	for (i = 0; i < a->nhosts; i++)
		host_status_free(&v[i]);
	free(v);
	repo_close(r);
	if (stale > 0)
		return err_set(e, ERR_STALE, "%zu host%s without a complete "
		    "backup younger than alert_age", stale, stale == 1 ? "" : "s");
	if (down > 0)
		return err_set(e, ERR_CONNECT, "%zu host%s unreachable", down,
		    down == 1 ? "" : "s");
	return 0;
}

static const struct cmd_option status_options[] = {
	{ "host", 'H', 1, 0, "only this [host]", NULL },
	{ "json", 'j', 0, 0, "one JSON document instead of the table", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.summary = "show each host's last backup; alert when stale",
	.usage = "usage: myship status [--host NAME] [--json]",
	.options = status_options,
	.hosts = CMD_HOSTS_ONE,
	.flags = CMD_POLICY,
	.exec = cmd_status,
};
