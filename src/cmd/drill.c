/*
 * myship drill [BACKUP_ID|latest] --host NAME --target NAME [--json]
 *
 * A restore drill: the backup restored whole (cmd/restore.h) into scratch
 * databases of the target (policy/drill_plan.h names them), each table's rows
 * counted against the manifest and, when the backup recorded checksums
 * ([backup] checksums) and the target is the same flavour and release
 * series, its CHECKSUM TABLE against the recorded one; then the scratch
 * databases dropped, whatever happened (a signal too).  Leftovers of a
 * killed drill of the same host are dropped first, and said.  The result
 * and the restore's time (the RTO) go to the repository next to the backup
 * (REPO_DRILLED, for status) and to the metrics file.  A table that
 * differs or failed to restore is ERR_DRILL, each named on a line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/restore.h"
#include "db/catalog.h"
#include "db/conn.h"
#include "db/tablesum.h"
#include "db/target.h"
#include "job/backup_ref.h"
#include "job/metrics.h"
#include "policy/drill_plan.h"
#include "repo/repo.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/log.h"
#include "util/show.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct drill {
	const struct config *cfg;
	const char *host;
	const struct host_cfg *target;
	int json, quiet;
	struct repo *repo;
	char *id;
	struct manifest m;
	struct strlist renames;		/* SRC:DST, as restore takes them */
	struct strlist scratch;		/* DST, as m.dbs */
	struct strlist problems;	/* one line each */
	struct restore_job job;
	struct drill_record rec;
	size_t unchecked;		/* tables whose rows live elsewhere */
	int ran;			/* the restore began */
};

static void
add_line(struct strlist *l, char *s)
{
	strlist_add(l, s);
	free(s);
}

/*
 * Drops host's scratch databases on the target: this drill's, or (before
 * it) what a killed one left, said as such.
 */
static int
drill_drop(struct drill *d, int leftovers, struct err *e)
{
	struct strlist all = { NULL, 0 };
	char shown[SHOW_MAX];
	MYSQL *c;
	size_t i;
	int rc = -1;

	if ((c = db_connect(d->target, e)) == NULL)
		return -1;
	if (catalog_databases(c, &all, e) == -1)
		goto out;
	for (i = 0; i < all.n; i++) {
		if (!drill_is_scratch(d->host, all.v[i]))
			continue;
		if (target_drop_db(c, all.v[i], e) == -1) {
			err_prefix(e, "host %s: dropping scratch database %s",
			    d->target->name, show_str(all.v[i], shown,
			    sizeof shown));
			goto out;
		}
		if (leftovers)
			log_warn("host %s: dropped %s, left by an earlier drill "
			    "of %s that did not finish", d->target->name,
			    all.v[i], d->host);
	}
	rc = 0;
out:
	strlist_free(&all);
	db_close(c);
	return rc;
}

static void
drill_names(struct drill *d)
{
	char name[DRILL_NAME_MAX + 1];
	size_t i;

	for (i = 0; i < d->m.ndbs; i++) {
		drill_scratch_name(d->host, d->id, d->m.dbs[i].name, name);
		strlist_add(&d->scratch, name);
		add_line(&d->renames, xasprintf("%s:%s",
		    d->m.dbs[i].name, name));
	}
}

/* The scratch name of source database db. */
static const char *
drill_dst(const struct drill *d, const char *db)
{
	size_t i;

	for (i = 0; i < d->m.ndbs; i++)
		if (strcmp(d->m.dbs[i].name, db) == 0)
			return d->scratch.v[i];
	return NULL;
}

static int
drill_check_table(struct drill *d, MYSQL *c, const struct manifest_table *t,
    int compare, struct err *e)
{
	char sd[SHOW_MAX], st[SHOW_MAX], *sum = NULL;
	const char *dst = drill_dst(d, t->db);
	uint64_t rows;
	enum drill_verdict v;

	if (dst == NULL)
		return err_set(e, ERR_CORRUPT, "manifest: table %s.%s of no "
		    "database", show_str(t->db, sd, sizeof sd),
		    show_str(t->name, st, sizeof st));
	if (catalog_engine_rows_elsewhere(t->engine)) {
		d->unchecked++;
		return 0;
	}
	d->rec.tables++;
	if (tablesum_count(c, dst, t->name, &rows, e) == -1 ||
	    (compare && t->checksum != NULL &&
	    tablesum_checksum(c, dst, t->name, &sum, e) == -1)) {
		add_line(&d->problems, xasprintf("table %s.%s: %s",
		    show_str(t->db, sd, sizeof sd), show_str(t->name, st,
		    sizeof st), e->msg));
		d->rec.failed++;
		return 0;
	}
	v = drill_table(t->rows, rows, t->checksum, sum, compare);
	if (v == DRILL_ROWS)
		add_line(&d->problems, xasprintf("table %s.%s: %llu "
		    "rows restored, the backup has %llu", show_str(t->db, sd,
		    sizeof sd), show_str(t->name, st, sizeof st),
		    (unsigned long long)rows, (unsigned long long)t->rows));
	else if (v == DRILL_CHECKSUM)
		add_line(&d->problems, xasprintf("table %s.%s: "
		    "checksum %s, the backup recorded %s", show_str(t->db, sd,
		    sizeof sd), show_str(t->name, st, sizeof st),
		    sum != NULL ? sum : "none", t->checksum));
	d->rec.failed += v != DRILL_OK;
	free(sum);
	return 0;
}

/* Every table of the backup, in its scratch database. */
static int
drill_check(struct drill *d, struct err *e)
{
	int compare = 0;
	size_t i;
	MYSQL *c;

	d->rec.sums = DRILL_SUMS_NOT_RECORDED;
	if (d->m.checksum_server != NULL) {
		compare = drill_comparable(d->m.checksum_server,
		    d->job.target_version);
		d->rec.sums = compare ? DRILL_SUMS_COMPARED :
		    DRILL_SUMS_NOT_COMPARABLE;
	}
	if ((c = db_connect(d->target, e)) == NULL)
		return -1;
	for (i = 0; i < d->m.ntables; i++)
		if (drill_check_table(d, c, &d->m.tables[i], compare, e) == -1)
			break;
	db_close(c);
	return i < d->m.ntables ? -1 : 0;
}

/* The result, next to the backup and in the metrics file: said, never fatal. */
static void
drill_record(struct drill *d)
{
	struct drill_metric dm = { d->host, d->rec.ok, (double)time(NULL),
	    d->rec.restore_secs };
	struct buf b;
	struct err e;

	d->rec.finished = (time_t)dm.finished;
	snprintf(d->rec.target, sizeof d->rec.target, "%s", d->target->name);
	buf_init(&b);
	drill_record_format(&d->rec, &b);
	if (repo_put(d->repo, d->host, d->id, REPO_DRILLED, b.data, b.len,
	    &e) == -1)
		log_warn("drill of %s/%s: not recorded: %s", d->host, d->id,
		    e.msg);
	buf_free(&b);
	if (d->cfg->metrics_file != NULL &&
	    metrics_drill(d->cfg->metrics_file, &dm, &e) == -1)
		log_warn("drill of %s/%s: %s", d->host, d->id, e.msg);
}

static void
drill_print(const struct drill *d, const struct err *failed)
{
	struct buf b;
	size_t i;

	if (!d->json) {
		for (i = 0; i < d->problems.n; i++)
			printf("%s/%s: %s\n", d->host, d->id, d->problems.v[i]);
		if (failed == NULL)
			printf("drill of %s/%s into host %s: %s: restore %.1f s, "
			    "%zu of %zu tables as the backup has them, checksums "
			    "%s%s\n", d->host, d->id, d->target->name,
			    d->rec.ok ? "ok" : "FAILED", d->rec.restore_secs,
			    d->rec.tables - d->rec.failed, d->rec.tables,
			    drill_sums_names[d->rec.sums], d->rec.sums ==
			    DRILL_SUMS_NOT_COMPARABLE ? " (another server "
			    "flavour or release series)" : "");
		return;
	}
	buf_init(&b);
	buf_append_str(&b, "{\"host\":");
	json_append_string(&b, d->host);
	buf_append_str(&b, ",\"id\":");
	json_append_string(&b, d->id != NULL ? d->id : "");
	buf_append_str(&b, ",\"target\":");
	json_append_string(&b, d->target->name);
	buf_printf(&b, ",\"ok\":%s,\"restore_seconds\":%.3f,\"tables\":%zu,"
	    "\"failed\":%zu,\"unchecked\":%zu,\"checksums\":\"%s\","
	    "\"problems\":[", d->rec.ok ? "true" : "false",
	    d->rec.restore_secs, d->rec.tables, d->rec.failed, d->unchecked,
	    drill_sums_names[d->rec.sums]);
	for (i = 0; i < d->problems.n; i++) {
		if (i > 0)
			buf_append_char(&b, ',');
		json_append_string(&b, d->problems.v[i]);
	}
	buf_append_str(&b, "],\"error\":");
	if (failed != NULL)
		json_append_string(&b, failed->msg);
	else
		buf_append_str(&b, "null");
	printf("%s}\n", buf_cstr(&b));
	buf_free(&b);
}

/*
 * Restore, check, drop: 0 once a verdict is reached (d->problems say it),
 * -1 when none could be (the backup, the target, a signal).
 */
static int
drill_restore(struct drill *d, const char *id_arg, struct err *e)
{
	struct err ce;
	int rc;

	if ((d->repo = repo_open(d->cfg, e)) == NULL ||
	    backup_ref_find(d->repo, d->host, id_arg, &d->id, e) == -1 ||
	    backup_ref_manifest(d->repo, d->host, d->id, &d->m, e) == -1 ||
	    drill_drop(d, 1, e) == -1)
		return -1;
	drill_names(d);
	d->job.host = d->host;
	d->job.id = d->id;
	d->job.target = d->target;
	d->job.dbs = d->renames.v;
	d->job.ndbs = d->renames.n;
	d->job.quiet = d->quiet || d->json;
	d->ran = 1;
	rc = restore_job_run(d->cfg, &d->job, e);
	d->rec.restore_secs = d->job.secs;
	if (rc == -1 && e->kind == ERR_RESTORE_PARTIAL)
		add_line(&d->problems, xstrdup(e->msg));
	if (rc == 0 || e->kind == ERR_RESTORE_PARTIAL)
		rc = drill_check(d, e);
	/* Whatever happened, the scratch databases go. */
	if (drill_drop(d, 0, &ce) == -1) {
		if (rc == 0) {
			*e = ce;
			return -1;
		}
		log_warn("%s", ce.msg);
	}
	return rc;
}

static int
cmd_drill(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	struct drill d;
	int rc;

	memset(&d, 0, sizeof d);
	manifest_init(&d.m);
	d.cfg = ctx->cfg;
	d.host = args_get(a, "host");
	d.json = args_count(a, "json") > 0;
	d.quiet = ctx->quiet;
	if ((d.target = cmd_host_find(d.cfg, args_get(a, "target"), "",
	    e)) == NULL)
		return -1;
	rc = drill_restore(&d, a->argc > 0 ? a->argv[0] : "latest", e);
	d.rec.ok = rc == 0 && d.problems.n == 0;
	if (rc == 0 || (d.ran && e->kind != ERR_INTERRUPTED))
		drill_record(&d);
	if (rc == 0 || d.ran)
		drill_print(&d, rc == 0 ? NULL : e);
	if (rc == 0 && !d.rec.ok)
		rc = err_set(e, ERR_DRILL, "drill of %s/%s into host %s "
		    "failed: %zu problem%s (named above)", d.host, d.id,
		    d.target->name, d.problems.n, d.problems.n == 1 ? "" : "s");
	free(d.job.target_version);
	strlist_free(&d.renames);
	strlist_free(&d.scratch);
	strlist_free(&d.problems);
	manifest_free(&d.m);
	free(d.id);
	repo_close(d.repo);
	return rc;
}

static const struct cmd_option drill_options[] = {
	{ "host", 'H', 1, CMD_OPT_REQUIRED, "whose backup", NULL },
	{ "target", 't', 1, CMD_OPT_REQUIRED,
	    "the [host] whose scratch databases it is restored into", NULL },
	{ "json", 0, 0, 0, "one JSON object", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_drill_entry = {
	.name = "drill",
	.summary = "restore a backup into scratch databases and check it",
	.usage = "usage: myship drill [BACKUP_ID|latest] --host NAME "
	    "--target NAME [--json]",
	.options = drill_options,
	.min_args = 0,
	.max_args = 1,
	.hosts = CMD_HOSTS_NONE,
	.flags = CMD_POLICY,
	.exec = cmd_drill,
};
