#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/target.h"
#include "util/buf.h"
#include "util/strutil.h"

/* Counts rows of a small information_schema query about one schema. */
static int
target_count(MYSQL *c, const char *table, const char *column, const char *db,
    long long *n, struct err *e)
{
	struct buf q;
	char *v = NULL;
	int rc;

	buf_init(&q);
	buf_printf(&q, "SELECT COUNT(*) FROM information_schema.%s WHERE ",
	    table);
	sql_name_equals(&q, column, db);
	rc = db_query_value(c, buf_cstr(&q), &v, e);
	*n = v != NULL ? atoll(v) : 0;
	free(v);
	buf_free(&q);
	return rc;
}

int
target_db_state(MYSQL *c, const char *db, int *exists, int *nonempty,
    struct err *e)
{
	long long n, objs;

	*exists = *nonempty = 0;
	if (target_count(c, "SCHEMATA", "SCHEMA_NAME", db, &n, e) == -1)
		return -1;
	*exists = n > 0;
	if (!*exists)
		return 0;
	if (target_count(c, "TABLES", "TABLE_SCHEMA", db, &objs, e) == -1 ||
	    target_count(c, "ROUTINES", "ROUTINE_SCHEMA", db, &n, e) == -1)
		return -1;
	objs += n;
	if (target_count(c, "EVENTS", "EVENT_SCHEMA", db, &n, e) == -1)
		return -1;
	*nonempty = objs + n > 0;
	return 0;
}

int
target_drop_db(MYSQL *c, const char *db, struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, "DROP DATABASE ");
	sql_quote_ident(&q, db);
	rc = db_exec(c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

/* VERB `db`.`table`: one statement on one table, names quoted. */
static int
target_table_stmt(MYSQL *c, const char *verb, const char *db,
    const char *table, struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, verb);
	sql_quote_ident(&q, db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, table);
	rc = db_exec(c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}

int
target_drop_table(MYSQL *c, const char *db, const char *table,
    struct err *e)
{
	return target_table_stmt(c, "DROP TABLE IF EXISTS ", db, table, e);
}

int
target_analyze(MYSQL *c, const char *db, const char *table, struct err *e)
{
	return target_table_stmt(c, "ANALYZE TABLE ", db, table, e);
}
