#include "repo/s3_error.h"

#include <stdio.h>
#include <string.h>

static int
is(const char *code, const char *want)
{
	return code != NULL && strcmp(code, want) == 0;
}

struct s3_verdict
s3_error_classify(const char *method, long status, const char *code)
{
	struct s3_verdict v = { ERR_REPO, 0 };
	int reads = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ||
	    strcmp(method, "DELETE") == 0;

	/* A PUT or POST answered 404 lost its upload or bucket: not absent. */
	if (status == 404 && reads && (code == NULL || is(code, "NoSuchKey") ||
	    is(code, "NoSuchUpload")))
		v.kind = ERR_NOT_FOUND;
	v.retry = status >= 500 || status == 429 ||
	    is(code, "RequestTimeout") || is(code, "SlowDown") ||
	    is(code, "InternalError") || is(code, "ServiceUnavailable");
	return v;
}

int
s3_error_locked(const char *code)
{
	return is(code, "AccessDenied") || is(code, "ObjectLocked");
}

int
s3_error_sse_refused(long status, const char *code)
{
	return (status == 400 && (is(code, "InvalidArgument") ||
	    is(code, "InvalidRequest") ||
	    is(code, "InvalidEncryptionAlgorithmError"))) ||
	    (status == 501 && (code == NULL || is(code, "NotImplemented")));
}

/* What the operator can do about a few codes. */
static const char *
hint(const char *code)
{
	if (is(code, "RequestTimeTooSkewed"))
		return " (is this host's clock right?)";
	if (is(code, "InvalidAccessKeyId") ||
	    is(code, "SignatureDoesNotMatch"))
		return " (check the credentials and region)";
	if (is(code, "NoSuchBucket"))
		return " (check [s3] bucket and endpoint)";
	return "";
}

void
s3_error_describe(char *out, size_t n, long status, const char *code,
    const char *msg, size_t body_len)
{
	if (code != NULL)
		snprintf(out, n, "HTTP %ld %s%s%s%s", status, code,
		    msg != NULL ? ": " : "", msg != NULL ? msg : "", hint(code));
	else if (body_len == 0)
		snprintf(out, n, "HTTP %ld without a body", status);
	else
		snprintf(out, n, "HTTP %ld with a body that is not an S3 error "
		    "document", status);
}
