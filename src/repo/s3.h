/*
 * The S3 repository: repo_impl.h operations over a bucket and prefix,
 * keys PREFIX/HOST/ID/{backup.tar,manifest.ini}.  Listing and removal use
 * ListObjectsV2 and DeleteObjects; stale multipart uploads are found with
 * ListMultipartUploads.  The archive streams through s3_upload.h and
 * s3_download.h; repo_s3_backend (repo_impl.h) is the entry.
 */
#ifndef MYSHIP_S3_H
#define MYSHIP_S3_H

#include <time.h>

/* Parses S3's ISO 8601 time ("2024-01-02T03:04:05.000Z"); -1 on junk. */
time_t s3_parse_time(const char *s);

#endif
