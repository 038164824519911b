#include "cmd/optimize.h"
#include "cmd/args.h"

#include <mysql.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/optimize_rules.h"
#include "util/json.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "util/clock.h"

struct fleet {
	struct opt_host_job *jobs;
	struct opt_host_report *reports;
	size_t n, next;
	pthread_mutex_t mu;
};


static void *
fleet_worker(void *arg)
{
	struct fleet *fl = arg;
	size_t i;

	mysql_thread_init();
	for (;;) {
		pthread_mutex_lock(&fl->mu);
		i = fl->next++;
		pthread_mutex_unlock(&fl->mu);
		if (i >= fl->n)
			break;
		if (signals_interrupted()) {
			fl->reports[i].name = xstrdup(fl->jobs[i].host->name);
			fl->reports[i].interrupted = 1;
			continue;
		}
		log_info("host %s: optimize%s starting",
		    fl->jobs[i].host->name,
		    fl->jobs[i].dry_run ? " (dry run)" : "");
		opt_host_run(&fl->jobs[i], &fl->reports[i]);
	}
	mysql_thread_end();
	return NULL;
}

static void
fleet_run(struct fleet *fl, long long parallel)
{
	pthread_t *tid;
	long long i, started = 0;

	if (parallel <= 0)
		parallel = 1;
	if ((size_t)parallel > fl->n)
		parallel = (long long)fl->n;
	tid = xcalloc((size_t)parallel + 1, sizeof *tid);
	for (i = 0; i < parallel; i++) {
		if (pthread_create(&tid[i], NULL, fleet_worker, fl) != 0)
			break;
		started++;
	}
	/* Without any thread the hosts still get done, one by one. */
	if (started == 0)
		fleet_worker(fl);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

static int
host_wanted(const struct optimize_request *req, const struct host_cfg *h)
{
	size_t i;

	if (req->scheduled && h->optimize.when == OPTIMIZE_NEVER)
		return 0;
	if (req->nhosts == 0)
		return 1;
	for (i = 0; i < req->nhosts; i++)
		if (req->hosts[i] == h)
			return 1;
	return 0;
}

/* The databases a host works on: the command line, else the policy. */
static int
host_selector(const struct config *cfg, const struct host_cfg *h,
    const struct optimize_request *req, struct opt_selector *sel,
    struct err *e)
{
	const struct strlist *l = &h->optimize.databases;

	if (req->npatterns > 0)
		return opt_selector_init(sel, req->patterns, req->npatterns, e);
	if (l->n == 0)
		l = &cfg->optimize.databases;
	if (opt_selector_init(sel, l->v, l->n, e) == -1)
		return err_prefix(e, "%s: [optimize] databases",
		    cfg->path ? cfg->path : "policy");
	return 0;
}

static void
report_sum(struct optimize_report *out)
{
	const struct opt_host_report *h;
	size_t i;

	for (i = 0; i < out->nhosts; i++) {
		h = &out->hosts[i];
		out->optimized += h->optimized;
		out->would += h->would;
		out->failed += h->failed;
		out->skipped += h->skipped;
		out->bytes_before += h->bytes_before;
		out->bytes_after += h->bytes_after;
		out->reclaimable += h->reclaimable;
		if (h->conn_error != NULL)
			out->hosts_unreachable++;
		if (opt_host_failed(h))
			out->hosts_failed++;
		if (h->interrupted)
			out->interrupted = 1;
	}
}

static int
report_verdict(const struct optimize_report *r, struct err *e)
{
	struct buf names;
	size_t i;

	if (r->interrupted)
		return err_set(e, ERR_INTERRUPTED, "optimize: interrupted");
	if (r->hosts_unreachable > 0) {
		buf_init(&names);
		for (i = 0; i < r->nhosts; i++) {
			if (r->hosts[i].conn_error == NULL)
				continue;
			buf_append_str(&names, names.len ? ", " : "");
			buf_append_str(&names, r->hosts[i].name);
		}
		if (r->failed > 0)
			buf_printf(&names, "; %zu table%s failed", r->failed,
			    r->failed == 1 ? "" : "s");
		err_set(e, ERR_CONNECT, "optimize: unreachable: host%s %.300s",
		    r->hosts_unreachable == 1 ? "" : "s", buf_cstr(&names));
		buf_free(&names);
		return -1;
	}
	if (r->hosts_failed > 0)
		return err_set(e, ERR_FAILED, "optimize: %zu table%s failed "
		    "on %zu host%s", r->failed, r->failed == 1 ? "" : "s",
		    r->hosts_failed, r->hosts_failed == 1 ? "" : "s");
	return 0;
}

int
optimize_hosts(struct cmd_ctx *ctx, const struct optimize_request *req,
    struct optimize_report *out, struct err *e)
{
	const struct config *cfg = ctx->cfg;
	struct opt_selector *sels = NULL;
	struct fleet fl;
	double t0 = clock_seconds();
	size_t i, n = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&fl, 0, sizeof fl);
	out->dry_run = req->dry_run;
	fl.jobs = xcalloc(cfg->nhosts + 1, sizeof *fl.jobs);
	sels = xcalloc(cfg->nhosts + 1, sizeof *sels);
	for (i = 0; i < cfg->nhosts; i++) {
		if (!host_wanted(req, &cfg->hosts[i]))
			continue;
		if (host_selector(cfg, &cfg->hosts[i], req, &sels[n], e) == -1)
			goto out;
		fl.jobs[n].host = &cfg->hosts[i];
		fl.jobs[n].policy = &cfg->hosts[i].optimize;
		fl.jobs[n].sel = &sels[n];
		fl.jobs[n].dry_run = req->dry_run;
		fl.jobs[n].scheduled = req->scheduled;
		fl.jobs[n].lock_wait_timeout = cfg->lock_wait_timeout;
		n++;
	}
	fl.n = n;
	fl.reports = out->hosts = xcalloc(n + 1, sizeof *out->hosts);
	out->nhosts = n;
	pthread_mutex_init(&fl.mu, NULL);
	fleet_run(&fl, cfg->parallel_hosts);
	pthread_mutex_destroy(&fl.mu);
	out->seconds = clock_seconds() - t0;
	report_sum(out);
	rc = report_verdict(out, e);
out:
	for (i = 0; i < n; i++)
		opt_selector_free(&sels[i]);
	free(sels);
	free(fl.jobs);
	return rc;
}

void
optimize_report_free(struct optimize_report *r)
{
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		opt_host_report_free(&r->hosts[i]);
	free(r->hosts);
	memset(r, 0, sizeof *r);
}

/* Names come from the server: no control byte reaches the terminal. */
static void
put_safe(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

static void
text_table(FILE *f, const struct opt_table *t, int dry)
{
	char a[32], b[32], d[32];
	struct opt_table_stats st = { t->engine, t->data_length,
	    t->index_length, t->data_free };
	static const char *const word[] = {
		[OPT_OUT_OPTIMIZED] = "optimized",
		[OPT_OUT_WOULD] = "would optimize",
		[OPT_OUT_FAILED] = "failed",
		[OPT_OUT_SKIPPED] = "skipped",
	};

	fprintf(f, "  %-*s ", dry ? 14 : 9, word[t->outcome]);
	put_safe(f, t->db);
	fputc('.', f);
	put_safe(f, t->name);
	fputc(' ', f);
	put_safe(f, t->engine != NULL ? t->engine : "-");
	format_size((uint64_t)(t->data_length + t->index_length), a, sizeof a);
	format_size((uint64_t)t->data_free, b, sizeof b);
	if (t->outcome == OPT_OUT_OPTIMIZED && t->after_size >= 0) {
		format_size((uint64_t)(t->data_length + t->index_length +
		    t->data_free), a, sizeof a);
		format_size((uint64_t)(t->after_size + t->after_free), b,
		    sizeof b);
		format_duration(t->seconds, d, sizeof d);
		fprintf(f, " %s -> %s, %s", a, b, d);
	} else
		fprintf(f, " size %s, free %s (%.1f%%)", a, b,
		    opt_free_ratio(&st) * 100);
	if (t->msg != NULL) {
		fputs(": ", f);
		put_safe(f, t->msg);
	}
	fputc('\n', f);
}

static void
text_host(FILE *f, const struct opt_host_report *h, int dry, int verbose,
    int quiet)
{
	char a[32], b[32], c[32], d[32];
	size_t i;

	format_duration(h->seconds, d, sizeof d);
	fprintf(f, "host ");
	put_safe(f, h->name);
	if (h->conn_error != NULL) {
		fprintf(f, ": unreachable, %s: ", d);
		put_safe(f, h->conn_error);
		fputc('\n', f);
		return;
	}
	if (dry) {
		format_size((uint64_t)h->reclaimable, a, sizeof a);
		fprintf(f, " (dry run): %zu to optimize, %zu skipped, %s "
		    "reclaimable, %s\n", h->would, h->skipped, a, d);
	} else {
		format_size((uint64_t)h->bytes_before, a, sizeof a);
		format_size((uint64_t)h->bytes_after, b, sizeof b);
		format_size((uint64_t)(h->bytes_before > h->bytes_after ?
		    h->bytes_before - h->bytes_after : 0), c, sizeof c);
		fprintf(f, ": %zu optimized, %zu failed, %zu skipped, %s "
		    "reclaimed (%s -> %s), %s%s\n", h->optimized, h->failed,
		    h->skipped, c, a, b, d,
		    h->interrupted ? ", interrupted" : "");
	}
	for (i = 0; i < h->errors.n; i++) {
		fprintf(f, "  error: ");
		put_safe(f, h->errors.v[i]);
		fputc('\n', f);
	}
	if (quiet)
		return;
	for (i = 0; i < h->ntables; i++)
		if (h->tables[i].outcome != OPT_OUT_SKIPPED || verbose)
			text_table(f, &h->tables[i], dry);
}

void
optimize_report_text(FILE *f, const struct optimize_report *r, int verbose,
    int quiet)
{
	char a[32], d[32];
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		text_host(f, &r->hosts[i], r->dry_run, verbose, quiet);
	format_duration(r->seconds, d, sizeof d);
	if (r->dry_run) {
		format_size((uint64_t)r->reclaimable, a, sizeof a);
		fprintf(f, "total (dry run): %zu host%s (%zu unreachable), "
		    "%zu to optimize, %zu skipped, %s reclaimable, %s\n",
		    r->nhosts, r->nhosts == 1 ? "" : "s", r->hosts_unreachable,
		    r->would, r->skipped, a, d);
		return;
	}
	format_size((uint64_t)(r->bytes_before > r->bytes_after ?
	    r->bytes_before - r->bytes_after : 0), a, sizeof a);
	fprintf(f, "total: %zu host%s (%zu unreachable), %zu optimized, %zu "
	    "failed, %zu skipped, %s reclaimed, %s\n", r->nhosts,
	    r->nhosts == 1 ? "" : "s", r->hosts_unreachable, r->optimized,
	    r->failed, r->skipped, a, d);
}

static const char *
json_outcome(enum opt_outcome o)
{
	switch (o) {
	case OPT_OUT_OPTIMIZED:
		return "optimized";
	case OPT_OUT_WOULD:
		return "would_optimize";
	case OPT_OUT_FAILED:
		return "failed";
	case OPT_OUT_SKIPPED:
		break;
	}
	return "skipped";
}

static void
json_table(FILE *f, const struct opt_table *t)
{
	struct opt_table_stats st = { t->engine, t->data_length,
	    t->index_length, t->data_free };

	fputs("{\"database\":", f);
	json_write_string(f, t->db);
	fputs(",\"table\":", f);
	json_write_string(f, t->name);
	fputs(",\"engine\":", f);
	json_write_string(f, t->engine);
	fprintf(f, ",\"result\":\"%s\",\"data_length\":%lld,"
	    "\"index_length\":%lld,\"data_free\":%lld,\"free_ratio\":%.4f",
	    json_outcome(t->outcome), (long long)t->data_length,
	    (long long)t->index_length, (long long)t->data_free,
	    opt_free_ratio(&st));
	if (t->outcome == OPT_OUT_OPTIMIZED && t->after_size >= 0)
		fprintf(f, ",\"size_before\":%lld,\"size_after\":%lld",
		    (long long)(t->data_length + t->index_length +
		    t->data_free), (long long)(t->after_size + t->after_free));
	fputs(",\"message\":", f);
	json_write_string(f, t->msg);
	fprintf(f, ",\"seconds\":%.3f}", t->seconds);
}

static void
json_host(FILE *f, const struct opt_host_report *h)
{
	size_t i;

	fputs("{\"host\":", f);
	json_write_string(f, h->name);
	fprintf(f, ",\"reachable\":%s,\"error\":",
	    h->conn_error == NULL ? "true" : "false");
	json_write_string(f, h->conn_error);
	fputs(",\"errors\":[", f);
	for (i = 0; i < h->errors.n; i++) {
		fputs(i ? "," : "", f);
		json_write_string(f, h->errors.v[i]);
	}
	fprintf(f, "],\"optimized\":%zu,\"would_optimize\":%zu,\"failed\":%zu,"
	    "\"skipped\":%zu,\"bytes_before\":%lld,\"bytes_after\":%lld,"
	    "\"bytes_reclaimed\":%lld,\"reclaimable\":%lld,\"seconds\":%.3f,"
	    "\"interrupted\":%s,\"tables\":[", h->optimized, h->would,
	    h->failed, h->skipped, (long long)h->bytes_before,
	    (long long)h->bytes_after,
	    (long long)(h->bytes_before - h->bytes_after),
	    (long long)h->reclaimable, h->seconds,
	    h->interrupted ? "true" : "false");
	for (i = 0; i < h->ntables; i++) {
		fputs(i ? "," : "", f);
		json_table(f, &h->tables[i]);
	}
	fputs("]}", f);
}

void
optimize_report_json(FILE *f, const struct optimize_report *r)
{
	size_t i;

	fprintf(f, "{\"dry_run\":%s,\"hosts\":[", r->dry_run ? "true" : "false");
	for (i = 0; i < r->nhosts; i++) {
		fputs(i ? "," : "", f);
		json_host(f, &r->hosts[i]);
	}
	fprintf(f, "],\"total\":{\"hosts\":%zu,\"hosts_failed\":%zu,"
	    "\"hosts_unreachable\":%zu,\"optimized\":%zu,\"would_optimize\":%zu,"
	    "\"failed\":%zu,\"skipped\":%zu,\"bytes_before\":%lld,"
	    "\"bytes_after\":%lld,\"bytes_reclaimed\":%lld,\"reclaimable\":%lld,"
	    "\"seconds\":%.3f,\"interrupted\":%s}}\n", r->nhosts,
	    r->hosts_failed, r->hosts_unreachable, r->optimized, r->would,
	    r->failed, r->skipped, (long long)r->bytes_before,
	    (long long)r->bytes_after,
	    (long long)(r->bytes_before - r->bytes_after),
	    (long long)r->reclaimable, r->seconds,
	    r->interrupted ? "true" : "false");
}

static int
cmd_optimize(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	struct optimize_request req;
	struct optimize_report rep;
	int rc;

	memset(&req, 0, sizeof req);
	req.dry_run = args_count(a, "dry-run") > 0;
	req.hosts = a->hosts;
	req.nhosts = a->nhosts;
	req.patterns = a->argv;
	req.npatterns = (size_t)a->argc;
	rc = optimize_hosts(ctx, &req, &rep, e);
	/* These errors come before any work: there is no report to show. */
	if (rc == 0 || e->kind != ERR_USAGE) {
		if (args_count(a, "json") > 0)
			optimize_report_json(stdout, &rep);
		else
			optimize_report_text(stdout, &rep, ctx->verbose,
			    ctx->quiet);
		fflush(stdout);
	}
	optimize_report_free(&rep);
	return rc;
}

static const struct cmd_option optimize_options[] = {
	{ "dry-run", 'n', 0, 0, "read information_schema only, change nothing",
	    NULL },
	{ "host", 0, 1, CMD_OPT_REPEAT, "only these [host]s", NULL },
	{ "json", 0, 0, 0, "one JSON document instead of the text report",
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_optimize_entry = {
	.name = "optimize",
	.summary = "run OPTIMIZE TABLE across hosts",
	.usage = "usage: myship optimize [-n|--dry-run] [--host NAME]... "
	    "[--json] [PATTERN...]",
	.options = optimize_options,
	.max_args = -1,
	.hosts = CMD_HOSTS_MANY,
	.flags = CMD_POLICY,
	.exec = cmd_optimize,
};
