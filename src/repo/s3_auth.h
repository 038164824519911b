/*
 * Which credentials sign S3 requests, found in the AWS SDKs' order: the
 * policy's access_key_id, its credentials_file, AWS_ACCESS_KEY_ID, the
 * shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else
 * ~/.aws/credentials when it exists), then the container provider
 * (s3_container.h).  Container credentials carry an Expiration: they are
 * fetched again before each request once stale (s3_auth_stale), so an
 * upload longer than their life goes on; a failed refresh keeps the
 * current ones while they are valid.  Safe to share between threads.
 */
#ifndef MYSHIP_S3_AUTH_H
#define MYSHIP_S3_AUTH_H

#include <curl/curl.h>
#include <stdint.h>

#include "util/config.h"
#include "util/err.h"

struct s3_auth;

struct s3_auth *s3_auth_new(const struct s3_cfg *cfg, struct err *e);
void s3_auth_free(struct s3_auth *a);
/*
 * Refreshes when stale, then sets the key pair on h and appends the
 * x-amz-security-token header (when there is a token) to *headers.
 */
int s3_auth_apply(struct s3_auth *a, CURL *h, struct curl_slist **headers,
    struct err *e);
/*
 * After s3_auth_apply, for a request myship signs itself (s3_sigv4.h)
 * instead of CURLOPT_AWS_SIGV4: appends x-amz-date and Authorization to
 * *headers (which are all signed, with the Host of url) and turns curl's
 * own authentication off on h.  query: canonical, or NULL.
 */
int s3_auth_sign(struct s3_auth *a, CURL *h, const char *method,
    const char *url, const char *query, const char *payload_sha,
    struct curl_slist **headers, struct err *e);
/*
 * True when credentials fetched at `fetched` that expire at `expires`
 * (0: never) are to be fetched again at `now`: less than 5 minutes left,
 * or less than half their life for shorter-lived ones.
 */
int s3_auth_stale(int64_t now, int64_t fetched, int64_t expires);

#endif
