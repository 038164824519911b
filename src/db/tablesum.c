/* CHECKSUM TABLE and COUNT(*) of one table. */
#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/tablesum.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

static void
tablesum_name(struct buf *q, const char *db, const char *table)
{
	sql_quote_ident(q, db);
	buf_append_char(q, '.');
	sql_quote_ident(q, table);
}

int
tablesum_checksum(MYSQL *c, const char *db, const char *table, char **out,
    struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;

	*out = NULL;
	buf_init(&q);
	buf_append_str(&q, "CHECKSUM TABLE ");
	tablesum_name(&q, db, table);
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	/* Table, Checksum: NULL when the table cannot be read. */
	if ((row = mysql_fetch_row(r)) != NULL && mysql_num_fields(r) >= 2 &&
	    row[1] != NULL && strspn(row[1], "0123456789") == strlen(row[1]) &&
	    row[1][0] != '\0')
		*out = xstrdup(row[1]);
	mysql_free_result(r);
	return 0;
}

int
tablesum_count(MYSQL *c, const char *db, const char *table, uint64_t *out,
    struct err *e)
{
	struct buf q;
	char *v = NULL;
	int rc;

	buf_init(&q);
	buf_append_str(&q, "SELECT COUNT(*) FROM ");
	tablesum_name(&q, db, table);
	rc = db_query_value(c, buf_cstr(&q), &v, e);
	*out = v != NULL ? strtoull(v, NULL, 10) : 0;
	free(v);
	buf_free(&q);
	return rc;
}
