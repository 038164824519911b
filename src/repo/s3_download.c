#include "repo/s3_download.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/signals.h"
#include "util/xmalloc.h"

#define S3_DL_BUF	(1024 * 1024)
#define S3_DL_POLL_MS	200

struct s3_dl {
	struct s3_client *c;
	char *key;
	CURLM *multi;
	struct s3_xfer x;
	int active;		/* x.h is in multi */
	char *buf;
	size_t cap, off, len;
	int paused, done;
	uint64_t got;		/* object bytes received so far */
	uint64_t from;		/* where the current attempt started */
	uint64_t base, length;	/* a range: its first byte and size */
	int ranged;
	char etag[128];		/* of the first answer */
	int bad_range;		/* a resumed GET answered without 206 */
};

static size_t
dl_write(char *p, size_t sz, size_t nm, void *arg)
{
	struct s3_dl *d = arg;
	size_t n = sz * nm;

	if ((d->from > 0 || d->ranged) && d->x.status == 0) {
		curl_easy_getinfo(d->x.h, CURLINFO_RESPONSE_CODE, &d->x.status);
		if (d->x.status != 206) {
			d->bad_range = 1;
			return 0;
		}
	}
	if (d->len == d->off)
		d->off = d->len = 0;
	if (d->cap - d->len < n) {
		if (d->off > 0) {
			memmove(d->buf, d->buf + d->off, d->len - d->off);
			d->len -= d->off;
			d->off = 0;
		}
		if (d->cap - d->len < n && d->len > 0) {
			d->paused = 1;
			return CURL_WRITEFUNC_PAUSE;
		}
		if (d->cap < n) {
			d->buf = xrealloc(d->buf, n);
			d->cap = n;
		}
	}
	memcpy(d->buf + d->len, p, n);
	d->len += n;
	d->got += n;
	return n;
}

static int
dl_start(struct s3_dl *d, struct err *e)
{
	if (d->active) {
		curl_multi_remove_handle(d->multi, d->x.h);
		d->active = 0;
	}
	curl_slist_free_all(d->x.headers);
	d->x.headers = NULL;
	d->from = d->got;
	if (d->ranged)
		s3_xfer_header(&d->x, "Range: bytes=%llu-%llu",
		    (unsigned long long)(d->base + d->got),
		    (unsigned long long)(d->base + d->length - 1));
	else if (d->got > 0)
		s3_xfer_header(&d->x, "Range: bytes=%llu-",
		    (unsigned long long)d->got);
	if (d->got > 0) {
		if (*d->etag != '\0')
			s3_xfer_header(&d->x, "If-Match: \"%s\"", d->etag);
	}
	d->paused = 0;
	if (s3_xfer_prepare(d->c, &d->x, e) == -1)
		return -1;
	curl_multi_add_handle(d->multi, d->x.h);
	d->active = 1;
	return 0;
}

static int
dl_sleep(long ms)
{
	struct timespec ts = { 0, 50 * 1000000L };

	for (; ms > 0; ms -= 50) {
		if (signals_interrupted())
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* A finished attempt: done, resumed after a pause, or an error. */
static int
dl_finished(struct s3_dl *d, CURLcode rc, struct err *e)
{
	enum s3_result r;

	if (d->bad_range)
		return err_set(e, ERR_REPO, "s3 GET s3://%s/%s: the server "
		    "ignored the Range of a %s download", d->ranged ?
		    "ranged" : "resumed",
		    s3_client_cfg(d->c)->bucket, d->key);
	r = s3_xfer_result(d->c, &d->x, rc, e);
	if (r == S3_OK) {
		if (*d->etag == '\0')
			snprintf(d->etag, sizeof d->etag, "%s", d->x.etag);
		d->done = 1;
		return 0;
	}
	if (r == S3_FAIL || d->x.tries >= s3_client_retries(d->c))
		return -1;
	log_warn("%s; resuming at byte %llu", e->msg,
	    (unsigned long long)d->got);
	if (dl_sleep(s3_backoff_ms(d->x.tries)) == -1)
		return err_set(e, ERR_INTERRUPTED, "s3 GET s3://%s/%s: "
		    "interrupted", s3_client_cfg(d->c)->bucket, d->key);
	d->x.tries++;
	return dl_start(d, e);
}

static ssize_t
dl_read(void *ctx, void *p, size_t n, struct err *e)
{
	struct s3_dl *d = ctx;
	struct CURLMsg *m;
	int still, left;

	for (;;) {
		if (d->len > d->off) {
			if (n > d->len - d->off)
				n = d->len - d->off;
			memcpy(p, d->buf + d->off, n);
			d->off += n;
			return (ssize_t)n;
		}
		if (d->done)
			return 0;
		if (signals_interrupted())
			return err_set(e, ERR_INTERRUPTED, "s3 GET s3://%s/%s: "
			    "interrupted", s3_client_cfg(d->c)->bucket, d->key);
		if (d->paused) {
			d->paused = 0;
			curl_easy_pause(d->x.h, CURLPAUSE_CONT);
			continue;
		}
		curl_multi_perform(d->multi, &still);
		while ((m = curl_multi_info_read(d->multi, &left)) != NULL)
			if (m->msg == CURLMSG_DONE &&
			    dl_finished(d, m->data.result, e) == -1)
				return -1;
		if (d->len == d->off && !d->done && !d->paused)
			curl_multi_poll(d->multi, NULL, 0, S3_DL_POLL_MS, NULL);
	}
}

static void
dl_close(void *ctx)
{
	struct s3_dl *d = ctx;

	if (d->active)
		curl_multi_remove_handle(d->multi, d->x.h);
	s3_xfer_free(&d->x);
	if (d->multi != NULL)
		curl_multi_cleanup(d->multi);
	free(d->buf);
	free(d->key);
	free(d);
}

/* The first answer decides 404 and other errors before any byte is read. */
static int
dl_open(struct s3_dl *d, struct s3_client *c, const char *key,
    struct source *in, struct err *e)
{
	ssize_t n;

	d->c = c;
	d->key = xstrdup(key);
	d->cap = S3_DL_BUF;
	d->buf = xmalloc(d->cap);
	s3_xfer_init(&d->x, "GET", xstrdup(key), NULL);
	d->x.write_cb = dl_write;
	d->x.write_ctx = d;
	if ((d->multi = curl_multi_init()) == NULL) {
		err_set(e, ERR_INTERNAL, "curl_multi_init failed");
		goto fail;
	}
	if (dl_start(d, e) == -1)
		goto fail;
	/* Read ahead into our own buffer to surface errors now. */
	while (d->len == 0 && !d->done) {
		char one;

		if ((n = dl_read(d, &one, 0, e)) == -1)
			goto fail;
		if (n == 0 && d->done)
			break;
	}
	memset(in, 0, sizeof *in);
	in->read = dl_read;
	in->close = dl_close;
	in->ctx = d;
	return 0;
fail:
	dl_close(d);
	return -1;
}

int
s3_download_open(struct s3_client *c, const char *key, struct source *in,
    struct err *e)
{
	return dl_open(xcalloc(1, sizeof(struct s3_dl)), c, key, in, e);
}

int
s3_download_range(struct s3_client *c, const char *key, uint64_t offset,
    uint64_t length, struct source *in, struct err *e)
{
	struct s3_dl *d = xcalloc(1, sizeof *d);

	d->ranged = 1;
	d->base = offset;
	d->length = length;
	return dl_open(d, c, key, in, e);
}
