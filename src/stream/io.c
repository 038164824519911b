#include "stream/io.h"

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
