/*
 * The container credentials provider, as the AWS SDKs define it (ECS task
 * roles, EKS Pod Identity): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a
 * path on http://169.254.170.2; else AWS_CONTAINER_CREDENTIALS_FULL_URI, an
 * https URL or an http one to a loopback address (127.0.0.0/8, ::1,
 * localhost) or to 169.254.170.2, 169.254.170.23 or [fd00:ec2::23].  The
 * GET carries, as its Authorization header, the contents of
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at every fetch: the file is
 * rotated) or else AWS_CONTAINER_AUTHORIZATION_TOKEN.  The answer is read
 * by s3_credjson.  Neither the token nor the credentials reach a message
 * or a log; URLs are named without their query.
 */
#ifndef MYSHIP_S3_CONTAINER_H
#define MYSHIP_S3_CONTAINER_H

#include "repo/s3_credjson.h"
#include "util/err.h"

/*
 * The URL to ask, from the two variables' values (NULL or "" when unset):
 * 1 with *url set (malloc'd), 0 when neither is set, -1 (ERR_CONFIG) when
 * the URL is not allowed.
 */
int s3_container_url(const char *relative, const char *full, char **url,
    struct err *e);
/* The URL without its query, for messages; a new string. */
char *s3_container_url_name(const char *url);
/*
 * The Authorization header's value from the token file or token (values
 * of the two variables); *token NULL when neither.  A file is read whole,
 * trailing blanks and newlines dropped; CR, LF or NUL inside is refused.
 */
int s3_container_token(const char *file, const char *value, char **token,
    struct err *e);
/* One fetch (a few tries on connection errors and 5xx); ERR_REPO. */
int s3_container_fetch(const char *url, struct s3_cred_set *out,
    struct err *e);

#endif
