/*
 * What restore --resume asks of a target table that an interrupted
 * restore left: whether it exists, the columns of its primary key, whether
 * it has an index of a given name, how many rows it holds in a key range
 * (or in all), and deleting those rows (restore --diff deletes them
 * too, and asks whether a range can be replaced in one transaction).  One
 * statement each on the caller's session; names quoted as identifiers or
 * literals.  The range bounds are the manifest's SQL literals of the
 * chunk's first and last key ("5", or "(1,'a')" for a key of several
 * columns), which the dump wrote; they are run as SQL as the archive's
 * statements are, a key of several columns compared column by column
 * (util/keyrange.h).  ERR_DB with the server's message.
 */
#ifndef MYSHIP_TARGET_RESUME_H
#define MYSHIP_TARGET_RESUME_H

#include <mysql.h>

#include "util/err.h"
#include "util/strutil.h"

/* Whether db.name is a table, view or sequence of the target. */
int target_table_exists(MYSQL *c, const char *db, const char *name,
    int *exists, struct err *e);
/* Its PRIMARY KEY columns in key order (none: cols stays empty). */
int target_primary_key(MYSQL *c, const char *db, const char *table,
    struct strlist *cols, struct err *e);
/* Whether db.table has an index named index. */
int target_has_index(MYSQL *c, const char *db, const char *table,
    const char *index, int *has, struct err *e);
/*
 * Rows of db.table whose key (cols) is from first to last, both included;
 * every row when cols is empty or first is NULL.
 */
int target_count_rows(MYSQL *c, const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last,
    long long *n, struct err *e);
/* Deletes the rows target_count_rows counts. */
int target_delete_rows(MYSQL *c, const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last,
    struct err *e);
/* The text of that DELETE, to run elsewhere (free it). */
char *target_delete_sql(const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last);
/*
 * Whether one key range of db.table can be deleted and loaded again in
 * one transaction without colliding with rows outside it: InnoDB, and no
 * unique index but one (the key the ranges are of).  A second unique
 * index can hold a value that moved between rows of two ranges.
 */
int target_range_atomic(MYSQL *c, const char *db, const char *table,
    int *atomic, struct err *e);

#endif
