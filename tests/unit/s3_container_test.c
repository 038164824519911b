/*
 * The container credentials provider's pure parts: the endpoint's JSON
 * answer (what ECS and EKS Pod Identity send, and what must be refused,
 * never quoting a secret), ISO 8601 Expiration, when credentials are
 * stale, which URLs the SDKs' rules allow, and the authorization token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repo/s3_auth.h"
#include "repo/s3_container.h"
#include "repo/s3_credjson.h"
#include "tap.h"

static int
parse(const char *text, struct s3_cred_set *s, struct err *e)
{
	err_clear(e);
	return s3_parse_container_json(text, strlen(text), s, e);
}

static void
test_ecs_answer(void)
{
	struct s3_cred_set s;
	struct err e;

	CHECK_INT(parse("{\n  \"RoleArn\": \"arn:aws:iam::123:role/x\",\n"
	    "  \"AccessKeyId\": \"ASIAEXAMPLE\",\n"
	    "  \"SecretAccessKey\": \"wJalr/K7MDENG+bPx\",\n"
	    "  \"Token\": \"IQoJb3JpZ2luX2VjE\\/AB==\",\n"
	    "  \"Expiration\": \"2026-12-02T21:00:00Z\"\n}\n", &s, &e), 0);
	CHECK_STR(s.key_id, "ASIAEXAMPLE");
	CHECK_STR(s.secret, "wJalr/K7MDENG+bPx");
	CHECK_STR(s.token, "IQoJb3JpZ2luX2VjE/AB==");
	CHECK_INT(s.expires, 1796245200);
	s3_cred_set_clear(&s);
	CHECK(s.key_id == NULL && s.secret == NULL && s.token == NULL);
	/* EKS Pod Identity adds AccountId; other members of any type. */
	CHECK_INT(parse("{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
	    "\"AccountId\":\"1\",\"x\":[1,-2.5e3,{\"y\":null},true,false],"
	    "\"Token\":null,\"Expiration\":null}", &s, &e), 0);
	CHECK(s.token == NULL);
	CHECK_INT(s.expires, 0);
	s3_cred_set_clear(&s);
	/* \u escapes, a surrogate pair in a skipped member. */
	CHECK_INT(parse("{\"n\":\"\\ud83d\\ude00\",\"AccessKeyId\":"
	    "\"\\u0041K\",\"SecretAccessKey\":\"S\"}", &s, &e), 0);
	CHECK_STR(s.key_id, "AK");
	s3_cred_set_clear(&s);
}

/* Each refused; the message never holds the secret "SEKRIT". */
static void
test_refused(void)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "", "not a JSON object" },
		{ "{\"a\":", "truncated" },
		{ "[]", "not a JSON object" },
		{ "{\"AccessKeyId\":\"A\"}", "SecretAccessKey missing" },
		{ "{\"SecretAccessKey\":\"SEKRIT\"}", "AccessKeyId missing" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"SEKRIT\","
		  "\"AccessKeyId\":\"B\"}", "AccessKeyId: a member appears twice" },
		{ "{\"AccessKeyId\":1,\"SecretAccessKey\":\"SEKRIT\"}",
		  "AccessKeyId: a member is not a string" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"SEK RIT\"}",
		  "SecretAccessKey is empty or not printable ASCII" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"SEKRIT\","
		  "\"Token\":\"a\\r\\nX-Evil: 1\"}",
		  "Token is empty or not printable ASCII" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"SEKRIT\","
		  "\"Expiration\":\"tomorrow\"}",
		  "Expiration is not an ISO 8601 time" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"SEKRIT\"} x",
		  "text after the object" },
		{ "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"SEKRIT",
		  "SecretAccessKey: unterminated string" },
		{ "{\"AccessKeyId\":\"A\\u0000\"}", "AccessKeyId: NUL in a string" },
		{ "{\"AccessKeyId\":\"\\ud800\"}",
		  "AccessKeyId: lone surrogate in a string" },
		{ "{\"a\":01}", "expected ',' or the end of a list" },
		{ "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]"
		  "]]]]]]]]]]]]]]]]]]]]]]]]]]]}", "nested too deeply" },
		{ "<Error>SEKRIT</Error>", "not a JSON object" },
	};
	struct s3_cred_set s;
	struct err e;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(parse(cases[i].text, &s, &e), -1);
		CHECK_INT(e.kind, ERR_REPO);
		CHECK_STR(e.msg, cases[i].msg);
		CHECK(s.key_id == NULL && s.secret == NULL);
	}
}

static void
test_iso8601(void)
{
	int64_t t = -1;

	CHECK_INT(s3_parse_iso8601("1970-01-01T00:00:00Z", &t), 0);
	CHECK_INT(t, 0);
	CHECK_INT(s3_parse_iso8601("2024-02-29T12:30:15.123Z", &t), 0);
	CHECK_INT(t, 1709209815);
	CHECK_INT(s3_parse_iso8601("2024-02-29T14:30:15+02:00", &t), 0);
	CHECK_INT(t, 1709209815);
	CHECK_INT(s3_parse_iso8601("2024-02-29T07:00:15-0530", &t), 0);
	CHECK_INT(t, 1709209815);
	CHECK_INT(s3_parse_iso8601("2023-02-29T00:00:00Z", &t), -1);
	CHECK_INT(s3_parse_iso8601("2024-13-01T00:00:00Z", &t), -1);
	CHECK_INT(s3_parse_iso8601("2024-01-01T00:00:00", &t), -1);
	CHECK_INT(s3_parse_iso8601("2024-01-01T24:00:00Z", &t), -1);
	CHECK_INT(s3_parse_iso8601("2024-01-01T00:00:00Zx", &t), -1);
	CHECK_INT(s3_parse_iso8601("2024-01-01T00:00:00.Z", &t), -1);
	CHECK_INT(s3_parse_iso8601("2024-01-01T00:00:00+05:", &t), -1);
}

static void
test_stale(void)
{
	/* Six hours of life: fresh until 5 minutes are left. */
	CHECK(!s3_auth_stale(1000, 1000, 1000 + 21600));
	CHECK(!s3_auth_stale(1000 + 21600 - 301, 1000, 1000 + 21600));
	CHECK(s3_auth_stale(1000 + 21600 - 300, 1000, 1000 + 21600));
	CHECK(s3_auth_stale(1000 + 30000, 1000, 1000 + 21600));
	/* Four seconds of life: stale after two. */
	CHECK(!s3_auth_stale(1001, 1000, 1004));
	CHECK(s3_auth_stale(1002, 1000, 1004));
	CHECK(!s3_auth_stale(99999999, 1000, 0));	/* never expire */
	CHECK(s3_auth_stale(1000, 1000, 999));
}

static void
url_ok(const char *rel, const char *full, const char *want)
{
	struct err e;
	char *url = NULL;

	err_clear(&e);
	CHECK_INT(s3_container_url(rel, full, &url, &e), 1);
	CHECK_STR(url, want);
	free(url);
}

static void
url_refused(const char *full, const char *msg_part)
{
	struct err e;
	char *url = NULL;

	err_clear(&e);
	CHECK_INT(s3_container_url(NULL, full, &url, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
	CHECK(strstr(e.msg, msg_part) != NULL);
	CHECK(url == NULL);
}

static void
test_urls(void)
{
	struct err e;
	char *url = NULL, *name;

	url_ok("/v2/credentials/abc", NULL,
	    "http://169.254.170.2/v2/credentials/abc");
	/* The relative URI wins over the full one, as in the SDKs. */
	url_ok("/v2/x", "http://127.0.0.1:80/y", "http://169.254.170.2/v2/x");
	url_ok("", "http://127.0.0.1:8080/creds", "http://127.0.0.1:8080/creds");
	url_ok(NULL, "http://127.9.8.7/c", "http://127.9.8.7/c");
	url_ok(NULL, "http://localhost:9/c", "http://localhost:9/c");
	url_ok(NULL, "http://[::1]:9/c", "http://[::1]:9/c");
	url_ok(NULL, "http://169.254.170.23/v1/credentials",
	    "http://169.254.170.23/v1/credentials");
	url_ok(NULL, "http://[fd00:ec2::23]/v1/credentials",
	    "http://[fd00:ec2::23]/v1/credentials");
	url_ok(NULL, "https://creds.example.com/x", "https://creds.example.com/x");
	url_refused("http://creds.example.com/x", "http to creds.example.com");
	url_refused("http://10.0.0.1/x", "use https");
	url_refused("http://127.0.0.1.evil.com/x", "is refused");
	url_refused("http://169.254.169.254/x", "is refused");
	url_refused("ftp://127.0.0.1/x", "only http and https");
	url_refused("not a url at all", "is not a URL");
	err_clear(&e);
	CHECK_INT(s3_container_url("v2/x", NULL, &url, &e), -1);
	CHECK_INT(s3_container_url(NULL, NULL, &url, &e), 0);
	CHECK_INT(s3_container_url("", "", &url, &e), 0);
	name = s3_container_url_name("http://127.0.0.1/c?sig=abc#f");
	CHECK_STR(name, "http://127.0.0.1/c");
	free(name);
}

static void
test_token(void)
{
	char path[] = "/tmp/ms-s3tok-XXXXXX", *tok = NULL;
	struct err e;
	FILE *f;
	int fd;

	err_clear(&e);
	CHECK_INT(s3_container_token(NULL, NULL, &tok, &e), 0);
	CHECK(tok == NULL);
	CHECK_INT(s3_container_token(NULL, "abc", &tok, &e), 0);
	CHECK_STR(tok, "abc");
	free(tok);
	CHECK_INT(s3_container_token(NULL, "a\r\nHost: x", &tok, &e), -1);
	CHECK(strstr(e.msg, "Host") == NULL);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("eyJhbGciOi.file-token\n", f);
	fclose(f);
	/* The file wins over the variable, as in the SDKs. */
	CHECK_INT(s3_container_token(path, "abc", &tok, &e), 0);
	CHECK_STR(tok, "eyJhbGciOi.file-token");
	free(tok);
	f = fopen(path, "w");
	fputs("two\nlines\n", f);
	fclose(f);
	CHECK_INT(s3_container_token(path, NULL, &tok, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
	CHECK(strstr(e.msg, "lines") == NULL);
	unlink(path);
	CHECK_INT(s3_container_token(path, NULL, &tok, &e), -1);
	CHECK(strstr(e.msg, path) != NULL);
}

int
main(void)
{
	test_ecs_answer();
	test_refused();
	test_iso8601();
	test_stale();
	test_urls();
	test_token();
	return tap_done();
}
