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

/* SHA-256 as a result-only filter, counting what it saw. */
struct sha_filter {
	struct hash *h;
	uint64_t bytes;
	char hex[65];		/* set by finish */
};

static int
sha_process(void *ctx, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	struct sha_filter *s = ctx;

	(void)out;
	(void)e;
	hash_update(s->h, p, n);
	s->bytes += n;
	return 0;
}

static int
sha_finish(void *ctx, struct buf *out, struct err *e)
{
	struct sha_filter *s = ctx;
	unsigned char digest[32];

	(void)out;
	(void)e;
	hash_final(s->h, digest);
	hash_to_hex(digest, sizeof digest, s->hex);
	return 0;
}

static void
sha_reset(void *ctx)
{
	struct sha_filter *s = ctx;
	unsigned char digest[32];

	hash_final(s->h, digest);	/* which also starts over */
	s->bytes = 0;
	s->hex[0] = '\0';
}

static void
sha_free(void *ctx)
{
	struct sha_filter *s = ctx;

	hash_free(s->h);
	free(s);
}

static const struct filter_ops sha_ops = {
	"sha256", 1, sha_process, sha_finish, sha_reset, sha_free
};

struct filter *
sha256_filter_new(void)
{
	struct sha_filter *s = xcalloc(1, sizeof *s);

	s->h = hash_new(HASH_SHA256);
	return filter_new(&sha_ops, s);
}

const char *
sha256_filter_hex(const struct filter *f)
{
	return ((const struct sha_filter *)f->ctx)->hex;
}

uint64_t
sha256_filter_bytes(const struct filter *f)
{
	return ((const struct sha_filter *)f->ctx)->bytes;
}
