/*
 * The container: a pax tar stream written and read with libarchive.
 * Members are added whole from memory (their size is known before the
 * header), so the stream needs no seeking and goes straight into a sink.
 * The reader refuses absolute names, "..", empty components and anything
 * other than regular files: nothing from an archive is trusted.
 */
#ifndef MYSHIP_TAR_H
#define MYSHIP_TAR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "stream/io.h"
#include "util/err.h"

struct tar_writer;
struct tar_writer *tar_writer_new(struct sink *out, struct err *e);
/*
 * Appends a member.  With tar_writer_on_body, body_at is called after its
 * header and before its data, with the data's offset in the stream.
 */
int tar_writer_add(struct tar_writer *w, const char *name, const void *data,
    size_t len, time_t mtime, struct err *e);
void tar_writer_on_body(struct tar_writer *w,
    void (*body_at)(void *arg, uint64_t offset, size_t len), void *arg);
/*
 * Where the data of the member added last starts in the stream (after its
 * headers, pax ones included): a reader may seek there for its bytes.
 */
uint64_t tar_writer_data_offset(const struct tar_writer *w);
/* Writes the end-of-archive blocks; the sink is left to the caller. */
int tar_writer_close(struct tar_writer *w, struct err *e);
void tar_writer_free(struct tar_writer *w);

struct tar_reader;
struct tar_reader *tar_reader_new(struct source *in, struct err *e);
/*
 * Moves to the next member: 1 and its name and size, 0 at a clean end of
 * archive, -1 with ERR_CORRUPT on a damaged or truncated stream or an unsafe
 * name.  name stays valid until the next call.
 */
int tar_reader_next(struct tar_reader *r, const char **name, int64_t *size,
    struct err *e);
/* After tar_reader_next: the stream offset of the member's data. */
uint64_t tar_reader_offset(const struct tar_reader *r);
/* Reads the current member's data: bytes, 0 at its end, -1 on error. */
ssize_t tar_reader_read(struct tar_reader *r, void *p, size_t n, struct err *e);
void tar_reader_free(struct tar_reader *r);

/* Name check used by the reader; exposed for tests.  True when safe. */
int tar_name_is_safe(const char *name);

#endif
