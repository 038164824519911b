/*
 * Strict parsers for the values of the policy file and the command line,
 * and the quoting every SQL identifier and literal goes through.
 */
#ifndef MYSHIP_STRUTIL_H
#define MYSHIP_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* "64M", "1G", "512k", "100" (bytes); binary multiples; -1 on junk or overflow. */
int parse_size(const char *s, int64_t *out);
/* "7d", "36h", "90m", "30s", "2w", "1d12h"; in seconds; -1 on junk. */
int parse_duration(const char *s, int64_t *out);
/* yes/no/true/false/on/off/1/0 */
int parse_bool(const char *s, int *out);
/* Decimal integer within [min, max]. */
int parse_int(const char *s, long long min, long long max, long long *out);
/* "10%" or "0.1" -> 0.1; must be within [0, 1]. */
int parse_ratio(const char *s, double *out);

/* A list of words (policy lists: databases, exclude); owns its strings. */
struct strlist {
	char **v;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

/* Appends `name` with embedded backticks doubled. */
void sql_quote_ident(struct buf *b, const char *name);
/* Returns a new `db`.`name` string. */
char *sql_qualified(const char *db, const char *name);
/* Appends 'text' escaped for any sql_mode (quotes and backslashes doubled). */
void sql_quote_string(struct buf *b, const char *s, size_t len);
/*
 * Appends "column = 'name' AND CAST(column AS BINARY) = 'name'": an exact
 * match on an information_schema name column, whose collation ignores
 * case (databases `ab` and `AB` are two), that still lets the server look
 * up only that schema.
 */
void sql_name_equals(struct buf *b, const char *column, const char *name);

/* Formats seconds as "1h02m03s" / bytes as "1.5 GiB" into out. */
void format_duration(double seconds, char *out, size_t outlen);
void format_size(uint64_t bytes, char *out, size_t outlen);

#endif
