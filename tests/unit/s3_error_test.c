/*
 * S3 error answers to myship errors: the exit status class (myship(8)),
 * whether the request is retried, and the message, for the codes S3 and
 * radosgw answer, bodies that are not XML and empty bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "repo/s3_error.h"
#include "repo/s3_xml.h"
#include "tap.h"

static void
verdict(const char *method, long status, const char *code,
    enum err_kind kind, int retry)
{
	struct s3_verdict v = s3_error_classify(method, status, code);

	CHECK_INT(v.kind, kind);
	CHECK_INT(v.retry, retry);
}

static void
test_classify(void)
{
	verdict("PUT", 403, "AccessDenied", ERR_REPO, 0);
	verdict("GET", 403, "AccessDenied", ERR_REPO, 0);
	verdict("GET", 404, "NoSuchBucket", ERR_REPO, 0);
	verdict("DELETE", 404, "NoSuchBucket", ERR_REPO, 0);
	verdict("GET", 404, "NoSuchKey", ERR_NOT_FOUND, 0);
	verdict("DELETE", 404, "NoSuchUpload", ERR_NOT_FOUND, 0);
	verdict("HEAD", 404, NULL, ERR_NOT_FOUND, 0);
	/* An upload answered 404 is not "no such backup" (exit 8). */
	verdict("PUT", 404, NULL, ERR_REPO, 0);
	verdict("PUT", 404, "NoSuchUpload", ERR_REPO, 0);
	verdict("POST", 404, "NoSuchKey", ERR_REPO, 0);
	verdict("PUT", 403, "InvalidAccessKeyId", ERR_REPO, 0);
	verdict("PUT", 403, "SignatureDoesNotMatch", ERR_REPO, 0);
	verdict("GET", 403, "RequestTimeTooSkewed", ERR_REPO, 0);
	verdict("PUT", 503, "SlowDown", ERR_REPO, 1);
	verdict("PUT", 503, NULL, ERR_REPO, 1);
	verdict("GET", 500, "InternalError", ERR_REPO, 1);
	verdict("PUT", 400, "RequestTimeout", ERR_REPO, 1);
	verdict("PUT", 429, NULL, ERR_REPO, 1);
	verdict("POST", 400, "EntityTooSmall", ERR_REPO, 0);
	verdict("POST", 400, "InvalidPart", ERR_REPO, 0);
	verdict("PUT", 400, "ExpiredToken", ERR_REPO, 0);
	verdict("GET", 502, NULL, ERR_REPO, 1);
}

static const char *
describe(long status, const char *body)
{
	static char out[512];
	char *code = s3_xml_get(body, strlen(body), "Code");
	char *msg = s3_xml_get(body, strlen(body), "Message");

	s3_error_describe(out, sizeof out, status, code, msg, strlen(body));
	free(code);
	free(msg);
	return out;
}

static void
test_describe(void)
{
	CHECK_STR(describe(403, "<?xml version=\"1.0\"?><Error><Code>"
	    "AccessDenied</Code><Message>Access Denied</Message></Error>"),
	    "HTTP 403 AccessDenied: Access Denied");
	CHECK_STR(describe(404, "<Error><Code>NoSuchBucket</Code><Message>The "
	    "specified bucket does not exist</Message></Error>"),
	    "HTTP 404 NoSuchBucket: The specified bucket does not exist "
	    "(check [s3] bucket and endpoint)");
	CHECK_STR(describe(404, "<Error><Code>NoSuchKey</Code></Error>"),
	    "HTTP 404 NoSuchKey");
	CHECK_STR(describe(403, "<Error><Code>RequestTimeTooSkewed</Code>"
	    "<Message>The difference between the request time and the "
	    "current time is too large.</Message></Error>"),
	    "HTTP 403 RequestTimeTooSkewed: The difference between the "
	    "request time and the current time is too large. (is this host's "
	    "clock right?)");
	CHECK_STR(describe(403, "<Error><Code>SignatureDoesNotMatch</Code>"
	    "<Message>m</Message></Error>"), "HTTP 403 SignatureDoesNotMatch: "
	    "m (check the credentials and region)");
	CHECK_STR(describe(403, "<Error><Code>InvalidAccessKeyId</Code>"
	    "</Error>"), "HTTP 403 InvalidAccessKeyId (check the credentials "
	    "and region)");
	CHECK_STR(describe(503, "<Error><Code>SlowDown</Code><Message>Please "
	    "reduce your request rate.</Message></Error>"),
	    "HTTP 503 SlowDown: Please reduce your request rate.");
	CHECK_STR(describe(500, "<Error><Code>InternalError</Code><Message>We "
	    "encountered an internal error.</Message></Error>"),
	    "HTTP 500 InternalError: We encountered an internal error.");
	CHECK_STR(describe(400, "<Error><Code>EntityTooSmall</Code><Message>"
	    "Your proposed upload is smaller than the minimum allowed object "
	    "size.</Message></Error>"), "HTTP 400 EntityTooSmall: Your "
	    "proposed upload is smaller than the minimum allowed object size.");
	CHECK_STR(describe(400, "<Error><Code>InvalidPart</Code><Message>One "
	    "or more of the specified parts could not be found.</Message>"
	    "</Error>"), "HTTP 400 InvalidPart: One or more of the specified "
	    "parts could not be found.");
	CHECK_STR(describe(502, "<html><body>Bad Gateway</body></html>"),
	    "HTTP 502 with a body that is not an S3 error document");
	CHECK_STR(describe(500, "{\"error\":\"x\"}"),
	    "HTTP 500 with a body that is not an S3 error document");
	CHECK_STR(describe(404, ""), "HTTP 404 without a body");
	CHECK_STR(describe(503, ""), "HTTP 503 without a body");
}

static void
test_lock_and_sse(void)
{
	/* A DELETE of a locked version: AWS and radosgw say AccessDenied. */
	CHECK(s3_error_locked("AccessDenied"));
	CHECK(s3_error_locked("ObjectLocked"));
	CHECK(!s3_error_locked("InternalError"));
	CHECK(!s3_error_locked("NoSuchVersion"));
	CHECK(!s3_error_locked(NULL));
	/* An encryption header the server will not honour. */
	CHECK(s3_error_sse_refused(400, "InvalidArgument"));
	CHECK(s3_error_sse_refused(400, "InvalidRequest"));
	CHECK(s3_error_sse_refused(400, "InvalidEncryptionAlgorithmError"));
	CHECK(s3_error_sse_refused(501, "NotImplemented"));
	CHECK(s3_error_sse_refused(501, NULL));
	CHECK(!s3_error_sse_refused(403, "AccessDenied"));
	CHECK(!s3_error_sse_refused(400, "EntityTooSmall"));
	CHECK(!s3_error_sse_refused(500, "InternalError"));
}

int
main(void)
{
	test_lock_and_sse();
	test_classify();
	test_describe();
	return tap_done();
}
