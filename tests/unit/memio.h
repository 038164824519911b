/*
 * In-memory sink and source for the stream unit tests and fuzz targets:
 * a sink that appends to a buf, a source that reads a fixed byte range,
 * optionally in short pieces to exercise callers' partial-read paths.
 */
#ifndef MYSHIP_TEST_MEMIO_H
#define MYSHIP_TEST_MEMIO_H

#include <string.h>

#include "stream/io.h"
#include "util/buf.h"

struct memsrc {
	const char *p;
	size_t len, off, piece;
	int fail_at_end;	/* return an error instead of the end */
};

static int
memsink_write(void *ctx, const void *p, size_t n, struct err *e)
{
	buf_append(ctx, p, n);
	return 0;
}

static int
memsink_finish(void *ctx, struct err *e)
{
	return 0;
}

static void
memsink_abort(void *ctx)
{
}

static inline void
memsink_init(struct sink *s, struct buf *b)
{
	memset(s, 0, sizeof *s);
	s->write = memsink_write;
	s->finish = memsink_finish;
	s->abort = memsink_abort;
	s->ctx = b;
}

static ssize_t
memsrc_read(void *ctx, void *p, size_t n, struct err *e)
{
	struct memsrc *m = ctx;

	if (m->off == m->len && m->fail_at_end)
		return err_set(e, ERR_REPO, "memsrc: injected read error");
	if (m->piece != 0 && n > m->piece)
		n = m->piece;
	if (n > m->len - m->off)
		n = m->len - m->off;
	memcpy(p, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static void
memsrc_close(void *ctx)
{
}

static inline void
memsrc_init(struct source *s, struct memsrc *m, const void *p, size_t len)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->len = len;
	s->read = memsrc_read;
	s->close = memsrc_close;
	s->ctx = m;
}

#endif
