#include "repo/s3_part.h"

#include <stdio.h>

#include "stream/hash.h"

#define S3_DEFAULT_PART	(16ULL << 20)

uint64_t
s3_part_plan_size(const struct s3_part_plan *p, uint32_t partno)
{
	uint32_t shift = (partno > 0 ? partno - 1 : 0) / p->step;

	if (shift >= 40 || (p->base << shift) > S3_PART_MAX)
		return S3_PART_MAX;
	return p->base << shift;
}

uint64_t
s3_part_plan_total(const struct s3_part_plan *p, uint32_t n)
{
	uint64_t sum = 0;

	for (uint32_t k = 1; k <= n; k++)
		sum += s3_part_plan_size(p, k);
	return sum;
}

void
s3_part_plan_init(struct s3_part_plan *p, uint64_t base, uint32_t max_parts)
{
	uint32_t lo = 1, hi;

	if (base == 0)
		base = S3_DEFAULT_PART;
	if (base > S3_PART_MAX)
		base = S3_PART_MAX;
	if (max_parts == 0 || max_parts > 10000)
		max_parts = 10000;
	p->base = base;
	p->max_parts = max_parts;
	/* The total shrinks as the step grows: find the largest that fits. */
	hi = max_parts;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo + 1) / 2;

		p->step = mid;
		if (s3_part_plan_total(p, max_parts) >= S3_OBJECT_MAX)
			lo = mid;
		else
			hi = mid - 1;
	}
	p->step = lo;
}

void
s3_multipart_etag(const unsigned char (*md5s)[16], uint32_t n, char out[48])
{
	struct hash *h = hash_new(HASH_MD5);
	unsigned char d[16];

	for (size_t i = 0; i < n; i++)
		hash_update(h, md5s[i], 16);
	hash_final(h, d);
	hash_free(h);
	hash_to_hex(d, 16, out);
	snprintf(out + 32, 16, "-%u", n);
}
