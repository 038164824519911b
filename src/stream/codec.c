#include "stream/codec.h"

#include <string.h>

#include "stream/crypt_filter.h"
#include "stream/zstd_filter.h"

#define ENC_SUFFIX	".enc"

const char *
codec_suffix(const struct codec *c)
{
	if (c->to != NULL)
		return c->level > 0 ? ".sql.zst" ENC_SUFFIX : ".sql" ENC_SUFFIX;
	return c->level > 0 ? ".sql.zst" : ".sql";
}

/* Adds stage to chain; on NULL frees the chain and returns NULL. */
static struct filter *
codec_add(struct filter *chain, struct filter *stage)
{
	if (stage == NULL) {
		filter_free(chain);
		return NULL;
	}
	filter_chain_add(chain, stage);
	return chain;
}

struct filter *
codec_encoder_new(const struct codec *c, struct err *e)
{
	struct filter *chain = filter_chain_new();

	if (c->level > 0 &&
	    codec_add(chain, zstd_compress_filter_new(c->level, e)) == NULL)
		return NULL;
	if (c->to != NULL &&
	    codec_add(chain, crypt_encrypt_filter_new(c->to, e)) == NULL)
		return NULL;
	return chain;
}

static int
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && memcmp(s + len - n, suffix, n) == 0;
}

int
codec_is_encrypted(const char *member)
{
	return ends_with(member, strlen(member), ENC_SUFFIX);
}

/* The name says how a member was stored: FORMAT.md's endings. */
struct filter *
codec_decoder_new(const struct codec *c, const char *member, uint64_t max_out,
    struct err *e)
{
	struct filter *chain;
	size_t len = strlen(member);

	if (codec_is_encrypted(member)) {
		if (c == NULL || c->id == NULL) {
			err_set(e, ERR_CONFIG, "member %s is encrypted: the "
			    "restore needs the identity ([restore] "
			    "identity_file)", member);
			return NULL;
		}
		len -= strlen(ENC_SUFFIX);
	}
	chain = filter_chain_new();
	if (codec_is_encrypted(member) &&
	    codec_add(chain, crypt_decrypt_filter_new(c->id, e)) == NULL)
		return NULL;
	if (ends_with(member, len, ".zst") &&
	    codec_add(chain, zstd_decompress_filter_new(max_out, e)) == NULL)
		return NULL;
	return chain;
}
