/*
 * Row formatting: one result row of a dump SELECT (text protocol, SET NAMES
 * binary) appended to a buffer as an SQL VALUES tuple.  This is the inner
 * loop of a backup, so it does no printf and no allocation per value: one
 * reserve per value, then a table-driven copy.  Numbers pass through as the
 * server's text only after a character check (nothing from a server is
 * trusted into SQL unquoted); everything else is a quoted string with the
 * escapes mysql_real_escape_string produces for the binary character set.
 * Room: a value of n bytes takes at most 2n + ROWFMT_VALUE_EXTRA bytes.
 */
#ifndef MYSHIP_ROWFMT_H
#define MYSHIP_ROWFMT_H

#include <stddef.h>

#include "util/buf.h"

enum col_kind {
	COL_STRING = 0,	/* strings, BLOB, temporal, ENUM/SET, JSON, GEOMETRY */
	COL_NUMBER,	/* integers, DECIMAL, DOUBLE, YEAR: server text */
	COL_FLOAT,	/* FLOAT, selected as CAST(col AS DOUBLE): exact */
	COL_BIT,	/* BIT: raw bytes, written X'..' */
	COL_JSON,	/* MySQL's JSON: _utf8mb4'..', as MySQL refuses to
			   make a JSON value of a binary string (MariaDB's
			   JSON is LONGTEXT, a COL_STRING) */
	COL_ENUM_INDEX	/* ENUM with an empty member, selected as col+0: its
			   index, as '' names both that member and the error
			   value (index 0) */
};

#define ROWFMT_VALUE_EXTRA 12

/* Appends 'bytes' with \0 \n \r \\ \' \" \Z escaped. */
void rowfmt_string(struct buf *b, const char *p, size_t n);
/* Appends one value; p == NULL is NULL. */
void rowfmt_value(struct buf *b, enum col_kind kind, const char *p, size_t n);
/* Appends "(v1,v2,...)". */
void rowfmt_row(struct buf *b, const enum col_kind *kinds, size_t ncols,
    char **row, const unsigned long *lens);

#endif
