#include "stream/filter.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

struct filter *
filter_new(const struct filter_ops *ops, void *ctx)
{
	struct filter *f = xcalloc(1, sizeof *f);

	f->ops = ops;
	f->ctx = ctx;
	return f;
}

int
filter_process(struct filter *f, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	if (n == 0)
		return 0;
	return f->ops->process(f->ctx, p, n, out, e);
}

int
filter_finish(struct filter *f, struct buf *out, struct err *e)
{
	return f->ops->finish(f->ctx, out, e);
}

void
filter_reset(struct filter *f)
{
	if (f->ops->reset != NULL)
		f->ops->reset(f->ctx);
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	f->ops->free(f->ctx);
	free(f);
}

/*
 * The chain.  Every transforming stage but the last writes into a buffer
 * of its own; the last writes straight into the caller's, and the
 * result-only stages after it look at what it appended there.
 */
struct chain {
	struct filter **v;
	struct buf *tmp;
	size_t n;
	size_t last;		/* index of the last transforming stage + 1 */
};

/* Where stage i writes: its own buffer, or out for the last transform. */
static struct buf *
chain_dst(struct chain *c, size_t i, struct buf *out)
{
	if (i + 1 == c->last)
		return out;
	buf_reset(&c->tmp[i]);
	return &c->tmp[i];
}

static int
chain_process(void *ctx, const void *p, size_t n, struct buf *out,
    struct err *e)
{
	struct chain *c = ctx;
	const char *data = p;
	struct buf *dst;
	size_t i, off;

	for (i = 0; i < c->n; i++) {
		if (c->v[i]->ops->result_only) {
			if (filter_process(c->v[i], data, n, NULL, e) == -1)
				return -1;
			continue;
		}
		dst = chain_dst(c, i, out);
		off = dst->len;
		if (filter_process(c->v[i], data, n, dst, e) == -1)
			return -1;
		data = dst->data + off;
		n = dst->len - off;
	}
	if (c->last == 0 && out != NULL)
		buf_append(out, p, n);
	return 0;
}

/* Each stage first takes what the stages before it let out at their end. */
static int
chain_finish(void *ctx, struct buf *out, struct err *e)
{
	struct chain *c = ctx;
	const char *data = NULL;
	struct buf *dst;
	size_t i, n = 0, off;

	for (i = 0; i < c->n; i++) {
		if (c->v[i]->ops->result_only) {
			if (filter_process(c->v[i], data, n, NULL, e) == -1 ||
			    filter_finish(c->v[i], NULL, e) == -1)
				return -1;
			continue;
		}
		dst = chain_dst(c, i, out);
		off = dst->len;
		if (filter_process(c->v[i], data, n, dst, e) == -1 ||
		    filter_finish(c->v[i], dst, e) == -1)
			return -1;
		data = dst->data + off;
		n = dst->len - off;
	}
	return 0;
}

static void
chain_reset(void *ctx)
{
	struct chain *c = ctx;
	size_t i;

	for (i = 0; i < c->n; i++)
		filter_reset(c->v[i]);
}

static void
chain_free(void *ctx)
{
	struct chain *c = ctx;
	size_t i;

	for (i = 0; i < c->n; i++) {
		filter_free(c->v[i]);
		buf_free(&c->tmp[i]);
	}
	free(c->v);
	free(c->tmp);
	free(c);
}

/* Two faces of one chain: it is result-only while all its stages are. */
static const struct filter_ops chain_ops = {
	"chain", 0, chain_process, chain_finish, chain_reset, chain_free
};
static const struct filter_ops chain_look_ops = {
	"chain", 1, chain_process, chain_finish, chain_reset, chain_free
};

struct filter *
filter_chain_new(void)
{
	return filter_new(&chain_look_ops, xcalloc(1, sizeof(struct chain)));
}

void
filter_chain_add(struct filter *chain, struct filter *stage)
{
	struct chain *c = chain->ctx;

	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->tmp = xreallocarray(c->tmp, c->n + 1, sizeof *c->tmp);
	c->v[c->n] = stage;
	buf_init(&c->tmp[c->n]);
	c->n++;
	if (!stage->ops->result_only) {
		c->last = c->n;
		chain->ops = &chain_ops;
	}
}

size_t
filter_chain_len(const struct filter *chain)
{
	return ((const struct chain *)chain->ctx)->n;
}

/* A filter in front of a sink. */
struct fsink {
	struct filter *f;
	struct sink next;
	struct buf out;
};

static int
fsink_write(void *ctx, const void *p, size_t n, struct err *e)
{
	struct fsink *s = ctx;

	if (s->f->ops->result_only)
		return filter_process(s->f, p, n, NULL, e) == -1 ? -1 :
		    sink_write(&s->next, p, n, e);
	buf_reset(&s->out);
	if (filter_process(s->f, p, n, &s->out, e) == -1)
		return -1;
	return sink_write(&s->next, s->out.data, s->out.len, e);
}

static void
fsink_free(struct fsink *s)
{
	buf_free(&s->out);
	free(s);
}

static int
fsink_finish(void *ctx, struct err *e)
{
	struct fsink *s = ctx;
	int rc;

	buf_reset(&s->out);
	if (filter_finish(s->f, &s->out, e) == -1 ||
	    sink_write(&s->next, s->out.data, s->out.len, e) == -1) {
		sink_abort(&s->next);
		fsink_free(s);
		return -1;
	}
	rc = sink_finish(&s->next, e);
	fsink_free(s);
	return rc;
}

static void
fsink_abort(void *ctx)
{
	struct fsink *s = ctx;

	sink_abort(&s->next);
	fsink_free(s);
}

void
sink_filter(struct sink *out, struct filter *f, struct sink *next)
{
	struct fsink *s = xcalloc(1, sizeof *s);

	s->f = f;
	s->next = *next;
	buf_init(&s->out);
	memset(out, 0, sizeof *out);
	out->write = fsink_write;
	out->finish = fsink_finish;
	out->abort = fsink_abort;
	out->ctx = s;
}

/* A filter behind a source. */
#define FSOURCE_READ	(64 * 1024)

struct fsource {
	struct filter *f;
	struct source in;
	struct buf out;		/* f's output not yet given out */
	size_t pos;
	int eof;		/* f finished */
	char *inbuf;
};

/* A result-only filter looks at the bytes in the caller's buffer. */
static ssize_t
fsource_look(struct fsource *s, void *p, size_t n, struct err *e)
{
	ssize_t got;

	if (s->eof)
		return 0;
	got = source_read(&s->in, p, n, e);
	if (got > 0 && filter_process(s->f, p, (size_t)got, NULL, e) == -1)
		return -1;
	if (got == 0) {
		s->eof = 1;
		if (filter_finish(s->f, NULL, e) == -1)
			return -1;
	}
	return got;
}

static ssize_t
fsource_read(void *ctx, void *p, size_t n, struct err *e)
{
	struct fsource *s = ctx;
	ssize_t got;
	size_t k;

	if (s->f->ops->result_only)
		return fsource_look(s, p, n, e);
	while (s->pos == s->out.len) {
		if (s->eof)
			return 0;
		buf_reset(&s->out);
		s->pos = 0;
		if (s->inbuf == NULL)
			s->inbuf = xmalloc(FSOURCE_READ);
		if ((got = source_read(&s->in, s->inbuf, FSOURCE_READ, e)) < 0)
			return -1;
		if (got == 0) {
			s->eof = 1;
			if (filter_finish(s->f, &s->out, e) == -1)
				return -1;
		} else if (filter_process(s->f, s->inbuf, (size_t)got, &s->out,
		    e) == -1)
			return -1;
	}
	k = s->out.len - s->pos < n ? s->out.len - s->pos : n;
	memcpy(p, s->out.data + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

static void
fsource_close(void *ctx)
{
	struct fsource *s = ctx;

	source_close(&s->in);
	buf_free(&s->out);
	free(s->inbuf);
	free(s);
}

void
source_filter(struct source *out, struct filter *f, struct source *in)
{
	struct fsource *s = xcalloc(1, sizeof *s);

	s->f = f;
	s->in = *in;
	buf_init(&s->out);
	memset(out, 0, sizeof *out);
	out->read = fsource_read;
	out->close = fsource_close;
	out->ctx = s;
}
