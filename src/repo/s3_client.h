/*
 * Talking to an S3 endpoint with libcurl: where a key lives (path-style or
 * virtual-host URL), which credentials sign requests (CURLOPT_AWS_SIGV4),
 * and one request ("transfer") with its retry policy and its translation
 * of S3 error documents into a struct err.  The repository operations
 * (s3.c) and the multipart sink (s3_upload.c) are built on it.
 */
#ifndef MYSHIP_S3_CLIENT_H
#define MYSHIP_S3_CLIENT_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "repo/s3_creds.h"	/* s3_read_credentials, as before */
#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"

struct s3_client;

/* Resolves endpoint and credentials (s3_auth.h: the SDKs' chain). */
struct s3_client *s3_client_new(const struct s3_cfg *cfg, struct err *e);
void s3_client_free(struct s3_client *c);
/* "s3://bucket/prefix" */
const char *s3_client_describe(const struct s3_client *c);
/* PREFIX/a/b/c (NULL parts end the list); a new string. */
char *s3_client_key(const struct s3_client *c, const char *a, const char *b,
    const char *c3);
const char *s3_client_prefix(const struct s3_client *c);
const struct s3_cfg *s3_client_cfg(const struct s3_client *c);
/* URL for key (NULL: the bucket) and canonical query (NULL: none). */
char *s3_client_url(const struct s3_client *c, const char *key,
    const char *query);
/* True when the SHA-256 of large bodies must be computed and signed. */
int s3_client_signs_payload(const struct s3_client *c);

/* RFC 3986 percent-encoding, upper-case hex; keep_slash for paths. */
void s3_uri_encode(struct buf *b, const char *s, int keep_slash);

/* A canonical query string: parameters sorted, values encoded, '=' always. */
struct s3_query {
	char **names, **values;
	size_t n;
};
void s3_query_add(struct s3_query *q, const char *name, const char *value);
char *s3_query_string(struct s3_query *q);	/* sorts; a new string */
void s3_query_free(struct s3_query *q);


/* Outcome of one attempt. */
enum s3_result { S3_OK, S3_RETRY, S3_FAIL };

/*
 * One request.  Fill method, key, query, headers and body, then run it
 * (s3_xfer_run) or prepare it for a multi handle and judge each attempt
 * with s3_xfer_result.
 */
struct s3_xfer {
	const char *method;		/* GET PUT POST DELETE HEAD */
	char *key;			/* owned; NULL = the bucket */
	char *query;			/* owned; canonical, without '?' */
	struct curl_slist *headers;	/* owned */
	const char *body;		/* not owned */
	size_t body_len;
	char payload_sha[65];		/* hex SHA-256 of body, "" = unsigned */
	int uninterruptible;		/* cleanup requests: ignore signals */
	int64_t timeout;		/* seconds; 0 = the policy's */
	/* A streaming response sink; NULL keeps the body in resp. */
	size_t (*write_cb)(char *p, size_t sz, size_t n, void *ctx);
	void *write_ctx;

	CURL *h;			/* owned, reused between attempts */
	struct curl_slist *sent;	/* headers of the current attempt */
	size_t body_off;
	long status;
	struct buf resp;		/* body, or the error document */
	char etag[128];
	char version_id[128];		/* x-amz-version-id of the answer */
	char lock_until[64];		/* x-amz-object-lock-retain-until-date */
	char sse[32];			/* x-amz-server-side-encryption */
	char legal_hold[8];		/* x-amz-object-lock-legal-hold */
	char errbuf[CURL_ERROR_SIZE];
	int tries;
};

void s3_xfer_init(struct s3_xfer *x, const char *method, char *key,
    char *query);
void s3_xfer_header(struct s3_xfer *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Sets the body (not copied) and its Content-MD5, and its SHA-256 when it
 * is to be signed; md5out (may be NULL) gets the binary MD5.
 */
void s3_xfer_body(const struct s3_client *c, struct s3_xfer *x,
    const void *p, size_t n, unsigned char *md5out);
void s3_xfer_free(struct s3_xfer *x);
/* Sets up x->h for one attempt (also resets response state). */
int s3_xfer_prepare(const struct s3_client *c, struct s3_xfer *x,
    struct err *e);
/* Judges a finished attempt; fills e unless S3_OK. */
enum s3_result s3_xfer_result(const struct s3_client *c, struct s3_xfer *x,
    CURLcode rc, struct err *e);
/* Runs with retries; 0 on 2xx.  e->kind ERR_NOT_FOUND on 404. */
int s3_xfer_run(const struct s3_client *c, struct s3_xfer *x,
    struct err *e);
/*
 * After a PUT or CreateMultipartUpload with [s3] sse set: fails unless the
 * answer confirms that encryption (x-amz-server-side-encryption), as S3
 * does; radosgw 16 accepts AES256 and stores the object unencrypted.
 */
int s3_xfer_sse_check(const struct s3_client *c, const struct s3_xfer *x,
    struct err *e);
/* Delay before attempt tries+1, with jitter, in milliseconds. */
long s3_backoff_ms(int tries);
long long s3_client_retries(const struct s3_client *c);

#endif
