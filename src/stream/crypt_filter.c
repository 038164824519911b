/* Member encryption filters (stream/crypt_filter.h). */
#include "stream/crypt_filter.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

#define MAGIC		"MYSHIPE1"
#define MAGIC_LEN	8
#define SEALED		(crypto_box_SEALBYTES + \
			    crypto_secretstream_xchacha20poly1305_KEYBYTES)
#define SLOT		(CRYPT_ID_BYTES + SEALED)
#define SS_HEADER	crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES	crypto_secretstream_xchacha20poly1305_ABYTES
#define PLAIN_MSG	(64 * 1024)
#define CIPHER_MSG	(PLAIN_MSG + SS_ABYTES)

struct crypt {
	struct crypt_recipients to;	/* encrypting */
	struct crypt_identity id;	/* decrypting */
	crypto_secretstream_xchacha20poly1305_state st;
	int started, ended;
	struct buf pending;	/* bytes not yet made into a message */
	size_t off;		/* consumed from pending */
};

static void
crypt_reset(void *ctx)
{
	struct crypt *c = ctx;

	sodium_memzero(&c->st, sizeof c->st);
	if (c->pending.len > 0)
		sodium_memzero(c->pending.data, c->pending.len);
	buf_reset(&c->pending);
	c->off = 0;
	c->started = c->ended = 0;
}

static void
crypt_free(void *ctx)
{
	struct crypt *c = ctx;

	crypt_reset(c);
	crypt_identity_wipe(&c->id);
	buf_free(&c->pending);
	free(c);
}

/* Drops what was consumed, so pending never grows past one message. */
static void
crypt_compact(struct crypt *c)
{
	if (c->off == 0)
		return;
	memmove(c->pending.data, c->pending.data + c->off,
	    c->pending.len - c->off);
	c->pending.len -= c->off;
	c->off = 0;
}

/* Encrypting: the envelope, with a fresh data key sealed to each. */
static void
enc_start(struct crypt *c, struct buf *out)
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char slot[SLOT], hdr[SS_HEADER], n = (unsigned char)c->to.n;
	size_t i;

	crypto_secretstream_xchacha20poly1305_keygen(key);
	buf_append(out, MAGIC, MAGIC_LEN);
	buf_append(out, &n, 1);
	for (i = 0; i < c->to.n; i++) {
		crypt_key_id(c->to.pk[i], slot);
		crypto_box_seal(slot + CRYPT_ID_BYTES, key, sizeof key,
		    c->to.pk[i]);
		buf_append(out, slot, sizeof slot);
	}
	crypto_secretstream_xchacha20poly1305_init_push(&c->st, hdr, key);
	buf_append(out, hdr, sizeof hdr);
	sodium_memzero(key, sizeof key);
	c->started = 1;
}

static void
enc_push(struct crypt *c, const unsigned char *p, size_t n, unsigned char tag,
    struct buf *out)
{
	buf_reserve(out, n + SS_ABYTES);
	crypto_secretstream_xchacha20poly1305_push(&c->st,
	    (unsigned char *)out->data + out->len, NULL, p, n, NULL, 0, tag);
	out->len += n + SS_ABYTES;
}

static int
enc_process(void *ctx, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	struct crypt *c = ctx;

	if (!c->started)
		enc_start(c, out);
	buf_append(&c->pending, p, n);
	while (c->pending.len - c->off >= PLAIN_MSG) {
		enc_push(c, (unsigned char *)c->pending.data + c->off,
		    PLAIN_MSG, 0, out);
		c->off += PLAIN_MSG;
	}
	crypt_compact(c);
	return 0;
}

/* The rest, shorter than a message (maybe empty), tagged final. */
static int
enc_finish(void *ctx, struct buf *out, struct err *e)
{
	struct crypt *c = ctx;

	if (!c->started)
		enc_start(c, out);
	enc_push(c, (unsigned char *)c->pending.data + c->off,
	    c->pending.len - c->off, crypto_secretstream_xchacha20poly1305_TAG_FINAL,
	    out);
	crypt_reset(c);
	return 0;
}

static const struct filter_ops crypt_enc_ops = {
	"encrypt", 0, enc_process, enc_finish, crypt_reset, crypt_free
};

struct filter *
crypt_encrypt_filter_new(const struct crypt_recipients *r, struct err *e)
{
	struct crypt *c;

	if (crypt_init(e) == -1)
		return NULL;
	if (r->n == 0 || r->n > CRYPT_RECIPIENTS_MAX) {
		err_set(e, ERR_INTERNAL, "encryption to %zu keys", r->n);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->to = *r;
	buf_init(&c->pending);
	return filter_new(&crypt_enc_ops, c);
}

/* The ids a member was sealed to, for the message that it is not ours. */
static void
dec_ids(const unsigned char *env, size_t n, char *out, size_t len)
{
	char hex[2 * CRYPT_ID_BYTES + 1];
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < n && at + sizeof hex + 2 < len; i++) {
		sodium_bin2hex(hex, sizeof hex, env + i * SLOT, CRYPT_ID_BYTES);
		at += (size_t)snprintf(out + at, len - at, "%s%s",
		    i ? ", " : "", hex);
	}
}

/* The envelope, once whole: our slot opened into the stream's key. */
static int
dec_start(struct crypt *c, struct err *e)
{
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char myid[CRYPT_ID_BYTES];
	const unsigned char *p = (unsigned char *)c->pending.data;
	size_t avail = c->pending.len, n, i, need;
	char ids[CRYPT_RECIPIENTS_MAX * 20], mine[17];

	if (avail < MAGIC_LEN + 1)
		return 0;
	if (memcmp(p, MAGIC, MAGIC_LEN) != 0)
		return err_set(e, ERR_CORRUPT, "not an encrypted member (no "
		    "%s envelope)", MAGIC);
	n = p[MAGIC_LEN];
	if (n == 0 || n > CRYPT_RECIPIENTS_MAX)
		return err_set(e, ERR_CORRUPT, "encryption envelope names %zu "
		    "keys", n);
	need = MAGIC_LEN + 1 + n * SLOT + SS_HEADER;
	if (avail < need)
		return 0;
	crypt_key_id(c->id.pk, myid);
	for (i = 0; i < n; i++) {
		const unsigned char *s = p + MAGIC_LEN + 1 + i * SLOT;

		if (memcmp(s, myid, CRYPT_ID_BYTES) != 0)
			continue;
		if (crypto_box_seal_open(key, s + CRYPT_ID_BYTES, SEALED,
		    c->id.pk, c->id.sk) != 0)
			return err_set(e, ERR_CORRUPT, "its data key does not "
			    "open (damaged envelope)");
		break;
	}
	if (i == n) {
		dec_ids(p + MAGIC_LEN + 1, n, ids, sizeof ids);
		crypt_key_id_hex(c->id.pk, mine);
		return err_set(e, ERR_CONFIG, "not encrypted to the identity "
		    "(key id %s) but to key id %s", mine, ids);
	}
	if (crypto_secretstream_xchacha20poly1305_init_pull(&c->st,
	    p + need - SS_HEADER, key) != 0) {
		sodium_memzero(key, sizeof key);
		return err_set(e, ERR_CORRUPT, "damaged encryption header");
	}
	sodium_memzero(key, sizeof key);
	c->off = need;
	c->started = 1;
	return 0;
}

static int
dec_pull(struct crypt *c, size_t n, int final, struct buf *out,
    struct err *e)
{
	unsigned long long plain;
	unsigned char tag;

	buf_reserve(out, n);
	if (crypto_secretstream_xchacha20poly1305_pull(&c->st,
	    (unsigned char *)out->data + out->len, &plain, &tag,
	    (unsigned char *)c->pending.data + c->off, n, NULL, 0) != 0)
		return err_set(e, ERR_CORRUPT, "encrypted data damaged "
		    "(authentication failed)");
	if (final != (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL))
		return err_set(e, ERR_CORRUPT, "encrypted data %s", final ?
		    "cut short (no final message)" : "goes on past its end");
	out->len += plain;
	c->off += n;
	return 0;
}

static int
dec_process(void *ctx, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	struct crypt *c = ctx;

	buf_append(&c->pending, p, n);
	if (!c->started) {
		if (dec_start(c, e) == -1)
			return -1;
		if (!c->started)
			return 0;	/* the envelope is not whole yet */
	}
	/* A whole message is never the final one, which is shorter. */
	while (c->pending.len - c->off >= CIPHER_MSG)
		if (dec_pull(c, CIPHER_MSG, 0, out, e) == -1)
			return -1;
	crypt_compact(c);
	return 0;
}

static int
dec_finish(void *ctx, struct buf *out, struct err *e)
{
	struct crypt *c = ctx;
	size_t left;

	if (!c->started && dec_start(c, e) == -1)
		return -1;
	if (!c->started)
		return err_set(e, ERR_CORRUPT, "encrypted member cut short "
		    "(in its envelope)");
	left = c->pending.len - c->off;
	if (left < SS_ABYTES)
		return err_set(e, ERR_CORRUPT, "encrypted data cut short (no "
		    "final message)");
	if (dec_pull(c, left, 1, out, e) == -1)
		return -1;
	crypt_reset(c);
	return 0;
}

static const struct filter_ops crypt_dec_ops = {
	"decrypt", 0, dec_process, dec_finish, crypt_reset, crypt_free
};

struct filter *
crypt_decrypt_filter_new(const struct crypt_identity *id, struct err *e)
{
	struct crypt *c;

	if (crypt_init(e) == -1)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->id = *id;
	buf_init(&c->pending);
	return filter_new(&crypt_dec_ops, c);
}
