#include "db/chunk.h"

#include <stdio.h>

#include "util/xmalloc.h"

typedef __int128 i128;

static int
chunk_parse(const char *s, i128 *out)
{
	i128 v = 0;
	int neg = 0, digits = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (++digits > 20)
			return -1;
	}
	if (*s != '\0' || digits == 0)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

static char *
chunk_format(i128 v)
{
	char tmp[48], *p = tmp + sizeof tmp;
	int neg = v < 0;
	unsigned __int128 u = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	if (neg)
		*--p = '-';
	return xstrdup(p);
}

int
chunk_plan(const char *min, const char *max, uint64_t est_bytes,
    uint64_t target_bytes, size_t max_ranges, struct chunk_range **out,
    size_t *n)
{
	i128 lo, hi, span, step, k;
	uint64_t want;
	struct chunk_range *r;
	size_t i, nr;

	*out = NULL;
	*n = 0;
	if (chunk_parse(min, &lo) == -1 || chunk_parse(max, &hi) == -1 ||
	    lo > hi)
		return -1;
	if (target_bytes == 0)
		target_bytes = 1;
	want = est_bytes / target_bytes + (est_bytes % target_bytes != 0);
	if (want == 0)
		want = 1;
	if (max_ranges == 0)
		max_ranges = 1;
	if (want > max_ranges)
		want = max_ranges;
	span = hi - lo + 1;
	if ((i128)want > span)
		want = (uint64_t)span;
	nr = (size_t)want;
	step = span / (i128)nr;
	r = xcalloc(nr, sizeof *r);
	for (i = 0; i < nr; i++) {
		k = lo + step * (i128)i;
		r[i].lo = i == 0 ? NULL : chunk_format(k);
		r[i].hi = i + 1 == nr ? NULL :
		    chunk_format(lo + step * (i128)(i + 1) - 1);
	}
	*out = r;
	*n = nr;
	return 0;
}

void
chunk_ranges_free(struct chunk_range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].lo);
		free(r[i].hi);
	}
	free(r);
}

uint64_t
chunk_target_bytes(uint64_t est_bytes, uint64_t chunk_size, size_t threads)
{
	uint64_t t;

	if (threads == 0)
		threads = 1;
	t = est_bytes / (threads * 4);
	return t > chunk_size ? t : chunk_size;
}
