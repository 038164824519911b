#include "stream/hash.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xmalloc.h"

struct hash {
	EVP_MD_CTX *ctx;
	const EVP_MD *md;
};

static const EVP_MD *
hash_md(enum hash_algo algo)
{
	return algo == HASH_MD5 ? EVP_md5() : EVP_sha256();
}

/* libcrypto fails here only when out of memory; treat it as xmalloc does. */
static void
hash_die(const char *what)
{
	fprintf(stderr, "myship: libcrypto %s failed\n", what);
	abort();
}

struct hash *
hash_new(enum hash_algo algo)
{
	struct hash *h = xcalloc(1, sizeof *h);

	h->md = hash_md(algo);
	if ((h->ctx = EVP_MD_CTX_new()) == NULL)
		hash_die("EVP_MD_CTX_new");
	if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1)
		hash_die("EVP_DigestInit_ex");
	return h;
}

void
hash_update(struct hash *h, const void *p, size_t n)
{
	if (n != 0 && EVP_DigestUpdate(h->ctx, p, n) != 1)
		hash_die("EVP_DigestUpdate");
}

size_t
hash_final(struct hash *h, unsigned char *out)
{
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(h->ctx, out, &len) != 1)
		hash_die("EVP_DigestFinal_ex");
	if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1)
		hash_die("EVP_DigestInit_ex");
	return len;
}

void
hash_free(struct hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void
hash_to_hex(const unsigned char *digest, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xf];
	}
	hex[2 * n] = '\0';
}

void
hash_hex(enum hash_algo algo, const void *p, size_t n, char *hex)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	struct hash *h = hash_new(algo);
	size_t len;

	hash_update(h, p, n);
	len = hash_final(h, digest);
	hash_free(h);
	hash_to_hex(digest, len, hex);
}

void
hash_md5_base64(const void *p, size_t n, char *out)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	struct hash *h = hash_new(HASH_MD5);

	hash_update(h, p, n);
	hash_final(h, digest);
	hash_free(h);
	/* 16 bytes encode to 24 characters plus the NUL EVP_EncodeBlock adds. */
	EVP_EncodeBlock((unsigned char *)out, digest, 16);
}
