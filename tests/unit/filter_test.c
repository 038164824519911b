/* Filters, chains, filtered sinks and sources, the codec and the archive. */
#include <stdlib.h>
#include <string.h>

#include "stream/archive.h"
#include "stream/codec.h"
#include "stream/filter.h"
#include "stream/hash.h"
#include "tap.h"
#include "memio.h"

#define N (300 * 1000)

static char *
sample(void)
{
	char *p = malloc(N);
	unsigned x = 12345;
	size_t i;

	/* Half text that compresses, half noise that does not. */
	for (i = 0; i < N; i++) {
		x = x * 1103515245 + 12345;
		p[i] = i < N / 2 ? "INSERT INTO t VALUES (1),(2);\n"[i % 30] :
		    (char)(x >> 16);
	}
	return p;
}

static struct err last;	/* of the last run() */

/* Runs data through f in pieces of piece bytes, then finishes it. */
static int
run(struct filter *f, const char *p, size_t n, size_t piece, struct buf *out)
{
	size_t off, k;

	err_clear(&last);
	for (off = 0; off < n; off += k) {
		k = n - off < piece ? n - off : piece;
		if (filter_process(f, p + off, k, out, &last) == -1)
			return -1;
	}
	return filter_finish(f, out, &last);
}

static void
test_chains(const char *data)
{
	struct codec c = { 3, NULL, NULL };
	struct filter *enc, *sha, *dec, *empty;
	struct buf z, back, copy, z2;
	struct err e;
	char hex[65];

	buf_init(&z), buf_init(&back), buf_init(&copy), buf_init(&z2);
	empty = filter_chain_new();
	CHECK(empty->ops->result_only);
	CHECK_INT(run(empty, data, N, 4096, &copy), 0);
	CHECK(copy.len == N && memcmp(copy.data, data, N) == 0);

	enc = codec_encoder_new(&c, &e);
	sha = sha256_filter_new();
	filter_chain_add(enc, sha);
	CHECK_INT(filter_chain_len(enc), 2);
	CHECK(!enc->ops->result_only);
	CHECK_INT(run(enc, data, N, 10000, &z), 0);
	CHECK(z.len > 0 && z.len < N);
	hash_hex(HASH_SHA256, z.data, z.len, hex);
	CHECK_STR(sha256_filter_hex(sha), hex);
	CHECK_INT(sha256_filter_bytes(sha), z.len);

	/* reset starts a new stream: the same input, the same bytes. */
	filter_reset(enc);
	CHECK_INT(sha256_filter_bytes(sha), 0);
	CHECK_INT(run(enc, data, N, 777, &z2), 0);
	CHECK(z2.len == z.len && memcmp(z2.data, z.data, z.len) == 0);

	dec = codec_decoder_new(NULL, "1-data/d/t/000001.sql.zst", N, &e);
	CHECK(dec != NULL);
	CHECK_INT(run(dec, z.data, z.len, 333, &back), 0);
	CHECK(back.len == N && memcmp(back.data, data, N) == 0);
	filter_free(dec);

	/* A cap below the member's size, and a cut frame, are corruption. */
	buf_reset(&back);
	dec = codec_decoder_new(NULL, "x.sql.zst", N - 1, &e);
	CHECK_INT(run(dec, z.data, z.len, 4096, &back), -1);
	CHECK_INT(last.kind, ERR_CORRUPT);
	filter_free(dec);
	buf_reset(&back);
	dec = codec_decoder_new(NULL, "x.sql.zst", 0, &e);
	CHECK_INT(run(dec, z.data, z.len - 10, 4096, &back), -1);
	CHECK_INT(last.kind, ERR_CORRUPT);
	filter_free(dec);
	/* A .sql member decodes to itself. */
	buf_reset(&back);
	dec = codec_decoder_new(NULL, "0-schema/d.sql", 0, &e);
	CHECK_INT(run(dec, data, 1000, 64, &back), 0);
	CHECK(back.len == 1000 && memcmp(back.data, data, 1000) == 0);
	filter_free(dec);

	filter_free(enc);
	filter_free(empty);
	buf_free(&z), buf_free(&back), buf_free(&copy), buf_free(&z2);
}

static void
test_sink_source(const char *data)
{
	struct codec c = { 1, NULL, NULL };
	struct filter *sha = sha256_filter_new(), *enc, *dec;
	struct sink mem, s;
	struct source src, fs;
	struct memsrc ms;
	struct buf got, z, back;
	struct err e;
	char hex[65], tmp[5000];
	ssize_t n;

	buf_init(&got), buf_init(&z), buf_init(&back);
	/* A result-only filter in front of a sink passes the bytes on. */
	memsink_init(&mem, &got);
	sink_filter(&s, sha, &mem);
	CHECK_INT(sink_write(&s, data, 1000, &e), 0);
	CHECK_INT(sink_write(&s, data + 1000, N - 1000, &e), 0);
	CHECK_INT(s.bytes, N);
	CHECK_INT(sink_finish(&s, &e), 0);
	CHECK(got.len == N && memcmp(got.data, data, N) == 0);
	hash_hex(HASH_SHA256, data, N, hex);
	CHECK_STR(sha256_filter_hex(sha), hex);

	/* A transforming one writes what it turns the bytes into. */
	enc = codec_encoder_new(&c, &e);
	memsink_init(&mem, &z);
	sink_filter(&s, enc, &mem);
	CHECK_INT(sink_write(&s, data, N, &e), 0);
	CHECK_INT(sink_finish(&s, &e), 0);
	CHECK(z.len > 0 && z.len < N);

	/* Behind a source that gives 7 bytes at a time. */
	dec = codec_decoder_new(NULL, "m.sql.zst", 0, &e);
	memsrc_init(&src, &ms, z.data, z.len);
	ms.piece = 7;
	source_filter(&fs, dec, &src);
	while ((n = source_read(&fs, tmp, sizeof tmp, &e)) > 0)
		buf_append(&back, tmp, (size_t)n);
	CHECK_INT(n, 0);
	CHECK(back.len == N && memcmp(back.data, data, N) == 0);
	source_close(&fs);

	/* A hash behind a source sees every byte, finished at the end. */
	filter_reset(sha);
	memsrc_init(&src, &ms, data, N);
	source_filter(&fs, sha, &src);
	while ((n = source_read(&fs, tmp, sizeof tmp, &e)) > 0)
		;
	CHECK_INT(n, 0);
	CHECK_STR(sha256_filter_hex(sha), hex);
	CHECK_INT(sha256_filter_bytes(sha), N);
	source_close(&fs);

	/* A source error reaches the reader. */
	dec = (filter_free(dec), codec_decoder_new(NULL, "m.sql.zst", 0, &e));
	memsrc_init(&src, &ms, z.data, 100);
	ms.fail_at_end = 1;
	source_filter(&fs, dec, &src);
	while ((n = source_read(&fs, tmp, sizeof tmp, &e)) > 0)
		;
	CHECK_INT(n, -1);
	CHECK_INT(e.kind, ERR_REPO);
	source_close(&fs);

	filter_free(dec);
	filter_free(enc);
	filter_free(sha);
	buf_free(&got), buf_free(&z), buf_free(&back);
}

static void
test_archive(const char *data)
{
	struct codec c = { 3, NULL, NULL };
	struct archive_writer *w;
	struct archive_reader *r;
	struct member_enc *m;
	struct sink mem;
	struct source src;
	struct memsrc ms;
	struct buf tar, mb, back;
	struct filter *dec;
	struct err e;
	const char *name;
	char sha[65], sha2[65], msha[65], hex[65];
	uint64_t bytes, bytes2;
	int64_t size;

	buf_init(&tar), buf_init(&mb), buf_init(&back);
	memsink_init(&mem, &tar);
	w = archive_writer_new(&mem, &c, 1700000000, &e);
	CHECK(w != NULL);
	CHECK_STR(archive_writer_suffix(w), ".sql.zst");
	m = member_enc_new(w, &e);
	CHECK_INT(archive_writer_add_text(w, m, "0-schema/a.sql.zst", "SELECT 1;",
	    9, &e), 0);
	member_enc_begin(m);
	CHECK_INT(member_enc_write(m, data, N / 2, &e), 0);
	CHECK_INT(member_enc_write(m, data + N / 2, N - N / 2, &e), 0);
	CHECK_INT(member_enc_end(m, &e), 0);
	memcpy(msha, member_enc_sha256(m), 65);
	hash_hex(HASH_SHA256, member_enc_data(m)->data,
	    member_enc_data(m)->len, hex);
	CHECK_STR(msha, hex);
	CHECK_INT(archive_writer_add(w, "1-data/a/t/000001.sql.zst", m, &e), 0);
	member_enc_free(m);
	CHECK_INT(archive_writer_finish(w, &bytes, sha, &e), 0);
	CHECK_INT(bytes, tar.len);
	/* The archive digest (digest_test.c checks its value). */
	CHECK_INT(strlen(sha), 64);

	memsrc_init(&src, &ms, tar.data, tar.len);
	ms.piece = 1000;
	r = archive_reader_new(&src, ARCHIVE_CHECK_DIGEST, &e);
	CHECK(r != NULL);
	CHECK_INT(archive_reader_next(r, &name, &size, &e), 1);
	CHECK_STR(name, "0-schema/a.sql.zst");
	CHECK_INT(archive_reader_next(r, &name, &size, &e), 1);
	CHECK_STR(name, "1-data/a/t/000001.sql.zst");
	CHECK_INT(archive_reader_member(r, size, &mb, &e), 0);
	hash_hex(HASH_SHA256, mb.data, mb.len, hex);
	CHECK_STR(hex, msha);
	CHECK_STR(archive_reader_member_sha256(r), msha);
	dec = codec_decoder_new(NULL, name, N, &e);
	CHECK_INT(run(dec, mb.data, mb.len, 65536, &back), 0);
	CHECK(back.len == N && memcmp(back.data, data, N) == 0);
	filter_free(dec);
	CHECK_INT(archive_reader_next(r, &name, &size, &e), 0);
	CHECK_INT(archive_reader_end(r, &bytes2, sha2, &e), 0);
	CHECK_INT(bytes2, bytes);
	CHECK_STR(sha2, sha);
	archive_reader_free(r);

	/* A member cut short is named truncated. */
	memsrc_init(&src, &ms, tar.data, 4096);
	r = archive_reader_new(&src, ARCHIVE_CHECK_DIGEST, &e);
	CHECK_INT(archive_reader_next(r, &name, &size, &e), 1);
	CHECK_INT(archive_reader_next(r, &name, &size, &e), 1);
	CHECK_INT(archive_reader_member(r, size, &mb, &e), -1);
	archive_reader_free(r);

	/* Level 0: stored as .sql, the bytes as they are. */
	c.level = 0;
	buf_reset(&tar);
	memsink_init(&mem, &tar);
	w = archive_writer_new(&mem, &c, 0, &e);
	CHECK_STR(archive_writer_suffix(w), ".sql");
	m = member_enc_new(w, &e);
	CHECK_INT(archive_writer_add_text(w, m, "0-schema/a.sql", "SELECT 1;", 9,
	    &e), 0);
	CHECK_INT(member_enc_data(m)->len, 9);
	member_enc_free(m);
	archive_writer_abort(w);

	buf_free(&tar), buf_free(&mb), buf_free(&back);
}

int
main(void)
{
	char *data = sample();

	test_chains(data);
	test_sink_source(data);
	test_archive(data);
	free(data);
	return tap_done();
}
