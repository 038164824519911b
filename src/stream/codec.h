/*
 * The member codec: what the bytes of one archive member pass through
 * between the SQL text and the container, decided in one place from the
 * archive's settings: zstd at the backup's level (nothing at level 0: the
 * member is then stored as it is and named .sql instead of .sql.zst), then
 * encryption to the recipients' public keys when there are any (the name
 * then ends in .enc; stream/crypt_filter.h).  FORMAT.md has the names.  A
 * new stage is one more filter added here; no caller changes.
 */
#ifndef MYSHIP_CODEC_H
#define MYSHIP_CODEC_H

#include <stdint.h>

#include "stream/crypt_keys.h"
#include "stream/filter.h"
#include "util/err.h"

struct codec {
	int level;		/* zstd level, 0: stored */
	/* Encrypting (backup): NULL, or the keys members are sealed to. */
	const struct crypt_recipients *to;
	/* Decrypting (restore): NULL, or the identity that opens them. */
	const struct crypt_identity *id;
};

/* The name ending of members this codec writes: ".sql.zst", ".sql", +".enc". */
const char *codec_suffix(const struct codec *c);
/* A chain from SQL text to stored bytes (an empty chain at level 0). */
struct filter *codec_encoder_new(const struct codec *c, struct err *e);
/* True when the member of that name was stored encrypted. */
int codec_is_encrypted(const char *member);
/*
 * A chain from the stored bytes of the member named member back to its
 * SQL text, decoding at most max_out bytes (0: no cap), so a hostile
 * archive cannot make a few bytes expand without bound.  An encrypted
 * member needs c->id: without it, ERR_CONFIG naming the member.  c may be
 * NULL (no identity).
 */
struct filter *codec_decoder_new(const struct codec *c, const char *member,
    uint64_t max_out, struct err *e);

#endif
