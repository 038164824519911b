/*
 * What goes into a signed S3 request before libcurl signs it: RFC 3986
 * encoding, the canonical query (sorted, '=' always), path-style and
 * virtual-host URLs, the payload-hash rule, the credentials chain
 * ([s3] keys, credentials_file with its permission check, environment)
 * and S3's time stamps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repo/s3.h"
#include "repo/s3_client.h"
#include "tap.h"

static void
test_encode(void)
{
	struct buf b;

	buf_init(&b);
	s3_uri_encode(&b, "a b+c/d=e~f_g.h-i%\xc3\xa9", 0);
	CHECK_STR(buf_cstr(&b), "a%20b%2Bc%2Fd%3De~f_g.h-i%25%C3%A9");
	buf_reset(&b);
	s3_uri_encode(&b, "p/h 1/x", 1);
	CHECK_STR(buf_cstr(&b), "p/h%201/x");
	buf_free(&b);
}

static void
test_query(void)
{
	struct s3_query q;
	char *s;

	memset(&q, 0, sizeof q);
	s3_query_add(&q, "uploadId", "a/b+c=");
	s3_query_add(&q, "partNumber", "12");
	CHECK_STR(s = s3_query_string(&q), "partNumber=12&uploadId=a%2Fb%2Bc%3D");
	free(s);
	s3_query_free(&q);
	s3_query_add(&q, "uploads", NULL);
	s3_query_add(&q, "prefix", "backups/");
	CHECK_STR(s = s3_query_string(&q), "prefix=backups%2F&uploads=");
	free(s);
	s3_query_free(&q);
	s3_query_add(&q, "prefix", "");
	s3_query_add(&q, "list-type", "2");
	s3_query_add(&q, "continuation-token", "1/x+y==");
	CHECK_STR(s = s3_query_string(&q), "continuation-token=1%2Fx%2By%3D%3D"
	    "&list-type=2&prefix=");
	free(s);
	s3_query_free(&q);
}

static struct s3_cfg
cfg_base(void)
{
	struct s3_cfg s;

	memset(&s, 0, sizeof s);
	s.bucket = "bkt";
	s.region = "eu-west-3";
	s.access_key_id = "AKIDEXAMPLE";
	s.secret_access_key = "secret";
	s.retries = 2;
	return s;
}

static void
test_urls(void)
{
	struct s3_cfg s = cfg_base();
	struct s3_client *c;
	struct err e;
	char *u;

	s.endpoint = "http://127.0.0.1:9000/";
	s.path_style = 1;
	s.prefix = "nightly/db";
	c = s3_client_new(&s, &e);
	CHECK(c != NULL);
	CHECK_STR(s3_client_describe(c), "s3://bkt/nightly/db");
	CHECK_STR(u = s3_client_key(c, "h1", "20240101T000000Z",
	    "backup.tar"), "nightly/db/h1/20240101T000000Z/backup.tar");
	free(u);
	CHECK_STR(u = s3_client_url(c, "nightly/db/h 1", "uploads="),
	    "http://127.0.0.1:9000/bkt/nightly/db/h%201?uploads=");
	free(u);
	CHECK_STR(u = s3_client_url(c, NULL, "list-type=2"),
	    "http://127.0.0.1:9000/bkt?list-type=2");
	free(u);
	CHECK(s3_client_signs_payload(c));
	s3_client_free(c);

	s.endpoint = "s3.example.com";
	s.path_style = 0;
	s.prefix = "";
	c = s3_client_new(&s, &e);
	CHECK_STR(u = s3_client_url(c, "h/i/manifest.ini", NULL),
	    "https://bkt.s3.example.com/h/i/manifest.ini");
	free(u);
	CHECK_STR(u = s3_client_url(c, NULL, "delete="),
	    "https://bkt.s3.example.com/?delete=");
	free(u);
	CHECK_STR(u = s3_client_key(c, "h", NULL, NULL), "h");
	free(u);
	CHECK(!s3_client_signs_payload(c));
	s3_client_free(c);

	s.payload_sha256 = 1;
	s.endpoint = NULL;
	c = s3_client_new(&s, &e);
	CHECK(s3_client_signs_payload(c));
	CHECK_STR(u = s3_client_url(c, "k", NULL),
	    "https://bkt.s3.eu-west-3.amazonaws.com/k");
	free(u);
	s3_client_free(c);
}

static void
test_credentials(void)
{
	struct s3_cfg s = cfg_base();
	struct s3_client *c;
	struct err e;
	char path[] = "/tmp/s3_sign_test.XXXXXX";
	char *k = NULL, *v = NULL, *t = NULL;
	FILE *f;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		CHECK(0);
		return;
	}
	fprintf(f, "[other]\naws_access_key_id = NOPE\n\n[default]\n"
	    "aws_access_key_id = AKIAFILE\naws_secret_access_key = s/e+c\n"
	    "aws_session_token = tok\n");
	fclose(f);
	CHECK_INT(s3_read_credentials(path, NULL, &k, &v, &t, &e), 0);
	CHECK_STR(k, "AKIAFILE");
	CHECK_STR(v, "s/e+c");
	CHECK_STR(t, "tok");
	free(k);
	free(v);
	free(t);

	s.access_key_id = NULL;
	s.secret_access_key = NULL;
	s.credentials_file = path;
	c = s3_client_new(&s, &e);
	CHECK(c != NULL);
	s3_client_free(c);

	chmod(path, 0644);
	CHECK(s3_client_new(&s, &e) == NULL);
	CHECK_INT(e.kind, ERR_CONFIG);
	CHECK(strstr(e.msg, path) != NULL);
	unlink(path);

	s.credentials_file = NULL;
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	CHECK(s3_client_new(&s, &e) == NULL);
	CHECK(strstr(e.msg, "no credentials") != NULL);
	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
	c = s3_client_new(&s, &e);
	CHECK(c != NULL);
	s3_client_free(c);

	s.bucket = "";
	CHECK(s3_client_new(&s, &e) == NULL);
	CHECK(strstr(e.msg, "bucket") != NULL);
}

static void
test_time(void)
{
	CHECK_INT(s3_parse_time("2024-01-02T03:04:05.000Z"), 1704164645);
	CHECK_INT(s3_parse_time("1970-01-01T00:00:00Z"), 0);
	CHECK_INT(s3_parse_time("yesterday"), -1);
	CHECK_INT(s3_parse_time(NULL), -1);
}

static void
test_backoff(void)
{
	long prev_max = 0;

	for (int i = 0; i < 12; i++) {
		long lo = 1L << 30, hi = 0;

		for (int j = 0; j < 50; j++) {
			long ms = s3_backoff_ms(i);

			lo = ms < lo ? ms : lo;
			hi = ms > hi ? ms : hi;
		}
		CHECK(lo >= 100 && hi <= 20000 && hi >= prev_max / 2);
		prev_max = hi;
	}
}

int
main(void)
{
	test_encode();
	test_query();
	test_urls();
	test_credentials();
	test_time();
	test_backoff();
	return tap_done();
}
