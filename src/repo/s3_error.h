/*
 * What an S3 error answer means for myship, decided from the request's
 * method, the HTTP status and the error document's Code alone (pure, unit
 * tested): the error kind (the exit status, myship(8)) and whether the
 * request is retried.  "Not found" (ERR_NOT_FOUND) is only a missing key
 * or upload asked for by GET, HEAD or DELETE (NoSuchKey, NoSuchUpload, or
 * a 404 without a body, as HEAD always is); every other failure, a missing
 * bucket included, is the repository's (ERR_REPO).  Retried: 5xx, 429 and
 * the codes S3 documents as transient (RequestTimeout, SlowDown,
 * InternalError, ServiceUnavailable).
 */
#ifndef MYSHIP_S3_ERROR_H
#define MYSHIP_S3_ERROR_H

#include <stddef.h>

#include "util/err.h"

struct s3_verdict {
	enum err_kind kind;
	int retry;
};

/* code: the document's <Code>, NULL when the body had none. */
struct s3_verdict s3_error_classify(const char *method, long status,
    const char *code);
/*
 * True when a refused DELETE of a version means a retention lock protects
 * it (AccessDenied, as AWS and radosgw answer; ObjectLocked), not that
 * the deletion failed.
 */
int s3_error_locked(const char *code);
/*
 * True when an answer to a request carrying an encryption header says the
 * server refused that header (400 InvalidArgument, InvalidRequest,
 * InvalidEncryptionAlgorithmError, or 501 NotImplemented).
 */
int s3_error_sse_refused(long status, const char *code);

/*
 * The message's tail for one answer: "HTTP 403 AccessDenied: MSG",
 * "HTTP 404 without a body", "HTTP 502 with a body that is not an S3
 * error document", plus a hint for a few codes (clock, credentials).
 */
void s3_error_describe(char *out, size_t n, long status, const char *code,
    const char *msg, size_t body_len);

#endif
