#include "repo/s3_creds.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/config.h"
#include "util/inifile.h"

#define CRED_DEFAULT 1u		/* the profile's section: the only one read */

struct cred_ctx {
	char *key_id, *secret, *token;
	const char *profile;
};

static const struct inifile_key cred_keys[] = {
	{ .name = "aws_access_key_id", .sections = CRED_DEFAULT,
	  .type = IK_STR, .offset = offsetof(struct cred_ctx, key_id) },
	{ .name = "aws_secret_access_key", .sections = CRED_DEFAULT,
	  .type = IK_STR, .offset = offsetof(struct cred_ctx, secret),
	  .flags = IK_SECRET },
	{ .name = "aws_session_token", .sections = CRED_DEFAULT,
	  .type = IK_STR, .offset = offsetof(struct cred_ctx, token),
	  .flags = IK_SECRET },
};

static unsigned
cred_section(void *ctx, struct inifile *ip, const char *name)
{
	const struct cred_ctx *cc = ctx;

	(void)ip;
	return strcmp(name, cc->profile) == 0 ? CRED_DEFAULT : 0;
}

/* Profiles and keys of other tools (region, output, ...) are theirs. */
static int
cred_unknown(void *ctx, struct inifile *ip, const char *name)
{
	(void)ctx;
	(void)ip;
	(void)name;
	return 1;
}

static const struct inifile_spec cred_spec = {
	.kind = ERR_CONFIG,
	.max_line = INIFILE_LINE_LIMIT,
	.keys = cred_keys,
	.nkeys = sizeof cred_keys / sizeof cred_keys[0],
	.section = cred_section,
	.unknown = cred_unknown,
};

static void
secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

int
s3_parse_credentials(const char *text, size_t len, const char *name,
    const char *profile, char **key_id, char **secret, char **token,
    struct err *e)
{
	struct cred_ctx cc;

	memset(&cc, 0, sizeof cc);
	cc.profile = profile != NULL && *profile != '\0' ? profile : "default";
	if (inifile_parse(&cred_spec, &cc, text, len, name, e) == -1)
		goto fail;
	if (cc.key_id == NULL || cc.secret == NULL) {
		err_set(e, ERR_CONFIG, "%s: [%s] lacks aws_access_key_id "
		    "or aws_secret_access_key", name, cc.profile);
		goto fail;
	}
	*key_id = cc.key_id;
	*secret = cc.secret;
	*token = cc.token;
	return 0;
fail:
	free(cc.key_id);
	secret_free(cc.secret);
	secret_free(cc.token);
	return -1;
}

int
s3_read_credentials(const char *path, const char *profile, char **key_id,
    char **secret, char **token, struct err *e)
{
	size_t len = 0;
	char *text;
	int rc;

	if (config_check_private(path, e) == -1)
		return -1;
	if ((text = inifile_slurp(path, &len, ERR_CONFIG, e)) == NULL)
		return err_set(e, ERR_CONFIG, "%s: cannot read credentials",
		    path);
	rc = s3_parse_credentials(text, len, path, profile, key_id, secret,
	    token, e);
	explicit_bzero(text, len);
	free(text);
	return rc;
}
