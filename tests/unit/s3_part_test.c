/*
 * Part sizes of a stream of unknown length: whatever the configured part
 * size, max_parts parts must reach S3's object limit (or the most S3's
 * 5 GiB part limit allows), sizes never shrink, never pass 5 GiB, and the
 * first parts keep the configured size.  Also the multipart ETag.
 */
#include <string.h>

#include "repo/s3_part.h"
#include "stream/hash.h"
#include "tap.h"

#define MiB (1ULL << 20)
#define TB_DECIMAL 5000000000000ULL	/* "5 TB", the old S3 object limit */

static int
plan_sane(const struct s3_part_plan *p)
{
	uint64_t prev = 0;

	for (uint32_t k = 1; k <= p->max_parts; k++) {
		uint64_t sz = s3_part_plan_size(p, k);

		if (sz < prev || sz > S3_PART_MAX || sz == 0)
			return 0;
		prev = sz;
	}
	return 1;
}

static void
test_plan(uint64_t base, uint32_t max_parts, uint64_t want_total)
{
	struct s3_part_plan p;
	uint64_t total;

	s3_part_plan_init(&p, base, max_parts);
	total = s3_part_plan_total(&p, max_parts);
	printf("# base %llu MiB, max_parts %u: step %u, total %.2f TiB\n",
	    (unsigned long long)(base / MiB), max_parts, p.step,
	    (double)total / (1ULL << 40));
	CHECK(total >= want_total);
	CHECK(plan_sane(&p));
	CHECK_INT(s3_part_plan_size(&p, 1), base);
	/* The longest step: one more and the total falls short. */
	if (p.step < max_parts && total >= S3_OBJECT_MAX) {
		p.step++;
		CHECK(s3_part_plan_total(&p, max_parts) < S3_OBJECT_MAX);
	}
}

static void
test_etag(void)
{
	unsigned char md5s[2][16];
	unsigned char cat[32], d[16];
	char want[48], got[48];
	struct hash *h = hash_new(HASH_MD5);

	hash_update(h, "part one", 8);
	hash_final(h, md5s[0]);
	hash_update(h, "part two", 8);
	hash_final(h, md5s[1]);
	memcpy(cat, md5s[0], 16);
	memcpy(cat + 16, md5s[1], 16);
	hash_update(h, cat, 32);
	hash_final(h, d);
	hash_free(h);
	hash_to_hex(d, 16, want);
	strcat(want, "-2");
	s3_multipart_etag((const unsigned char (*)[16])md5s, 2, got);
	CHECK_STR(got, want);
}

int
main(void)
{
	/* 10000 parts: 5 TiB from any part size. */
	test_plan(5 * MiB, 10000, S3_OBJECT_MAX);
	test_plan(16 * MiB, 10000, S3_OBJECT_MAX);
	test_plan(64 * MiB, 10000, S3_OBJECT_MAX);
	test_plan(1 * MiB, 10000, S3_OBJECT_MAX);
	/*
	 * 1000 parts of at most 5 GiB hold 5000 GiB < 5 TiB: the plan reaches
	 * 5 TB and as close to 5 TiB as S3's part limit allows.
	 */
	test_plan(16 * MiB, 1000, TB_DECIMAL);
	test_plan(5 * MiB, 1000, TB_DECIMAL);
	{
		struct s3_part_plan p;

		s3_part_plan_init(&p, 16 * MiB, 1000);
		CHECK(s3_part_plan_total(&p, 1000) > 1000 * (S3_PART_MAX -
		    S3_PART_MAX / 10));
		s3_part_plan_init(&p, 16 * MiB, 10000);
		CHECK(p.step >= 100);	/* small parts for small archives */
		s3_part_plan_init(&p, 0, 0);
		CHECK_INT(p.base, 16 * MiB);
		CHECK_INT(p.max_parts, 10000);
		s3_part_plan_init(&p, 8ULL << 30, 10);
		CHECK_INT(s3_part_plan_size(&p, 1), S3_PART_MAX);
	}
	test_etag();
	return tap_done();
}
