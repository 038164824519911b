/*
 * A chunk's rows fingerprint (FORMAT.md, [chunk] rows_sha256): SHA-256
 * over each row's VALUES tuple exactly as rowfmt_row writes it into the
 * member, followed by "\n", in the member's order.  It does not depend on
 * how rows were cut into INSERT statements or members, nor on the codec.
 * The dump adds each row as it formats it (rowsum_add, rowsum_end);
 * restore --diff reads a key range of a target table through the SELECT
 * the dump would build for it (dtable_new: same columns, kinds, key
 * order) on a SET NAMES binary session in UTC, and gets the same digest
 * exactly when the rows are the same.  Ranges are the manifest's SQL
 * literals of a chunk's first and last key, run as SQL as the archive's
 * statements are.  ERR_DB with the server's message.
 */
#ifndef MYSHIP_DUMP_ROWSUM_H
#define MYSHIP_DUMP_ROWSUM_H

#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "stream/hash.h"
#include "util/err.h"
#include "util/strutil.h"

/* One formatted row "(v1,...)" of n bytes into the member's digest. */
void rowsum_add(struct hash *h, const char *row, size_t n);
/* The member's digest as lowercase hex; h starts over. */
void rowsum_end(struct hash *h, char hex[65]);
/*
 * A table without a key is also fingerprinted in any order (FORMAT.md,
 * [table N] rows_sum): acc += SHA-256 of the row and "\n" (util/sum256.h),
 * h a scratch hash.
 */
void rowsum_sum_add(struct hash *h, unsigned char acc[32], const char *row,
    size_t n);

struct rowsum_table;

/*
 * db.table of c's server read as the dump reads it (db/catalog.h).  c
 * must be SET NAMES binary.
 */
int rowsum_open(MYSQL *c, const char *db, const char *table,
    struct rowsum_table **out, struct err *e);
void rowsum_free(struct rowsum_table *t);
/* The columns of the key that orders its rows; none: scan order. */
const struct strlist *rowsum_key(const struct rowsum_table *t);
/* Rows with key from first to last, both included: digest and count. */
int rowsum_range(MYSQL *c, const struct rowsum_table *t, const char *first,
    const char *last, char hex[65], uint64_t *rows, struct err *e);
/*
 * Every row in the dump's order, cut after rows[0], then rows[1] more...:
 * n digests into hex; *extra gets the rows past the last cut.
 */
int rowsum_split(MYSQL *c, const struct rowsum_table *t,
    const uint64_t *rows, size_t n, char (*hex)[65], uint64_t *extra,
    struct err *e);
/* The rows_sum of every row of t, in whatever order the server gives. */
int rowsum_multiset(MYSQL *c, const struct rowsum_table *t, char hex[65],
    struct err *e);
/* Deletes the rows whose key is in none of the n ranges (all if n == 0). */
int rowsum_delete_outside(MYSQL *c, const struct rowsum_table *t,
    char *const *first, char *const *last, size_t n, struct err *e);

#endif
