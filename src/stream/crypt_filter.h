/*
 * Client-side encryption of one archive member, as filters (the last stage
 * of the codec on backup, the first on restore).  Each member gets a fresh
 * random data key, sealed (crypto_box_seal) to every recipient; its bytes
 * go through libsodium's XChaCha20-Poly1305 secretstream in 64 KiB
 * messages, the last one tagged final, so a changed, reordered, cut or
 * extended member fails to decrypt.  The envelope (FORMAT.md):
 *
 *     "MYSHIPE1", N (1 byte, 1-16),
 *     N x (key id: 8 bytes, sealed data key: 80 bytes),
 *     secretstream header (24 bytes), messages (64 KiB + 17 bytes each,
 *     the final one shorter).
 *
 * The decrypting filter finds its slot by the identity's key id: a member
 * not sealed to it fails with ERR_CONFIG naming the ids it was sealed to;
 * damage fails with ERR_CORRUPT.  Nothing decrypted is passed on before
 * its message authenticated.  reset() starts the next member.
 */
#ifndef MYSHIP_CRYPT_FILTER_H
#define MYSHIP_CRYPT_FILTER_H

#include "stream/crypt_keys.h"
#include "stream/filter.h"
#include "util/err.h"

/* The filters copy the keys they are given. */
struct filter *crypt_encrypt_filter_new(const struct crypt_recipients *r,
    struct err *e);
struct filter *crypt_decrypt_filter_new(const struct crypt_identity *id,
    struct err *e);

#endif
