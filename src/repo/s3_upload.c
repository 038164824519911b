#include "repo/s3_upload.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "repo/s3_lock.h"
#include "repo/s3_part.h"
#include "repo/s3_xml.h"
#include "stream/hash.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/xmalloc.h"
#include "util/clock.h"

/* How often waiting loops look at the signal flag, in milliseconds. */
#define S3_POLL_MS	200

void
s3_object_headers(const struct s3_client *c, struct s3_xfer *x, int lock)
{
	const struct s3_cfg *s = s3_client_cfg(c);

	if (s->storage_class != NULL && *s->storage_class != '\0')
		s3_xfer_header(x, "x-amz-storage-class: %s", s->storage_class);
	if (s->sse != NULL && *s->sse != '\0')
		s3_xfer_header(x, "x-amz-server-side-encryption: %s", s->sse);
	if (s->sse_kms_key_id != NULL && *s->sse_kms_key_id != '\0')
		s3_xfer_header(x, "x-amz-server-side-encryption-aws-kms-key-id: "
		    "%s", s->sse_kms_key_id);
	if (lock)
		s3_lock_headers(c, x, time(NULL));
}

enum part_state { P_FREE, P_FILLING, P_QUEUED, P_RUNNING, P_RETRY };

struct s3_part {
	enum part_state state;
	uint32_t num;
	char *data;
	size_t len, cap, want;
	unsigned char md5[16];
	struct s3_xfer x;
	int64_t retry_at;	/* monotonic ms */
};

struct s3_upload {
	struct s3_client *c;
	char *key;
	struct s3_part_plan plan;
	char *upload_id;
	int check_etag;		/* off with SSE-KMS: ETags are not MD5s */
	int completed;		/* the object exists, not yet verified */

	struct s3_part *slots;
	size_t nslots;
	struct s3_part *cur;	/* being filled by the writer */
	uint32_t next_num;
	struct hash *whole;	/* md5 of the object, for servers without -N */
	uint64_t total;

	/* Under mu, shared with the uploader thread: */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char (*md5s)[16];
	char **etags;
	size_t nrec;
	int finishing, aborting, failed;
	struct err ferr;

	CURLM *multi;
	pthread_t thr;
	int started;
};

static int64_t
now_ms(void)
{
	return (int64_t)(clock_seconds() * 1000);
}

static int
part_busy(const struct s3_part *p)
{
	return p->state == P_QUEUED || p->state == P_RUNNING ||
	    p->state == P_RETRY;
}

/* Called with mu held. */
static void
up_fail(struct s3_upload *u, const struct err *e)
{
	if (!u->failed) {
		u->failed = 1;
		u->ferr = *e;
	}
	pthread_cond_broadcast(&u->cv);
}

static void
part_done(struct s3_upload *u, struct s3_part *p, CURLcode rc)
{
	const struct s3_client *c = u->c;
	struct err le;
	enum s3_result r;
	char hex[33];

	err_clear(&le);
	r = s3_xfer_result(c, &p->x, rc, &le);
	if (r == S3_OK && u->check_etag) {
		hash_to_hex(p->md5, 16, hex);
		if (strcasecmp(p->x.etag, hex) != 0) {
			err_set(&le, ERR_REPO, "s3 PUT s3://%s/%s part %u: "
			    "ETag %s is not the part's MD5 %s",
			    s3_client_cfg(c)->bucket, u->key, p->num,
			    p->x.etag, hex);
			r = S3_RETRY;
		}
	}
	pthread_mutex_lock(&u->mu);
	if (r == S3_OK) {
		memcpy(u->md5s[p->num - 1], p->md5, 16);
		free(u->etags[p->num - 1]);
		u->etags[p->num - 1] = xstrdup(p->x.etag);
		p->state = P_FREE;
		pthread_cond_broadcast(&u->cv);
	} else if (r == S3_RETRY && p->x.tries < s3_client_retries(c)) {
		log_warn("%s; retrying part %u", le.msg, p->num);
		p->retry_at = now_ms() + s3_backoff_ms(p->x.tries);
		p->x.tries++;
		p->state = P_RETRY;
	} else {
		if (r == S3_RETRY && p->x.tries > 0) {
			size_t l = strlen(le.msg);

			snprintf(le.msg + l, sizeof le.msg - l,
			    " (after %d attempts)", p->x.tries + 1);
		}
		up_fail(u, &le);
	}
	pthread_mutex_unlock(&u->mu);
}

/* Starts what is due; returns how long to sleep, or -1 when done. */
static long
up_schedule(struct s3_upload *u)
{
	int64_t now = now_ms(), wait = S3_POLL_MS;
	struct err le;
	int busy = 0;

	for (size_t i = 0; i < u->nslots; i++) {
		struct s3_part *p = &u->slots[i];

		if (p->state == P_RETRY && p->retry_at > now &&
		    p->retry_at - now < wait)
			wait = p->retry_at - now;
		if (p->state == P_QUEUED ||
		    (p->state == P_RETRY && p->retry_at <= now)) {
			if (s3_xfer_prepare(u->c, &p->x, &le) == -1) {
				up_fail(u, &le);
				return -1;
			}
			curl_multi_add_handle(u->multi, p->x.h);
			p->state = P_RUNNING;
		}
		busy |= part_busy(p);
	}
	if (u->aborting || u->failed || (u->finishing && !busy))
		return -1;
	return (long)wait;
}

static void *
up_thread(void *arg)
{
	struct s3_upload *u = arg;
	struct CURLMsg *m;
	struct err le;
	long wait;
	int still, left;

	pthread_mutex_lock(&u->mu);
	while ((wait = up_schedule(u)) >= 0) {
		pthread_mutex_unlock(&u->mu);
		curl_multi_perform(u->multi, &still);
		while ((m = curl_multi_info_read(u->multi, &left)) != NULL) {
			struct s3_xfer *x;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			curl_multi_remove_handle(u->multi, m->easy_handle);
			part_done(u, (struct s3_part *)((char *)x -
			    offsetof(struct s3_part, x)), m->data.result);
		}
		curl_multi_poll(u->multi, NULL, 0, (int)wait, NULL);
		pthread_mutex_lock(&u->mu);
		if (signals_interrupted()) {
			err_set(&le, ERR_INTERRUPTED, "s3 upload of s3://%s/%s: "
			    "interrupted", s3_client_cfg(u->c)->bucket, u->key);
			up_fail(u, &le);
		}
	}
	for (size_t i = 0; i < u->nslots; i++)
		if (u->slots[i].state == P_RUNNING)
			curl_multi_remove_handle(u->multi, u->slots[i].x.h);
	pthread_cond_broadcast(&u->cv);
	pthread_mutex_unlock(&u->mu);
	return NULL;
}

static int
up_start_thread(struct s3_upload *u, struct err *e)
{
	sigset_t all, old;
	int rc;

	if ((u->multi = curl_multi_init()) == NULL)
		return err_set(e, ERR_INTERNAL, "curl_multi_init failed");
	curl_multi_setopt(u->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)u->nslots);
	/* Signals are for the main thread: the uploader polls the flag. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&u->thr, NULL, up_thread, u);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return err_set(e, ERR_INTERNAL, "pthread_create: %s",
		    strerror(rc));
	u->started = 1;
	return 0;
}

static void
up_stop_thread(struct s3_upload *u, int abort_it)
{
	if (!u->started)
		return;
	pthread_mutex_lock(&u->mu);
	if (abort_it)
		u->aborting = 1;
	else
		u->finishing = 1;
	pthread_mutex_unlock(&u->mu);
	curl_multi_wakeup(u->multi);
	pthread_join(u->thr, NULL);
	u->started = 0;
}

static int
up_create(struct s3_upload *u, struct err *e)
{
	struct s3_xfer x;
	int rc = -1;

	s3_xfer_init(&x, "POST", xstrdup(u->key), xstrdup("uploads="));
	s3_object_headers(u->c, &x, 1);
	if (s3_xfer_run(u->c, &x, e) == -1)
		goto out;
	u->upload_id = s3_xml_get(x.resp.data, x.resp.len, "UploadId");
	if (u->upload_id == NULL || *u->upload_id == '\0') {
		err_set(e, ERR_REPO, "s3 POST s3://%s/%s?uploads: no UploadId "
		    "in the answer", s3_client_cfg(u->c)->bucket, u->key);
		goto out;
	}
	if (s3_xfer_sse_check(u->c, &x, e) == -1)
		goto out;	/* the caller aborts the upload */
	log_debug("s3: multipart upload of %s started", u->key);
	rc = up_start_thread(u, e);
out:
	s3_xfer_free(&x);
	return rc;
}

/* Waits for a free part buffer (or a failure, or a signal). */
static struct s3_part *
up_take(struct s3_upload *u, struct err *e)
{
	struct s3_part *p = NULL;
	struct timespec ts;

	if (u->next_num >= u->plan.max_parts) {
		err_set(e, ERR_REPO, "s3 s3://%s/%s: the archive needs more "
		    "than max_parts = %u parts", s3_client_cfg(u->c)->bucket,
		    u->key, u->plan.max_parts);
		return NULL;
	}
	pthread_mutex_lock(&u->mu);
	while (p == NULL) {
		if (u->failed) {
			*e = u->ferr;
			break;
		}
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "s3 upload of s3://%s/%s: "
			    "interrupted", s3_client_cfg(u->c)->bucket, u->key);
			break;
		}
		for (size_t i = 0; i < u->nslots && p == NULL; i++)
			if (u->slots[i].state == P_FREE)
				p = &u->slots[i];
		if (p != NULL)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += S3_POLL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&u->cv, &u->mu, &ts);
	}
	if (p != NULL) {
		p->state = P_FILLING;
		p->num = ++u->next_num;
		if (u->nrec < p->num) {
			size_t n = u->nrec ? u->nrec * 2 : 64;

			u->md5s = xreallocarray(u->md5s, n, sizeof *u->md5s);
			u->etags = xreallocarray(u->etags, n, sizeof *u->etags);
			memset(u->etags + u->nrec, 0,
			    (n - u->nrec) * sizeof *u->etags);
			u->nrec = n;
		}
	}
	pthread_mutex_unlock(&u->mu);
	if (p == NULL)
		return NULL;
	p->want = s3_part_plan_size(&u->plan, p->num);
	if (p->cap < p->want) {
		free(p->data);
		p->data = xmalloc(p->want);
		p->cap = p->want;
	}
	p->len = 0;
	return p;
}

/* Hands the current part to the uploader, starting the upload if needed. */
static int
up_submit(struct s3_upload *u, struct err *e)
{
	struct s3_part *p = u->cur;
	struct s3_query q;
	char num[16];

	if (u->upload_id == NULL && up_create(u, e) == -1)
		return -1;
	memset(&q, 0, sizeof q);
	snprintf(num, sizeof num, "%u", p->num);
	s3_query_add(&q, "partNumber", num);
	s3_query_add(&q, "uploadId", u->upload_id);
	s3_xfer_free(&p->x);
	s3_xfer_init(&p->x, "PUT", xstrdup(u->key), s3_query_string(&q));
	s3_query_free(&q);
	s3_xfer_body(u->c, &p->x, p->data, p->len, p->md5);
	pthread_mutex_lock(&u->mu);
	p->state = P_QUEUED;
	pthread_mutex_unlock(&u->mu);
	curl_multi_wakeup(u->multi);
	u->cur = NULL;
	return 0;
}

static int
up_write(void *ctx, const void *data, size_t n, struct err *e)
{
	struct s3_upload *u = ctx;
	const char *p = data;
	size_t k;

	if (signals_interrupted())
		return err_set(e, ERR_INTERRUPTED, "s3 upload of s3://%s/%s: "
		    "interrupted", s3_client_cfg(u->c)->bucket, u->key);
	hash_update(u->whole, data, n);
	u->total += n;
	while (n > 0) {
		if (u->cur != NULL && u->cur->len == u->cur->want &&
		    up_submit(u, e) == -1)
			return -1;
		if (u->cur == NULL && (u->cur = up_take(u, e)) == NULL)
			return -1;
		k = u->cur->want - u->cur->len;
		if (k > n)
			k = n;
		memcpy(u->cur->data + u->cur->len, p, k);
		u->cur->len += k;
		p += k;
		n -= k;
	}
	return 0;
}

static void
up_free(struct s3_upload *u)
{
	if (u->multi != NULL)
		curl_multi_cleanup(u->multi);
	for (size_t i = 0; i < u->nslots; i++) {
		s3_xfer_free(&u->slots[i].x);
		free(u->slots[i].data);
	}
	for (size_t i = 0; i < u->nrec; i++)
		free(u->etags[i]);
	free(u->etags);
	free(u->md5s);
	free(u->slots);
	hash_free(u->whole);
	pthread_mutex_destroy(&u->mu);
	pthread_cond_destroy(&u->cv);
	free(u->upload_id);
	free(u->key);
	free(u);
}

/* DELETE ?uploadId=: even when interrupted, so nothing is left behind. */
static void
up_abort_upload(struct s3_upload *u)
{
	struct s3_query q;
	struct s3_xfer x;
	struct err le;

	if (u->upload_id == NULL)
		return;
	memset(&q, 0, sizeof q);
	s3_query_add(&q, "uploadId", u->upload_id);
	s3_xfer_init(&x, "DELETE", xstrdup(u->key), s3_query_string(&q));
	s3_query_free(&q);
	x.uninterruptible = 1;
	x.timeout = 30;
	if (s3_xfer_run(u->c, &x, &le) == -1 && le.kind != ERR_NOT_FOUND)
		log_warn("could not abort the multipart upload of s3://%s/%s "
		    "(prune removes it later): %s", s3_client_cfg(u->c)->bucket,
		    u->key, le.msg);
	else
		log_info("aborted the multipart upload of s3://%s/%s",
		    s3_client_cfg(u->c)->bucket, u->key);
	s3_xfer_free(&x);
}

/*
 * An object that exists but failed its verification: it must not stay
 * under the backup's name without a manifest, looking like a backup.
 */
static void
up_delete_object(struct s3_upload *u)
{
	struct s3_xfer x;
	struct err le;

	s3_xfer_init(&x, "DELETE", xstrdup(u->key), NULL);
	x.uninterruptible = 1;
	x.timeout = 30;
	if (s3_xfer_run(u->c, &x, &le) == -1 && le.kind != ERR_NOT_FOUND)
		log_warn("could not delete the unverified s3://%s/%s: %s",
		    s3_client_cfg(u->c)->bucket, u->key, le.msg);
	else
		log_info("deleted the unverified s3://%s/%s",
		    s3_client_cfg(u->c)->bucket, u->key);
	s3_xfer_free(&x);
}

static void
up_abort(void *ctx)
{
	struct s3_upload *u = ctx;

	up_stop_thread(u, 1);
	if (u->completed)
		up_delete_object(u);
	else
		up_abort_upload(u);
	up_free(u);
}

/*
 * The object's ETag and size by HEAD: the answers to PutObject and
 * CompleteMultipartUpload document an ETag, but a server may leave it
 * empty (Ceph radosgw 16 does in CompleteMultipartUploadResult).
 */
static int
up_head(struct s3_upload *u, char *etag, size_t cap, struct err *e)
{
	struct s3_xfer x;
	curl_off_t len = -1;
	int rc;

	s3_xfer_init(&x, "HEAD", xstrdup(u->key), NULL);
	if ((rc = s3_xfer_run(u->c, &x, e)) == 0) {
		snprintf(etag, cap, "%s", x.etag);
		curl_easy_getinfo(x.h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
		    &len);
		if (len != (curl_off_t)u->total)
			rc = err_set(e, ERR_REPO, "s3 HEAD s3://%s/%s: %lld "
			    "bytes after upload, %llu written",
			    s3_client_cfg(u->c)->bucket, u->key, (long long)len,
			    (unsigned long long)u->total);
	}
	s3_xfer_free(&x);
	return rc;
}

/*
 * The object's ETag must be ours: S3's -N form, or a plain MD5.  Without
 * one in the answer, HEAD says what the server stored; no ETag at all is
 * an archive that could not be verified, which is a failure.
 */
static int
up_verify(struct s3_upload *u, const char *answer_etag, uint32_t nparts,
    struct err *e)
{
	unsigned char d[16];
	char want[48], etag[128];

	if (!u->check_etag)
		return 0;
	snprintf(etag, sizeof etag, "%s", answer_etag ? answer_etag : "");
	if (*etag == '\0') {
		log_debug("s3: no ETag in the answer for %s: asking HEAD",
		    u->key);
		if (up_head(u, etag, sizeof etag, e) == -1)
			return -1;
		if (*etag == '\0')
			return err_set(e, ERR_REPO, "s3 s3://%s/%s: no ETag in "
			    "the answer nor by HEAD: the upload cannot be "
			    "verified", s3_client_cfg(u->c)->bucket, u->key);
	}
	if (strchr(etag, '-') != NULL)
		s3_multipart_etag((const unsigned char (*)[16])u->md5s, nparts,
		    want);
	else {
		hash_final(u->whole, d);
		hash_to_hex(d, 16, want);
	}
	if (strcasecmp(etag, want) == 0)
		return 0;
	return err_set(e, ERR_REPO, "s3 s3://%s/%s: ETag %s after upload, "
	    "expected %s", s3_client_cfg(u->c)->bucket, u->key, etag, want);
}

static int
up_single_put(struct s3_upload *u, struct err *e)
{
	struct s3_part *p = u->cur;
	struct s3_xfer x;
	int rc = -1;

	s3_xfer_init(&x, "PUT", xstrdup(u->key), NULL);
	s3_object_headers(u->c, &x, 1);
	s3_xfer_body(u->c, &x, p ? p->data : "", p ? p->len : 0, NULL);
	if (s3_xfer_run(u->c, &x, e) == -1)
		goto out;
	u->completed = 1;
	if (s3_xfer_sse_check(u->c, &x, e) == -1 ||
	    up_verify(u, x.etag, 1, e) == -1)
		goto out;
	rc = 0;
out:
	s3_xfer_free(&x);
	return rc;
}

static char *
up_complete_xml(struct s3_upload *u, uint32_t n)
{
	struct buf b;

	buf_init(&b);
	buf_append_str(&b, "<CompleteMultipartUpload xmlns=\"http://s3."
	    "amazonaws.com/doc/2006-03-01/\">");
	for (uint32_t i = 0; i < n; i++) {
		buf_printf(&b, "<Part><PartNumber>%u</PartNumber><ETag>\"", i + 1);
		s3_xml_escape(&b, u->etags[i] ? u->etags[i] : "");
		buf_append_str(&b, "\"</ETag></Part>");
	}
	buf_append_str(&b, "</CompleteMultipartUpload>");
	return buf_cstr(&b);
}

/* A 200 answer may still carry <Error>: read the body, not the status. */
static int
up_complete(struct s3_upload *u, struct err *e)
{
	uint32_t n = u->next_num;
	struct s3_query q;
	struct s3_xfer x;
	char *xml, *code = NULL, *msg = NULL, *etag = NULL, *t;
	int rc = -1;

	xml = up_complete_xml(u, n);
	memset(&q, 0, sizeof q);
	s3_query_add(&q, "uploadId", u->upload_id);
	s3_xfer_init(&x, "POST", xstrdup(u->key), s3_query_string(&q));
	s3_query_free(&q);
	s3_xfer_header(&x, "Content-Type: application/xml");
	s3_xfer_body(u->c, &x, xml, strlen(xml), NULL);
	if (s3_xfer_run(u->c, &x, e) == -1)
		goto out;
	code = s3_xml_get(x.resp.data, x.resp.len, "Code");
	if (code != NULL || !s3_xml_has(x.resp.data, x.resp.len,
	    "CompleteMultipartUploadResult")) {
		msg = s3_xml_get(x.resp.data, x.resp.len, "Message");
		err_set(e, ERR_REPO, "s3 POST s3://%s/%s (complete): %s: %s",
		    s3_client_cfg(u->c)->bucket, u->key,
		    code ? code : "no CompleteMultipartUploadResult",
		    msg ? msg : "");
		goto out;
	}
	u->completed = 1;
	if ((etag = s3_xml_get(x.resp.data, x.resp.len, "ETag")) == NULL)
		etag = xstrdup("");
	t = etag;
	while (*t == '"')
		t++;
	memmove(etag, t, strlen(t) + 1);
	if ((t = strchr(etag, '"')) != NULL)
		*t = '\0';
	if (up_verify(u, etag, n, e) == -1 ||
	    s3_lock_ensure(u->c, u->key, x.version_id, e) == -1)
		goto out;
	log_info("s3: uploaded s3://%s/%s in %u parts",
	    s3_client_cfg(u->c)->bucket, u->key, n);
	rc = 0;
out:
	free(code);
	free(msg);
	free(etag);
	free(xml);
	s3_xfer_free(&x);
	return rc;
}

static int
up_finish(void *ctx, struct err *e)
{
	struct s3_upload *u = ctx;
	int rc = -1;

	if (signals_interrupted()) {
		err_set(e, ERR_INTERRUPTED, "s3 upload of s3://%s/%s: "
		    "interrupted", s3_client_cfg(u->c)->bucket, u->key);
		up_abort(u);
		return -1;
	}
	if (u->upload_id == NULL) {
		if ((rc = up_single_put(u, e)) == -1)
			goto fail;
		up_free(u);
		return 0;
	}
	if (u->cur != NULL && up_submit(u, e) == -1)
		goto fail;
	up_stop_thread(u, 0);
	if (u->failed) {
		*e = u->ferr;
		goto fail;
	}
	if (up_complete(u, e) == -1)
		goto fail;
	up_free(u);
	return 0;
fail:
	up_abort(u);
	return -1;
}

int
s3_upload_open(struct s3_client *c, const char *key, struct sink *out,
    struct err *e)
{
	const struct s3_cfg *s = s3_client_cfg(c);
	struct s3_upload *u = xcalloc(1, sizeof *u);

	u->c = c;
	u->key = xstrdup(key);
	s3_part_plan_init(&u->plan, s->part_size > 0 ? (uint64_t)s->part_size :
	    0, s->max_parts > 0 ? (uint32_t)s->max_parts : 0);
	u->check_etag = s->sse == NULL || strcmp(s->sse, "aws:kms") != 0;
	u->nslots = s->parallel_uploads > 0 ? (size_t)s->parallel_uploads : 1;
	u->slots = xcalloc(u->nslots, sizeof *u->slots);
	u->whole = hash_new(HASH_MD5);
	pthread_mutex_init(&u->mu, NULL);
	pthread_cond_init(&u->cv, NULL);
	memset(out, 0, sizeof *out);
	out->write = up_write;
	out->finish = up_finish;
	out->abort = up_abort;
	out->ctx = u;
	(void)e;
	return 0;
}
