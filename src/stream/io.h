/*
 * The two ends every stage talks to.  A sink takes bytes and either
 * finishes (the data is complete and durable) or aborts (nothing of it may
 * look complete); either call releases it.  A source gives bytes until 0.
 * The archive writer only knows a sink; a repository makes sinks (a local
 * file, an S3 multipart upload) and sources (a file, an S3 GET).
 */
#ifndef MYSHIP_IO_H
#define MYSHIP_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/err.h"

struct sink {
	int (*write)(void *ctx, const void *p, size_t n, struct err *e);
	int (*finish)(void *ctx, struct err *e);	/* commit; frees ctx */
	void (*abort)(void *ctx);			/* discard; frees ctx */
	void *ctx;
	uint64_t bytes;		/* bytes written so far, kept by sink_write */
};

int sink_write(struct sink *s, const void *p, size_t n, struct err *e);
/*
 * A sink writing to an open descriptor (standard output, a pipe) that it
 * does not own: finish flushes nothing more and closes nothing.  name is
 * for messages and must outlive the sink.
 */
void sink_fd(struct sink *s, int fd, const char *name);
int sink_finish(struct sink *s, struct err *e);
void sink_abort(struct sink *s);

struct source {
	/* Returns bytes read, 0 at the end, -1 on error. */
	ssize_t (*read)(void *ctx, void *p, size_t n, struct err *e);
	void (*close)(void *ctx);			/* frees ctx */
	void *ctx;
};

ssize_t source_read(struct source *s, void *p, size_t n, struct err *e);
/*
 * Appends exactly n bytes of s to out and adds them to *bytes; a source
 * that ends first is ERR_CORRUPT.  A source may note an error it then
 * recovered from (a resumed GET): e is written only when the read fails.
 */
int source_read_buf(struct source *s, uint64_t n, struct buf *out,
    uint64_t *bytes, struct err *e);
void source_close(struct source *s);

#endif
