/*
 * What users type in [s3]: a prefix with or without slashes at either end
 * (or doubled) gives the same keys and never an empty path segment; an
 * endpoint that is an IP address or a name without a dot, or a bucket
 * that is no DNS name, uses path style unless path_style says otherwise;
 * the bucket's URL in both styles.
 */
#include <stdlib.h>
#include <string.h>

#include "repo/s3_addr.h"
#include "tap.h"

static void
prefix(const char *in, const char *want)
{
	char *s = s3_prefix_normalize(in);

	CHECK_STR(s, want);
	free(s);
}

static void
test_prefix(void)
{
	prefix(NULL, "");
	prefix("", "");
	prefix("/", "");
	prefix("///", "");
	prefix("nightly", "nightly");
	prefix("nightly/", "nightly");
	prefix("/nightly", "nightly");
	prefix("/nightly/", "nightly");
	prefix("nightly/db", "nightly/db");
	prefix("/nightly//db/", "nightly/db");
	prefix("a///b//c", "a/b/c");
	prefix(" a / b ", " a / b ");	/* spaces are the user's own */
}

static void
host(const char *ep, const char *want)
{
	char *s = s3_endpoint_host(ep);

	CHECK_STR(s, want);
	free(s);
}

static void
test_host(void)
{
	host("http://127.0.0.1:9000", "127.0.0.1");
	host("https://s3.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com");
	host("https://s3.example.com/", "s3.example.com");
	host("minio:9000", "minio");
	host("http://localhost:9000/base/path", "localhost");
	host("http://[::1]:9000", "::1");
	host("http://user:pw@store.example.com:8080", "store.example.com");
	host("http://h.example?x=1", "h.example");
	host("", "");

	CHECK(s3_host_needs_path_style("127.0.0.1"));
	CHECK(s3_host_needs_path_style("10.1.2.3"));
	CHECK(s3_host_needs_path_style("::1"));
	CHECK(s3_host_needs_path_style("fe80::1"));
	CHECK(s3_host_needs_path_style("localhost"));
	CHECK(s3_host_needs_path_style("minio"));
	CHECK(s3_host_needs_path_style(""));
	CHECK(!s3_host_needs_path_style("s3.amazonaws.com"));
	CHECK(!s3_host_needs_path_style("store.example.com"));
	CHECK(!s3_host_needs_path_style("127.0.0.1.nip.io"));
}

static void
test_bucket(void)
{
	CHECK(s3_bucket_is_dns_compatible("myship-test"));
	CHECK(s3_bucket_is_dns_compatible("abc"));
	CHECK(s3_bucket_is_dns_compatible("a.b.c"));
	CHECK(s3_bucket_is_dns_compatible("backups2024"));
	CHECK(!s3_bucket_is_dns_compatible("ab"));
	CHECK(!s3_bucket_is_dns_compatible(NULL));
	CHECK(!s3_bucket_is_dns_compatible("My_Bucket"));
	CHECK(!s3_bucket_is_dns_compatible("UPPER"));
	CHECK(!s3_bucket_is_dns_compatible("under_score"));
	CHECK(!s3_bucket_is_dns_compatible("-leading"));
	CHECK(!s3_bucket_is_dns_compatible("trailing-"));
	CHECK(!s3_bucket_is_dns_compatible("a..b"));
	CHECK(!s3_bucket_is_dns_compatible("a.-b"));
	CHECK(!s3_bucket_is_dns_compatible("a-.b"));
	CHECK(!s3_bucket_is_dns_compatible("192.168.1.1"));
	CHECK(!s3_bucket_is_dns_compatible("a234567890123456789012345678901234"
	    "567890123456789012345678901234"));
}

static void
test_style(void)
{
	/* Unset: decided by endpoint and bucket. */
	CHECK_INT(s3_use_path_style(-1, "http://127.0.0.1:9000", "b-1"), 1);
	CHECK_INT(s3_use_path_style(-1, "http://localhost:9000", "b-1"), 1);
	CHECK_INT(s3_use_path_style(-1, "http://[::1]:9000", "b-1"), 1);
	CHECK_INT(s3_use_path_style(-1, "https://s3.example.com", "b-1"), 0);
	CHECK_INT(s3_use_path_style(-1, NULL, "b-1"), 0);
	CHECK_INT(s3_use_path_style(-1, "", "b-1"), 0);
	CHECK_INT(s3_use_path_style(-1, "https://s3.example.com", "B_1"), 1);
	/* Set: the user's word, even where it cannot work. */
	CHECK_INT(s3_use_path_style(1, "https://s3.example.com", "b-1"), 1);
	CHECK_INT(s3_use_path_style(0, "http://localhost:9000", "b-1"), 0);
	CHECK_INT(s3_use_path_style(0, "http://127.0.0.1:9000", "b-1"), 0);
}

static void
url(const char *got, const char *want)
{
	CHECK_STR(got, want);
	free((char *)got);
}

static void
test_urls(void)
{
	url(s3_endpoint_url(NULL, "eu-west-1"),
	    "https://s3.eu-west-1.amazonaws.com");
	url(s3_endpoint_url("", "us-east-1"), "https://s3.us-east-1.amazonaws.com");
	url(s3_endpoint_url("store.example.com:9000", "x"),
	    "https://store.example.com:9000");
	url(s3_endpoint_url("http://127.0.0.1:9000//", "x"),
	    "http://127.0.0.1:9000");
	url(s3_bucket_url("http://127.0.0.1:9000", "b-1", 1),
	    "http://127.0.0.1:9000/b-1");
	url(s3_bucket_url("http://localhost:9000", "b-1", 0),
	    "http://b-1.localhost:9000");
	url(s3_bucket_url("https://s3.example.com/base", "b-1", 0),
	    "https://b-1.s3.example.com/base");
}

int
main(void)
{
	test_prefix();
	test_host();
	test_bucket();
	test_style();
	test_urls();
	return tap_done();
}
