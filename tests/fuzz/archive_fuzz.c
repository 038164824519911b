/*
 * A restore and verify read archives through the archive reader, which
 * hashes each member and the archive digest in one pass over the source
 * (stream/digest.h), holding the bytes it cannot place yet: on any input
 * it must not crash, the SHA-256 it gives for a member read whole must be
 * that of the member's bytes, errors are ERR_CORRUPT, and the end reports
 * every byte of the input read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stream/archive.h"
#include "stream/hash.h"
#include "../unit/memio.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct archive_reader *r;
	struct source src;
	struct memsrc m;
	struct buf mb;
	struct err e;
	const char *name;
	char hex[65];
	int64_t msize;
	uint64_t bytes;
	int rc, n = 0;

	memsrc_init(&src, &m, data, size);
	/* Short reads at odd sizes: bytes held across announcements. */
	m.piece = size > 0 ? 1 + data[size - 1] % 3 * 4093 : 0;
	r = archive_reader_new(&src, size > 0 && data[0] % 2 ?
	    ARCHIVE_CHECK_SHA256 : ARCHIVE_CHECK_DIGEST, &e);
	if (r == NULL)
		return 0;
	buf_init(&mb);
	while ((rc = archive_reader_next(r, &name, &msize, &e)) == 1) {
		/* Every other member is skipped unread, as a filter would. */
		if (n++ % 2 != 0 || msize > 1 << 20)
			continue;
		if ((rc = archive_reader_member(r, msize, &mb, &e)) == -1)
			break;
		hash_hex(HASH_SHA256, mb.data, mb.len, hex);
		FUZZ_ASSERT(strcmp(hex, archive_reader_member_sha256(r)) == 0);
	}
	if (rc == -1)
		FUZZ_ASSERT(e.kind == ERR_CORRUPT);
	else if (archive_reader_end(r, &bytes, hex, &e) == 0) {
		FUZZ_ASSERT(bytes == size);
		FUZZ_ASSERT(strlen(hex) == 64);
	}
	buf_free(&mb);
	archive_reader_free(r);
	return 0;
}
