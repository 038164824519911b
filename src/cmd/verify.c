/*
 * myship verify [BACKUP_ID|latest] [--host NAME]... [--json]
 *
 * Re-reads backups from the repository, without any server, and checks
 * every member (job/verify_backup.h).  Each host's backup is one line (with
 * --json one object); each damaged member one more line.  The exit status
 * is 0 only when everything holds: ERR_CORRUPT when a backup is damaged,
 * else the first host's failure (no backup, repository).
 */
#include <stdio.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "job/verify_backup.h"
#include "stream/crypt_keys.h"
#include "repo/repo.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strutil.h"

struct verify_run {
	struct repo *repo;
	const char *id_arg;
	int json;
	size_t damaged, hosts;
	struct buf out;		/* the --json array */
	struct crypt_identity ident;	/* [restore] identity_file */
	int have_ident;
};

static void
verify_text(const struct host_cfg *h, const struct verify_report *v)
{
	char sz[32];
	size_t i;

	format_size(v->bytes, sz, sizeof sz);
	for (i = 0; i < v->damage.n; i++)
		printf("%s/%s: damaged: %s\n", h->name, v->id, v->damage.v[i]);
	if (v->damage.n == 0)
		printf("%s/%s: ok: %zu members, %s in %.1f s%s\n", h->name,
		    v->id, v->members, sz, v->secs, v->sealed == 0 ? "" :
		    " (encrypted: checked as stored, not decrypted)");
	else
		printf("%s/%s: DAMAGED: %zu problem%s, %zu of %zu members "
		    "read\n", h->name, v->id, v->damage.n,
		    v->damage.n == 1 ? "" : "s", v->members, v->expected);
}

static void
verify_json(struct verify_run *vr, const struct host_cfg *h,
    const struct verify_report *v, const struct err *failed)
{
	struct buf *b = &vr->out;
	size_t i;

	buf_printf(b, "%s{\"host\":", vr->hosts++ ? "," : "");
	json_append_string(b, h->name);
	if (failed != NULL) {
		buf_printf(b, ",\"ok\":false,\"error\":");
		json_append_string(b, failed->msg);
		buf_printf(b, "}");
		return;
	}
	buf_printf(b, ",\"id\":");
	json_append_string(b, v->id);
	buf_printf(b, ",\"ok\":%s,\"members\":%zu,\"expected\":%zu,"
	    "\"bytes\":%llu,\"raw_bytes\":%llu,\"seconds\":%.3f,"
	    "\"sealed\":%zu,\"damage\":[",
	    v->damage.n == 0 ? "true" : "false", v->members, v->expected,
	    (unsigned long long)v->bytes, (unsigned long long)v->raw_bytes,
	    v->secs, v->sealed);
	for (i = 0; i < v->damage.n; i++) {
		if (i > 0)
			buf_printf(b, ",");
		json_append_string(b, v->damage.v[i]);
	}
	buf_printf(b, "],\"ranges\":%zu,\"workers\":%zu}", v->ranges,
	    v->workers);
}

static int
verify_host(struct cmd_ctx *ctx, const struct host_cfg *h, void *arg,
    struct err *e)
{
	struct verify_run *vr = arg;
	struct verify_opts o = { vr->have_ident ? &vr->ident : NULL, NULL,
	    NULL, VERIFY_WORKERS };
	struct verify_report v;
	int rc;

	memset(&v, 0, sizeof v);
	rc = verify_backup(vr->repo, h->name, vr->id_arg, &o, &v, e);
	if (rc == -1) {
		if (vr->json)
			verify_json(vr, h, NULL, e);
		if (e->kind == ERR_CORRUPT) {	/* damage, said here */
			vr->damaged++;
			if (!vr->json)
				printf("%s: DAMAGED: %s\n", h->name, e->msg);
		}
	} else {
		if (v.damage.n > 0)
			vr->damaged++;
		else if (verify_record(vr->repo, h->name, &v, ctx->now,
		    e) == -1)
			rc = -1;	/* verified, but could not say so */
		if (vr->json)
			verify_json(vr, h, &v, NULL);
		else
			verify_text(h, &v);
		log_info("verified %s/%s: %zu members, %llu bytes, %zu "
		    "problems, %.1f s, %zu ranges by %zu workers", h->name,
		    v.id, v.members, (unsigned long long)v.bytes, v.damage.n,
		    v.secs, v.ranges, v.workers);
	}
	verify_report_free(&v);
	return rc;
}

static int
cmd_verify(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	struct verify_run vr;
	int rc;

	memset(&vr, 0, sizeof vr);
	vr.id_arg = a->argc > 0 ? a->argv[0] : "latest";
	vr.json = args_count(a, "json") > 0;
	buf_init(&vr.out);
	if (ctx->cfg->identity_file != NULL) {
		if (crypt_identity_load(ctx->cfg->identity_file, &vr.ident,
		    e) == -1)
			return -1;
		vr.have_ident = 1;
	}
	if ((vr.repo = repo_open(ctx->cfg, e)) == NULL) {
		crypt_identity_wipe(&vr.ident);
		return -1;
	}
	rc = cmd_each_host(ctx, a, verify_host, &vr, e);
	repo_close(vr.repo);
	crypt_identity_wipe(&vr.ident);
	if (vr.json)
		printf("[%.*s]\n", (int)vr.out.len, vr.out.data);
	buf_free(&vr.out);
	/* Damage decides the status over any other host's failure. */
	if (vr.damaged > 0)
		return err_set(e, ERR_CORRUPT, "%zu of %zu backups damaged or "
		    "unreadable (named above)", vr.damaged, a->nhosts);
	return rc;
}

static const struct cmd_option verify_options[] = {
	{ "host", 'H', 1, CMD_OPT_REPEAT, "verify this [host]'s backup",
	    NULL },
	{ "json", 0, 0, 0, "one JSON array, an object per host", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.summary = "re-read backups from the repository and check every member",
	.usage = "usage: myship verify [BACKUP_ID|latest] [--host NAME]... "
	    "[--json]",
	.options = verify_options,
	.min_args = 0,
	.max_args = 1,
	.hosts = CMD_HOSTS_MANY,
	.flags = CMD_POLICY | CMD_PRIMARIES | CMD_BACKGROUND,
	.exec = cmd_verify,
};
