/* restore --resume's probes of a target table (db/target_resume.h). */
#include "db/target_resume.h"

#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "util/buf.h"
#include "util/keyrange.h"

/* " WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 'table'" */
static void
where_table(struct buf *q, const char *db, const char *table)
{
	buf_append_str(q, " WHERE TABLE_SCHEMA = ");
	sql_quote_string(q, db, strlen(db));
	buf_append_str(q, " AND TABLE_NAME = ");
	sql_quote_string(q, table, strlen(table));
}

static int
count_query(MYSQL *c, struct buf *q, long long *n, struct err *e)
{
	char *v = NULL;
	int rc;

	rc = db_query_value(c, buf_cstr(q), &v, e);
	*n = v != NULL ? atoll(v) : 0;
	free(v);
	buf_free(q);
	return rc;
}

int
target_table_exists(MYSQL *c, const char *db, const char *name, int *exists,
    struct err *e)
{
	struct buf q;
	long long n;

	buf_init(&q);
	buf_append_str(&q, "SELECT COUNT(*) FROM information_schema.TABLES");
	where_table(&q, db, name);
	if (count_query(c, &q, &n, e) == -1)
		return -1;
	*exists = n > 0;
	return 0;
}

int
target_primary_key(MYSQL *c, const char *db, const char *table,
    struct strlist *cols, struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;

	buf_init(&q);
	buf_append_str(&q, "SELECT COLUMN_NAME FROM information_schema."
	    "STATISTICS");
	where_table(&q, db, table);
	buf_append_str(&q, " AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX");
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL)
		if (row[0] != NULL)
			strlist_add(cols, row[0]);
	mysql_free_result(r);
	return 0;
}

int
target_has_index(MYSQL *c, const char *db, const char *table,
    const char *index, int *has, struct err *e)
{
	struct buf q;
	long long n;

	buf_init(&q);
	buf_append_str(&q, "SELECT COUNT(*) FROM information_schema.STATISTICS");
	where_table(&q, db, table);
	buf_append_str(&q, " AND INDEX_NAME = ");
	sql_quote_string(&q, index, strlen(index));
	if (count_query(c, &q, &n, e) == -1)
		return -1;
	*has = n > 0;
	return 0;
}

/* " FROM `db`.`table` [WHERE cols from first to last]" */
static void
rows_clause(struct buf *q, const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last)
{
	buf_append_str(q, " FROM ");
	sql_quote_ident(q, db);
	buf_append_char(q, '.');
	sql_quote_ident(q, table);
	if (cols->n == 0 || first == NULL || last == NULL)
		return;
	buf_append_str(q, " WHERE ");
	keyrange_sql(q, cols, first, 1, last);
}

int
target_count_rows(MYSQL *c, const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last,
    long long *n, struct err *e)
{
	struct buf q;

	buf_init(&q);
	buf_append_str(&q, "SELECT COUNT(*)");
	rows_clause(&q, db, table, cols, first, last);
	return count_query(c, &q, n, e);
}

char *
target_delete_sql(const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last)
{
	struct buf q;

	buf_init(&q);
	buf_append_str(&q, "DELETE");
	rows_clause(&q, db, table, cols, first, last);
	return buf_cstr(&q);
}

int
target_delete_rows(MYSQL *c, const char *db, const char *table,
    const struct strlist *cols, const char *first, const char *last,
    struct err *e)
{
	char *q = target_delete_sql(db, table, cols, first, last);
	int rc;

	rc = db_exec(c, q, e);
	free(q);
	return rc;
}

int
target_range_atomic(MYSQL *c, const char *db, const char *table,
    int *atomic, struct err *e)
{
	struct buf q;
	long long n;

	*atomic = 0;
	buf_init(&q);
	buf_append_str(&q, "SELECT COUNT(*) FROM information_schema.TABLES");
	where_table(&q, db, table);
	buf_append_str(&q, " AND ENGINE = 'InnoDB'");
	if (count_query(c, &q, &n, e) == -1)
		return -1;
	if (n == 0)
		return 0;
	buf_init(&q);
	buf_append_str(&q, "SELECT COUNT(DISTINCT INDEX_NAME) FROM "
	    "information_schema.STATISTICS");
	where_table(&q, db, table);
	buf_append_str(&q, " AND NON_UNIQUE = 0");
	if (count_query(c, &q, &n, e) == -1)
		return -1;
	*atomic = n == 1;
	return 0;
}
