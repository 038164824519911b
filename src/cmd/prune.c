/* myship prune [--dry-run] [--host NAME], and prune_host for run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/prune.h"
#include "policy/retention.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

static void
print_entry(FILE *out, const struct repo_entry *ent,
    const struct retention_result *res)
{
	char size[32];

	if (ent->archive_bytes >= 0)
		format_size((uint64_t)ent->archive_bytes, size, sizeof size);
	else
		snprintf(size, sizeof size, "-");
	fprintf(out, "  %-18s %-10s %10s  %-6s  %s\n", ent->id,
	    ent->complete ? "complete" : "incomplete", size,
	    res->keep ? "keep" : "delete", res->why);
}

/* Removes what the selection dropped; the first failure goes to e. */
static void
prune_remove(struct repo *r, const struct host_cfg *h,
    const struct repo_entry *v, const struct retention_result *res, size_t n,
    struct prune_stats *st, struct err *e)
{
	struct err one;
	size_t i;

	for (i = 0; i < n; i++) {
		if (res[i].keep)
			continue;
		if (repo_remove(r, h->name, v[i].id, &one) == -1) {
			/* The first goes back to the caller, the others here. */
			if (st->failed++ == 0)
				err_set(e, ERR_REPO, "host %s: removing backup "
				    "%s: %s", h->name, v[i].id, one.msg);
			else
				log_error("host %s: removing backup %s: %s",
				    h->name, v[i].id, one.msg);
			continue;
		}
		log_info("host %s: removed backup %s (%s)", h->name, v[i].id,
		    res[i].why);
		st->deleted++;
		if (v[i].complete)
			st->complete--;
	}
}

int
prune_host(struct repo *r, const struct host_cfg *h, time_t now,
    int dry_run, FILE *out, struct prune_stats *st, struct err *e)
{
	struct repo_entry *v = NULL;
	struct retention_backup *b;
	struct retention_result *res;
	size_t n = 0, i;
	int rc = -1;

	memset(st, 0, sizeof *st);
	if (repo_list(r, h->name, &v, &n, e) == -1)
		return err_prefix(e, "host %s", h->name);
	b = xcalloc(n ? n : 1, sizeof *b);
	res = xcalloc(n ? n : 1, sizeof *res);
	for (i = 0; i < n; i++) {
		if (retention_parse_id(v[i].id, &b[i].start) == -1) {
			err_set(e, ERR_CORRUPT, "host %s: %s is not a backup id",
			    h->name, v[i].id);
			goto out;
		}
		b[i].modified = v[i].modified;
		b[i].complete = v[i].complete;
		st->complete += v[i].complete;
	}
	retention_select(&h->retention, now, b, n, res);
	for (i = 0; i < n; i++)
		st->kept += res[i].keep;
	if (out != NULL) {
		fprintf(out, "host %s: %zu backup%s, keep %zu, %s %zu\n",
		    h->name, n, n == 1 ? "" : "s", st->kept,
		    dry_run ? "would delete" : "delete", n - st->kept);
		for (i = 0; i < n; i++)
			print_entry(out, &v[i], &res[i]);
	}
	if (!dry_run)
		prune_remove(r, h, v, res, n, st, e);
	rc = st->failed > 0 ? -1 : 0;
out:
	free(b);
	free(res);
	repo_entries_free(v, n);
	return rc;
}

/* Leftovers of interrupted uploads, once for the whole repository. */
static int
prune_stale(struct repo *r, const struct config *cfg, time_t now, int dry_run,
    FILE *out, struct err *e)
{
	size_t removed = 0;

	if (repo_clean_stale(r, cfg->retention.incomplete_grace, now, dry_run,
	    &removed, e) == -1)
		return -1;
	if (out != NULL && removed > 0)
		fprintf(out, "%s %zu stale upload%s or temporary file%s\n",
		    dry_run ? "would remove" : "removed", removed,
		    removed == 1 ? "" : "s", removed == 1 ? "" : "s");
	return 0;
}

static int
cmd_prune(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const struct config *cfg = ctx->cfg;
	int dry_run = args_count(a, "dry-run") > 0;
	struct cmd_fails fails = { 0, 0 };
	struct prune_stats st;
	struct repo *r;
	struct err one;
	FILE *out;
	size_t i;

	out = dry_run || !ctx->quiet ? stdout : NULL;
	if ((r = repo_open(cfg, e)) == NULL)
		return -1;
	for (i = 0; i < a->nhosts; i++)
		if (prune_host(r, a->hosts[i], ctx->now, dry_run, out, &st,
		    &one) == -1)
			cmd_fail(&fails, &one, e);
	/* Leftovers belong to no host: only a prune of all hosts cleans them. */
	if (!a->hosts_named &&
	    prune_stale(r, cfg, ctx->now, dry_run, out, &one) == -1)
		cmd_fail(&fails, &one, e);
	repo_close(r);
	return fails.n > 0 ? -1 : 0;
}

static const struct cmd_option prune_options[] = {
	{ "dry-run", 'n', 0, 0, "print what would be deleted, delete nothing",
	    NULL },
	{ "host", 'H', 1, 0, "prune only this [host]", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_prune_entry = {
	.name = "prune",
	.summary = "delete backups the retention policy does not keep",
	.usage = "usage: myship prune [--dry-run] [--host NAME]",
	.options = prune_options,
	.hosts = CMD_HOSTS_ONE,
	.flags = CMD_LOCK | CMD_POLICY,
	.exec = cmd_prune,
};
