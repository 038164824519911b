/* myship prune [--dry-run] [--host NAME] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "job/prune_host.h"

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
