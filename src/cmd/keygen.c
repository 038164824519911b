/*
 * myship keygen FILE
 *
 * A key pair for client-side encryption (stream/crypt_keys.h): the
 * identity (secret) in FILE, mode 0600, and its public key in FILE.pub,
 * which is what [backup] encrypt_to names on the hosts that make backups.
 * Never writes over an existing file.  Needs no policy.
 */
#include <stdio.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "stream/crypt_keys.h"

static int
cmd_keygen(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	if (crypt_keygen(a->argv[0], e) == -1)
		return -1;
	if (!ctx->quiet)
		printf("wrote the identity %s (keep it off the backup hosts) "
		    "and its public key %s.pub (for [backup] encrypt_to)\n",
		    a->argv[0], a->argv[0]);
	return 0;
}

static const struct cmd_option keygen_options[] = {
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_keygen_entry = {
	.name = "keygen",
	.summary = "make a key pair for encrypted backups",
	.usage = "usage: myship keygen FILE",
	.options = keygen_options,
	.min_args = 1,
	.max_args = 1,
	.hosts = CMD_HOSTS_NONE,
	.flags = 0,
	.exec = cmd_keygen,
};
