/*
 * The archive digest (stream/digest.h): the writer's value is the SHA-256
 * of the tar with each body replaced by its SHA-256, computed here from the
 * bytes; the reader gets the same and every member's SHA-256 in one pass,
 * whatever the source's read sizes and whether members are read or
 * skipped; a byte changed anywhere changes it; old manifests' whole-file
 * SHA-256 is still given on request.
 */
/* memmem: _GNU_SOURCE comes from config.h (-include) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/archive.h"
#include "stream/hash.h"
#include "tap.h"
#include "memio.h"

#define NM 4

static const char *names[NM] = { "0-schema/a.sql", "1-data/a/t/000001.sql",
    "1-data/a/e/000001.sql", "1-data/a/t/000002.sql" };
static char *body[NM];
static size_t blen[NM];

static void
bodies(void)
{
	unsigned x = 7;
	size_t i, k;

	/* Sizes around the tar block and the reader's 64 KiB reads; one empty. */
	blen[0] = 9, blen[1] = 200000, blen[2] = 0, blen[3] = 70001;
	for (i = 0; i < NM; i++) {
		body[i] = malloc(blen[i] + 1);
		for (k = 0; k < blen[i]; k++) {
			x = x * 1103515245 + 12345;
			body[i][k] = (char)('a' + (x >> 16) % 26);
		}
	}
	memcpy(body[0], "SELECT 1;", 9);
}

/* The digest by its definition, finding each body in the tar. */
static void
reference(const struct buf *tar, char *hex)
{
	const char *p = tar->data, *end = tar->data + tar->len, *at;
	unsigned char bin[32];
	char mh[65];
	struct buf s;
	size_t i, k;
	unsigned v;

	/* The stream with bodies replaced, then hashed. */
	buf_init(&s);
	for (i = 0; i < NM; i++) {
		at = blen[i] == 0 ? NULL :
		    memmem(p, (size_t)(end - p), body[i], blen[i]);
		if (at == NULL) {
			/* The empty body: right after its header. */
			at = memmem(p, (size_t)(end - p), names[i],
			    strlen(names[i]));
			at = tar->data + ((at - tar->data) / 512 + 1) * 512;
		}
		buf_append(&s, p, (size_t)(at - p));
		hash_hex(HASH_SHA256, body[i], blen[i], mh);
		for (k = 0; k < 32; k++) {
			sscanf(mh + 2 * k, "%2x", &v);
			bin[k] = (unsigned char)v;
		}
		buf_append(&s, (char *)bin, 32);
		p = at + blen[i];
	}
	buf_append(&s, p, (size_t)(end - p));
	hash_hex(HASH_SHA256, s.data, s.len, hex);
	buf_free(&s);
}
static void
write_archive(struct buf *tar, char *digest)
{
	struct codec c = { 0, NULL, NULL };
	struct archive_writer *w;
	struct member_enc *m;
	struct sink mem;
	struct err e;
	uint64_t bytes;
	size_t i;

	memsink_init(&mem, tar);
	w = archive_writer_new(&mem, &c, 1700000000, &e);
	m = member_enc_new(w, &e);
	for (i = 0; i < NM; i++)
		CHECK_INT(archive_writer_add_text(w, m, names[i], body[i],
		    blen[i], &e), 0);
	member_enc_free(m);
	CHECK_INT(archive_writer_finish(w, &bytes, digest, &e), 0);
	CHECK_INT(bytes, tar->len);
}

/*
 * Reads tar in pieces of piece bytes, reading the members whose bit is
 * set in readmask and skipping the others: the end's hex and whether
 * every member read had its own SHA-256.
 */
static int
read_archive(const struct buf *tar, size_t piece, unsigned readmask,
    enum archive_check check, char *hex)
{
	struct archive_reader *r;
	struct source src;
	struct memsrc ms;
	struct buf mb;
	struct err e;
	const char *name;
	char want[65];
	int64_t size;
	uint64_t bytes;
	int ok = 1, i = 0;

	buf_init(&mb);
	memsrc_init(&src, &ms, tar->data, tar->len);
	ms.piece = piece;
	r = archive_reader_new(&src, check, &e);
	while (archive_reader_next(r, &name, &size, &e) == 1) {
		if (readmask & (1u << i)) {
			if (archive_reader_member(r, size, &mb, &e) == -1)
				ok = 0;
			hash_hex(HASH_SHA256, mb.data, mb.len, want);
			if (strcmp(want, archive_reader_member_sha256(r)) != 0)
				ok = 0;
		}
		i++;
	}
	if (i != NM || archive_reader_end(r, &bytes, hex, &e) == -1 ||
	    bytes != tar->len)
		ok = 0;
	archive_reader_free(r);
	buf_free(&mb);
	return ok;
}

int
main(void)
{
	struct buf tar;
	char dg[65], ref[65], hex[65], whole[65];
	size_t pieces[] = { 0, 1, 511, 4096, 65536, 100000 };
	size_t i;
	char *pad;

	bodies();
	buf_init(&tar);
	write_archive(&tar, dg);
	reference(&tar, ref);
	CHECK_STR(dg, ref);
	hash_hex(HASH_SHA256, tar.data, tar.len, whole);
	CHECK(strcmp(dg, whole) != 0);

	for (i = 0; i < sizeof pieces / sizeof *pieces; i++) {
		CHECK(read_archive(&tar, pieces[i], 0xf, ARCHIVE_CHECK_DIGEST,
		    hex));
		CHECK_STR(hex, dg);
		CHECK(read_archive(&tar, pieces[i], 0x5, ARCHIVE_CHECK_DIGEST,
		    hex));
		CHECK_STR(hex, dg);
	}
	/* Older manifests: the SHA-256 of the whole file. */
	CHECK(read_archive(&tar, 1000, 0xf, ARCHIVE_CHECK_SHA256, hex));
	CHECK_STR(hex, whole);

	/* A byte of padding (after the first body), of a body. */
	pad = (char *)memmem(tar.data, tar.len, body[0], blen[0]) + 100;
	*pad ^= 1;
	CHECK(read_archive(&tar, 0, 0xf, ARCHIVE_CHECK_DIGEST, hex));
	CHECK(strcmp(hex, dg) != 0);
	*pad ^= 1;
	((char *)memmem(tar.data, tar.len, body[3], blen[3]))[5000] ^= 1;
	CHECK(read_archive(&tar, 0, 0xf, ARCHIVE_CHECK_DIGEST, hex));
	CHECK(strcmp(hex, dg) != 0);

	buf_free(&tar);
	for (i = 0; i < NM; i++)
		free(body[i]);
	return tap_done();
}
