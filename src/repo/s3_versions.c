#include "repo/s3_versions.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "repo/s3_error.h"
#include "repo/s3_xml.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define S3_DELETE_BATCH	1000

int
s3_bucket_versioned(struct s3_client *c, int *versioned, struct err *e)
{
	struct s3_xfer x;
	char *st;
	int rc;

	*versioned = 0;
	s3_xfer_init(&x, "GET", NULL, xstrdup("versioning="));
	rc = s3_xfer_run(c, &x, e);
	if (rc == -1 && (x.status == 501 || x.status == 405)) {
		log_debug("s3: %s has no GetBucketVersioning (HTTP %ld): "
		    "unversioned", s3_client_describe(c), x.status);
		rc = 0;
	} else if (rc == -1 && x.status == 403) {
		log_warn("%s: GetBucketVersioning refused (%s): removing as on "
		    "an unversioned bucket; if versioning is on, old versions "
		    "stay: grant s3:GetBucketVersioning", s3_client_describe(c),
		    e->msg);
		rc = 0;
	} else if (rc == 0) {
		st = s3_xml_get(x.resp.data, x.resp.len, "Status");
		*versioned = st != NULL && (strcmp(st, "Enabled") == 0 ||
		    strcmp(st, "Suspended") == 0);
		free(st);
	}
	s3_xfer_free(&x);
	return rc;
}

/* Every version and delete marker under prefix, through all pages. */
static int
list_versions(struct s3_client *c, const char *prefix,
    struct s3_versions_page *all, struct err *e)
{
	struct s3_versions_page pg;
	char *km = NULL, *vm = NULL;
	struct s3_query q;
	struct s3_xfer x;
	int more;

	memset(all, 0, sizeof *all);
	do {
		memset(&q, 0, sizeof q);
		s3_query_add(&q, "versions", "");
		s3_query_add(&q, "prefix", prefix);
		if (km != NULL)
			s3_query_add(&q, "key-marker", km);
		if (vm != NULL)
			s3_query_add(&q, "version-id-marker", vm);
		s3_xfer_init(&x, "GET", NULL, s3_query_string(&q));
		s3_query_free(&q);
		free(km);
		free(vm);
		km = vm = NULL;
		if (s3_xfer_run(c, &x, e) == -1) {
			s3_xfer_free(&x);
			return -1;
		}
		if (s3_xml_versions(x.resp.data, x.resp.len, &pg) == -1) {
			err_set(e, ERR_REPO, "s3 list versions s3://%s/%s: the "
			    "answer is not a ListVersionsResult, or is "
			    "truncated without a NextKeyMarker",
			    s3_client_cfg(c)->bucket, prefix);
			s3_xfer_free(&x);
			return -1;
		}
		s3_xfer_free(&x);
		all->v = xreallocarray(all->v, all->n + pg.n + 1,
		    sizeof *all->v);
		memcpy(all->v + all->n, pg.v, pg.n * sizeof *pg.v);
		all->n += pg.n;
		free(pg.v);
		more = pg.truncated;
		km = pg.next_key_marker;
		vm = pg.next_version_id_marker;
	} while (more);
	free(km);
	free(vm);
	return 0;
}

/*
 * Whether a version whose DELETE was AccessDenied is under a lock (a
 * retention date or a legal hold, by HEAD of that version): DeleteObjects
 * answers AccessDenied for a missing permission just the same.
 */
static int
version_locked(struct s3_client *c, const char *key, const char *vid)
{
	struct s3_query q;
	struct s3_xfer x;
	struct err le;
	int locked;

	memset(&q, 0, sizeof q);
	s3_query_add(&q, "versionId", vid);
	s3_xfer_init(&x, "HEAD", xstrdup(key), s3_query_string(&q));
	s3_query_free(&q);
	locked = s3_xfer_run(c, &x, &le) == 0 && (x.lock_until[0] != '\0' ||
	    strcasecmp(x.legal_hold, "ON") == 0);
	s3_xfer_free(&x);
	return locked;
}

/*
 * Reads a DeleteObjects answer: counts the versions a lock refused and the
 * other failures; the first of each kind goes to msg.
 */
static void
delete_answer(struct s3_client *c, const struct s3_xfer *x, size_t *locked,
    size_t *failed, struct buf *msg)
{
	size_t pos = 0, vlen;
	const char *val;

	while (s3_xml_next(x->resp.data, x->resp.len, "Error", &pos, &val,
	    &vlen) == 0) {
		char *k = s3_xml_get(val, vlen, "Key");
		char *v = s3_xml_get(val, vlen, "VersionId");
		char *code = s3_xml_get(val, vlen, "Code");
		int lock = s3_error_locked(code) && k != NULL && v != NULL &&
		    version_locked(c, k, v);

		log_debug("s3 delete %s version %s: %s", k ? k : "?",
		    v ? v : "?", code ? code : "?");
		if ((lock ? (*locked)++ : (*failed)++) == 0)
			buf_printf(msg, "%s%s version %s (%s)", msg->len ?
			    "; " : "", k ? k : "?", v ? v : "?", code ? code :
			    "?");
		free(k);
		free(v);
		free(code);
	}
}

/* DeleteObjects of v[0..n) by version id. */
static int
delete_batch(struct s3_client *c, const struct s3_version *v, size_t n,
    size_t *locked, size_t *failed, struct buf *msg, struct err *e)
{
	struct s3_xfer x;
	struct buf body;
	const char **keys = xcalloc(n ? n : 1, sizeof *keys);
	const char **ids = xcalloc(n ? n : 1, sizeof *ids);
	int rc;

	for (size_t i = 0; i < n; i++) {
		keys[i] = v[i].key;
		ids[i] = v[i].version_id;
	}
	buf_init(&body);
	s3_xml_delete_doc(&body, keys, ids, n);
	free(keys);
	free(ids);
	s3_xfer_init(&x, "POST", NULL, xstrdup("delete="));
	s3_xfer_header(&x, "Content-Type: application/xml");
	s3_xfer_body(c, &x, body.data, body.len, NULL);
	if ((rc = s3_xfer_run(c, &x, e)) == 0)
		delete_answer(c, &x, locked, failed, msg);
	s3_xfer_free(&x);
	buf_free(&body);
	return rc;
}

/* Deletes the entries whose key ends (or not) in /name, in batches. */
static int
delete_some(struct s3_client *c, const struct s3_versions_page *all,
    const char *name, int want, size_t *locked, size_t *failed,
    struct buf *msg, struct err *e)
{
	struct s3_version *sel = xcalloc(all->n + 1, sizeof *sel);
	size_t n = 0, i, k;
	int rc = 0;

	for (i = 0; i < all->n; i++) {
		const char *b = strrchr(all->v[i].key, '/');

		if ((b != NULL && strcmp(b + 1, name) == 0) == want)
			sel[n++] = all->v[i];
	}
	for (i = 0; rc == 0 && i < n; i += k) {
		k = n - i < S3_DELETE_BATCH ? n - i : S3_DELETE_BATCH;
		rc = delete_batch(c, sel + i, k, locked, failed, msg, e);
	}
	free(sel);
	return rc;
}

int
s3_remove_versions(struct s3_client *c, const char *prefix,
    const char *manifest, int *found, struct err *e)
{
	struct s3_versions_page all;
	size_t locked = 0, failed = 0;
	struct buf msg;
	int rc = -1;

	buf_init(&msg);
	if (list_versions(c, prefix, &all, e) == -1)
		goto out;
	*found = all.n > 0;
	if (delete_some(c, &all, manifest, 1, &locked, &failed, &msg,
	    e) == -1)
		goto out;
	if (locked == 0 && failed == 0 && delete_some(c, &all, manifest, 0,
	    &locked, &failed, &msg, e) == -1)
		goto out;
	if (failed > 0)
		err_set(e, ERR_REPO, "s3://%s/%s: %zu version%s not deleted: "
		    "%s", s3_client_cfg(c)->bucket, prefix, failed + locked,
		    failed + locked == 1 ? "" : "s", buf_cstr(&msg));
	else if (locked > 0)
		err_set(e, ERR_REPO, "a retention lock protects %zu version%s "
		    "of s3://%s/%s: %s", locked, locked == 1 ? "" : "s",
		    s3_client_cfg(c)->bucket, prefix, buf_cstr(&msg));
	rc = failed > 0 ? -1 : locked > 0 ? 1 : 0;
	log_debug("s3: s3://%s/%s: %zu versions and delete markers, %zu "
	    "refused by a lock", s3_client_cfg(c)->bucket, prefix, all.n,
	    locked);
out:
	s3_versions_page_free(&all);
	buf_free(&msg);
	return rc;
}
