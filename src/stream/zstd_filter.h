/*
 * zstd compression of one archive member at a time, frame checksum on, and
 * streaming decompression on restore, as functions and as filters.  Level 0 means "no compression": the
 * bytes pass through unchanged (members are then named .sql, not .sql.zst).
 */
#ifndef MYSHIP_ZSTD_FILTER_H
#define MYSHIP_ZSTD_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "stream/filter.h"
#include "util/buf.h"
#include "util/err.h"

struct zcomp;
struct zcomp *zcomp_new(int level, struct err *e);
/* Starts a new frame; out gets the compressed bytes appended. */
void zcomp_begin(struct zcomp *z);
int zcomp_update(struct zcomp *z, const void *p, size_t n, struct buf *out,
    struct err *e);
/* Ends the frame (checksum included). */
int zcomp_end(struct zcomp *z, struct buf *out, struct err *e);
void zcomp_free(struct zcomp *z);

struct zdecomp;
/* passthrough: level-0 members are copied as they are. */
struct zdecomp *zdecomp_new(int passthrough, struct err *e);
/*
 * Caps what one member may decode to (0: no cap), so a hostile archive
 * cannot make a few bytes expand without bound: ERR_CORRUPT past it.
 */
void zdecomp_set_limit(struct zdecomp *z, uint64_t max_bytes);
void zdecomp_begin(struct zdecomp *z);
/*
 * Feeds compressed bytes, appends what they decode to out.  A frame whose
 * checksum does not match fails with ERR_CORRUPT.
 */
int zdecomp_update(struct zdecomp *z, const void *p, size_t n, struct buf *out,
    struct err *e);
/* Fails with ERR_CORRUPT when the input ended inside a frame. */
int zdecomp_end(struct zdecomp *z, struct err *e);
void zdecomp_free(struct zdecomp *z);

/*
 * The same as filters (reset() starts a new frame): compression at level
 * 1 and up, and decompression that decodes at most max_out bytes per
 * stream (0: no cap) and fails at the end inside a frame or without one.
 */
struct filter *zstd_compress_filter_new(int level, struct err *e);
struct filter *zstd_decompress_filter_new(uint64_t max_out, struct err *e);

#endif
