#include "stream/archive.h"

#include <stdlib.h>
#include <string.h>

#include "stream/digest.h"
#include "stream/filter.h"
#include "stream/hash.h"
#include "stream/tar.h"
#include "util/xmalloc.h"

struct archive_writer {
	struct codec codec;
	struct filter *dg;	/* the archive digest of the tar stream */
	struct sink out;	/* the caller's sink behind dg */
	struct tar_writer *tw;
	const char *adding_sha;	/* of the member being added */
	time_t mtime;
	uint64_t bytes;
	uint64_t last_offset;	/* of the data of the member added last */
};

/* The member's body is about to go out: the digest uses its SHA-256. */
static void
archive_writer_body(void *arg, uint64_t offset, size_t len)
{
	struct archive_writer *w = arg;

	digest_member(w->dg, offset, len, w->adding_sha);
}

struct archive_writer *
archive_writer_new(struct sink *out, const struct codec *c, time_t mtime,
    struct err *e)
{
	struct archive_writer *w = xcalloc(1, sizeof *w);

	w->codec = *c;
	w->mtime = mtime;
	w->dg = digest_filter_new(0);
	sink_filter(&w->out, w->dg, out);
	if ((w->tw = tar_writer_new(&w->out, e)) == NULL) {
		archive_writer_abort(w);
		return NULL;
	}
	tar_writer_on_body(w->tw, archive_writer_body, w);
	return w;
}

const char *
archive_writer_suffix(const struct archive_writer *w)
{
	return codec_suffix(&w->codec);
}

uint64_t
archive_writer_bytes(const struct archive_writer *w)
{
	return w->bytes;
}

uint64_t
archive_writer_last_offset(const struct archive_writer *w)
{
	return w->last_offset;
}

static void
archive_writer_free(struct archive_writer *w)
{
	tar_writer_free(w->tw);
	filter_free(w->dg);
	free(w);
}

int
archive_writer_finish(struct archive_writer *w, uint64_t *bytes,
    char *digest, struct err *e)
{
	int rc = -1;

	if (tar_writer_close(w->tw, e) == -1) {
		sink_abort(&w->out);
		goto out;
	}
	*bytes = w->out.bytes;
	if (sink_finish(&w->out, e) == -1)
		goto out;
	memcpy(digest, digest_hex(w->dg), 65);
	rc = 0;
out:
	archive_writer_free(w);
	return rc;
}

void
archive_writer_abort(struct archive_writer *w)
{
	if (w == NULL)
		return;
	/* Freeing an open tar writes its end blocks: before the abort. */
	tar_writer_free(w->tw);
	w->tw = NULL;
	sink_abort(&w->out);
	archive_writer_free(w);
}

/* A member encoder: the codec's chain, then SHA-256 of what it stores. */
struct member_enc {
	struct filter *chain;
	struct filter *sha;	/* owned by chain */
	struct buf out;
};

struct member_enc *
member_enc_new(const struct archive_writer *w, struct err *e)
{
	struct member_enc *m;
	struct filter *chain;

	if ((chain = codec_encoder_new(&w->codec, e)) == NULL)
		return NULL;
	m = xcalloc(1, sizeof *m);
	m->chain = chain;
	m->sha = sha256_filter_new();
	filter_chain_add(m->chain, m->sha);
	buf_init(&m->out);
	return m;
}

void
member_enc_begin(struct member_enc *m)
{
	filter_reset(m->chain);
	buf_reset(&m->out);
}

int
member_enc_write(struct member_enc *m, const void *p, size_t n,
    struct err *e)
{
	return filter_process(m->chain, p, n, &m->out, e);
}

int
member_enc_end(struct member_enc *m, struct err *e)
{
	return filter_finish(m->chain, &m->out, e);
}

const struct buf *
member_enc_data(const struct member_enc *m)
{
	return &m->out;
}

const char *
member_enc_sha256(const struct member_enc *m)
{
	return sha256_filter_hex(m->sha);
}

void
member_enc_free(struct member_enc *m)
{
	if (m == NULL)
		return;
	filter_free(m->chain);
	buf_free(&m->out);
	free(m);
}

int
archive_writer_add(struct archive_writer *w, const char *name,
    const struct member_enc *m, struct err *e)
{
	int rc;

	w->adding_sha = member_enc_sha256(m);
	rc = tar_writer_add(w->tw, name, m->out.data, m->out.len, w->mtime, e);
	w->adding_sha = NULL;
	if (rc == -1)
		return -1;
	w->bytes += m->out.len;
	w->last_offset = tar_writer_data_offset(w->tw);
	return 0;
}

int
archive_writer_add_text(struct archive_writer *w, struct member_enc *m,
    const char *name, const void *text, size_t len, struct err *e)
{
	member_enc_begin(m);
	if (member_enc_write(m, text, len, e) == -1 ||
	    member_enc_end(m, e) == -1)
		return -1;
	return archive_writer_add(w, name, m, e);
}

struct archive_reader {
	struct filter *chain;	/* dg, after sha when there is one */
	struct filter *sha;	/* of every byte read, or NULL */
	struct filter *dg;	/* the archive digest and member hashes */
	struct source in;	/* the caller's source behind chain */
	struct tar_reader *tr;
};

struct archive_reader *
archive_reader_new(struct source *in, enum archive_check check,
    struct err *e)
{
	struct archive_reader *r = xcalloc(1, sizeof *r);

	r->dg = digest_filter_new(1);
	r->chain = r->dg;
	if (check == ARCHIVE_CHECK_SHA256) {
		r->sha = sha256_filter_new();
		r->chain = filter_chain_new();
		filter_chain_add(r->chain, r->sha);
		filter_chain_add(r->chain, r->dg);
	}
	source_filter(&r->in, r->chain, in);
	if ((r->tr = tar_reader_new(&r->in, e)) == NULL) {
		archive_reader_free(r);
		return NULL;
	}
	return r;
}

int
archive_reader_next(struct archive_reader *r, const char **name,
    int64_t *size, struct err *e)
{
	int rc = tar_reader_next(r->tr, name, size, e);

	if (rc == 1)
		digest_member(r->dg, tar_reader_offset(r->tr), (uint64_t)*size,
		    NULL);
	return rc;
}

const char *
archive_reader_member_sha256(const struct archive_reader *r)
{
	return digest_member_hex(r->dg);
}

int
archive_reader_member(struct archive_reader *r, int64_t size,
    struct buf *out, struct err *e)
{
	ssize_t n;

	buf_reset(out);
	buf_reserve(out, (size_t)size);
	while (out->len < (size_t)size) {
		n = tar_reader_read(r->tr, out->data + out->len,
		    (size_t)size - out->len, e);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	if (out->len != (size_t)size)
		return err_set(e, ERR_CORRUPT, "truncated");
	return 0;
}

/* Padding and the end blocks are covered by no member hash: read them. */
int
archive_reader_end(struct archive_reader *r, uint64_t *bytes, char *hex,
    struct err *e)
{
	char tmp[65536];
	ssize_t n;

	while ((n = source_read(&r->in, tmp, sizeof tmp, e)) > 0)
		;
	if (n < 0)
		return -1;
	*bytes = digest_bytes(r->dg);
	memcpy(hex, r->sha != NULL ? sha256_filter_hex(r->sha) :
	    digest_hex(r->dg), 65);
	return 0;
}

void
archive_reader_free(struct archive_reader *r)
{
	if (r == NULL)
		return;
	tar_reader_free(r->tr);
	source_close(&r->in);
	filter_free(r->chain);
	free(r);
}
