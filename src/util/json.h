/*
 * JSON string literals for the --json outputs.  Names from servers and
 * repositories may hold any bytes: valid UTF-8 passes through, control
 * characters are escaped, and bytes that are not UTF-8 become U+FFFD so the
 * document always stays valid JSON.
 */
#ifndef MYSHIP_JSON_H
#define MYSHIP_JSON_H

#include <stdio.h>

#include "util/buf.h"

/* Appends "s" quoted and escaped; NULL appends null. */
void json_append_string(struct buf *b, const char *s);
/* The same, written to f. */
void json_write_string(FILE *f, const char *s);

#endif
