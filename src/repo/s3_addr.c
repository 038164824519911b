#include "repo/s3_addr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

char *
s3_endpoint_url(const char *endpoint, const char *region)
{
	char *ep;
	size_t n;

	if (endpoint == NULL || *endpoint == '\0')
		ep = xasprintf("https://s3.%s.amazonaws.com", region);
	else if (strstr(endpoint, "://") == NULL)
		ep = xasprintf("https://%s", endpoint);
	else
		ep = xstrdup(endpoint);
	while ((n = strlen(ep)) > 0 && ep[n - 1] == '/')
		ep[n - 1] = '\0';
	return ep;
}

char *
s3_bucket_url(const char *endpoint_url, const char *bucket, int path_style)
{
	const char *sep = strstr(endpoint_url, "://");

	if (path_style || sep == NULL)
		return xasprintf("%s/%s", endpoint_url, bucket);
	return xasprintf("%.*s://%s.%s", (int)(sep - endpoint_url),
	    endpoint_url, bucket, sep + 3);
}

char *
s3_prefix_normalize(const char *prefix)
{
	struct buf b;
	const char *p = prefix ? prefix : "", *q;

	buf_init(&b);
	buf_append_str(&b, "");
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		q = strchr(p, '/');
		if (q == NULL)
			q = p + strlen(p);
		if (b.len > 0)
			buf_append_char(&b, '/');
		buf_append(&b, p, (size_t)(q - p));
		p = q;
	}
	return buf_cstr(&b);
}

char *
s3_endpoint_host(const char *endpoint)
{
	const char *p = endpoint ? endpoint : "", *end, *at;

	if ((end = strstr(p, "://")) != NULL)
		p = end + 3;
	end = p + strcspn(p, "/?#");
	/* user:password@ is not the host. */
	for (at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	if (*p == '[') {
		for (at = p + 1; at < end && *at != ']'; at++)
			;
		if (at < end)
			return xstrndup(p + 1, (size_t)(at - p - 1));
	}
	for (at = p; at < end && *at != ':'; at++)
		;
	return xstrndup(p, (size_t)(at - p));
}

int
s3_host_needs_path_style(const char *host)
{
	unsigned char addr[16];

	if (host == NULL || *host == '\0' || strchr(host, '.') == NULL)
		return 1;
	return inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
}

/* S3's bucket naming rules, as far as a host name needs them. */
int
s3_bucket_is_dns_compatible(const char *bucket)
{
	size_t n = bucket ? strlen(bucket) : 0;
	unsigned char addr[4];

	if (n < 3 || n > 63 || inet_pton(AF_INET, bucket, addr) == 1)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = bucket[i], prev = i ? bucket[i - 1] : '.';
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');

		if (!alnum && ch != '-' && ch != '.')
			return 0;
		/* Every label starts and ends with a letter or digit. */
		if ((ch == '.' || ch == '-') && prev == '.')
			return 0;
		if (ch == '.' && prev == '-')
			return 0;
	}
	return bucket[n - 1] != '-' && bucket[n - 1] != '.';
}

int
s3_use_path_style(int path_style, const char *endpoint, const char *bucket)
{
	char *host;
	int r;

	if (path_style >= 0)
		return path_style != 0;
	if (!s3_bucket_is_dns_compatible(bucket))
		return 1;
	if (endpoint == NULL || *endpoint == '\0')
		return 0;
	host = s3_endpoint_host(endpoint);
	r = s3_host_needs_path_style(host);
	free(host);
	return r;
}
