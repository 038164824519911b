#include "repo/s3_client.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "repo/s3_addr.h"
#include "repo/s3_auth.h"
#include "repo/s3_error.h"
#include "repo/s3_sigv4.h"
#include "repo/s3_xml.h"
#include "stream/hash.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/xmalloc.h"

/* Error documents and listing pages are small; anything bigger is junk. */
#define S3_RESP_MAX		(16 * 1024 * 1024)
#define S3_CONNECT_TIMEOUT	30
#define S3_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* Bodies up to this size are hashed and signed even over https. */
#define S3_SMALL_BODY		(1024 * 1024)

struct s3_client {
	const struct s3_cfg *cfg;
	char *base;		/* URL of the bucket, no trailing slash */
	char *prefix;		/* "" or "a/b": no empty segment */
	int path_style;
	char *endpoint;		/* for messages */
	char *describe;
	char *sigv4;
	struct s3_auth *auth;	/* shared with the upload thread */
	int https;
};

void
s3_uri_encode(struct buf *b, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char ch;

	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~' || (keep_slash && ch == '/')) {
			buf_append_char(b, (char)ch);
			continue;
		}
		buf_append_char(b, '%');
		buf_append_char(b, hex[ch >> 4]);
		buf_append_char(b, hex[ch & 15]);
	}
}

void
s3_query_add(struct s3_query *q, const char *name, const char *value)
{
	q->names = xreallocarray(q->names, q->n + 1, sizeof *q->names);
	q->values = xreallocarray(q->values, q->n + 1, sizeof *q->values);
	q->names[q->n] = xstrdup(name);
	q->values[q->n] = xstrdup(value ? value : "");
	q->n++;
}

/* SigV4 sorts by encoded name, then encoded value; names here are plain. */
char *
s3_query_string(struct s3_query *q)
{
	struct buf b;
	size_t i, j;
	char *t;

	for (i = 1; i < q->n; i++)
		for (j = i; j > 0; j--) {
			int cmp = strcmp(q->names[j - 1], q->names[j]);

			if (cmp < 0 || (cmp == 0 &&
			    strcmp(q->values[j - 1], q->values[j]) <= 0))
				break;
			t = q->names[j]; q->names[j] = q->names[j - 1];
			q->names[j - 1] = t;
			t = q->values[j]; q->values[j] = q->values[j - 1];
			q->values[j - 1] = t;
		}
	buf_init(&b);
	buf_append_str(&b, "");
	for (i = 0; i < q->n; i++) {
		if (i > 0)
			buf_append_char(&b, '&');
		s3_uri_encode(&b, q->names[i], 0);
		buf_append_char(&b, '=');
		s3_uri_encode(&b, q->values[i], 0);
	}
	return buf_cstr(&b);
}

void
s3_query_free(struct s3_query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->names[i]);
		free(q->values[i]);
	}
	free(q->names);
	free(q->values);
	memset(q, 0, sizeof *q);
}

static void
client_base(struct s3_client *c)
{
	const struct s3_cfg *s = c->cfg;
	const char *region = s->region && *s->region ? s->region : "us-east-1";

	c->endpoint = s3_endpoint_url(s->endpoint, region);
	c->https = strncasecmp(c->endpoint, "https:", 6) == 0;
	c->path_style = s3_use_path_style(s->path_style, c->endpoint,
	    s->bucket);
	c->base = s3_bucket_url(c->endpoint, s->bucket, c->path_style);
	c->sigv4 = xasprintf("aws:amz:%s:s3", region);
	c->prefix = s3_prefix_normalize(s->prefix);
	if (*c->prefix != '\0')
		c->describe = xasprintf("s3://%s/%s", s->bucket, c->prefix);
	else
		c->describe = xasprintf("s3://%s", s->bucket);
}

struct s3_client *
s3_client_new(const struct s3_cfg *cfg, struct err *e)
{
	struct s3_client *c;

	if (cfg->bucket == NULL || *cfg->bucket == '\0') {
		err_set(e, ERR_CONFIG, "[s3] bucket is not set");
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->cfg = cfg;
	if ((c->auth = s3_auth_new(cfg, e)) == NULL) {
		s3_client_free(c);
		return NULL;
	}
	client_base(c);
	return c;
}

void
s3_client_free(struct s3_client *c)
{
	if (c == NULL)
		return;
	free(c->base);
	free(c->prefix);
	free(c->endpoint);
	free(c->describe);
	free(c->sigv4);
	s3_auth_free(c->auth);
	free(c);
}

const char *
s3_client_describe(const struct s3_client *c)
{
	return c->describe;
}

const char *
s3_client_prefix(const struct s3_client *c)
{
	return c->prefix;
}

const struct s3_cfg *
s3_client_cfg(const struct s3_client *c)
{
	return c->cfg;
}

long long
s3_client_retries(const struct s3_client *c)
{
	return c->cfg->retries < 0 ? 0 : c->cfg->retries;
}

char *
s3_client_key(const struct s3_client *c, const char *a, const char *b,
    const char *c3)
{
	const char *parts[3] = { a, b, c3 };
	struct buf k;

	buf_init(&k);
	buf_append_str(&k, s3_client_prefix(c));
	for (int i = 0; i < 3 && parts[i] != NULL; i++) {
		if (k.len > 0)
			buf_append_char(&k, '/');
		buf_append_str(&k, parts[i]);
	}
	return buf_cstr(&k);
}

char *
s3_client_url(const struct s3_client *c, const char *key, const char *query)
{
	struct buf u;

	buf_init(&u);
	buf_append_str(&u, c->base);
	if (key != NULL) {
		buf_append_char(&u, '/');
		s3_uri_encode(&u, key, 1);
	} else if (!c->path_style)
		buf_append_char(&u, '/');
	if (query != NULL && *query != '\0') {
		buf_append_char(&u, '?');
		buf_append_str(&u, query);
	}
	return buf_cstr(&u);
}

int
s3_client_signs_payload(const struct s3_client *c)
{
	return !c->https || c->cfg->payload_sha256;
}

long
s3_backoff_ms(int tries)
{
	long ceil = 200L << (tries < 7 ? tries : 7);

	if (ceil > 20000)
		ceil = 20000;
	/* Full jitter in the upper half: spreads retries, keeps a floor. */
	return ceil / 2 + (long)arc4random_uniform((uint32_t)(ceil / 2 + 1));
}

void
s3_xfer_init(struct s3_xfer *x, const char *method, char *key, char *query)
{
	memset(x, 0, sizeof *x);
	x->method = method;
	x->key = key;
	x->query = query;
	buf_init(&x->resp);
}

void
s3_xfer_header(struct s3_xfer *x, const char *fmt, ...)
{
	va_list ap, ap2;
	char *h;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	h = xmalloc(n + 1);
	vsnprintf(h, n + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	x->headers = curl_slist_append(x->headers, h);
	free(h);
}

void
s3_xfer_body(const struct s3_client *c, struct s3_xfer *x, const void *p,
    size_t n, unsigned char *md5out)
{
	unsigned char md5[16];
	char b64[25];
	struct hash *h = hash_new(HASH_MD5);

	x->body = p;
	x->body_len = n;
	hash_update(h, p, n);
	hash_final(h, md5);
	hash_free(h);
	EVP_EncodeBlock((unsigned char *)b64, md5, sizeof md5);
	s3_xfer_header(x, "Content-MD5: %s", b64);
	if (md5out != NULL)
		memcpy(md5out, md5, sizeof md5);
	x->payload_sha[0] = '\0';
	if (s3_client_signs_payload(c) || n <= S3_SMALL_BODY)
		hash_hex(HASH_SHA256, p, n, x->payload_sha);
}

void
s3_xfer_free(struct s3_xfer *x)
{
	if (x->h != NULL)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->headers);
	curl_slist_free_all(x->sent);
	free(x->key);
	free(x->query);
	buf_free(&x->resp);
	memset(x, 0, sizeof *x);
}

static size_t
xfer_read(char *p, size_t sz, size_t n, void *arg)
{
	struct s3_xfer *x = arg;
	size_t want = sz * n, left = x->body_len - x->body_off;

	if (want > left)
		want = left;
	memcpy(p, x->body + x->body_off, want);
	x->body_off += want;
	return want;
}

static size_t
xfer_write(char *p, size_t sz, size_t n, void *arg)
{
	struct s3_xfer *x = arg;
	long status = 0;

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	if (x->write_cb != NULL && status >= 200 && status < 300)
		return x->write_cb(p, sz, n, x->write_ctx);
	if (x->resp.len + sz * n > S3_RESP_MAX)
		return 0;
	buf_append(&x->resp, p, sz * n);
	return sz * n;
}

/* Copies the value of header name (with its ':') into out, unquoted. */
static void
xfer_header_value(const char *p, size_t len, const char *name, char *out,
    size_t outsz)
{
	size_t i = strlen(name), j;

	if (len <= i || strncasecmp(p, name, i) != 0)
		return;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '"'))
		i++;
	j = len;
	while (j > i && (p[j - 1] == '\r' || p[j - 1] == '\n' ||
	    p[j - 1] == ' ' || p[j - 1] == '"'))
		j--;
	if (j - i >= outsz)
		j = i + outsz - 1;
	memcpy(out, p + i, j - i);
	out[j - i] = '\0';
}

static size_t
xfer_header(char *p, size_t sz, size_t n, void *arg)
{
	struct s3_xfer *x = arg;
	size_t len = sz * n;

	xfer_header_value(p, len, "etag:", x->etag, sizeof x->etag);
	xfer_header_value(p, len, "x-amz-version-id:", x->version_id,
	    sizeof x->version_id);
	xfer_header_value(p, len, "x-amz-object-lock-retain-until-date:",
	    x->lock_until, sizeof x->lock_until);
	xfer_header_value(p, len, "x-amz-server-side-encryption:", x->sse,
	    sizeof x->sse);
	xfer_header_value(p, len, "x-amz-object-lock-legal-hold:",
	    x->legal_hold, sizeof x->legal_hold);
	return len;
}

static int
xfer_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct s3_xfer *x = arg;

	return !x->uninterruptible && signals_interrupted();
}

static void
xfer_headers(struct s3_xfer *x)
{
	const char *sha = x->payload_sha;
	char line[128];

	curl_slist_free_all(x->sent);
	x->sent = NULL;
	for (struct curl_slist *l = x->headers; l != NULL; l = l->next)
		x->sent = curl_slist_append(x->sent, l->data);
	if (x->body_len == 0)
		sha = S3_EMPTY_SHA256;
	else if (*sha == '\0')
		sha = "UNSIGNED-PAYLOAD";
	snprintf(line, sizeof line, "x-amz-content-sha256: %s", sha);
	x->sent = curl_slist_append(x->sent, line);
}

int
s3_xfer_prepare(const struct s3_client *c, struct s3_xfer *x, struct err *e)
{
	CURL *h;
	char *url;
	int64_t timeout = x->timeout ? x->timeout : c->cfg->request_timeout;

	if (x->h == NULL && (x->h = curl_easy_init()) == NULL)
		return err_set(e, ERR_INTERNAL, "curl_easy_init failed");
	h = x->h;
	curl_easy_reset(h);
	x->body_off = 0;
	x->status = 0;
	x->etag[0] = '\0';
	x->version_id[0] = '\0';
	x->lock_until[0] = '\0';
	x->sse[0] = '\0';
	x->legal_hold[0] = '\0';
	x->errbuf[0] = '\0';
	buf_reset(&x->resp);
	xfer_headers(x);
	if (s3_auth_apply(c->auth, h, &x->sent, e) == -1)
		return -1;
	url = s3_client_url(c, x->key, x->query);
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (s3_sigv4_needed(x->sent)) {
		const char *sha = x->body_len == 0 ? S3_EMPTY_SHA256 :
		    *x->payload_sha ? x->payload_sha : "UNSIGNED-PAYLOAD";

		if (s3_auth_sign(c->auth, h, x->method, url, x->query, sha,
		    &x->sent, e) == -1) {
			free(url);
			return -1;
		}
	} else
		curl_easy_setopt(h, CURLOPT_AWS_SIGV4, c->sigv4);
	free(url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "myship");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->sent);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)S3_CONNECT_TIMEOUT);
	if (timeout <= 0)
		timeout = 300;
	/* No progress for that long means a dead peer; a slow one is fine. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)timeout);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, xfer_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, xfer_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, xfer_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	if (c->cfg->ca_file != NULL && *c->cfg->ca_file != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cfg->ca_file);
	if (!c->cfg->verify_tls) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (strcmp(x->method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(x->method, "PUT") == 0) {
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, xfer_read);
		curl_easy_setopt(h, CURLOPT_READDATA, x);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE,
		    (curl_off_t)x->body_len);
	} else if (strcmp(x->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, x->body ? x->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)x->body_len);
	} else if (strcmp(x->method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x->method);
	return 0;
}

static int
curl_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* Server text made safe for a one-line message. */
static void
clean_text(char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = ' ';
	if (i > max)
		strcpy(s + max - 3, "...");
}

/* The header line of x that starts with name (with its ':'), or NULL. */
static const char *
xfer_sent(const struct s3_xfer *x, const char *name)
{
	for (const struct curl_slist *l = x->headers; l != NULL; l = l->next)
		if (strncasecmp(l->data, name, strlen(name)) == 0)
			return l->data;
	return NULL;
}

/*
 * A 400 or 501 to a request with an encryption or Object Lock header is
 * most likely that header refused: say so, naming it and the key.
 */
static void
xfer_refused(const struct s3_client *c, const struct s3_xfer *x,
    const char *code, const char *tail, struct err *e)
{
	const char *b = c->cfg->bucket, *k = x->key ? x->key : "";
	const char *h;

	if (!s3_error_sse_refused(x->status, code))
		return;
	if ((h = xfer_sent(x, "x-amz-server-side-encryption:")) != NULL)
		err_set(e, ERR_REPO, "s3 %s s3://%s/%s: the server refused the "
		    "encryption header \"%s\" ([s3] sse): %s", x->method, b, k,
		    h, tail);
	else if ((h = xfer_sent(x, "x-amz-object-lock-mode:")) != NULL)
		err_set(e, ERR_REPO, "s3 %s s3://%s/%s: the server refused the "
		    "Object Lock headers ([s3] object_lock_days; is Object "
		    "Lock enabled on the bucket?): %s", x->method, b, k, tail);
}

enum s3_result
s3_xfer_result(const struct s3_client *c, struct s3_xfer *x, CURLcode rc,
    struct err *e)
{
	const char *b = c->cfg->bucket, *q = x->key ? "" : "?";
	const char *k = x->key ? x->key : x->query ? x->query : "";
	char *code = NULL, *msg = NULL, tail[512];
	struct s3_verdict v;
	enum s3_result r;

	if (rc == CURLE_ABORTED_BY_CALLBACK && signals_interrupted() &&
	    !x->uninterruptible) {
		err_set(e, ERR_INTERRUPTED, "s3 %s s3://%s/%s%s: interrupted",
		    x->method, b, q, k);
		return S3_FAIL;
	}
	if (rc != CURLE_OK) {
		/* A certificate curl refuses is the policy's to fix. */
		int cert = rc == CURLE_PEER_FAILED_VERIFICATION ||
		    rc == CURLE_SSL_CACERT_BADFILE;

		err_set(e, ERR_REPO, "s3 %s s3://%s/%s%s: %s (endpoint %s)%s",
		    x->method, b, q, k, *x->errbuf ? x->errbuf :
		    curl_easy_strerror(rc), c->endpoint, !cert ? "" :
		    c->cfg->ca_file && *c->cfg->ca_file ? "; is ca_file the CA "
		    "that signed the server's certificate?" : "; set ca_file "
		    "to the CA that signed the server's certificate");
		return curl_retryable(rc) ? S3_RETRY : S3_FAIL;
	}
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
	if (x->status >= 200 && x->status < 300)
		return S3_OK;
	if (x->resp.len > 0) {
		code = s3_xml_get(x->resp.data, x->resp.len, "Code");
		msg = s3_xml_get(x->resp.data, x->resp.len, "Message");
	}
	if (code != NULL && *code == '\0') {	/* <Code/>: as good as none */
		free(code);
		code = NULL;
	}
	if (code != NULL)
		clean_text(code, 64);
	if (msg != NULL)
		clean_text(msg, 300);
	v = s3_error_classify(x->method, x->status, code);
	s3_error_describe(tail, sizeof tail, x->status, code, msg, x->resp.len);
	err_set(e, v.kind, "s3 %s s3://%s/%s%s: %s", x->method, b, q, k, tail);
	xfer_refused(c, x, code, tail, e);
	r = v.retry ? S3_RETRY : S3_FAIL;
	free(code);
	free(msg);
	return r;
}

int
s3_xfer_sse_check(const struct s3_client *c, const struct s3_xfer *x,
    struct err *e)
{
	const char *want = c->cfg->sse;

	if (want == NULL || *want == '\0' || strcasecmp(x->sse, want) == 0)
		return 0;
	return err_set(e, ERR_REPO, "s3 %s s3://%s/%s: the server refused the "
	    "encryption header \"x-amz-server-side-encryption: %s\" ([s3] "
	    "sse): its answer does not confirm it (%s%s), so the object "
	    "would not be stored encrypted as asked", x->method,
	    c->cfg->bucket, x->key ? x->key : "", want, *x->sse ? "it says " :
	    "no x-amz-server-side-encryption", x->sse);
}

/* Sleeps ms unless interrupted; -1 when a signal arrived. */
static int
backoff_sleep(long ms, int interruptible)
{
	struct timespec ts = { 0, 50 * 1000000L };

	for (; ms > 0; ms -= 50) {
		if (interruptible && signals_interrupted())
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

int
s3_xfer_run(const struct s3_client *c, struct s3_xfer *x, struct err *e)
{
	enum s3_result r;
	CURLcode rc;

	for (;;) {
		if (s3_xfer_prepare(c, x, e) == -1)
			return -1;
		rc = curl_easy_perform(x->h);
		if ((r = s3_xfer_result(c, x, rc, e)) == S3_OK)
			return 0;
		if (r == S3_FAIL)
			return -1;
		if (x->tries >= s3_client_retries(c)) {
			if (x->tries > 0 && e != NULL) {
				size_t l = strlen(e->msg);

				snprintf(e->msg + l, sizeof e->msg - l,
				    " (after %d attempts)", x->tries + 1);
			}
			return -1;
		}
		log_warn("%s; retrying", e->msg);
		if (backoff_sleep(s3_backoff_ms(x->tries),
		    !x->uninterruptible) == -1)
			return err_set(e, ERR_INTERRUPTED, "s3 %s s3://%s/%s: "
			    "interrupted", x->method, c->cfg->bucket,
			    x->key ? x->key : "");
		x->tries++;
	}
}
