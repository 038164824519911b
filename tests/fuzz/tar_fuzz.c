/*
 * A restore reads archives from the repository: the tar reader and the
 * zstd decoder behind it must refuse damage with ERR_CORRUPT (or the
 * source's error), never crash, never hand out an unsafe member name, and
 * never let a member decode past the limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stream/tar.h"
#include "stream/zstd_filter.h"
#include "../unit/memio.h"

#define FUZZ_DECODE_LIMIT (4 * 1024 * 1024)

static int
read_member(struct tar_reader *r, int64_t size, struct zdecomp *z,
    struct err *e)
{
	char chunk[4096];
	struct buf out;
	int64_t total = 0;
	ssize_t got;
	int rc = 0;

	buf_init(&out);
	zdecomp_begin(z);
	while ((got = tar_reader_read(r, chunk, sizeof chunk, e)) > 0) {
		total += got;
		if (rc == 0)
			rc = zdecomp_update(z, chunk, (size_t)got, &out, e);
		FUZZ_ASSERT(out.len <= FUZZ_DECODE_LIMIT);
		buf_reset(&out);
	}
	if (got < 0) {
		buf_free(&out);
		return -1;
	}
	FUZZ_ASSERT(total == size);
	if (rc == 0)
		zdecomp_end(z, e);
	buf_free(&out);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source src;
	struct memsrc m;
	struct tar_reader *r;
	struct zdecomp *z;
	struct err e;
	const char *name;
	int64_t msize;
	int rc, n = 0;

	memsrc_init(&src, &m, data, size);
	/* Short reads at odd sizes exercise libarchive's buffering too. */
	m.piece = size > 0 ? 1 + data[size - 1] % 3 * 4093 : 0;
	z = zdecomp_new(0, &e);
	FUZZ_ASSERT(z != NULL);
	zdecomp_set_limit(z, FUZZ_DECODE_LIMIT);
	if ((r = tar_reader_new(&src, &e)) == NULL) {
		zdecomp_free(z);
		return 0;
	}
	while ((rc = tar_reader_next(r, &name, &msize, &e)) == 1) {
		FUZZ_ASSERT(tar_name_is_safe(name));
		FUZZ_ASSERT(msize >= 0);
		/* Every other member is skipped unread, as a filter would. */
		if (n++ % 2 == 0 && read_member(r, msize, z, &e) == -1)
			break;
	}
	if (rc == -1)
		FUZZ_ASSERT(e.kind == ERR_CORRUPT);
	tar_reader_free(r);
	zdecomp_free(z);
	return 0;
}
