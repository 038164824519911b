#include "repo/s3.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repo/repo_impl.h"
#include "repo/s3_client.h"
#include "repo/s3_download.h"
#include "repo/s3_lock.h"
#include "repo/s3_upload.h"
#include "repo/s3_versions.h"
#include "repo/s3_xml.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define S3_DELETE_BATCH	1000
#define S3_CHECK_OBJECT	".myship-check"

struct repo_s3 {
	struct repo base;
	struct s3_client *c;
	int versioned;		/* -1: not asked yet (once per run) */
};

/* One object of a listing. */
struct s3_obj {
	char *key;
	int64_t size;
	time_t modified;
};

struct s3_objs {
	struct s3_obj *v;
	size_t n;
};

static void
objs_free(struct s3_objs *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].key);
	free(o->v);
	memset(o, 0, sizeof *o);
}

time_t
s3_parse_time(const char *s)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6 || n == 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* Every key under prefix, through all ListObjectsV2 pages. */
static int
s3_list_keys(struct s3_client *c, const char *prefix, struct s3_objs *out,
    struct err *e)
{
	char *token = NULL, *trunc = NULL;
	struct s3_query q;
	struct s3_xfer x;
	int rc = -1;

	memset(out, 0, sizeof *out);
	do {
		size_t pos = 0, vlen;
		const char *val;

		memset(&q, 0, sizeof q);
		s3_query_add(&q, "list-type", "2");
		s3_query_add(&q, "prefix", prefix);
		if (token != NULL)
			s3_query_add(&q, "continuation-token", token);
		s3_xfer_init(&x, "GET", NULL, s3_query_string(&q));
		s3_query_free(&q);
		if (s3_xfer_run(c, &x, e) == -1) {
			s3_xfer_free(&x);
			goto out;
		}
		while (s3_xml_next(x.resp.data, x.resp.len, "Contents", &pos,
		    &val, &vlen) == 0) {
			struct s3_obj *o;
			char *t;

			out->v = xreallocarray(out->v, out->n + 1,
			    sizeof *out->v);
			o = &out->v[out->n];
			if ((o->key = s3_xml_get(val, vlen, "Key")) == NULL)
				continue;
			out->n++;
			t = s3_xml_get(val, vlen, "Size");
			o->size = t ? strtoll(t, NULL, 10) : -1;
			free(t);
			t = s3_xml_get(val, vlen, "LastModified");
			o->modified = s3_parse_time(t);
			free(t);
		}
		free(token);
		free(trunc);
		trunc = s3_xml_get(x.resp.data, x.resp.len, "IsTruncated");
		token = s3_xml_get(x.resp.data, x.resp.len,
		    "NextContinuationToken");
		s3_xfer_free(&x);
		if (trunc != NULL && strcmp(trunc, "true") == 0 &&
		    (token == NULL || *token == '\0')) {
			err_set(e, ERR_REPO, "s3 list s3://%s/%s: truncated "
			    "listing without a continuation token",
			    s3_client_cfg(c)->bucket, prefix);
			goto out;
		}
	} while (trunc != NULL && strcmp(trunc, "true") == 0);
	rc = 0;
out:
	free(token);
	free(trunc);
	if (rc == -1)
		objs_free(out);
	return rc;
}

/* "PREFIX/" or "" : what precedes HOST in every key. */
static char *
s3_root(struct s3_client *c)
{
	const char *p = s3_client_prefix(c);

	return *p ? xasprintf("%s/", p) : xstrdup("");
}

static int
s3_archive_create(struct repo *r, const char *host, const char *id,
    struct sink *out, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	char *key = s3_client_key(s->c, host, id, REPO_ARCHIVE);
	int rc;

	rc = s3_upload_open(s->c, key, out, e);
	free(key);
	return rc;
}

static int
s3_archive_open(struct repo *r, const char *host, const char *id,
    struct source *in, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	char *key = s3_client_key(s->c, host, id, REPO_ARCHIVE);
	int rc;

	rc = s3_download_open(s->c, key, in, e);
	free(key);
	return rc;
}

static int
s3_archive_range(struct repo *r, const char *host, const char *id,
    uint64_t offset, uint64_t length, struct source *in, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	char *key = s3_client_key(s->c, host, id, REPO_ARCHIVE);
	int rc;

	rc = s3_download_range(s->c, key, offset, length, in, e);
	free(key);
	return rc;
}

static int
s3_put_key(struct s3_client *c, char *key, const void *data, size_t len,
    int lock, char *vid, struct err *e)
{
	struct s3_xfer x;
	int rc;

	s3_xfer_init(&x, "PUT", key, NULL);
	s3_object_headers(c, &x, lock);
	s3_xfer_body(c, &x, data, len, NULL);
	if ((rc = s3_xfer_run(c, &x, e)) == 0 && lock)
		rc = s3_xfer_sse_check(c, &x, e);
	if (vid != NULL)
		snprintf(vid, sizeof x.version_id, "%s", x.version_id);
	s3_xfer_free(&x);
	return rc;
}

static int
s3_get_key(struct s3_client *c, char *key, struct buf *out, struct err *e)
{
	struct s3_xfer x;
	int rc;

	s3_xfer_init(&x, "GET", key, NULL);
	if ((rc = s3_xfer_run(c, &x, e)) == 0) {
		buf_reset(out);
		buf_append(out, x.resp.data, x.resp.len);
	}
	s3_xfer_free(&x);
	return rc;
}

/* With vid (not NULL nor ""), that version: nothing of it is left. */
static int
s3_delete_key(struct s3_client *c, char *key, const char *vid,
    struct err *e)
{
	struct s3_query q;
	struct s3_xfer x;
	int rc;

	memset(&q, 0, sizeof q);
	if (vid != NULL && *vid != '\0')
		s3_query_add(&q, "versionId", vid);
	s3_xfer_init(&x, "DELETE", key, q.n ? s3_query_string(&q) : NULL);
	s3_query_free(&q);
	rc = s3_xfer_run(c, &x, e);
	if (rc == -1 && e->kind == ERR_NOT_FOUND)
		rc = 0;
	s3_xfer_free(&x);
	return rc;
}

static int
s3_put(struct repo *r, const char *host, const char *id, const char *name,
    const void *data, size_t len, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;

	return s3_put_key(s->c, s3_client_key(s->c, host, id, name), data,
	    len, 1, NULL, e);
}

static int
s3_get(struct repo *r, const char *host, const char *id, const char *name,
    struct buf *out, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;

	return s3_get_key(s->c, s3_client_key(s->c, host, id, name), out, e);
}

/* Splits "HOST/ID/NAME" in place; 0 when it is one of a backup's keys. */
static int
s3_split(char *rel, char **host, char **id, char **name)
{
	char *a, *b;

	if ((a = strchr(rel, '/')) == NULL || (b = strchr(a + 1, '/')) ==
	    NULL || strchr(b + 1, '/') != NULL)
		return -1;
	*a = *b = '\0';
	*host = rel;
	*id = a + 1;
	*name = b + 1;
	if (!repo_host_is_valid(*host) || !repo_id_is_valid(*id))
		return -1;
	return 0;
}

static struct repo_entry *
s3_entry(struct repo_entry **v, size_t *n, const char *host, const char *id)
{
	struct repo_entry *ent;

	/* Keys come sorted, so a backup's objects are adjacent. */
	for (size_t i = *n; i > 0; i--)
		if (strcmp((*v)[i - 1].host, host) == 0 &&
		    strcmp((*v)[i - 1].id, id) == 0)
			return &(*v)[i - 1];
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	ent = &(*v)[(*n)++];
	memset(ent, 0, sizeof *ent);
	ent->host = xstrdup(host);
	ent->id = xstrdup(id);
	ent->archive_bytes = -1;
	return ent;
}

static int
s3_list(struct repo *r, const char *host, struct repo_entry **out,
    size_t *n, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	char *root = s3_root(s->c), *prefix;
	struct s3_objs objs;
	size_t rl = strlen(root);

	*out = NULL;
	*n = 0;
	prefix = host ? xasprintf("%s%s/", root, host) : xstrdup(root);
	if (s3_list_keys(s->c, prefix, &objs, e) == -1) {
		free(root);
		free(prefix);
		return -1;
	}
	for (size_t i = 0; i < objs.n; i++) {
		struct s3_obj *o = &objs.v[i];
		struct repo_entry *ent;
		char *h, *id, *name;

		if (strncmp(o->key, root, rl) != 0 ||
		    s3_split(o->key + rl, &h, &id, &name) == -1)
			continue;
		ent = s3_entry(out, n, h, id);
		if (strcmp(name, REPO_MANIFEST) == 0)
			ent->complete = 1;
		else if (strcmp(name, REPO_VERIFIED) == 0)
			ent->verified = 1;
		else if (strcmp(name, REPO_DRILLED) == 0)
			ent->drilled = 1;
		else if (strcmp(name, REPO_ARCHIVE) == 0)
			ent->archive_bytes = o->size;
		if (o->modified > ent->modified)
			ent->modified = o->modified;
	}
	objs_free(&objs);
	free(root);
	free(prefix);
	return 0;
}

/* Appends "key (Code: Message)" of every <Error> to msg. */
static size_t
s3_delete_errors(const struct s3_xfer *x, struct buf *msg)
{
	size_t pos = 0, vlen, n = 0;
	const char *val;

	while (s3_xml_next(x->resp.data, x->resp.len, "Error", &pos, &val,
	    &vlen) == 0) {
		char *k = s3_xml_get(val, vlen, "Key");
		char *code = s3_xml_get(val, vlen, "Code");
		char *m = s3_xml_get(val, vlen, "Message");

		log_error("s3 delete %s: %s: %s", k ? k : "?",
		    code ? code : "?", m ? m : "");
		buf_printf(msg, "%s%s (%s)", n++ ? ", " : "", k ? k : "?",
		    code ? code : "?");
		free(k);
		free(code);
		free(m);
	}
	return n;
}

static int
s3_delete_batch(struct s3_client *c, struct s3_obj *v, size_t n,
    struct buf *failed, size_t *nfailed, struct err *e)
{
	struct s3_xfer x;
	struct buf body;
	const char **keys = xcalloc(n ? n : 1, sizeof *keys);
	int rc;


	for (size_t i = 0; i < n; i++)
		keys[i] = v[i].key;
	buf_init(&body);
	s3_xml_delete_doc(&body, keys, NULL, n);
	free(keys);
	s3_xfer_init(&x, "POST", NULL, xstrdup("delete="));
	s3_xfer_header(&x, "Content-Type: application/xml");
	s3_xfer_body(c, &x, body.data, body.len, NULL);
	if ((rc = s3_xfer_run(c, &x, e)) == 0)
		*nfailed += s3_delete_errors(&x, failed);
	s3_xfer_free(&x);
	buf_free(&body);
	return rc;
}

/*
 * The manifest goes first and alone, so that an interrupted removal leaves
 * an incomplete backup rather than a "complete" one without its archive.
 */
static int
s3_remove(struct repo *r, const char *host, const char *id, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	char *prefix = s3_client_key(s->c, host, id, "");
	struct s3_objs objs;
	struct buf failed;
	size_t nfailed = 0, i, k;
	int rc = -1, found;

	buf_init(&failed);
	memset(&objs, 0, sizeof objs);
	if (s->versioned == -1 &&
	    s3_bucket_versioned(s->c, &s->versioned, e) == -1)
		goto out;
	if (s->versioned) {
		rc = s3_remove_versions(s->c, prefix, REPO_MANIFEST, &found, e);
		if (rc != -1 && !found)
			rc = err_set(e, ERR_NOT_FOUND, "backup %s/%s not found "
			    "in %s", host, id, s3_client_describe(s->c));
		goto out;
	}
	if (s3_list_keys(s->c, prefix, &objs, e) == -1)
		goto out;
	if (objs.n == 0) {
		err_set(e, ERR_NOT_FOUND, "backup %s/%s not found in %s", host,
		    id, s3_client_describe(s->c));
		goto out;
	}
	for (i = 0; i < objs.n; i++) {
		const char *base = strrchr(objs.v[i].key, '/');

		if (base != NULL && strcmp(base + 1, REPO_MANIFEST) == 0 &&
		    s3_delete_key(s->c, xstrdup(objs.v[i].key), NULL, e) == -1)
			goto out;
	}
	for (i = 0; i < objs.n; i += k) {
		k = objs.n - i < S3_DELETE_BATCH ? objs.n - i : S3_DELETE_BATCH;
		if (s3_delete_batch(s->c, objs.v + i, k, &failed, &nfailed,
		    e) == -1)
			goto out;
	}
	if (nfailed > 0) {
		err_set(e, ERR_REPO, "backup %s/%s: %zu objects not deleted: %s",
		    host, id, nfailed, buf_cstr(&failed));
		goto out;
	}
	rc = 0;
out:
	objs_free(&objs);
	buf_free(&failed);
	free(prefix);
	return rc;
}

/* Object Lock needs versioning: an unversioned bucket costs no HEAD. */
static int
s3_lock_until_op(struct repo *r, const char *host, const char *id,
    time_t *until, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;

	*until = 0;
	if (s->versioned == -1 &&
	    s3_bucket_versioned(s->c, &s->versioned, e) == -1)
		return -1;
	return s->versioned ? s3_lock_until(s->c, host, id, until, e) : 0;
}

static int
s3_abort_upload(struct s3_client *c, const char *key, const char *upload_id,
    struct err *e)
{
	struct s3_query q;
	struct s3_xfer x;
	int rc;

	memset(&q, 0, sizeof q);
	s3_query_add(&q, "uploadId", upload_id);
	s3_xfer_init(&x, "DELETE", xstrdup(key), s3_query_string(&q));
	s3_query_free(&q);
	rc = s3_xfer_run(c, &x, e);
	if (rc == -1 && e->kind == ERR_NOT_FOUND)
		rc = 0;
	s3_xfer_free(&x);
	return rc;
}

struct s3_clean {
	struct s3_client *c;
	int64_t grace;
	time_t now;
	int dry_run;
	size_t removed;
};

/* One page of ListMultipartUploads: aborts archives' stale uploads. */
static int
s3_clean_page(struct s3_clean *sc, const struct s3_xfer *x, struct err *e)
{
	size_t pos = 0, vlen, kl = strlen(REPO_ARCHIVE);
	const char *val;
	int rc = 0;

	while (rc == 0 && s3_xml_next(x->resp.data, x->resp.len, "Upload",
	    &pos, &val, &vlen) == 0) {
		char *key = s3_xml_get(val, vlen, "Key");
		char *id = s3_xml_get(val, vlen, "UploadId");
		char *ini = s3_xml_get(val, vlen, "Initiated");
		time_t t = s3_parse_time(ini);
		size_t l = key ? strlen(key) : 0;

		if (key != NULL && id != NULL && t != -1 && l > kl &&
		    strcmp(key + l - kl, REPO_ARCHIVE) == 0 &&
		    (int64_t)sc->now - (int64_t)t > sc->grace) {
			log_info("%s stale multipart upload of s3://%s/%s "
			    "started %s", sc->dry_run ? "would abort" :
			    "aborting", s3_client_cfg(sc->c)->bucket, key, ini);
			sc->removed++;
			if (!sc->dry_run)
				rc = s3_abort_upload(sc->c, key, id, e);
		}
		free(key);
		free(id);
		free(ini);
	}
	return rc;
}

static int
s3_clean_stale(struct repo *r, int64_t grace_seconds, time_t now,
    int dry_run, size_t *removed, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	struct s3_clean sc = { s->c, grace_seconds, now, dry_run, 0 };
	char *root = s3_root(s->c), *km = NULL, *um = NULL, *trunc = NULL;
	struct s3_query q;
	struct s3_xfer x;
	int rc = -1, more;

	*removed = 0;
	do {
		memset(&q, 0, sizeof q);
		s3_query_add(&q, "uploads", "");
		s3_query_add(&q, "prefix", root);
		if (km != NULL)
			s3_query_add(&q, "key-marker", km);
		if (um != NULL)
			s3_query_add(&q, "upload-id-marker", um);
		s3_xfer_init(&x, "GET", NULL, s3_query_string(&q));
		s3_query_free(&q);
		if (s3_xfer_run(s->c, &x, e) == -1) {
			s3_xfer_free(&x);
			goto out;
		}
		if (s3_clean_page(&sc, &x, e) == -1) {
			s3_xfer_free(&x);
			goto out;
		}
		free(km);
		free(um);
		free(trunc);
		km = s3_xml_get(x.resp.data, x.resp.len, "NextKeyMarker");
		um = s3_xml_get(x.resp.data, x.resp.len, "NextUploadIdMarker");
		trunc = s3_xml_get(x.resp.data, x.resp.len, "IsTruncated");
		s3_xfer_free(&x);
		more = trunc != NULL && strcmp(trunc, "true") == 0 &&
		    km != NULL && *km != '\0';
	} while (more);
	rc = 0;
out:
	*removed = sc.removed;
	free(root);
	free(km);
	free(um);
	free(trunc);
	return rc;
}

static int
s3_check_writable(struct repo *r, struct err *e)
{
	struct repo_s3 *s = (struct repo_s3 *)r;
	char name[64], data[128], vid[128];
	struct buf got;
	struct err le;
	int rc = -1;

	snprintf(name, sizeof name, "%s-%ld-%08x", S3_CHECK_OBJECT,
	    (long)getpid(), arc4random());
	snprintf(data, sizeof data, "myship write check %s\n", name);
	buf_init(&got);
	/* Never locked, and deleted by version on a versioned bucket. */
	if (s3_put_key(s->c, s3_client_key(s->c, name, NULL, NULL), data,
	    strlen(data), 0, vid, e) == -1) {
		buf_free(&got);
		return -1;
	}
	if (s3_get_key(s->c, s3_client_key(s->c, name, NULL, NULL), &got,
	    e) == -1)
		goto out;
	if (got.len != strlen(data) || memcmp(got.data, data, got.len) != 0) {
		err_set(e, ERR_REPO, "%s: the test object %s read back "
		    "differs from what was written", s3_client_describe(s->c),
		    name);
		goto out;
	}
	rc = 0;
out:
	if (s3_delete_key(s->c, s3_client_key(s->c, name, NULL, NULL), vid,
	    &le) == -1)
		log_warn("%s", le.msg);
	buf_free(&got);
	return rc;
}

static const char *
s3_describe(const struct repo *r)
{
	return s3_client_describe(((const struct repo_s3 *)r)->c);
}

static void
s3_close(struct repo *r)
{
	struct repo_s3 *s = (struct repo_s3 *)r;

	s3_client_free(s->c);
	free(s);
	curl_global_cleanup();
}

static const struct repo_ops s3_ops = {
	.archive_create = s3_archive_create,
	.archive_open = s3_archive_open,
	.archive_range = s3_archive_range,
	.put = s3_put,
	.get = s3_get,
	.list = s3_list,
	.remove = s3_remove,
	.lock_until = s3_lock_until_op,
	.clean_stale = s3_clean_stale,
	.check_writable = s3_check_writable,
	.close = s3_close,
	.describe = s3_describe,
};

static struct repo *
repo_s3_open(const struct config *cfg, struct err *e)
{
	struct repo_s3 *s;
	struct s3_client *c;

	if (!cfg->have_s3) {
		err_set(e, ERR_CONFIG, "%s: repository = s3 needs an [s3] "
		    "section", cfg->path ? cfg->path : "policy");
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_set(e, ERR_INTERNAL, "curl_global_init failed");
		return NULL;
	}
	if ((c = s3_client_new(&cfg->s3, e)) == NULL) {
		curl_global_cleanup();
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->base.ops = &s3_ops;
	s->base.cfg = cfg;
	s->c = c;
	s->versioned = -1;
	return &s->base;
}

const struct repo_backend repo_s3_backend = {
	.name = "s3",
	.wants = config_repo_is_s3,
	.open = repo_s3_open,
};
