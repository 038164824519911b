/*
 * The member codec: what the bytes of one archive member pass through
 * between the SQL text and the container, decided in one place from the
 * archive's settings.  Today that is zstd at the backup's level, or
 * nothing at level 0 (the member is then stored as it is and named .sql
 * instead of .sql.zst, FORMAT.md).  A new stage (encryption) is one more
 * filter added here; no caller changes.
 */
#ifndef MYSHIP_CODEC_H
#define MYSHIP_CODEC_H

#include <stdint.h>

#include "stream/filter.h"
#include "util/err.h"

struct codec {
	int level;		/* zstd level, 0: stored */
};

/* The name ending of members this codec writes: ".sql.zst" or ".sql". */
const char *codec_suffix(const struct codec *c);
/* A chain from SQL text to stored bytes (an empty chain at level 0). */
struct filter *codec_encoder_new(const struct codec *c, struct err *e);
/*
 * A chain from the stored bytes of the member named member back to its
 * SQL text, decoding at most max_out bytes (0: no cap), so a hostile
 * archive cannot make a few bytes expand without bound.
 */
struct filter *codec_decoder_new(const char *member, uint64_t max_out,
    struct err *e);

#endif
