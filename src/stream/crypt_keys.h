/*
 * Keys of client-side encryption (libsodium, X25519).  A backup host holds
 * only a recipients file of public keys: it can encrypt, never decrypt.  A
 * restore host holds an identity file with one secret key.  Both are text,
 * one key a line, '#' lines and blank lines ignored:
 *
 *     myship-pub1 BASE64-OF-32-BYTES [comment]     (recipients, .pub)
 *     MYSHIP-SECRET1 BASE64-OF-32-BYTES            (identity)
 *
 * An identity file accessible by group or others is refused, as ssh
 * refuses such a private key.  Errors name the file and line and never
 * quote a secret.  A key's id is the first 8 bytes of BLAKE2b of its
 * public key, shown as 16 hex digits: it is what a member's envelope
 * names, so the right slot is found without trying every one.
 */
#ifndef MYSHIP_CRYPT_KEYS_H
#define MYSHIP_CRYPT_KEYS_H

#include <stddef.h>

#include "util/err.h"

#define CRYPT_KEY_BYTES		32
#define CRYPT_ID_BYTES		8
#define CRYPT_RECIPIENTS_MAX	16

struct crypt_recipients {
	size_t n;
	unsigned char pk[CRYPT_RECIPIENTS_MAX][CRYPT_KEY_BYTES];
};

struct crypt_identity {
	unsigned char pk[CRYPT_KEY_BYTES];
	unsigned char sk[CRYPT_KEY_BYTES];
};

/* libsodium ready (idempotent, thread-safe); ERR_INTERNAL if not. */
int crypt_init(struct err *e);

/* Parses text (len bytes, not NUL-terminated); name is for messages. */
int crypt_recipients_parse(const char *text, size_t len, const char *name,
    struct crypt_recipients *r, struct err *e);
int crypt_recipients_load(const char *path, struct crypt_recipients *r,
    struct err *e);
int crypt_identity_parse(const char *text, size_t len, const char *name,
    struct crypt_identity *id, struct err *e);
/* Refuses a file accessible by group or others (ERR_CONFIG). */
int crypt_identity_load(const char *path, struct crypt_identity *id,
    struct err *e);
void crypt_identity_wipe(struct crypt_identity *id);
/*
 * ERR_CONFIG unless id's key id is one of ids (16-hex-digit key ids
 * separated by blanks, as a manifest's encrypted_to); NULL ids (a backup
 * that is not encrypted) always passes.
 */
int crypt_identity_check(const struct crypt_identity *id, const char *ids,
    struct err *e);

void crypt_key_id(const unsigned char pk[CRYPT_KEY_BYTES],
    unsigned char id[CRYPT_ID_BYTES]);
/* The id as 16 hex digits and a NUL. */
void crypt_key_id_hex(const unsigned char pk[CRYPT_KEY_BYTES], char out[17]);

/*
 * A new key pair: the identity written to path (mode 0600, never over an
 * existing file) and its public key to path.pub.  ERR_CONFIG on failure.
 */
int crypt_keygen(const char *path, struct err *e);

#endif
