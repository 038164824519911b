/*
 * S3 Object Lock on the objects of a backup: the headers that give a new
 * object its retention ([s3] object_lock_days and object_lock_mode), and
 * the retention an existing backup still has (HEAD of its objects), which
 * prune asks before it deletes.  The date arithmetic is pure.
 */
#ifndef MYSHIP_S3_LOCK_H
#define MYSHIP_S3_LOCK_H

#include <stddef.h>
#include <time.h>

#include "repo/s3_client.h"
#include "util/err.h"

/* now + days as S3 wants it: "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void s3_lock_until_str(time_t now, long long days, char *out, size_t n);
/* "COMPLIANCE" or "GOVERNANCE" for enum s3_lock_mode. */
const char *s3_lock_mode_name(int mode);
/* Adds the lock headers of a new object when object_lock_days > 0. */
void s3_lock_headers(const struct s3_client *c, struct s3_xfer *x,
    time_t now);
/*
 * After a multipart upload: radosgw (Pacific) ignores the lock headers of
 * CreateMultipartUpload, so when object_lock_days is set and HEAD shows no
 * retention, it is set with PutObjectRetention on that version.
 */
int s3_lock_ensure(struct s3_client *c, const char *key,
    const char *version_id, struct err *e);
/*
 * The latest retain-until date of the backup's archive and manifest (HEAD
 * of each; an absent object or one without retention counts 0).
 */
int s3_lock_until(struct s3_client *c, const char *host, const char *id,
    time_t *until, struct err *e);

#endif
