/*
 * A growable byte buffer.  Allocation failure aborts through xmalloc: a
 * backup tool that runs out of memory cannot continue meaningfully.
 */
#ifndef MYSHIP_BUF_H
#define MYSHIP_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);			/* len = 0, keeps memory */
void buf_reserve(struct buf *b, size_t extra);	/* room for extra more bytes */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_append_str(struct buf *b, const char *s);
void buf_append_char(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* NUL-terminates without counting the NUL in len; returns data. */
char *buf_cstr(struct buf *b);

#endif
