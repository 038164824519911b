/*
 * The manifest parser reads files from the repository, which may be
 * damaged or hostile.  Beyond not crashing: whatever it accepts must write
 * back to text that parses to the same manifest, byte for byte.  The
 * chunks' key literals, split per column (util/keyrange.h), join back to
 * themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/manifest.h"
#include "util/keyrange.h"

/* lit split into n literals, if it splits, joins back to lit. */
static void
check_key(const char *lit, size_t n)
{
	struct strlist v = { NULL, 0 };
	struct buf j;
	size_t i;

	if (keyrange_split(lit, n, &v) == -1)
		return;
	FUZZ_ASSERT(v.n == n);
	buf_init(&j);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(v.v[i][0] != '\0');
		buf_append_str(&j, i == 0 ? (n > 1 ? "(" : "") : ",");
		buf_append_str(&j, v.v[i]);
	}
	if (n > 1)
		buf_append_char(&j, ')');
	FUZZ_ASSERT(strcmp(buf_cstr(&j), lit) == 0);
	buf_free(&j);
	strlist_free(&v);
}

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
	for (size_t i = 0; i < m.nchunks; i++)
		for (size_t n = 1; n <= 4; n++) {
			check_key(m.chunks[i].first_key, n);
			check_key(m.chunks[i].last_key, n);
		}
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
