/*
 * SHA-256 and MD5 through OpenSSL's libcrypto (already pulled in by
 * libcurl), for member checksums and S3 Content-MD5 / payload hashes, and
 * SHA-256 as a stream filter.
 */
#ifndef MYSHIP_HASH_H
#define MYSHIP_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "stream/filter.h"

enum hash_algo { HASH_SHA256, HASH_MD5 };

struct hash;
struct hash *hash_new(enum hash_algo algo);
void hash_update(struct hash *h, const void *p, size_t n);
/* Writes the digest (32 or 16 bytes) to out and resets h for reuse. */
size_t hash_final(struct hash *h, unsigned char *out);
void hash_free(struct hash *h);

/* One-shot helpers; hex is lowercase, NUL-terminated (65 / 33 bytes). */
void hash_hex(enum hash_algo algo, const void *p, size_t n, char *hex);
void hash_to_hex(const unsigned char *digest, size_t n, char *hex);
/* Base64 of the binary MD5 (Content-MD5), NUL-terminated, 25 bytes. */
void hash_md5_base64(const void *p, size_t n, char *out);

/*
 * SHA-256 as a result-only filter: after filter_finish, the lowercase hex
 * digest of every byte it saw, and their count (both cleared by reset).
 */
struct filter *sha256_filter_new(void);
const char *sha256_filter_hex(const struct filter *f);
uint64_t sha256_filter_bytes(const struct filter *f);

#endif
