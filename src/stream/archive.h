/*
 * The archive as the engines see it, in both directions, so that neither
 * the dump nor the restore knows the codec or the container.
 *
 * Writing: members are encoded whole into memory by a member encoder (the
 * codec's chain, then SHA-256 of the stored bytes, which the manifest
 * records), then appended to the pax tar; on its way into the sink the tar
 * stream gets the archive digest (stream/digest.h: the stream with each
 * member's body replaced by the SHA-256 just computed), so no byte is
 * hashed twice.  Encoders are one per thread and reused member after
 * member; archive_writer_add is not thread-safe (the dump engine holds its
 * own lock around it).
 *
 * Reading: as the archive's source is read, each member's SHA-256 and the
 * archive digest are computed in one pass (and, for a backup whose manifest
 * has the SHA-256 of the whole file instead, that too); members come in tar
 * order, and archive_reader_end drains what follows the last member so the
 * whole file can be checked against the manifest.
 */
#ifndef MYSHIP_ARCHIVE_H
#define MYSHIP_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "stream/codec.h"
#include "stream/io.h"
#include "util/buf.h"
#include "util/err.h"

struct archive_writer;
/* Takes over out: archive_writer_finish finishes it, _abort aborts it. */
struct archive_writer *archive_writer_new(struct sink *out,
    const struct codec *c, time_t mtime, struct err *e);
/* The ending every member name gets (codec_suffix). */
const char *archive_writer_suffix(const struct archive_writer *w);

struct member_enc;
struct member_enc *member_enc_new(const struct archive_writer *w,
    struct err *e);
void member_enc_begin(struct member_enc *m);
int member_enc_write(struct member_enc *m, const void *p, size_t n,
    struct err *e);
int member_enc_end(struct member_enc *m, struct err *e);
/* After member_enc_end: the stored bytes, their count and SHA-256 hex. */
const struct buf *member_enc_data(const struct member_enc *m);
const char *member_enc_sha256(const struct member_enc *m);
void member_enc_free(struct member_enc *m);

/* Appends an ended member under name (not thread-safe). */
int archive_writer_add(struct archive_writer *w, const char *name,
    const struct member_enc *m, struct err *e);
/* Encodes text as one member and appends it: the schema-sized case. */
int archive_writer_add_text(struct archive_writer *w, struct member_enc *m,
    const char *name, const void *text, size_t len, struct err *e);
/* The archive offset of the data of the member added last (manifest). */
uint64_t archive_writer_last_offset(const struct archive_writer *w);
/* Bytes appended so far (members and tar headers, before the end). */
uint64_t archive_writer_bytes(const struct archive_writer *w);
/*
 * Ends the tar and finishes the sink: the archive's size and digest hex
 * (65 bytes, stream/digest.h) are filled.  Frees w either way.
 */
int archive_writer_finish(struct archive_writer *w, uint64_t *bytes,
    char *digest, struct err *e);
void archive_writer_abort(struct archive_writer *w);	/* NULL is fine */

/* What archive_reader_end checks the file by (the manifest's key). */
enum archive_check {
	ARCHIVE_CHECK_DIGEST,	/* archive_digest */
	ARCHIVE_CHECK_SHA256,	/* archive_sha256, of the whole file: older */
};

struct archive_reader;
/* Takes over in (closed by archive_reader_free). */
struct archive_reader *archive_reader_new(struct source *in,
    enum archive_check check, struct err *e);
/* tar_reader_next (stream/tar.h): 1 with a member, 0 at the end, -1. */
int archive_reader_next(struct archive_reader *r, const char **name,
    int64_t *size, struct err *e);
/* Reads the current member (size bytes) whole into out; ERR_CORRUPT short. */
int archive_reader_member(struct archive_reader *r, int64_t size,
    struct buf *out, struct err *e);
/* After archive_reader_member: the SHA-256 hex of the member's bytes. */
const char *archive_reader_member_sha256(const struct archive_reader *r);
/*
 * Reads to the end of the file: its size and the hex (65 bytes) of the
 * check archive_reader_new was given.
 */
int archive_reader_end(struct archive_reader *r, uint64_t *bytes,
    char *sha256, struct err *e);
void archive_reader_free(struct archive_reader *r);	/* NULL is fine */

#endif
