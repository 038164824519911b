/*
 * What a backup copies: which databases of a server (POSIX extended
 * regexes matching whole names, from the command line or the policy), and
 * for each base table the columns a dump SELECT reads, how each value is
 * written, the key that orders or splits it, and the server's size
 * estimate.  Read from information_schema inside the snapshot.
 */
#ifndef MYSHIP_CATALOG_H
#define MYSHIP_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "db/rowfmt.h"
#include "db/schema.h"
#include "util/config.h"
#include "util/err.h"

struct db_filter;

/*
 * only: --database regexes (override the policy's databases when given);
 * databases/exclude: the policy's [backup] lists.  ERR_USAGE (command
 * line) or ERR_CONFIG (policy) names a regex that does not compile.
 */
struct db_filter *db_filter_new(const struct strlist *only,
    const struct strlist *databases, const struct strlist *exclude,
    struct err *e);
void db_filter_free(struct db_filter *f);
/*
 * Picks from names (a server's databases) into sel.  System schemas are
 * taken only when a regex that names them literally matches them;
 * information_schema and performance_schema never.  A --database regex
 * that matches nothing is ERR_DB (unknown database) naming it.
 */
int db_filter_apply(const struct db_filter *f, char **names, size_t n,
    struct strlist *sel, struct err *e);

struct cat_column {
	char *name;
	enum col_kind kind;
	int nullable;
};

struct cat_table {
	char *db, *name, *engine;
	int transactional;	/* MVCC engine: its rows are in the snapshot */
	int rows_elsewhere;	/* its rows are other tables' or none: not copied */
	int versioned;		/* copy FOR SYSTEM_TIME ALL with ROW_START/END */
	struct cat_column *cols;	/* what the dump reads, in order */
	size_t ncols;
	size_t *key;		/* indexes into cols of a unique NOT NULL key */
	size_t nkey;		/* 0: no usable key, rows in scan order */
	int int_key;		/* nkey == 1 and an integer type: range-split */
	uint64_t est_rows, est_bytes;
};

/*
 * True when an ENUM's COLUMN_TYPE ("enum('a','','it''s')") has the empty
 * member: '' then names both it and the error value (index 0), so its
 * values are dumped as their index (COL_ENUM_INDEX).
 */
int catalog_enum_has_empty(const char *column_type);

/* Lists the server's databases (SHOW DATABASES). */
int catalog_databases(MYSQL *c, struct strlist *out, struct err *e);
/* Reads the tables of db named by st (schema.h's base tables). */
int catalog_tables(MYSQL *c, const char *db, const struct schema_table *st,
    size_t nst, struct cat_table **out, size_t *nout, struct err *e);
void cat_table_free(struct cat_table *t);
/* "InnoDB" and the like: rows come from the snapshot. */
int catalog_engine_transactional(const char *engine);
/*
 * Engines whose rows are not the table's own: MERGE (MRG_MyISAM, the
 * underlying tables' rows), FEDERATED/FederatedX, CONNECT, SPIDER
 * (another server's or a file's), OQGRAPH (its backing table's), BLACKHOLE
 * (none) and the SEQUENCE engine's virtual tables.  Their definitions are
 * dumped, their rows never: restored, the rows would be written twice
 * (into the underlying table and through the MERGE table) or into the
 * remote.
 */
int catalog_engine_rows_elsewhere(const char *engine);

#endif
