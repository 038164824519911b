/*
 * Filters: the stages between the SQL and the container, in either
 * direction (zstd, SHA-256, later encryption), after pgBackRest's IoFilter.
 * A filter takes a stream of bytes through process() calls and ends it
 * with finish(); reset() starts a new stream with the state it allocated
 * (a zstd context is worth keeping between members).  A transforming
 * filter appends its output to the buf it is given; a result-only filter
 * (a hash) only looks at the bytes, and its stage passes them on as they
 * are, without a copy.
 *
 * A chain is a filter too: its stages run in order, so whoever builds a
 * chain decides what the bytes pass through and whoever runs it knows only
 * this interface.  sink_filter and source_filter put a filter in front of
 * a sink or behind a source.  None of these is thread-safe: one stream,
 * one thread at a time.
 */
#ifndef MYSHIP_FILTER_H
#define MYSHIP_FILTER_H

#include <stddef.h>

#include "stream/io.h"
#include "util/buf.h"
#include "util/err.h"

struct filter_ops {
	const char *name;	/* for messages: "zstd", "sha256" */
	int result_only;	/* looks at bytes, never changes them */
	/* Appends what p..p+n turns into to out (unused if result_only). */
	int (*process)(void *ctx, const void *p, size_t n, struct buf *out,
	    struct err *e);
	/* Ends the stream: appends whatever is left to out. */
	int (*finish)(void *ctx, struct buf *out, struct err *e);
	void (*reset)(void *ctx);	/* NULL when there is nothing to reset */
	void (*free)(void *ctx);
};

struct filter {
	const struct filter_ops *ops;
	void *ctx;
};

/* Allocates a filter for ops and ctx (ctx is freed by filter_free). */
struct filter *filter_new(const struct filter_ops *ops, void *ctx);
int filter_process(struct filter *f, const void *p, size_t n,
    struct buf *out, struct err *e);
int filter_finish(struct filter *f, struct buf *out, struct err *e);
void filter_reset(struct filter *f);
void filter_free(struct filter *f);	/* NULL is fine */

/*
 * A chain of filters, itself a filter, that takes over the stages added
 * to it.  An empty chain passes its bytes through (copied to out).
 */
struct filter *filter_chain_new(void);
void filter_chain_add(struct filter *chain, struct filter *stage);
size_t filter_chain_len(const struct filter *chain);

/*
 * Makes out a sink that runs f over every write and writes f's output to
 * next; finish ends f, then finishes next; abort aborts next.  f is not
 * taken over (its result is read after the finish): it must outlive out.
 */
void sink_filter(struct sink *out, struct filter *f, struct sink *next);
/*
 * Makes out a source whose bytes are those of in, through f (ended at in's
 * end).  Closing out closes in; f is not taken over.
 */
void source_filter(struct source *out, struct filter *f, struct source *in);

#endif
