/*
 * myship restore BACKUP_ID|latest --host NAME [--target NAME]
 *     [--database SRC[:DST]]... [--table DB.TABLE]... [--threads N]
 *     [--defer-indexes auto|always|never] [--force] [--stop-on-error]
 *     [--resume] [--diff] [--dry-run] [--identity FILE]
 *     [--users[=PATTERN]]... [--swap [--drop-old]]
 *
 * The command line and the order of things: find the backup, read its
 * manifest, build the restore plan (policy/restore_plan.h), look at the
 * target and refuse what the plan refuses, then stream the archive once,
 * or, when the manifest says where every needed member lies and the plan
 * needs only some of them, or the repository is S3 (parallel GETs), read
 * them by ranges (job/restore_fetch.h).
 * Every member is held against the plan (listed, once, in order, its size
 * and SHA-256) before a byte of it runs, and handed to the apply step
 * (db/restore_apply.h), which owns the sessions on the target.  A table
 * or object that fails on its own is reported and the rest goes on; the
 * run then ends with ERR_RESTORE_PARTIAL after its summary (with
 * --stop-on-error the first such failure stops it).  What was created
 * before a hard failure stays (see myship.8); --resume goes on from it.
 * With --users the accounts member is kept as it passes and run last
 * (db/users.h); alone, it restores accounts and no database.
 * With --diff, the members the apply step marks skip (a table's chunks
 * the target holds) are never read when the manifest says where members
 * lie: the schema members are fetched and compared first (restore_fetch_diff);
 * else they are read past, never decoded.
 * With --swap the one database is loaded into a shadow database, its
 * post-data members kept aside, and db/swap.h swaps it in.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "cmd/restore.h"
#include "cmd/restore_int.h"
#include "db/restore_apply.h"
#include "db/swap.h"
#include "db/users.h"
#include "job/backup_ref.h"
#include "job/restore_fetch.h"
#include "policy/manifest.h"
#include "policy/restore_diff.h"
#include "policy/restore_plan.h"
#include "repo/repo.h"
#include "stream/archive.h"
#include "stream/codec.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/show.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

static int
restore_parse_defer(const char *arg, long long *out, struct err *e)
{
	char shown[SHOW_MAX];

	if (strcmp(arg, "auto") == 0)
		*out = PLAN_DEFER_AUTO;
	else if (strcmp(arg, "always") == 0)
		*out = PLAN_DEFER_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		*out = PLAN_DEFER_NEVER;
	else
		return err_set(e, ERR_USAGE, "--defer-indexes: \"%s\" is not "
		    "auto, always or never", show_str(arg, shown, sizeof shown));
	return 0;
}

static int
restore_parse_threads(const char *arg, long long *out, struct err *e)
{
	if (parse_int(arg, 1, RESTORE_THREADS_MAX, out) == -1)
		return err_set(e, ERR_USAGE, "--threads: \"%s\" is not a number "
		    "from 1 to %d", arg, RESTORE_THREADS_MAX);
	return 0;
}

static int
restore_args(struct restore *r, const struct cmd_args *a, struct err *e)
{
	const char *target = args_get(a, "target");
	const struct strlist *dbs = args_list(a, "database");
	const struct strlist *tabs = args_list(a, "table");

	r->o.host = args_get(a, "host");
	r->o.archive = REPO_ARCHIVE;
	r->o.dbs = dbs->v;
	r->o.ndbs = dbs->n;
	r->o.tabs = tabs->v;
	r->o.ntabs = tabs->n;
	r->o.force = args_count(a, "force") > 0;
	r->o.stop_on_error = args_count(a, "stop-on-error") > 0;
	r->o.resume = args_count(a, "resume") > 0;
	r->o.diff = args_count(a, "diff") > 0;
	r->o.defer = (enum plan_defer)args_num(a, "defer-indexes",
	    PLAN_DEFER_AUTO);
	r->o.threads = args_num(a, "threads", r->cfg->restore_threads > 0 ?
	    r->cfg->restore_threads : 2);
	r->id_arg = a->argv[0];
	r->identity_file = args_get(a, "identity") ? args_get(a, "identity") :
	    r->cfg->identity_file;
	r->dry_run = args_count(a, "dry-run") > 0;
	r->users = args_count(a, "users") > 0;
	r->user_patterns = args_list(a, "users");
	r->o.users_only = r->users && dbs->n == 0;
	r->o.users = r->users;
	r->swap_on = args_count(a, "swap") > 0;
	r->so.drop_old = args_count(a, "drop-old") > 0;
	if (r->swap_on && (dbs->n != 1 || r->o.resume || r->o.diff ||
	    tabs->n > 0 || r->users))
		return err_set(e, ERR_USAGE, "--swap: name the one database with "
		    "--database (and no --resume, --diff, --table or --users)");
	if (r->o.diff && tabs->n > 0)
		return err_set(e, ERR_USAGE, "--diff: not with --table");
	if (r->so.drop_old && !r->swap_on)
		return err_set(e, ERR_USAGE, "--drop-old goes with --swap");
	if (target == NULL)
		target = r->o.host;
	if ((r->target = cmd_host_find(r->cfg, target, target == r->o.host ?
	    " (name the server to restore into with --target)" : "",
	    e)) == NULL)
		return -1;
	r->o.target = r->target->name;
	return 0;
}

static int
restore_manifest(struct restore *r, struct err *e)
{
	if (backup_ref_find(r->repo, r->o.host, r->id_arg, &r->id, e) == -1)
		return -1;
	r->o.id = r->id;
	manifest_init(&r->m);
	r->have_manifest = 1;
	return backup_ref_manifest(r->repo, r->o.host, r->id, &r->m, e);
}

static struct filter *
restore_decoder(const void *ctx, const char *member, uint64_t max_out,
    struct err *e)
{
	return codec_decoder_new(ctx, member, max_out, e);
}

/*
 * An encrypted backup needs the identity it was sealed to: refused here,
 * in one line, before the target is touched.
 */
static int
restore_keys(struct restore *r, struct err *e)
{
	r->decoder.fn = restore_decoder;
	r->decoder.ctx = &r->codec;
	if (r->identity_file == NULL && r->m.encrypted_to == NULL)
		return 0;
	if (r->identity_file == NULL)
		return err_set(e, ERR_CONFIG, "backup %s/%s is encrypted (to "
		    "key id %s): give its identity with --identity or [restore] "
		    "identity_file", r->o.host, r->id, r->m.encrypted_to);
	if (crypt_identity_load(r->identity_file, &r->ident, e) == -1)
		return -1;
	r->codec.id = &r->ident;
	if (crypt_identity_check(&r->ident, r->m.encrypted_to, e) == -1)
		return err_prefix(e, "backup %s/%s", r->o.host, r->id);
	return 0;
}

/* Reads the current member whole and checks it against the manifest. */
static int
restore_read(struct archive_reader *ar, const struct plan_member *pm,
    int64_t size, struct buf *out, struct err *e)
{
	if (restore_plan_check_size(pm, size, e) == -1)
		return -1;
	if (archive_reader_member(ar, size, out, e) == -1)
		return err_prefix(e, "member %s", pm->name);
	if (pm->sha256 == NULL)
		return 0;
	return restore_plan_check_sha256(pm, archive_reader_member_sha256(ar),
	    e);
}

/* The accounts member, read and checked, decoded and kept for the end. */
static int
restore_users_member(struct restore *r, const struct plan_member *pm,
    const struct buf *data, struct err *e)
{
	struct filter *dec;
	int rc;

	if ((dec = codec_decoder_new(&r->codec, pm->name, PLAN_MEMBER_MAX,
	    e)) == NULL)
		return -1;
	rc = filter_process(dec, data->data, data->len, &r->users_text, e);
	if (rc == 0)
		rc = filter_finish(dec, &r->users_text, e);
	filter_free(dec);
	if (rc == -1)
		return err_prefix(e, "member %s", pm->name);
	r->have_users = 1;
	return 0;
}

static int restore_run_member(void *, struct plan_member *, struct buf *,
    struct err *);

/* One archive member: it must be one the manifest promises, in order. */
static int
restore_member(struct restore *r, struct archive_reader *ar, const char *name,
    int64_t size, struct buf *data, struct err *e)
{
	struct plan_member *pm;

	if (restore_plan_accept(&r->plan, name, &pm, e) == -1)
		return -1;
	/* a dry run reads only the accounts member, to show it */
	if (!pm->needed || (r->dry_run && pm->kind != PLAN_USERS))
		return 0;	/* the reader skips its bytes */
	/* --diff: a table may still be being compared, and its chunks
	 * marked skip */
	if (pm->kind != PLAN_SCHEMA && r->o.diff && !r->dry_run &&
	    restore_apply_diff_settle(r->apply, e) == -1)
		return -1;
	if (pm->skip)
		return 0;	/* --diff: the target has its rows */
	if (restore_read(ar, pm, size, data, e) == -1)
		return -1;
	return restore_run_member(r, pm, data, e);
}

/* A member read and checked: counted and handed to the apply step. */
static int
restore_run_member(void *ctx, struct plan_member *pm, struct buf *data,
    struct err *e)
{
	struct restore *r = ctx;

	r->members_read++;
	r->bytes_read += pm->bytes;
	if (pm->kind == PLAN_USERS)
		return restore_users_member(r, pm, data, e);
	if (r->swap != NULL && pm->kind == PLAN_POST) {
		swap_keep_post(r->swap, pm, data);	/* after the rename */
		return 0;
	}
	if (log_progress_enabled())
		log_progress("restore: %llu members, %llu MiB read",
		    (unsigned long long)r->members_read,
		    (unsigned long long)(r->bytes_read >> 20));
	return restore_apply_member(r->apply, pm, data, e);
}

/* After the last member: nothing missing, the whole file as recorded. */
static int
restore_check_end(struct restore *r, struct archive_reader *ar,
    struct err *e)
{
	char hex[65];

	if (restore_plan_check_seen(&r->plan, e) == -1 ||
	    archive_reader_end(ar, &r->repo_bytes, hex, e) == -1)
		return -1;
	r->archive_bytes = r->repo_bytes;
	return restore_plan_check_archive(&r->plan, r->repo_bytes, hex, e);
}

static int
restore_stream(struct restore *r, struct err *e)
{
	struct source src;
	struct archive_reader *ar = NULL;
	struct buf data;
	const char *name;
	int64_t size;
	int rc = -1, more;

	buf_init(&data);
	if (repo_archive_open(r->repo, r->o.host, r->id, &src, e) == -1)
		return -1;
	if ((ar = archive_reader_new(&src, restore_plan_whole_sha256(&r->plan) ?
	    ARCHIVE_CHECK_SHA256 : ARCHIVE_CHECK_DIGEST, e)) == NULL)
		goto out;
	for (;;) {
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		name = NULL;
		if ((more = archive_reader_next(ar, &name, &size, e)) == -1) {
			/* the reader's message names a member it refuses */
			if (name == NULL && r->plan.last != NULL)
				err_prefix(e, "after member %s", r->plan.last);
			goto out;
		}
		if (more == 0)
			break;
		if (restore_member(r, ar, name, size, &data, e) == -1)
			goto out;
	}
	if ((!r->dry_run && restore_apply_wait(r->apply, e) == -1) ||
	    restore_check_end(r, ar, e) == -1)
		goto out;
	rc = r->dry_run ? 0 : restore_apply_finish(r->apply, e);
out:
	archive_reader_free(ar);
	buf_free(&data);
	return rc;
}

static int
restore_settle(void *ctx, struct err *e)
{
	return restore_apply_diff_settle(((struct restore *)ctx)->apply, e);
}

/* Only the members needed, each read by its range. */
static int
restore_ranged(struct restore *r, struct err *e)
{
	int rc;

	r->archive_bytes = r->m.archive_bytes;
	rc = r->o.diff ? restore_fetch_diff(r->repo, &r->plan,
	    restore_run_member, restore_settle, r, &r->repo_bytes, e) :
	    restore_fetch(r->repo, &r->plan, restore_run_member, r,
	    &r->repo_bytes, e);
	if (rc == -1 ||
	    restore_apply_wait(r->apply, e) == -1)
		return -1;
	return restore_apply_finish(r->apply, e);
}

/* What failed on its own: counted, and the run's exit status. */
static int
restore_failures(struct restore *r, struct err *e)
{
	struct apply_failures f;
	size_t ndb, ntables;
	uint64_t rows;

	restore_apply_failures(r->apply, &f);
	if (f.tables == 0 && f.objects == 0 && f.other == 0)
		return 0;
	restore_plan_totals(&r->plan, &ndb, &ntables, &rows);
	return err_set(e, ERR_RESTORE_PARTIAL, "restored with failures into "
	    "host %s: %zu of %zu tables and %zu of %zu views, routines, "
	    "triggers and events restored; %zu tables, %zu objects and %zu "
	    "other statements failed (named above)", r->target->name,
	    ntables - f.tables, ntables, f.objects_run - f.objects,
	    f.objects_run, f.tables, f.objects, f.other);
}

/*
 * --swap: the plan again, its database restored as the shadow; a shadow
 * left by myship is replaced (force).  Journalled accounts are unlocked.
 * Finishing a swap killed after its rename: only the post-data is read.
 */
static int
restore_swap_plan(struct restore *r, int *replace, struct err *e)
{
	size_t i;
	int finish = 0;

	for (i = 0; i < r->plan.ndbs && !r->plan.dbs[i].selected; i++)
		;
	r->so.db = xstrdup(r->plan.dbs[i].dst);
	r->so.lock_users = &r->cfg->swap_lock_users;
	r->so.grace_ms = r->cfg->swap_grace * 1000;
	r->so.hold = getenv("MYSHIP_SWAP_HOLD");
	r->so.backup = r->swap_backup = xasprintf("%s/%s", r->o.host, r->id);
	if ((r->swap = swap_new(r->target, &r->so, e)) == NULL ||
	    swap_prepare(r->swap, r->dry_run, replace, &finish, e) == -1)
		return -1;
	r->swap_arg = xasprintf("%s:%s", r->plan.dbs[i].md->name,
	    swap_shadow(r->swap));
	r->o.dbs = &r->swap_arg;
	restore_plan_free(&r->plan);
	restore_plan_init(&r->plan);
	if (restore_plan_build(&r->plan, &r->m, &r->o, e) == -1)
		return -1;
	for (i = 0; finish && i < r->plan.nmembers; i++)
		if (r->plan.members[i].kind != PLAN_POST)
			r->plan.members[i].needed = 0;
	return 0;
}

/* Up to the plan and what the target holds: nothing has changed yet. */
static int
restore_prepare(struct restore *r, struct err *e)
{
	int replace = 0;

	if ((r->repo = repo_open(r->cfg, e)) == NULL ||
	    restore_manifest(r, e) == -1 || restore_keys(r, e) == -1 ||
	    restore_plan_build(&r->plan, &r->m, &r->o, e) == -1 ||
	    (r->o.diff && restore_diff_check(&r->plan, e) == -1))
		return -1;
	if (r->users && r->m.users_member == NULL)
		return err_set(e, ERR_NOT_FOUND, "backup %s/%s holds no "
		    "accounts (taken without [backup] users = yes)", r->o.host,
		    r->id);
	if (r->swap_on && restore_swap_plan(r, &replace, e) == -1)
		return -1;
	if ((r->apply = restore_apply_new(&r->plan, r->target,
	    (int)r->o.threads, &r->decoder, e)) == NULL)
		return -1;
	if (restore_apply_probe(r->apply, e) == -1 ||
	    restore_plan_refuse_flavour(&r->plan,
	    restore_apply_server_version(r->apply), e) == -1)
		return -1;
	r->plan.o.force |= replace;
	return 0;
}

/* Row counts held (no failure): the swap, and its lockout said. */
static int
restore_swap(struct restore *r, struct err *e)
{
	char shown[SHOW_MAX];

	if (restore_failures(r, e) == -1)
		return err_prefix(e, "not swapped, database %s unchanged (the "
		    "restored copy stays in %s)", r->so.db, swap_shadow(r->swap));
	if (swap_run(r->swap, r->apply, &r->plan, e) == -1)
		return -1;
	if (!r->quiet)
		printf("swapped into database %s: application accounts locked "
		    "out for %.2f s%s\n", show_str(r->so.db, shown, sizeof shown),
		    swap_lockout(r->swap), r->so.drop_old ? ", old tables "
		    "dropped" : ", old tables kept in the archive database");
	return restore_failures(r, e);
}

/*
 * The accounts, after every database: created, skipped and refused are
 * listed; ERR_RESTORE_PARTIAL when one was refused or a grant failed.
 */
static int
restore_users(struct restore *r, struct err *e)
{
	struct users_restore_opts uo;
	struct users_report ur;

	uo.patterns = r->user_patterns;
	uo.force = r->o.force;
	uo.dry_run = r->dry_run;
	uo.out = stdout;
	if (users_restore(r->target, r->users_text.data, r->users_text.len,
	    r->m.users_member, &uo, &ur, e) == -1)
		return -1;
	log_info("accounts restored into host %s: %zu created, %zu replaced, "
	    "%zu skipped, %zu refused, %zu grants refused%s", r->target->name,
	    ur.created, ur.replaced, ur.skipped, ur.refused, ur.failed,
	    r->dry_run ? " (dry run)" : "");
	if (ur.refused == 0 && ur.failed == 0)
		return 0;
	return err_set(e, ERR_RESTORE_PARTIAL, "accounts restored with "
	    "failures into host %s: %zu refused, %zu grants or default roles "
	    "refused (listed above)", r->target->name, ur.refused, ur.failed);
}

static int
restore_dry_run(struct restore *r, struct err *e)
{
	if (!r->o.users_only)
		restore_plan_print(&r->plan, stdout);
	if (r->swap != NULL && swap_print(r->swap, stdout, e) == -1)
		return -1;
	if (r->users && (restore_stream(r, e) == -1 ||
	    restore_users(r, e) == -1))
		return -1;
	printf("dry run: nothing changed\n");
	return r->o.users_only ? 0 : restore_plan_refuse(&r->plan, e);
}

static int
restore_run(struct restore *r, struct err *e)
{
	double t0 = clock_seconds();
	struct err ue = { .kind = ERR_OK };

	if (restore_prepare(r, e) == -1)
		return -1;
	if (r->dry_run)
		return restore_dry_run(r, e);
	if (restore_plan_refuse(&r->plan, e) == -1)
		return -1;
	if (r->verbose)
		restore_plan_print(&r->plan, stderr);
	r->ranged = restore_plan_ranged(&r->plan, r->o.diff ||
	    repo_is_s3(r->repo));
	if (restore_apply_begin(r->apply, e) == -1 ||
	    (r->ranged ? restore_ranged(r, e) : restore_stream(r, e)) == -1)
		return -1;
	if (r->cfg->restore_analyze && restore_apply_analyze(r->apply, e) == -1)
		return -1;
	if (log_progress_enabled())
		log_progress("%s", "");
	if (!r->o.users_only)
		restore_summary(r, clock_seconds() - t0);
	if (r->o.diff)
		restore_diff_summary(r);
	if (!r->users)
		return r->swap != NULL ? restore_swap(r, e) :
		    restore_failures(r, e);
	if (restore_users(r, &ue) == -1 && ue.kind != ERR_RESTORE_PARTIAL) {
		*e = ue;
		return -1;
	}
	if (restore_failures(r, e) == -1)
		return -1;
	if (ue.kind == ERR_RESTORE_PARTIAL) {
		*e = ue;
		return -1;
	}
	return 0;
}

static void
restore_free(struct restore *r)
{
	restore_apply_free(r->apply);	/* before the plan it borrows */
	restore_plan_free(&r->plan);
	if (r->have_manifest)
		manifest_free(&r->m);
	free(r->id);
	crypt_identity_wipe(&r->ident);
	buf_free(&r->users_text);
	swap_free(r->swap);
	free(r->swap_arg);
	free(r->swap_backup);
	free((char *)r->so.db);
	repo_close(r->repo);
}

int
restore_job_run(const struct config *cfg, struct restore_job *j,
    struct err *e)
{
	struct restore r;
	double t0 = clock_seconds();
	int rc;

	memset(&r, 0, sizeof r);
	restore_plan_init(&r.plan);
	r.cfg = cfg;
	r.quiet = j->quiet;
	r.o.host = j->host;
	r.o.archive = REPO_ARCHIVE;
	r.o.dbs = j->dbs;
	r.o.ndbs = j->ndbs;
	r.o.defer = PLAN_DEFER_AUTO;
	r.o.threads = cfg->restore_threads > 0 ? cfg->restore_threads : 2;
	r.id_arg = j->id;
	r.identity_file = cfg->identity_file;
	r.target = j->target;
	r.o.target = j->target->name;
	rc = restore_run(&r, e);
	j->secs = clock_seconds() - t0;
	if (r.apply != NULL)
		j->target_version = xstrdup(restore_apply_server_version(
		    r.apply));
	restore_free(&r);
	return rc;
}

static int
cmd_restore(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	struct restore r;
	int rc;

	memset(&r, 0, sizeof r);
	restore_plan_init(&r.plan);
	r.cfg = ctx->cfg;
	r.quiet = ctx->quiet;
	r.verbose = ctx->verbose;
	rc = restore_args(&r, a, e);
	if (rc == 0)
		rc = restore_run(&r, e);
	if (rc == -1 && e->kind != ERR_RESTORE_PARTIAL &&
	    restore_apply_touched(r.apply)) {
		if (log_progress_enabled())
			log_progress("%s", "");
		log_info("restore into host %s stopped: what it created so far "
		    "stays in the target databases", r.target->name);
	}
	restore_free(&r);
	return rc;
}

static const struct cmd_option restore_options[] = {
	{ "host", 'H', 1, CMD_OPT_REQUIRED, "whose backup", NULL },
	{ "target", 't', 1, 0, "the [host] to restore into (default: --host)",
	    NULL },
	{ "database", 'd', 1, CMD_OPT_REPEAT,
	    "restore only SRC, renamed to DST", NULL },
	{ "table", 0, 1, CMD_OPT_REPEAT, "restore only DB.TABLE (patterns)",
	    NULL },
	{ "threads", 'j', 1, 0, "loader connections, 1 to 64",
	    restore_parse_threads },
	{ "defer-indexes", 'D', 1, 0,
	    "build secondary keys after the data: auto, always or never",
	    restore_parse_defer },
	{ "force", 'f', 0, 0, "restore over databases that hold objects", NULL },
	{ "stop-on-error", 0, 0, 0,
	    "stop at the first table or object that fails", NULL },
	{ "resume", 0, 0, 0,
	    "load what an interrupted restore left out", NULL },
	{ "diff", 0, 0, 0, "reload only the chunks that differ", NULL },
	{ "dry-run", 'n', 0, 0, "print the plan, change nothing", NULL },
	{ "identity", 'i', 1, 0,
	    "secret key file of an encrypted backup (myship keygen)", NULL },
	{ "users", 0, 2, CMD_OPT_REPEAT, "accounts and grants too (alone: "
	    "only them); =PATTERN chooses", NULL },
	{ "swap", 0, 0, 0, "load beside --database, swap it in atomically",
	    NULL },
	{ "drop-old", 0, 0, 0, "--swap: drop the old tables after", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.summary = "restore a backup into a host",
	.usage = "usage: myship restore BACKUP_ID|latest --host NAME "
	    "[--target NAME] [--database SRC[:DST]]... [--table DB.TABLE]... "
	    "[--threads N] "
	    "[--defer-indexes auto|always|never] [--force] [--stop-on-error] "
	    "[--resume] [--diff] [--dry-run] [--identity FILE] "
	    "[--users[=PATTERN]]... [--swap [--drop-old]]",
	.options = restore_options,
	.min_args = 1,
	.max_args = 1,
	.hosts = CMD_HOSTS_NONE,
	.flags = CMD_POLICY | CMD_HELP_ANYWHERE,
	.exec = cmd_restore,
};
