/*
 * The archive sink of an S3 repository: a streaming multipart upload.
 * Bytes fill a part buffer as the archive writer produces them; full parts
 * go to an uploader thread that keeps at most parallel_uploads requests in
 * flight on one curl multi handle, so memory stays within parallel_uploads
 * part buffers and nothing touches the disk.  Part sizes grow with the
 * part number so a stream of unknown length fits in max_parts; a stream
 * smaller than one part becomes a single PUT.  Finishing completes the
 * upload and checks the ETag S3 computed against our own (asking HEAD when
 * the answer leaves it empty); any failure or signal aborts the upload,
 * and an object that fails the check is deleted, so no partial or
 * unverified object is ever left visible.
 */
#ifndef MYSHIP_S3_UPLOAD_H
#define MYSHIP_S3_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "repo/s3_client.h"
#include "stream/io.h"
#include "util/err.h"

/* Starts the upload of key; out gets the sink. */
int s3_upload_open(struct s3_client *c, const char *key, struct sink *out,
    struct err *e);
/*
 * Adds storage class and encryption headers of new objects, and with lock
 * the Object Lock ones (s3_lock.h).
 */
void s3_object_headers(const struct s3_client *c, struct s3_xfer *x,
    int lock);

#endif
