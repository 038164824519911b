/*
 * Allocation that never returns NULL: out of memory is reported and the
 * process aborts, as tmux and OpenSSH do.  Everything else is an error value.
 */
#ifndef MYSHIP_XMALLOC_H
#define MYSHIP_XMALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
