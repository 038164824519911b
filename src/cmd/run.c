/*
 * myship run: the scheduled job.  Every host (at most parallel_hosts at
 * once) is backed up, verified as [verify] when says, optimized when
 * [optimize] when = after-backup, then pruned; a failing host does not stop the others.  Then the summary, the
 * metrics file and the notifications, none of which can fail the run.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "job/backup_host.h"
#include "job/metrics.h"
#include "job/notify.h"
#include "job/optimize_fleet.h"
#include "job/prune_host.h"
#include "job/verify_backup.h"
#include "repo/repo.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct run_state {
	struct cmd_ctx *ctx;
	const struct host_cfg *const *hosts;
	struct host_result *res;
	size_t n;
	size_t next;			/* next host to take, under mu */
	pthread_mutex_t mu;
};

static double
wallclock(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static void
host_fail(struct host_result *res, const char *what, const struct err *e)
{
	if (res->error[0] == '\0')
		snprintf(res->error, sizeof res->error, "%.60s: %s", what,
		    e->msg);
	log_error("host %s: %s: %s", res->host, what, e->msg);
}

/* Table maintenance after the backup, with the scheduled limits. */
static int
run_optimize(struct cmd_ctx *ctx, const struct host_cfg *h, struct err *e)
{
	struct optimize_request req;
	struct optimize_report rep;
	int rc;

	memset(&req, 0, sizeof req);
	memset(&rep, 0, sizeof rep);
	req.scheduled = 1;
	req.hosts = &h;
	req.nhosts = 1;
	rc = optimize_hosts(ctx->cfg, &req, &rep, e);
	log_info("host %s: optimize: %zu table%s optimized, %zu failed, "
	    "%zu skipped", h->name, rep.optimized, rep.optimized == 1 ? "" : "s",
	    rep.failed, rep.skipped);
	optimize_report_free(&rep);
	return rc;
}

/*
 * [verify] when: the backup just made, re-read from the repository (without
 * the identity: a backup host holds none; encrypted members are checked as
 * stored).  A damaged backup fails the host.
 */
static int
run_verify(struct cmd_ctx *ctx, struct repo *r, const struct host_cfg *h,
    struct host_result *res, struct err *e)
{
	struct verify_opts o = { NULL, NULL, NULL, VERIFY_WORKERS };
	struct verify_report v;
	int due, rc;

	if ((due = verify_wanted(r, h->name, ctx->cfg->verify_when, ctx->now,
	    e)) <= 0)
		return due;
	memset(&v, 0, sizeof v);
	rc = verify_backup(r, h->name, res->backup_id, &o, &v, e);
	if (rc == 0 && v.damage.n > 0)
		rc = err_set(e, ERR_CORRUPT, "%s/%s: %zu problems, the first: "
		    "%s", h->name, v.id, v.damage.n, v.damage.v[0]);
	if (rc == 0 && verify_record(r, h->name, &v, ctx->now, e) == -1)
		rc = -1;
	res->verified = rc == 0 ? 1 : 0;
	if (rc == 0)
		log_info("host %s: verified %s: %zu members in %.1f s", h->name,
		    v.id, v.members, v.secs);
	verify_report_free(&v);
	return rc;
}

/* Backup, then verify, optimize and retention, of one host. */
static void
run_host(struct run_state *st, const struct host_cfg *h,
    struct host_result *res)
{
	struct backup_result br;
	struct prune_stats ps;
	struct repo *r = NULL;
	struct err e;

	res->started = wallclock();
	res->done = 1;
	memset(&br, 0, sizeof br);
	log_info("host %s: backup starting", h->name);
	if ((r = repo_open(st->ctx->cfg, &e)) == NULL) {
		host_fail(res, "repository", &e);
		goto out;
	}
	if (backup_host(st->ctx->cfg, r, h, NULL, st->ctx->verbose, &br,
	    &e) == -1) {
		host_fail(res, "backup", &e);
		goto out;
	}
	res->backup_id = xstrdup(br.id);
	res->bytes = br.archive_bytes;
	res->rows = br.rows;
	res->tables = br.tables;
	res->skipped = br.skipped;
	res->ok = 1;
	if (run_verify(st->ctx, r, h, res, &e) == -1) {
		host_fail(res, "verify", &e);
		res->ok = 0;
	}
	if (h->optimize.when == OPTIMIZE_AFTER_BACKUP &&
	    run_optimize(st->ctx, h, &e) == -1) {
		host_fail(res, "optimize", &e);
		res->ok = 0;
	}
	if (prune_host(r, h, st->ctx->now, 0, NULL, &ps, &e) == -1) {
		host_fail(res, "retention", &e);
		res->ok = 0;
	} else if (ps.deleted > 0)
		log_info("host %s: retention removed %zu backup%s, %zu kept",
		    h->name, ps.deleted, ps.deleted == 1 ? "" : "s", ps.kept);
out:
	backup_result_free(&br);
	repo_close(r);
	res->finished = wallclock();
}

static void *
run_worker(void *arg)
{
	struct run_state *st = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&st->mu);
		i = st->next++;
		pthread_mutex_unlock(&st->mu);
		if (i >= st->n)
			break;
		if (signals_interrupted()) {
			snprintf(st->res[i].error, sizeof st->res[i].error,
			    "not started: interrupted");
			continue;
		}
		run_host(st, st->hosts[i], &st->res[i]);
	}
	return NULL;
}

static const char *
result_word(const struct host_result *res)
{
	if (res->ok)
		return "ok";
	if (!res->done)
		return "skipped";
	return res->backup_id != NULL ? "partial" : "FAILED";
}

/* The table printed at the end, sent with /fail and to on_failure. */
static void
run_summary(const struct run_result *rr, size_t failed, struct buf *b)
{
	char dur[32], size[32];
	size_t i;

	buf_printf(b, "%-16s %-8s %-10s %-11s %6s  %s\n", "HOST", "RESULT",
	    "DURATION", "SIZE", "TABLES", "BACKUP / ERROR");
	for (i = 0; i < rr->nhosts; i++) {
		const struct host_result *res = &rr->hosts[i];

		format_duration(res->done ? res->finished - res->started : 0,
		    dur, sizeof dur);
		format_size(res->bytes, size, sizeof size);
		buf_printf(b, "%-16s %-8s %-10s %-11s %6zu  %s\n", res->host,
		    result_word(res), dur, res->backup_id ? size : "-",
		    res->tables, res->backup_id ? res->backup_id : "-");
		if (res->error[0] != '\0')
			buf_printf(b, "%-16s   %s\n", "", res->error);
	}
	format_duration(rr->finished - rr->started, dur, sizeof dur);
	buf_printf(b, "total: %zu host%s, %zu failed, %s\n", rr->nhosts,
	    rr->nhosts == 1 ? "" : "s", failed, dur);
}

static void
run_parallel(struct run_state *st, long long parallel)
{
	pthread_t *tids;
	size_t i, nthreads;

	nthreads = parallel < 1 ? 1 : (size_t)parallel;
	if (nthreads > st->n)
		nthreads = st->n;
	if (nthreads <= 1) {
		run_worker(st);
		return;
	}
	tids = xcalloc(nthreads, sizeof *tids);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, run_worker, st) != 0) {
			log_warn("run: could only start %zu worker%s", i,
			    i == 1 ? "" : "s");
			break;
		}
	if (i == 0)
		run_worker(st);
	nthreads = i;
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	free(tids);
}

/* Leftovers of interrupted uploads, once for the whole repository. */
static void
run_clean_stale(struct cmd_ctx *ctx)
{
	size_t removed = 0;
	struct repo *r;
	struct err e;

	if ((r = repo_open(ctx->cfg, &e)) == NULL ||
	    repo_clean_stale(r, ctx->cfg->retention.incomplete_grace,
	    ctx->now, 0, &removed, &e) == -1)
		log_warn("cleaning stale uploads: %s", e.msg);
	else if (removed > 0)
		log_info("removed %zu stale upload%s or temporary file%s",
		    removed, removed == 1 ? "" : "s", removed == 1 ? "" : "s");
	repo_close(r);
}

/* Metrics, pings, on_failure: each only logs when it goes wrong. */
static void
run_report(struct cmd_ctx *ctx, const struct run_result *rr, size_t failed,
    const char *summary)
{
	const struct config *cfg = ctx->cfg;
	struct err e;

	if (cfg->metrics_file != NULL &&
	    metrics_write(cfg->metrics_file, rr, &e) == -1)
		log_warn("%s", e.msg);
	if (failed == 0) {
		notify_ping(cfg->notify_url, "", NULL);
		return;
	}
	notify_ping(cfg->notify_url, "/fail", summary);
	notify_command(cfg->on_failure, summary);
}

static int
run_result_error(const struct run_result *rr, size_t failed, struct err *e)
{
	if (signals_interrupted())
		return err_set(e, ERR_INTERRUPTED, "run interrupted by signal "
		    "%d", signals_interrupted());
	if (failed == 0) {
		size_t i, n = 0;

		for (i = 0; i < rr->nhosts; i++)
			n += rr->hosts[i].skipped;
		if (n > 0)
			return err_set(e, ERR_BACKUP_PARTIAL, "run: %zu object%s "
			    "skipped or kept unvalidated: the backup is "
			    "partial", n,
			    n > 1 ? "s" : "");
		return 0;
	}
	if (failed == 1 || rr->nhosts == 1) {
		size_t i;

		for (i = 0; i < rr->nhosts; i++)
			if (!rr->hosts[i].ok)
				return err_set(e, ERR_FAILED, "run: host %s "
				    "failed: %s", rr->hosts[i].host,
				    rr->hosts[i].error);
	}
	return err_set(e, ERR_FAILED, "run: %zu of %zu hosts failed", failed,
	    rr->nhosts);
}

static int
cmd_run(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const struct config *cfg = ctx->cfg;
	struct run_state st;
	struct run_result rr;
	struct buf summary;
	size_t i, failed = 0;
	int rc;

	memset(&st, 0, sizeof st);
	memset(&rr, 0, sizeof rr);
	st.ctx = ctx;
	st.hosts = a->hosts;
	st.n = a->nhosts;
	st.res = xcalloc(st.n ? st.n : 1, sizeof *st.res);
	for (i = 0; i < st.n; i++) {
		st.res[i].host = st.hosts[i]->name;
		st.res[i].verified = -1;
	}
	pthread_mutex_init(&st.mu, NULL);
	rr.hosts = st.res;
	rr.nhosts = st.n;

	rr.started = wallclock();
	log_info("run starting: %zu host%s, %lld at a time", st.n,
	    st.n == 1 ? "" : "s", cfg->parallel_hosts);
	notify_ping(cfg->notify_url, "/start", NULL);
	run_parallel(&st, cfg->parallel_hosts);
	run_clean_stale(ctx);
	rr.finished = wallclock();

	for (i = 0; i < st.n; i++)
		failed += !st.res[i].ok;
	buf_init(&summary);
	run_summary(&rr, failed, &summary);
	if (!ctx->quiet || failed > 0)
		fputs(buf_cstr(&summary), stdout);
	fflush(stdout);
	log_info("run finished: %zu of %zu hosts failed", failed, st.n);
	run_report(ctx, &rr, failed, buf_cstr(&summary));
	rc = run_result_error(&rr, failed, e);

	buf_free(&summary);
	for (i = 0; i < st.n; i++)
		free(st.res[i].backup_id);
	free(st.res);
	pthread_mutex_destroy(&st.mu);
	return rc;
}

static const struct cmd_option run_options[] = {
	{ "host", 'H', 1, 0, "run only this [host], a replica too", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

/* Without --host, no replica: its data is its source's, backed up there. */
const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.summary = "the scheduled job: backup, optimize, prune every host",
	.usage = "usage: myship run [--host NAME]",
	.options = run_options,
	.hosts = CMD_HOSTS_ONE,
	.flags = CMD_LOCK | CMD_POLICY | CMD_PRIMARIES | CMD_BACKGROUND,
	.exec = cmd_run,
};
