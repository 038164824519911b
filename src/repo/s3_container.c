#include "repo/s3_container.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/buf.h"
#include "util/xmalloc.h"

#define ECS_BASE		"http://169.254.170.2"
#define CONTAINER_RESP_MAX	(64 * 1024)
#define CONTAINER_TOKEN_MAX	(16 * 1024)
#define CONTAINER_TRIES		3
/* The SDKs give the local agent a couple of seconds; a little more here. */
#define CONTAINER_TIMEOUT	5L

/* An http host the SDKs allow: the agents' link-local ones or loopback. */
static int
http_host_allowed(const char *host)
{
	static const char *const agents[] = {
		"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
		"[::1]", "localhost",
	};
	size_t i;
	int dots = 0;

	for (i = 0; i < sizeof agents / sizeof agents[0]; i++)
		if (strcasecmp(host, agents[i]) == 0)
			return 1;
	/* 127.0.0.0/8 written as a dotted quad (curl normalizes to that). */
	if (strncmp(host, "127.", 4) != 0)
		return 0;
	for (const char *p = host + 4; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (*p < '0' || *p > '9')
			return 0;
	}
	return dots == 2;
}

static int
full_uri_check(const char *full, struct err *e)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = -1;

	if (u == NULL)
		return err_set(e, ERR_INTERNAL, "curl_url failed");
	if (curl_url_set(u, CURLUPART_URL, full, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		err_set(e, ERR_CONFIG, "AWS_CONTAINER_CREDENTIALS_FULL_URI "
		    "is not a URL");
	else if (strcasecmp(scheme, "https") == 0)
		rc = 0;
	else if (strcasecmp(scheme, "http") != 0)
		err_set(e, ERR_CONFIG, "AWS_CONTAINER_CREDENTIALS_FULL_URI: "
		    "scheme %s: only http and https", scheme);
	else if (!http_host_allowed(host))
		err_set(e, ERR_CONFIG, "AWS_CONTAINER_CREDENTIALS_FULL_URI: "
		    "http to %s is refused: http only to a loopback address, "
		    "169.254.170.2, 169.254.170.23 or [fd00:ec2::23]; use "
		    "https", host);
	else
		rc = 0;
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

int
s3_container_url(const char *relative, const char *full, char **url,
    struct err *e)
{
	*url = NULL;
	if (relative != NULL && *relative != '\0') {
		if (*relative != '/')
			return err_set(e, ERR_CONFIG, "AWS_CONTAINER_CREDENTIALS"
			    "_RELATIVE_URI does not start with /");
		*url = xasprintf("%s%s", ECS_BASE, relative);
		return 1;
	}
	if (full == NULL || *full == '\0')
		return 0;
	if (full_uri_check(full, e) == -1)
		return -1;
	*url = xstrdup(full);
	return 1;
}

char *
s3_container_url_name(const char *url)
{
	size_t n = strcspn(url, "?#");

	return xasprintf("%.*s", (int)n, url);
}

/* A token for a header: trailing blanks dropped, no line break inside. */
static int
token_clean(char *t, const char *what, struct err *e)
{
	size_t n = strlen(t);

	while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r' ||
	    t[n - 1] == ' ' || t[n - 1] == '\t'))
		t[--n] = '\0';
	if (strpbrk(t, "\r\n") != NULL)
		return err_set(e, ERR_CONFIG, "%s holds a line break", what);
	return 0;
}

static int
token_file(const char *path, char **token, struct err *e)
{
	char *t = xmalloc(CONTAINER_TOKEN_MAX + 1);
	size_t n;
	FILE *f;
	int bad;

	if ((f = fopen(path, "r")) == NULL) {
		free(t);
		return err_setsys(e, ERR_CONFIG, "AWS_CONTAINER_AUTHORIZATION_"
		    "TOKEN_FILE %s", path);
	}
	n = fread(t, 1, CONTAINER_TOKEN_MAX + 1, f);
	bad = ferror(f);
	fclose(f);
	if (!bad && n <= CONTAINER_TOKEN_MAX && memchr(t, '\0', n) == NULL) {
		t[n] = '\0';
		if (token_clean(t, path, e) == 0) {
			*token = t;
			return 0;
		}
	} else
		err_set(e, ERR_CONFIG, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "
		    "%s: %s", path, bad ? "read error" : n >
		    CONTAINER_TOKEN_MAX ? "longer than 16 KiB" : "NUL byte");
	explicit_bzero(t, CONTAINER_TOKEN_MAX + 1);
	free(t);
	return -1;
}

int
s3_container_token(const char *file, const char *value, char **token,
    struct err *e)
{
	*token = NULL;
	if (file != NULL && *file != '\0')
		return token_file(file, token, e);
	if (value == NULL || *value == '\0')
		return 0;
	*token = xstrdup(value);
	if (token_clean(*token, "AWS_CONTAINER_AUTHORIZATION_TOKEN", e) == 0)
		return 0;
	explicit_bzero(*token, strlen(*token));
	free(*token);
	*token = NULL;
	return -1;
}

static size_t
resp_write(char *p, size_t sz, size_t n, void *arg)
{
	struct buf *b = arg;

	if (b->len + sz * n > CONTAINER_RESP_MAX)
		return 0;
	buf_reserve(b, sz * n);	/* allocated once below: never moved */
	buf_append(b, p, sz * n);
	return sz * n;
}

/* One GET; *status 0 on a connection error.  The body lands in resp. */
static CURLcode
get_once(const char *url, const char *token, struct buf *resp, long *status,
    char *errbuf)
{
	struct curl_slist *hdr = NULL;
	char *line = NULL;
	CURLcode rc;
	CURL *h;

	if ((h = curl_easy_init()) == NULL)
		return CURLE_FAILED_INIT;
	if (token != NULL) {
		line = xasprintf("Authorization: %s", token);
		hdr = curl_slist_append(hdr, line);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "myship");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, CONTAINER_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, resp_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	/* A redirect could take the token elsewhere: none is followed. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	*status = 0;
	errbuf[0] = '\0';
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(h);
	if (hdr != NULL) {
		explicit_bzero(hdr->data, strlen(hdr->data));
		curl_slist_free_all(hdr);
	}
	if (line != NULL) {
		explicit_bzero(line, strlen(line));
		free(line);
	}
	return rc;
}

static int
fetch_try(const char *url, const char *name, const char *token,
    struct s3_cred_set *out, int *again, struct err *e)
{
	char errbuf[CURL_ERROR_SIZE];
	struct buf resp;
	long status;
	CURLcode rc;
	int r = -1;

	buf_init(&resp);
	buf_reserve(&resp, CONTAINER_RESP_MAX);
	rc = get_once(url, token, &resp, &status, errbuf);
	*again = rc != CURLE_OK || status >= 500 || status == 429;
	if (rc != CURLE_OK)
		err_set(e, ERR_REPO, "container credentials %s: %s", name,
		    *errbuf ? errbuf : curl_easy_strerror(rc));
	else if (status != 200)
		err_set(e, ERR_REPO, "container credentials %s: HTTP %ld%s",
		    name, status, resp.len == 0 ? " without a body" : "");
	else if ((r = s3_parse_container_json(resp.data, resp.len, out,
	    e)) == -1)
		err_prefix(e, "container credentials %s: ", name);
	if (resp.data != NULL)
		explicit_bzero(resp.data, resp.cap);
	buf_free(&resp);
	return r;
}

int
s3_container_fetch(const char *url, struct s3_cred_set *out, struct err *e)
{
	char *name = s3_container_url_name(url), *token = NULL;
	struct timespec ts = { 0, 300 * 1000000L };
	int again = 0, rc = -1;

	memset(out, 0, sizeof *out);
	if (s3_container_token(getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
	    getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"), &token, e) == 0)
		for (int i = 0; i < CONTAINER_TRIES; i++) {
			if (i > 0)
				nanosleep(&ts, NULL);
			rc = fetch_try(url, name, token, out, &again, e);
			if (rc == 0 || !again)
				break;
		}
	if (token != NULL) {
		explicit_bzero(token, strlen(token));
		free(token);
	}
	free(name);
	return rc;
}
