/* myship backup [--host NAME]... [--database REGEX]... */
#include <stdio.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "db/catalog.h"
#include "job/backup_host.h"
#include "repo/repo.h"
#include "util/log.h"
#include "util/strutil.h"

static void
backup_report(struct cmd_ctx *ctx, const struct host_cfg *h,
    const struct backup_result *res)
{
	char sz[32], raw[32], dur[32];

	format_size(res->archive_bytes, sz, sizeof sz);
	format_size(res->raw_bytes, raw, sizeof raw);
	format_duration(res->duration, dur, sizeof dur);
	log_info("host %s: backup %s complete: %zu tables, %llu rows, "
	    "%s SQL, %s stored, %s", h->name, res->id, res->tables,
	    (unsigned long long)res->rows, raw, sz, dur);
	if (!ctx->quiet)
		printf("%s %s %zu tables %llu rows %s %s\n", h->name, res->id,
		    res->tables, (unsigned long long)res->rows, sz, dur);
}

/* Bad regexes are reported before anything is connected to. */
static int
backup_check(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const struct config *cfg = ctx->cfg;
	struct db_filter *f;

	if ((f = db_filter_new(args_list(a, "database"), &cfg->databases,
	    &cfg->exclude, e)) == NULL)
		return -1;
	db_filter_free(f);
	return 0;
}

struct backup_job {
	struct repo *repo;
	const struct strlist *dbs;
};

static int
backup_one(struct cmd_ctx *ctx, const struct host_cfg *h, void *arg,
    struct err *e)
{
	struct backup_job *job = arg;
	struct backup_result res;
	int rc;

	log_info("host %s: backup starting", h->name);
	if ((rc = backup_host(ctx->cfg, job->repo, h, job->dbs,
	    ctx->verbose, &res, e)) == 0)
		backup_report(ctx, h, &res);
	if (rc == 0 && res.skipped > 0)
		rc = err_set(e, ERR_BACKUP_PARTIAL, "host %s: backup %s is "
		    "partial: %zu object%s skipped or kept unvalidated (named "
		    "above)", h->name, res.id, res.skipped,
		    res.skipped > 1 ? "s" : "");
	backup_result_free(&res);
	return rc;
}

static int
cmd_backup(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	struct backup_job job;
	int rc;

	job.dbs = args_list(a, "database");
	if ((job.repo = repo_open(ctx->cfg, e)) == NULL)
		return -1;
	rc = cmd_each_host(ctx, a, backup_one, &job, e);
	repo_close(job.repo);
	return rc;
}

static const struct cmd_option backup_options[] = {
	{ "host", 'H', 1, CMD_OPT_REPEAT, "back up only this [host]", NULL },
	{ "database", 'd', 1, CMD_OPT_REPEAT,
	    "regexes replacing the policy's databases", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.summary = "back up hosts into the repository",
	.usage = "usage: myship backup [--host NAME]... [--database REGEX]...",
	.options = backup_options,
	.hosts = CMD_HOSTS_MANY,
	.flags = CMD_LOCK | CMD_POLICY | CMD_PRIMARIES | CMD_BACKGROUND,
	.check = backup_check,
	.exec = cmd_backup,
};
