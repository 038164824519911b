/*
 * What a restore asks of, and does to, a target database as a whole,
 * apart from running members: whether it exists and holds anything,
 * dropping it to replace it, ANALYZE TABLE once the rows are in.  One
 * small statement each on the caller's session; names are quoted as
 * identifiers or literals, so any bytes are safe.  ERR_DB with the
 * server's message.
 */
#ifndef MYSHIP_TARGET_H
#define MYSHIP_TARGET_H

#include <mysql.h>

#include "util/err.h"

/*
 * Whether db exists, and whether it holds a table, view, routine or event
 * (a restore refuses to replace such a database without --force).
 */
int target_db_state(MYSQL *c, const char *db, int *exists, int *nonempty,
    struct err *e);
/* DROP DATABASE db. */
int target_drop_db(MYSQL *c, const char *db, struct err *e);
/* DROP TABLE IF EXISTS db.table (a table or a sequence). */
int target_drop_table(MYSQL *c, const char *db, const char *table,
    struct err *e);
/* ANALYZE TABLE db.table, in the session's character set. */
int target_analyze(MYSQL *c, const char *db, const char *table,
    struct err *e);

#endif
