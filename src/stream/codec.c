#include "stream/codec.h"

#include <string.h>

#include "stream/zstd_filter.h"

const char *
codec_suffix(const struct codec *c)
{
	return c->level > 0 ? ".sql.zst" : ".sql";
}

struct filter *
codec_encoder_new(const struct codec *c, struct err *e)
{
	struct filter *chain = filter_chain_new(), *z;

	if (c->level > 0) {
		if ((z = zstd_compress_filter_new(c->level, e)) == NULL) {
			filter_free(chain);
			return NULL;
		}
		filter_chain_add(chain, z);
	}
	return chain;
}

/* The name says how a member was stored: FORMAT.md's .sql.zst or .sql. */
static int
codec_is_zstd(const char *member)
{
	size_t len = strlen(member);

	return len > 4 && strcmp(member + len - 4, ".zst") == 0;
}

struct filter *
codec_decoder_new(const char *member, uint64_t max_out, struct err *e)
{
	struct filter *chain = filter_chain_new(), *z;

	if (codec_is_zstd(member)) {
		if ((z = zstd_decompress_filter_new(max_out, e)) == NULL) {
			filter_free(chain);
			return NULL;
		}
		filter_chain_add(chain, z);
	}
	return chain;
}
