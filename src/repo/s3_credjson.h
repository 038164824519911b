/*
 * The answer of a container credentials endpoint (ECS, EKS Pod Identity):
 * a JSON object whose string members AccessKeyId and SecretAccessKey are
 * required, Token and Expiration (ISO 8601, e.g. 2026-12-02T21:00:00Z)
 * optional; every other member (RoleArn, AccountId, ...) is skipped
 * whatever its type.  A small parser of outside input: whole JSON grammar
 * checked, nesting at most S3_CREDJSON_DEPTH, the kept values printable
 * ASCII (they go into HTTP headers and the signature).  Errors are
 * ERR_REPO with a fixed message that never quotes the input: no secret
 * reaches a message.
 */
#ifndef MYSHIP_S3_CREDJSON_H
#define MYSHIP_S3_CREDJSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define S3_CREDJSON_DEPTH 32

struct s3_cred_set {
	char *key_id, *secret, *token;	/* malloc'd; token may be NULL */
	int64_t expires;		/* Unix time; 0: does not expire */
};

/* On success fills out (which the caller clears); on error out is empty. */
int s3_parse_container_json(const char *text, size_t len,
    struct s3_cred_set *out, struct err *e);
/* ISO 8601 date-time with seconds, optional fraction, Z or +-HH:MM. */
int s3_parse_iso8601(const char *s, int64_t *t);
/* Wipes the secrets and frees; leaves the set empty. */
void s3_cred_set_clear(struct s3_cred_set *s);

#endif
