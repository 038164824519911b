/*
 * Removal on a versioned bucket (versioning Enabled or Suspended, as
 * Object Lock implies): a plain DELETE only adds a delete marker and frees
 * nothing, so every version and delete marker under a backup's prefix is
 * listed (ListObjectVersions) and deleted by version id (DeleteObjects).
 * A version a retention lock protects is refused (AccessDenied); when HEAD
 * of that version shows a retention date or a legal hold, that is told
 * apart from a failure (AccessDenied is also a missing permission), so
 * prune can report the backup retained.
 */
#ifndef MYSHIP_S3_VERSIONS_H
#define MYSHIP_S3_VERSIONS_H

#include "repo/s3_client.h"
#include "util/err.h"

/*
 * GetBucketVersioning: *versioned is 1 when versioning is Enabled or
 * Suspended.  A server without the call (501, 405) is unversioned, and so,
 * with a warning, is a refusal (403: no s3:GetBucketVersioning).
 */
int s3_bucket_versioned(struct s3_client *c, int *versioned, struct err *e);

/*
 * Deletes every version and delete marker of the keys under prefix, those
 * of the manifest first and alone.  *found is 0 when there was none.
 * Returns 0 when all are gone; 1 when a lock refused some (e->msg names
 * the first; the manifest's refused leaves the rest untouched); -1 on
 * failure.
 */
int s3_remove_versions(struct s3_client *c, const char *prefix,
    const char *manifest, int *found, struct err *e);

#endif
