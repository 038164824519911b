/*
 * What users type, made into S3 keys and URLs, as pure functions: the
 * prefix without empty path segments whatever slashes surround it, and
 * the choice between virtual-host and path-style addressing, which only
 * an endpoint named by a DNS name with a dot and a DNS-compatible bucket
 * can use the first of (as other S3 clients decide).
 */
#ifndef MYSHIP_S3_ADDR_H
#define MYSHIP_S3_ADDR_H

/*
 * The endpoint as requests use it: https:// when it has no scheme, AWS's
 * for the region when NULL or empty, without trailing slashes.
 */
char *s3_endpoint_url(const char *endpoint, const char *region);
/*
 * The bucket's URL, without a trailing slash: ENDPOINT/BUCKET in path
 * style, SCHEME://BUCKET.HOST... in virtual-host style.
 */
char *s3_bucket_url(const char *endpoint_url, const char *bucket,
    int path_style);
/* "/a//b/" is "a/b"; "", "/" and NULL are "".  A new string. */
char *s3_prefix_normalize(const char *prefix);
/*
 * The host of an endpoint URL, scheme optional ("https://h:9000/x" and
 * "h:9000" are "h", "[::1]:9000" is "::1"); a new string.
 */
char *s3_endpoint_host(const char *endpoint);
/* True for an IPv4 or IPv6 address, or a name without a dot (localhost). */
int s3_host_needs_path_style(const char *host);
/* True when the bucket name is usable as a DNS label sequence. */
int s3_bucket_is_dns_compatible(const char *bucket);
/*
 * Path style (1) or virtual-host (0): path_style when set (0 or 1);
 * when unset (-1), path style for an endpoint that needs it or a bucket
 * that is not DNS-compatible.  NULL endpoint: AWS's.
 */
int s3_use_path_style(int path_style, const char *endpoint,
    const char *bucket);

#endif
