/*
 * The manifest parser reads files from the repository, which may be
 * damaged or hostile.  Beyond not crashing: whatever it accepts must write
 * back to text that parses to the same manifest, byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/manifest.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m, m2;
	struct buf a, b;
	struct err e;

	if (manifest_parse((const char *)data, size, "fuzz", &m, &e) == -1) {
		FUZZ_ASSERT(e.kind == ERR_CORRUPT);
		FUZZ_ASSERT(strncmp(e.msg, "manifest fuzz", 13) == 0);
		return 0;
	}
	buf_init(&a);
	buf_init(&b);
	manifest_write(&m, &a);
	FUZZ_ASSERT(manifest_parse(a.data, a.len, "fuzz", &m2, &e) == 0);
	manifest_write(&m2, &b);
	FUZZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	FUZZ_ASSERT(m.ndbs == m2.ndbs && m.ntables == m2.ntables &&
	    m.nchunks == m2.nchunks);
	manifest_free(&m);
	manifest_free(&m2);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
