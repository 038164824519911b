#include "repo/s3_lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repo/repo.h"
#include "repo/s3.h"
#include "util/config.h"
#include "util/log.h"
#include "util/xmalloc.h"

void
s3_lock_until_str(time_t now, long long days, char *out, size_t n)
{
	time_t t = now + (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
s3_lock_mode_name(int mode)
{
	return mode == S3_LOCK_GOVERNANCE ? "GOVERNANCE" : "COMPLIANCE";
}

void
s3_lock_headers(const struct s3_client *c, struct s3_xfer *x, time_t now)
{
	const struct s3_cfg *s = s3_client_cfg(c);
	char until[32];

	if (s->object_lock_days <= 0)
		return;
	s3_lock_until_str(now, s->object_lock_days, until, sizeof until);
	s3_xfer_header(x, "x-amz-object-lock-mode: %s",
	    s3_lock_mode_name(s->object_lock_mode));
	s3_xfer_header(x, "x-amz-object-lock-retain-until-date: %s", until);
}

/* One object's retain-until date; 0 when absent or without one. */
static int
head_until(struct s3_client *c, char *key, time_t *until, struct err *e)
{
	struct s3_xfer x;
	int rc;

	*until = 0;
	s3_xfer_init(&x, "HEAD", key, NULL);
	rc = s3_xfer_run(c, &x, e);
	if (rc == 0 && x.lock_until[0] != '\0' &&
	    (*until = s3_parse_time(x.lock_until)) == -1)
		rc = err_set(e, ERR_REPO, "s3 HEAD s3://%s/%s: "
		    "x-amz-object-lock-retain-until-date \"%s\" is not a date",
		    s3_client_cfg(c)->bucket, x.key, x.lock_until);
	if (rc == -1 && e->kind == ERR_NOT_FOUND)
		rc = 0;
	s3_xfer_free(&x);
	return rc;
}

int
s3_lock_ensure(struct s3_client *c, const char *key, const char *version_id,
    struct err *e)
{
	const struct s3_cfg *s = s3_client_cfg(c);
	struct s3_query q;
	struct s3_xfer x;
	char until[32];
	struct buf body;
	time_t t;
	int rc;

	if (s->object_lock_days <= 0)
		return 0;
	if (head_until(c, xstrdup(key), &t, e) == -1)
		return -1;
	if (t > 0)
		return 0;
	log_debug("s3: s3://%s/%s has no retention after its upload: setting "
	    "it", s->bucket, key);
	s3_lock_until_str(time(NULL), s->object_lock_days, until, sizeof until);
	buf_init(&body);
	buf_printf(&body, "<Retention xmlns=\"http://s3.amazonaws.com/doc/"
	    "2006-03-01/\"><Mode>%s</Mode><RetainUntilDate>%s"
	    "</RetainUntilDate></Retention>",
	    s3_lock_mode_name(s->object_lock_mode), until);
	memset(&q, 0, sizeof q);
	s3_query_add(&q, "retention", "");
	if (version_id != NULL && *version_id != '\0')
		s3_query_add(&q, "versionId", version_id);
	s3_xfer_init(&x, "PUT", xstrdup(key), s3_query_string(&q));
	s3_query_free(&q);
	s3_xfer_header(&x, "Content-Type: application/xml");
	s3_xfer_body(c, &x, body.data, body.len, NULL);
	rc = s3_xfer_run(c, &x, e);
	s3_xfer_free(&x);
	buf_free(&body);
	return rc;
}

int
s3_lock_until(struct s3_client *c, const char *host, const char *id,
    time_t *until, struct err *e)
{
	static const char *const names[] = { REPO_MANIFEST, REPO_ARCHIVE };
	time_t t;

	*until = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (head_until(c, s3_client_key(c, host, id, names[i]), &t,
		    e) == -1)
			return -1;
		if (t > *until)
			*until = t;
	}
	return 0;
}
