/*
 * The arithmetic of a multipart upload, pure functions: the size of part k
 * of a stream of unknown length (sizes grow with the part number so that
 * max_parts parts reach S3's object limit), and the ETag S3 gives the
 * object it assembles from parts.
 */
#ifndef MYSHIP_S3_PART_H
#define MYSHIP_S3_PART_H

#include <stdint.h>

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

#endif
