/*
 * Names for one-line messages.  A database, table or member name may hold
 * any byte; messages show control bytes and backslashes as \xHH and cut
 * what does not fit with "...", so a hostile name can neither break a log
 * line nor grow a message without bound.
 */
#ifndef MYSHIP_SHOW_H
#define MYSHIP_SHOW_H

#include <stddef.h>

/* The size of the out buffers the callers use: a name shows in 160 bytes. */
#define SHOW_MAX 160

/* Copies s into out (len bytes, NUL included) escaped; returns out. */
const char *show_str(const char *s, char *out, size_t len);

#endif
