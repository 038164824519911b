/*
 * Which privileges a backup needs that an account lacks.  What the account
 * may do is read from SHOW GRANTS, which lists its own grants, those of its
 * enabled roles (nested ones too) and PUBLIC's: information_schema leaves
 * role grants out.  Table- and column-level grants are not counted: a
 * backup reads every table, so it needs database-level grants or better.
 */
#ifndef MYSHIP_PRIVS_H
#define MYSHIP_PRIVS_H

#include <mysql.h>

#include "db/conn.h"
#include "util/config.h"
#include "util/err.h"

struct grants;

struct grants *grants_new(void);
void grants_free(struct grants *g);
/* Adds one line of SHOW GRANTS; returns 0, or 1 for a line that grants
 * nothing countable (roles, PROXY, routines, tables). */
int grants_add_line(struct grants *g, const char *line);
/* SHOW GRANTS of the current session into g. */
int grants_read(MYSQL *c, struct grants *g, struct err *e);
/*
 * True when priv (upper case, "SELECT") is held globally (db NULL) or on
 * database db (a global grant, or a database grant whose LIKE pattern
 * matches db; ALL PRIVILEGES counts), or on table db.table.
 */
int grants_have(const struct grants *g, const char *priv, const char *db,
    const char *table);

/*
 * The backup of host h reading databases dbs: adds to missing one entry
 * per missing privilege ("EVENT", or "TRIGGER (on app, shop)" when only
 * some databases lack it) and to notes what is optional ("RELOAD").
 * all_databases: the policy backs up every database (needs SHOW DATABASES).
 */
void privs_backup_missing(const struct grants *g, const struct host_cfg *h,
    const struct db_server *srv, const struct strlist *dbs,
    int all_databases, struct strlist *missing, struct strlist *notes);

#endif
