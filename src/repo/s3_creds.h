/*
 * The AWS credentials file (~/.aws/credentials format), read through
 * inifile: the profile's section ([default] when profile is NULL or
 * empty; AWS_PROFILE names another, as the AWS CLI reads it):
 * aws_access_key_id and
 * aws_secret_access_key (required) and aws_session_token (optional; STS
 * tokens run past 1,000 characters, so a line may hold up to
 * INIFILE_LINE_LIMIT).  Other sections and keys belong to other tools and
 * are ignored.  Errors are ERR_CONFIG, "FILE:LINE: message", and never
 * quote the file: no secret reaches a message.
 */
#ifndef MYSHIP_S3_CREDS_H
#define MYSHIP_S3_CREDS_H

#include <stddef.h>

#include "util/err.h"

/* Refuses a file group or others may access, then parses it. */
int s3_read_credentials(const char *path, const char *profile, char **key_id,
    char **secret, char **token, struct err *e);
/* The same from text (tests, fuzzing); name stands for the file.  On
 * success the three are malloc'd (*token may be NULL). */
int s3_parse_credentials(const char *text, size_t len, const char *name,
    const char *profile, char **key_id, char **secret, char **token,
    struct err *e);

#endif
