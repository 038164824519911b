/*
 * The archive sink of an S3 repository: a streaming multipart upload.
 * Bytes fill a part buffer as the archive writer produces them; full parts
 * go to an uploader thread that keeps at most parallel_uploads requests in
 * flight on one curl multi handle, so memory stays within parallel_uploads
 * part buffers and nothing touches the disk.  Part sizes grow with the
 * part number so a stream of unknown length fits in max_parts; a stream
 * smaller than one part becomes a single PUT.  Finishing completes the
 * upload and checks the ETag S3 computed against our own; any failure or
 * signal aborts the upload, so no partial object is ever left visible.
 */
#ifndef MYSHIP_S3_UPLOAD_H
#define MYSHIP_S3_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "repo/s3_client.h"
#include "stream/io.h"
#include "util/err.h"

#define S3_PART_MAX	(5ULL << 30)	/* S3's largest part */
#define S3_OBJECT_MAX	(5ULL << 40)	/* S3's largest object */

/* Part k (from 1) is base << ((k - 1) / step), at most S3_PART_MAX. */
struct s3_part_plan {
	uint64_t base;
	uint32_t max_parts;
	uint32_t step;
};

/*
 * Chooses the longest doubling step that still lets max_parts parts reach
 * S3_OBJECT_MAX (or as close as S3_PART_MAX allows).
 */
void s3_part_plan_init(struct s3_part_plan *p, uint64_t base,
    uint32_t max_parts);
uint64_t s3_part_plan_size(const struct s3_part_plan *p, uint32_t partno);
/* Sum of parts 1..n. */
uint64_t s3_part_plan_total(const struct s3_part_plan *p, uint32_t n);

/* S3's multipart ETag: hex md5 of the n binary part md5s, "-n". */
void s3_multipart_etag(const unsigned char (*md5s)[16], uint32_t n,
    char out[48]);

/* Starts the upload of key; out gets the sink. */
int s3_upload_open(struct s3_client *c, const char *key, struct sink *out,
    struct err *e);
/* Adds storage class and encryption headers of new objects. */
void s3_object_headers(const struct s3_client *c, struct s3_xfer *x);

#endif
