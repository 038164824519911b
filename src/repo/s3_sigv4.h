/*
 * AWS Signature Version 4 for S3, computed by myship for the requests
 * libcurl before 8.10 signs wrong: CURLOPT_AWS_SIGV4 sorts the canonical
 * header lines whole instead of by name, so
 * x-amz-server-side-encryption-aws-kms-key-id lands before
 * x-amz-server-side-encryption and S3 answers SignatureDoesNotMatch (curl
 * pull request 14370).  Pure: the caller gives the request, the time and
 * the keys, and gets the Authorization header's value.
 */
#ifndef MYSHIP_S3_SIGV4_H
#define MYSHIP_S3_SIGV4_H

#include <curl/curl.h>

struct s3_sigv4_req {
	const char *method;
	const char *path;	/* as sent: already percent-encoded */
	const char *query;	/* canonical (s3_query_string), or "" */
	const char *host;	/* the Host header's value */
	const char *amz_date;	/* YYYYMMDDTHHMMSSZ, also in headers */
	const char *region;
	const char *payload_sha;	/* x-amz-content-sha256's value */
	/* "Name: value" lines, all signed (plus host); x-amz-date among them */
	const struct curl_slist *headers;
};

/* The Authorization value ("AWS4-HMAC-SHA256 Credential=..."); new string. */
char *s3_sigv4_authorization(const struct s3_sigv4_req *r,
    const char *key_id, const char *secret);
/* True when this libcurl needs it for a request with these headers. */
int s3_sigv4_needed(const struct curl_slist *headers);

#endif
