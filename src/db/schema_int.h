/*
 * Inside the schema dump (db/schema.h): what its three files share.
 * schema.c runs schema_dump_database and writes the schema member;
 * schema_post.c writes the post-data member (schema_lib.c its libraries); schema_text.c rewrites the
 * server's text.  Nothing outside db/schema*.c includes this.
 */
#ifndef MYSHIP_SCHEMA_INT_H
#define MYSHIP_SCHEMA_INT_H

#include <mysql.h>

#include "db/schema.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/config.h"	/* struct strlist */

/* Runs the query built in q and stores its result; q is reset. */
MYSQL_RES *schema_query(MYSQL *c, struct buf *q, struct err *e);
/* Column i of row as a new string (exact bytes); NULL stays NULL. */
char *schema_col_dup(MYSQL_RES *r, MYSQL_ROW row, unsigned i);
/* Fetches the one row of a SHOW CREATE; ERR_DB when column col is missing. */
MYSQL_ROW schema_one_row(MYSQL_RES *r, unsigned col, const char *what,
    const char *db, const char *name, struct err *e);
/* Appends " WHERE column = 'db'" to q. */
void schema_append_db_where(struct buf *q, const char *column,
    const char *db);

/*
 * An object's SHOW CREATE failed with e: with out->skip_broken and a
 * server error (ERR_DB), notes it in out->skipped, warns and returns 0;
 * otherwise returns -1 with e as it was.
 */
int schema_skip(struct schema_out *out, const char *what, const char *db,
    const char *name, struct err *e);

/* Adds every name that def reads as `db`.`name`, in order of appearance. */
void schema_view_refs(const char *def, const char *db, struct strlist *refs);

/*
 * schema_lib.c: MySQL 9's JavaScript libraries of db, listed (none where
 * the server has no information_schema.LIBRARIES) while results are still
 * utf8mb4, then appended as CREATE LIBRARY to out->post_sql (counted with
 * the routines; one SHOW CREATE LIBRARY refuses goes through schema_skip).
 */
int schema_list_libraries(MYSQL *c, const char *db, struct strlist *names,
    struct buf *q, struct err *e);
int schema_dump_libraries(MYSQL *c, const char *db,
    const struct strlist *names, struct schema_out *out, struct buf *q,
    struct err *e);
/*
 * Appends db's post-data text to out->post_sql (nothing when db has no
 * such object) and counts the objects; q is scratch.  Leaves the session's
 * character_set_results binary: the caller puts the session back.
 */
int schema_dump_post(MYSQL *c, const char *db, struct schema_out *out,
    struct buf *q, struct err *e);

#endif
