#include <stdlib.h>
#include <string.h>

#include "stream/zstd_filter.h"
#include "tap.h"
#include "util/xmalloc.h"

/* Compresses len bytes of p in pieces of piece bytes as one frame. */
static int
compress(int level, const char *p, size_t len, size_t piece, struct buf *out)
{
	struct err e;
	struct zcomp *z = zcomp_new(level, &e);
	size_t off, n;
	int rc = 0;

	if (z == NULL)
		return -1;
	zcomp_begin(z);
	for (off = 0; off < len && rc == 0; off += n) {
		n = len - off < piece ? len - off : piece;
		rc = zcomp_update(z, p + off, n, out, &e);
	}
	if (rc == 0)
		rc = zcomp_end(z, out, &e);
	zcomp_free(z);
	return rc;
}

static int
decompress(int passthrough, const char *p, size_t len, size_t piece,
    uint64_t limit, struct buf *out, struct err *e)
{
	struct zdecomp *z = zdecomp_new(passthrough, e);
	size_t off, n;
	int rc = 0;

	if (z == NULL)
		return -1;
	zdecomp_set_limit(z, limit);
	zdecomp_begin(z);
	for (off = 0; off < len && rc == 0; off += n) {
		n = len - off < piece ? len - off : piece;
		rc = zdecomp_update(z, p + off, n, out, e);
	}
	if (rc == 0)
		rc = zdecomp_end(z, e);
	zdecomp_free(z);
	return rc;
}

static char *
make_input(size_t len)
{
	char *p = xmalloc(len);
	size_t i;

	/* Compressible but not trivially: SQL-ish text with a counter. */
	for (i = 0; i < len; i++)
		p[i] = "INSERT INTO `t` VALUES (1,'abc'),"[i % 33] + (i / 4096) % 3;
	return p;
}

static void
test_roundtrip(void)
{
	size_t len = 3 * 1024 * 1024 + 17;
	char *in = make_input(len);
	struct buf c, d;
	struct err e;

	buf_init(&c);
	buf_init(&d);
	CHECK(compress(3, in, len, 100000, &c) == 0);
	CHECK(c.len < len / 4);
	CHECK(decompress(0, c.data, c.len, 1, 0, &d, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK(d.len == len && memcmp(d.data, in, len) == 0);

	/* Two frames back to back decode as the concatenation. */
	buf_reset(&d);
	buf_append(&c, c.data, c.len);
	CHECK(decompress(0, c.data, c.len, 65536, 0, &d, &e) == 0);
	CHECK(d.len == 2 * len && memcmp(d.data + len, in, len) == 0);

	/* The limit stops a member that decodes to too much. */
	buf_reset(&d);
	CHECK(decompress(0, c.data, c.len, 65536, len, &d, &e) == -1);
	CHECK_INT(e.kind, ERR_CORRUPT);

	/* Level 0 passes bytes through, both ways. */
	buf_reset(&c);
	buf_reset(&d);
	CHECK(compress(0, in, 1000, 7, &c) == 0);
	CHECK(c.len == 1000 && memcmp(c.data, in, 1000) == 0);
	CHECK(decompress(1, c.data, c.len, 10, 0, &d, &e) == 0);
	CHECK(d.len == 1000 && memcmp(d.data, in, 1000) == 0);

	/* An empty input is still a frame. */
	buf_reset(&c);
	buf_reset(&d);
	CHECK(compress(19, "", 0, 1, &c) == 0);
	CHECK(c.len > 0);
	CHECK(decompress(0, c.data, c.len, 1, 0, &d, &e) == 0);
	CHECK_INT(d.len, 0);
	buf_free(&c);
	buf_free(&d);
	free(in);
}

static void
test_corrupt(void)
{
	size_t len = 200000, cut, i;
	char *in = make_input(len);
	struct buf c, d;
	struct err e;
	int bad;

	buf_init(&c);
	buf_init(&d);
	CHECK(compress(1, in, len, len, &c) == 0);

	/* Every truncation point fails, with ERR_CORRUPT. */
	bad = 0;
	for (cut = 0; cut < c.len; cut += 1 + cut / 8) {
		buf_reset(&d);
		if (decompress(0, c.data, cut, 4096, 0, &d, &e) != -1 ||
		    e.kind != ERR_CORRUPT)
			bad++;
	}
	CHECK_INT(bad, 0);

	/* The last 4 bytes are the checksum: flip one. */
	c.data[c.len - 1] ^= 1;
	buf_reset(&d);
	CHECK(decompress(0, c.data, c.len, 4096, 0, &d, &e) == -1);
	CHECK_INT(e.kind, ERR_CORRUPT);
	CHECK(strstr(e.msg, "checksum") != NULL ||
	    (printf("# %s\n", e.msg), 0));
	c.data[c.len - 1] ^= 1;

	/* Damage in the middle is caught by the checksum or the decoder. */
	bad = 0;
	for (i = 20; i < c.len - 4; i += c.len / 50) {
		c.data[i] ^= 0x55;
		buf_reset(&d);
		if (decompress(0, c.data, c.len, 4096, 0, &d, &e) != -1 ||
		    e.kind != ERR_CORRUPT)
			bad++;
		c.data[i] ^= 0x55;
	}
	CHECK_INT(bad, 0);

	/* Garbage is not a frame. */
	buf_reset(&d);
	CHECK(decompress(0, "hello world", 11, 3, 0, &d, &e) == -1);
	CHECK_INT(e.kind, ERR_CORRUPT);
	buf_free(&c);
	buf_free(&d);
	free(in);
}

int
main(void)
{
	struct err e;

	CHECK(zcomp_new(-1, &e) == NULL);
	CHECK(zcomp_new(99, &e) == NULL);
	test_roundtrip();
	test_corrupt();
	return tap_done();
}
