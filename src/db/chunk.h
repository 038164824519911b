/*
 * Chunk planning: a table with a single-column integer key is split into
 * key ranges that dump workers take in parallel.  Pure arithmetic on the
 * key's MIN/MAX read inside the snapshot and the table's size estimate;
 * the split is even in key space (dense auto-increment keys are the common
 * case; skew only costs balance, never correctness, since the first range
 * is open below and the last open above).
 */
#ifndef MYSHIP_CHUNK_H
#define MYSHIP_CHUNK_H

#include <stddef.h>
#include <stdint.h>

struct chunk_range {
	char *lo;	/* inclusive lower bound as SQL integer text; NULL = none */
	char *hi;	/* inclusive upper bound; NULL = none */
};

/*
 * Plans ranges covering [min, max] (integer text, signed or unsigned
 * 64-bit): about est_bytes / target_bytes of them, at most max_ranges,
 * never more than there are keys.  -1 when min or max is not an integer or
 * min > max.
 */
int chunk_plan(const char *min, const char *max, uint64_t est_bytes,
    uint64_t target_bytes, size_t max_ranges, struct chunk_range **out,
    size_t *n);
void chunk_ranges_free(struct chunk_range *r, size_t n);

/*
 * Range size for a table: at least one member's worth, and small enough
 * that the table alone gives each worker a few ranges.
 */
uint64_t chunk_target_bytes(uint64_t est_bytes, uint64_t chunk_size,
    size_t threads);

#endif
