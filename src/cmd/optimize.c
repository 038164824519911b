/*
 * myship optimize [-n|--dry-run] [--host NAME]... [--json] [PATTERN...]:
 * the fleet's report (job/optimize_fleet.h) as text or one JSON document.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "job/optimize_fleet.h"
#include "util/json.h"
#include "util/strutil.h"

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

/* verbose lists skipped tables too; quiet prints only the host lines. */
static void
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

static void
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
	rc = optimize_hosts(ctx->cfg, &req, &rep, e);
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
