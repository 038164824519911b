/*
 * The container credentials endpoint's JSON answer comes from the network.
 * Beyond not crashing: a refused answer gets ERR_REPO and one of the
 * parser's fixed messages (nothing of the input, so no secret, can reach
 * it); an accepted one yields a key id and secret fit for HTTP headers,
 * and writing the fields back as canonical JSON reads back the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "repo/s3_credjson.h"
#include "util/buf.h"

static int
message_known(const char *msg)
{
	static const char *const whys[] = {
		"truncated", "not JSON", "not a JSON object", "bad \\u escape",
		"lone surrogate in a string", "NUL in a string",
		"unterminated string", "control character in a string",
		"bad escape in a string", "bad number", "nested too deeply",
		"expected a member name", "expected ':'",
		"expected ',' or the end of a list", "text after the object",
		"a member appears twice", "a member is not a string",
		"missing", "is empty or not printable ASCII",
		"is not an ISO 8601 time",
	};
	static const char *const fields[] = {
		"AccessKeyId", "SecretAccessKey", "Token", "Expiration"
	};
	char want[128];

	for (size_t i = 0; i < sizeof whys / sizeof whys[0]; i++) {
		if (strcmp(msg, whys[i]) == 0)
			return 1;
		for (size_t f = 0; f < 4; f++) {
			snprintf(want, sizeof want, "%s: %s", fields[f], whys[i]);
			if (strcmp(msg, want) == 0)
				return 1;
			snprintf(want, sizeof want, "%s %s", fields[f], whys[i]);
			if (strcmp(msg, want) == 0)
				return 1;
		}
	}
	return 0;
}

static int
header_safe(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    *s == '\r' || *s == '\n')
			return 0;
	return 1;
}

/* Printable ASCII but for '"' and '\\', escaped. */
static void
put_str(struct buf *b, const char *s)
{
	buf_append_char(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_append_char(b, '\\');
		buf_append_char(b, *s);
	}
	buf_append_char(b, '"');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3_cred_set s, s2;
	struct err e;
	struct buf b;

	err_clear(&e);
	if (s3_parse_container_json((const char *)data, size, &s, &e) == -1) {
		FUZZ_ASSERT(e.kind == ERR_REPO);
		FUZZ_ASSERT(message_known(e.msg));
		FUZZ_ASSERT(s.key_id == NULL && s.secret == NULL &&
		    s.token == NULL);
		return 0;
	}
	FUZZ_ASSERT(s.key_id != NULL && header_safe(s.key_id));
	FUZZ_ASSERT(s.secret != NULL && header_safe(s.secret));
	FUZZ_ASSERT(s.token == NULL || header_safe(s.token));
	buf_init(&b);
	buf_append_str(&b, "{\"AccessKeyId\":");
	put_str(&b, s.key_id);
	buf_append_str(&b, ",\"SecretAccessKey\":");
	put_str(&b, s.secret);
	if (s.token != NULL) {
		buf_append_str(&b, ",\"Token\":");
		put_str(&b, s.token);
	}
	buf_append_char(&b, '}');
	FUZZ_ASSERT(s3_parse_container_json(b.data, b.len, &s2, &e) == 0);
	FUZZ_ASSERT(strcmp(s.key_id, s2.key_id) == 0);
	FUZZ_ASSERT(strcmp(s.secret, s2.secret) == 0);
	FUZZ_ASSERT((s.token == NULL && s2.token == NULL) ||
	    (s.token != NULL && s2.token != NULL &&
	    strcmp(s.token, s2.token) == 0));
	buf_free(&b);
	s3_cred_set_clear(&s);
	s3_cred_set_clear(&s2);
	return 0;
}
