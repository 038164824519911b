#include "stream/io.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xmalloc.h"

struct fd_sink {
	int fd;
	const char *name;
};

static int
fd_write(void *ctx, const void *p, size_t n, struct err *e)
{
	struct fd_sink *f = ctx;
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(f->fd, c, n)) == -1) {
			if (errno == EINTR)
				continue;
			return err_setsys(e, ERR_FAILED, "%s", f->name);
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
fd_finish(void *ctx, struct err *e)
{
	free(ctx);
	return 0;
}

static void
fd_abort(void *ctx)
{
	free(ctx);
}

void
sink_fd(struct sink *s, int fd, const char *name)
{
	struct fd_sink *f = xcalloc(1, sizeof *f);

	f->fd = fd;
	f->name = name;
	s->write = fd_write;
	s->finish = fd_finish;
	s->abort = fd_abort;
	s->ctx = f;
	s->bytes = 0;
}

int
sink_write(struct sink *s, const void *p, size_t n, struct err *e)
{
	if (n == 0)
		return 0;
	if (s->write(s->ctx, p, n, e) == -1)
		return -1;
	s->bytes += n;
	return 0;
}

int
sink_finish(struct sink *s, struct err *e)
{
	int rc = s->finish(s->ctx, e);

	s->ctx = NULL;
	return rc;
}

void
sink_abort(struct sink *s)
{
	if (s->ctx != NULL)
		s->abort(s->ctx);
	s->ctx = NULL;
}

ssize_t
source_read(struct source *s, void *p, size_t n, struct err *e)
{
	return s->read(s->ctx, p, n, e);
}

void
source_close(struct source *s)
{
	if (s->ctx != NULL)
		s->close(s->ctx);
	s->ctx = NULL;
}

int
source_read_buf(struct source *s, uint64_t n, struct buf *out,
    uint64_t *bytes, struct err *e)
{
	struct err se;
	ssize_t got;
	size_t want;

	buf_reserve(out, (size_t)n);
	while (n > 0) {
		want = n > 1024 * 1024 ? 1024 * 1024 : (size_t)n;
		if ((got = source_read(s, out->data + out->len, want,
		    &se)) < 0) {
			*e = se;
			return -1;
		}
		if (got == 0)
			return err_set(e, ERR_CORRUPT, "the archive ends early");
		out->len += (size_t)got;
		n -= (uint64_t)got;
		*bytes += (uint64_t)got;
	}
	return 0;
}
