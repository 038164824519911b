/*
 * The AWS credentials file parser reads a file the operator points the
 * policy at, with secrets in it.  Beyond not crashing: a rejected file gets
 * a config error naming the file and quoting nothing from it (so no secret
 * can leak into a message); an accepted one yields a key id and secret,
 * and writing those back as a canonical file reads back the same.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "repo/s3_creds.h"
#include "util/buf.h"
#include "util/inifile.h"

/* Every message the parser can give, after "fuzz" or "fuzz:LINE: ". */
static int
message_known(const char *msg)
{
	static const char *const known[] = {
		"syntax error",
		"line longer than 65536 characters",
		"NUL byte in line",
		"key name longer than 197 characters",
	};
	const char *p = msg + 4;
	size_t i;

	if (strcmp(p, ": [default] lacks aws_access_key_id or "
	    "aws_secret_access_key") == 0)
		return 1;
	if (*p++ != ':')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (strncmp(p, ": ", 2) != 0)
		return 0;
	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(p + 2, known[i]) == 0)
			return 1;
	return 0;
}

/* A value written after "= " reads back unless it has blank ends, starts
 * with ';' or holds " ;" (comments there; a continuation line can put
 * " ;" into a value, as inih 55 keeps those lines whole). */
static int
writable(const char *v)
{
	size_t i, n = strlen(v);

	if (n + 32 >= INIFILE_LINE_LIMIT || strchr(v, '\n') != NULL)
		return 0;
	if (n > 0 && (v[0] == ' ' || v[0] == '\t' || v[0] == ';' ||
	    v[n - 1] == ' ' || v[n - 1] == '\t'))
		return 0;
	for (i = 1; i < n; i++)
		if (v[i] == ';' && isspace((unsigned char)v[i - 1]))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *k, *s, *t, *k2, *s2, *t2;
	struct err e;
	struct buf b;

	err_clear(&e);
	if (s3_parse_credentials((const char *)data, size, "fuzz", NULL, &k, &s, &t,
	    &e) == -1) {
		FUZZ_ASSERT(e.kind == ERR_CONFIG);
		FUZZ_ASSERT(strncmp(e.msg, "fuzz", 4) == 0);
		FUZZ_ASSERT(message_known(e.msg));
		return 0;
	}
	FUZZ_ASSERT(k != NULL && s != NULL);
	if (writable(k) && writable(s) && (t == NULL || writable(t))) {
		buf_init(&b);
		buf_printf(&b, "[default]\naws_access_key_id = %s\n"
		    "aws_secret_access_key = %s\n", k, s);
		if (t != NULL)
			buf_printf(&b, "aws_session_token = %s\n", t);
		FUZZ_ASSERT(s3_parse_credentials(b.data, b.len, "fuzz", NULL, &k2,
		    &s2, &t2, &e) == 0);
		FUZZ_ASSERT(strcmp(k, k2) == 0 && strcmp(s, s2) == 0);
		FUZZ_ASSERT((t == NULL && t2 == NULL) ||
		    (t != NULL && t2 != NULL && strcmp(t, t2) == 0));
		free(k2);
		free(s2);
		free(t2);
		buf_free(&b);
	}
	free(k);
	free(s);
	free(t);
	return 0;
}
