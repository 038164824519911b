#include "stream/zstd_filter.h"

#include <stdint.h>
#include <stdlib.h>
#include <zstd.h>

#include "util/xmalloc.h"

struct zcomp {
	ZSTD_CCtx *cctx;	/* NULL at level 0: passthrough */
};

struct zdecomp {
	ZSTD_DCtx *dctx;	/* NULL: passthrough */
	int in_frame;		/* input ended inside a frame if still set */
	int frames;		/* frames begun since zdecomp_begin */
	uint64_t limit;		/* 0: no limit on decoded bytes */
	uint64_t produced;
};

struct zcomp *
zcomp_new(int level, struct err *e)
{
	struct zcomp *z;
	size_t rc;

	if (level < 0 || level > ZSTD_maxCLevel()) {
		err_set(e, ERR_INTERNAL, "zstd level %d out of range 0-%d",
		    level, ZSTD_maxCLevel());
		return NULL;
	}
	z = xcalloc(1, sizeof *z);
	if (level == 0)
		return z;
	if ((z->cctx = ZSTD_createCCtx()) == NULL) {
		free(z);
		err_set(e, ERR_INTERNAL, "zstd: cannot create context");
		return NULL;
	}
	rc = ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel, level);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag, 1);
	if (ZSTD_isError(rc)) {
		err_set(e, ERR_INTERNAL, "zstd: %s", ZSTD_getErrorName(rc));
		zcomp_free(z);
		return NULL;
	}
	return z;
}

void
zcomp_begin(struct zcomp *z)
{
	if (z->cctx != NULL)
		ZSTD_CCtx_reset(z->cctx, ZSTD_reset_session_only);
}

/* Runs one directive until the input is used up (and, for end, flushed). */
static int
zcomp_run(struct zcomp *z, const void *p, size_t n, ZSTD_EndDirective mode,
    struct buf *out, struct err *e)
{
	ZSTD_inBuffer in = { p, n, 0 };
	ZSTD_outBuffer ob;
	size_t room = ZSTD_CStreamOutSize(), left;

	for (;;) {
		buf_reserve(out, room);
		ob.dst = out->data + out->len;
		ob.size = room;
		ob.pos = 0;
		left = ZSTD_compressStream2(z->cctx, &ob, &in, mode);
		if (ZSTD_isError(left))
			return err_set(e, ERR_INTERNAL, "zstd compression: %s",
			    ZSTD_getErrorName(left));
		out->len += ob.pos;
		if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size)
			return 0;
	}
}

int
zcomp_update(struct zcomp *z, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	if (z->cctx == NULL) {
		buf_append(out, p, n);
		return 0;
	}
	if (n == 0)
		return 0;
	return zcomp_run(z, p, n, ZSTD_e_continue, out, e);
}

int
zcomp_end(struct zcomp *z, struct buf *out, struct err *e)
{
	if (z->cctx == NULL)
		return 0;
	return zcomp_run(z, NULL, 0, ZSTD_e_end, out, e);
}

void
zcomp_free(struct zcomp *z)
{
	if (z == NULL)
		return;
	ZSTD_freeCCtx(z->cctx);
	free(z);
}

struct zdecomp *
zdecomp_new(int passthrough, struct err *e)
{
	struct zdecomp *z = xcalloc(1, sizeof *z);

	if (passthrough)
		return z;
	if ((z->dctx = ZSTD_createDCtx()) == NULL) {
		free(z);
		err_set(e, ERR_INTERNAL, "zstd: cannot create context");
		return NULL;
	}
	return z;
}

void
zdecomp_set_limit(struct zdecomp *z, uint64_t max_bytes)
{
	z->limit = max_bytes;
}

void
zdecomp_begin(struct zdecomp *z)
{
	if (z->dctx != NULL)
		ZSTD_DCtx_reset(z->dctx, ZSTD_reset_session_only);
	z->in_frame = 0;
	z->frames = 0;
	z->produced = 0;
}

static int
zdecomp_account(struct zdecomp *z, size_t n, struct err *e)
{
	z->produced += n;
	if (z->limit != 0 && z->produced > z->limit)
		return err_set(e, ERR_CORRUPT, "member decodes to more than "
		    "%llu bytes", (unsigned long long)z->limit);
	return 0;
}

int
zdecomp_update(struct zdecomp *z, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	ZSTD_inBuffer in = { p, n, 0 };
	ZSTD_outBuffer ob;
	size_t room = ZSTD_DStreamOutSize(), hint;

	if (z->dctx == NULL) {
		if (zdecomp_account(z, n, e) == -1)
			return -1;
		buf_append(out, p, n);
		return 0;
	}
	/*
	 * Loop while input remains or the last call filled the whole output
	 * buffer: zstd may still hold decoded bytes it could not flush.
	 */
	do {
		buf_reserve(out, room);
		ob.dst = out->data + out->len;
		ob.size = room;
		ob.pos = 0;
		if (!z->in_frame && in.pos < in.size) {
			z->in_frame = 1;
			z->frames++;
		}
		hint = ZSTD_decompressStream(z->dctx, &ob, &in);
		if (ZSTD_isError(hint))
			return err_set(e, ERR_CORRUPT, "zstd: %s",
			    ZSTD_getErrorName(hint));
		out->len += ob.pos;
		if (zdecomp_account(z, ob.pos, e) == -1)
			return -1;
		if (hint == 0)
			z->in_frame = 0;
	} while (in.pos < in.size || ob.pos == ob.size);
	return 0;
}

int
zdecomp_end(struct zdecomp *z, struct err *e)
{
	if (z->dctx == NULL)
		return 0;
	if (z->in_frame)
		return err_set(e, ERR_CORRUPT, "zstd: truncated frame");
	if (z->frames == 0)
		return err_set(e, ERR_CORRUPT, "zstd: no frame in member");
	return 0;
}

void
zdecomp_free(struct zdecomp *z)
{
	if (z == NULL)
		return;
	ZSTD_freeDCtx(z->dctx);
	free(z);
}

/* The same two as filters, for chains built by stream/codec.c. */
static int
zc_process(void *ctx, const void *p, size_t n, struct buf *out, struct err *e)
{
	return zcomp_update(ctx, p, n, out, e);
}

static int
zc_finish(void *ctx, struct buf *out, struct err *e)
{
	return zcomp_end(ctx, out, e);
}

static void
zc_reset(void *ctx)
{
	zcomp_begin(ctx);
}

static void
zc_free(void *ctx)
{
	zcomp_free(ctx);
}

static const struct filter_ops zc_ops = {
	"zstd", 0, zc_process, zc_finish, zc_reset, zc_free
};

struct filter *
zstd_compress_filter_new(int level, struct err *e)
{
	struct zcomp *z;

	if (level < 1) {
		err_set(e, ERR_INTERNAL, "zstd filter level %d: use no filter "
		    "for level 0", level);
		return NULL;
	}
	if ((z = zcomp_new(level, e)) == NULL)
		return NULL;
	zcomp_begin(z);
	return filter_new(&zc_ops, z);
}

static int
zd_process(void *ctx, const void *p, size_t n, struct buf *out, struct err *e)
{
	return zdecomp_update(ctx, p, n, out, e);
}

static int
zd_finish(void *ctx, struct buf *out, struct err *e)
{
	(void)out;
	return zdecomp_end(ctx, e);
}

static void
zd_reset(void *ctx)
{
	zdecomp_begin(ctx);
}

static void
zd_free(void *ctx)
{
	zdecomp_free(ctx);
}

static const struct filter_ops zd_ops = {
	"unzstd", 0, zd_process, zd_finish, zd_reset, zd_free
};

struct filter *
zstd_decompress_filter_new(uint64_t max_out, struct err *e)
{
	struct zdecomp *z;

	if ((z = zdecomp_new(0, e)) == NULL)
		return NULL;
	zdecomp_begin(z);
	zdecomp_set_limit(z, max_out);
	return filter_new(&zd_ops, z);
}
