#include "stream/digest.h"

#include <stdlib.h>
#include <string.h>

#include "stream/hash.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct dg_body {
	uint64_t off, len;
	unsigned char sha[32];
	int known;		/* sha given (writing) */
};

struct digest {
	int reading;
	struct hash *skel;	/* the stream with bodies replaced */
	struct hash *member;	/* the body being read */
	uint64_t pos;		/* stream offset of the next byte to place */
	uint64_t seen;		/* bytes given to the filter */
	struct buf held;	/* bytes from pos on, not yet placed */
	size_t held_at;		/* placed bytes at the front of held */
	struct dg_body *q;	/* announced bodies not yet passed */
	size_t qhead, qlen, qcap;
	char member_hex[65];
	char hex[65];
};

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return 0;
}

/* The body at the head of the queue has passed: its hash into skel. */
static void
dg_body_done(struct digest *d)
{
	struct dg_body *b = &d->q[d->qhead];

	if (!b->known) {
		hash_final(d->member, b->sha);
		hash_to_hex(b->sha, 32, d->member_hex);
	}
	hash_update(d->skel, b->sha, 32);
	d->qhead++;
	if (d->qhead == d->qlen)
		d->qhead = d->qlen = 0;
}

/*
 * Places what it can of p..p+n (stream offset pos): returns the bytes
 * placed; the rest must wait for an announcement (reading only).
 */
static size_t
dg_place(struct digest *d, const unsigned char *p, size_t n, int at_end)
{
	struct dg_body *b;
	size_t done = 0, k;
	uint64_t end;

	for (;;) {
		b = d->qhead < d->qlen ? &d->q[d->qhead] : NULL;
		if (b != NULL && d->pos == b->off + b->len) {
			dg_body_done(d);
			continue;
		}
		if (done == n)
			break;
		if (b != NULL && d->pos >= b->off) {	/* in a body */
			end = b->off + b->len;
			k = end - d->pos < n - done ? (size_t)(end - d->pos) :
			    n - done;
			if (!b->known)
				hash_update(d->member, p + done, k);
		} else if (b != NULL) {			/* before one */
			k = b->off - d->pos < n - done ?
			    (size_t)(b->off - d->pos) : n - done;
			hash_update(d->skel, p + done, k);
		} else if (!d->reading || at_end) {	/* headers, end */
			k = n - done;
			hash_update(d->skel, p + done, k);
		} else
			break;
		done += k;
		d->pos += k;
	}
	return done;
}

/* Places held bytes; true when none is left. */
static int
dg_place_held(struct digest *d, int at_end)
{
	size_t k;

	if (d->held.len == d->held_at)
		return 1;
	k = dg_place(d, (unsigned char *)d->held.data + d->held_at,
	    d->held.len - d->held_at, at_end);
	d->held_at += k;
	if (d->held_at < d->held.len)
		return 0;
	buf_reset(&d->held);
	d->held_at = 0;
	return 1;
}

static int
dg_process(void *ctx, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	struct digest *d = ctx;
	size_t k = 0;

	(void)out;
	(void)e;
	d->seen += n;
	if (dg_place_held(d, 0))
		k = dg_place(d, p, n, 0);
	if (k < n) {
		/* Keep the held bytes from growing at the front. */
		if (d->held_at > 0 && d->held_at == d->held.len) {
			buf_reset(&d->held);
			d->held_at = 0;
		}
		buf_append(&d->held, (const char *)p + k, n - k);
	}
	return 0;
}

static int
dg_finish(void *ctx, struct buf *out, struct err *e)
{
	struct digest *d = ctx;
	unsigned char sum[32];

	(void)out;
	(void)e;
	dg_place_held(d, 1);
	/* Bodies announced past the end (a truncated stream) count as passed. */
	while (d->qhead < d->qlen)
		dg_body_done(d);
	hash_final(d->skel, sum);
	hash_to_hex(sum, 32, d->hex);
	return 0;
}

static void
dg_reset(void *ctx)
{
	struct digest *d = ctx;
	unsigned char sum[32];

	hash_final(d->skel, sum);
	hash_final(d->member, sum);
	d->pos = d->seen = 0;
	buf_reset(&d->held);
	d->held_at = 0;
	d->qhead = d->qlen = 0;
	d->member_hex[0] = d->hex[0] = '\0';
}

static void
dg_free(void *ctx)
{
	struct digest *d = ctx;

	hash_free(d->skel);
	hash_free(d->member);
	buf_free(&d->held);
	free(d->q);
	free(d);
}

static const struct filter_ops digest_ops = {
	"digest", 1, dg_process, dg_finish, dg_reset, dg_free
};

struct filter *
digest_filter_new(int reading)
{
	struct digest *d = xcalloc(1, sizeof *d);

	d->reading = reading;
	d->skel = hash_new(HASH_SHA256);
	d->member = hash_new(HASH_SHA256);
	buf_init(&d->held);
	return filter_new(&digest_ops, d);
}

void
digest_member(struct filter *f, uint64_t offset, uint64_t len,
    const char *sha256_hex)
{
	struct digest *d = f->ctx;
	struct dg_body *b;
	size_t i;

	if (d->qhead > 0 && d->qlen == d->qcap) {	/* passed ones go */
		memmove(d->q, d->q + d->qhead,
		    (d->qlen - d->qhead) * sizeof *d->q);
		d->qlen -= d->qhead;
		d->qhead = 0;
	}
	if (d->qlen == d->qcap) {
		d->qcap = d->qcap ? 2 * d->qcap : 8;
		d->q = xreallocarray(d->q, d->qcap, sizeof *d->q);
	}
	b = &d->q[d->qlen++];
	memset(b, 0, sizeof *b);
	/* A body cannot start before what was placed (a hostile archive). */
	b->off = offset < d->pos ? d->pos : offset;
	b->len = len;
	if (sha256_hex != NULL) {
		b->known = 1;
		for (i = 0; i < 32; i++)
			b->sha[i] = (unsigned char)(hexval(sha256_hex[2 * i]) << 4 |
			    hexval(sha256_hex[2 * i + 1]));
	}
	dg_place_held(d, 0);
}

const char *
digest_member_hex(const struct filter *f)
{
	return ((const struct digest *)f->ctx)->member_hex;
}

const char *
digest_hex(const struct filter *f)
{
	return ((const struct digest *)f->ctx)->hex;
}

uint64_t
digest_bytes(const struct filter *f)
{
	return ((const struct digest *)f->ctx)->seen;
}
