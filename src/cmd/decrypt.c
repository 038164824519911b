/*
 * myship decrypt BACKUP_ID|latest --host NAME [--identity FILE] > backup.tar
 *
 * An encrypted backup as a plain archive on standard output, for the stock
 * tools (job/decrypt_backup.h).  Standard output must not be a terminal.
 * Exit 7 when a member was damaged (left out, named), 3 for a missing or
 * wrong identity.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "job/decrypt_backup.h"
#include "repo/repo.h"
#include "stream/io.h"
#include "util/log.h"

static int
decrypt_report(const char *host, const struct verify_report *v,
    struct err *e)
{
	size_t i;

	for (i = 0; i < v->damage.n; i++)
		log_error("%s/%s: damaged, left out: %s", host, v->id,
		    v->damage.v[i]);
	if (v->damage.n > 0)
		return err_set(e, ERR_CORRUPT, "%s/%s: %zu damaged members "
		    "left out of the archive (named above)", host, v->id,
		    v->damage.n);
	log_info("decrypted %s/%s: %zu members", host, v->id, v->members);
	return 0;
}

static int
cmd_decrypt(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const char *host = args_get(a, "host");
	const char *file = args_get(a, "identity") ? args_get(a, "identity") :
	    ctx->cfg->identity_file;
	struct crypt_identity ident;
	struct verify_report v;
	struct repo *r = NULL;
	struct sink out;
	int rc = -1;

	memset(&v, 0, sizeof v);
	memset(&ident, 0, sizeof ident);
	if (isatty(STDOUT_FILENO))
		return err_set(e, ERR_USAGE, "decrypt writes an archive to "
		    "standard output: redirect it (> backup.tar)");
	if (file == NULL)
		return err_set(e, ERR_CONFIG, "decrypt needs the identity: "
		    "--identity FILE or [restore] identity_file");
	if (cmd_host_find(ctx->cfg, host, "", e) == NULL ||
	    crypt_identity_load(file, &ident, e) == -1 ||
	    (r = repo_open(ctx->cfg, e)) == NULL)
		goto out;
	sink_fd(&out, STDOUT_FILENO, "standard output");
	if (decrypt_backup(r, host, a->argv[0], &ident, &out, &v, e) == 0)
		rc = decrypt_report(host, &v, e);
out:
	crypt_identity_wipe(&ident);
	verify_report_free(&v);
	repo_close(r);
	return rc;
}

static const struct cmd_option decrypt_options[] = {
	{ "host", 'H', 1, CMD_OPT_REQUIRED, "whose backup", NULL },
	{ "identity", 'i', 1, 0,
	    "secret key file (default: [restore] identity_file)", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_decrypt_entry = {
	.name = "decrypt",
	.summary = "write an encrypted backup as a plain archive to stdout",
	.usage = "usage: myship decrypt BACKUP_ID|latest --host NAME "
	    "[--identity FILE]",
	.options = decrypt_options,
	.min_args = 1,
	.max_args = 1,
	.hosts = CMD_HOSTS_NONE,
	.flags = CMD_POLICY,
	.exec = cmd_decrypt,
};
