#include <stdlib.h>

#include "db/chunk.h"
#include "tap.h"

int
main(void)
{
	struct chunk_range *r;
	size_t n;

	CHECK_INT(chunk_plan("1", "100", 1000, 250, 100, &r, &n), 0);
	CHECK_INT(n, 4);
	CHECK(r[0].lo == NULL);
	CHECK_STR(r[0].hi, "25");
	CHECK_STR(r[1].lo, "26");
	CHECK_STR(r[1].hi, "50");
	CHECK_STR(r[3].lo, "76");
	CHECK(r[3].hi == NULL);
	chunk_ranges_free(r, n);

	/* Never more ranges than keys. */
	CHECK_INT(chunk_plan("5", "7", 1 << 30, 1, 100, &r, &n), 0);
	CHECK_INT(n, 3);
	CHECK_STR(r[1].lo, "6");
	CHECK_STR(r[1].hi, "6");
	chunk_ranges_free(r, n);

	/* Small table: one unbounded range. */
	CHECK_INT(chunk_plan("1", "1000000", 10, 1000, 100, &r, &n), 0);
	CHECK_INT(n, 1);
	CHECK(r[0].lo == NULL && r[0].hi == NULL);
	chunk_ranges_free(r, n);

	/* The whole signed and unsigned 64-bit domains. */
	CHECK_INT(chunk_plan("-9223372036854775808", "9223372036854775807",
	    100, 50, 10, &r, &n), 0);
	CHECK_INT(n, 2);
	CHECK_STR(r[0].hi, "-1");
	CHECK_STR(r[1].lo, "0");
	chunk_ranges_free(r, n);
	CHECK_INT(chunk_plan("0", "18446744073709551615", 100, 50, 10, &r,
	    &n), 0);
	CHECK_STR(r[0].hi, "9223372036854775807");
	chunk_ranges_free(r, n);

	/* max_ranges caps the count. */
	CHECK_INT(chunk_plan("1", "1000000", 1000000, 1, 7, &r, &n), 0);
	CHECK_INT(n, 7);
	chunk_ranges_free(r, n);

	CHECK_INT(chunk_plan("x", "1", 1, 1, 1, &r, &n), -1);
	CHECK_INT(chunk_plan("5", "1", 1, 1, 1, &r, &n), -1);
	CHECK_INT(chunk_plan("1.5", "2", 1, 1, 1, &r, &n), -1);

	CHECK_INT(chunk_target_bytes(800, 10, 2), 100);
	CHECK_INT(chunk_target_bytes(80, 100, 2), 100);
	return tap_done();
}
