/*
 * Archive member names from identifiers.  Any database or table name
 * (slashes, "..", spaces, newlines, any bytes) maps to a name made only of
 * [A-Za-z0-9_-] plus "%XX" escapes, and back.  "." is always escaped, so no
 * encoded component can be "." or ".." or contain a path separator.
 */
#ifndef MYSHIP_NAMES_H
#define MYSHIP_NAMES_H

#include <stddef.h>

/* Returns a newly allocated encoding of the len bytes at s. */
char *name_encode(const char *s, size_t len);
/* Decodes into a new NUL-terminated string; *outlen gets its length.
 * Returns NULL when enc is not a valid encoding (bad escape, bad byte, or
 * an escape that did not need escaping, so every name has one encoding). */
char *name_decode(const char *enc, size_t *outlen);

#endif
