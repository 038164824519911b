/*
 * MySQL 9's JavaScript libraries (CREATE LIBRARY, 9.2 and later) in the
 * post-data member, ahead of the routines whose USING clause imports
 * them.  The community server keeps and describes them even without the
 * MLE component that runs them, so a backup must carry them: a routine
 * restored without its library cannot run.  Servers without
 * information_schema.LIBRARIES (MariaDB, MySQL before 9.2) have none.
 * SHOW CREATE of a routine names its libraries `db`.`lib` even when they
 * are its own database's: written `lib` they follow a rename (an
 * unqualified library is the routine's database's).
 */
#include "db/schema_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/strutil.h"
#include "util/xmalloc.h"

#define ER_UNKNOWN_TABLE_ 1109	/* information_schema has no LIBRARIES */

int
schema_list_libraries(MYSQL *c, const char *db, struct strlist *names,
    struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	buf_append_str(q, "SELECT LIBRARY_NAME FROM information_schema."
	    "LIBRARIES");
	schema_append_db_where(q, "LIBRARY_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY LIBRARY_NAME");
	if ((r = schema_query(c, q, e)) == NULL) {
		if (mysql_errno(c) != ER_UNKNOWN_TABLE_)
			return -1;
		err_clear(e);
		return 0;
	}
	while ((row = mysql_fetch_row(r)) != NULL)
		if (row[0] != NULL)
			strlist_add(names, row[0]);
	mysql_free_result(r);
	return 0;
}

/* SHOW CREATE LIBRARY: Library, sql_mode, Create Library. */
static int
dump_library(MYSQL *c, const char *db, const char *name, struct buf *post,
    struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	const char *delim;
	char *create, tmp[32];

	buf_append_str(q, "SHOW CREATE LIBRARY ");
	sql_quote_ident(q, name);
	if ((r = schema_query(c, q, e)) == NULL)
		return err_prefix(e, "library %s.%s", db, name);
	if ((row = schema_one_row(r, 2, "library", db, name, e)) == NULL ||
	    row[1] == NULL) {
		if (row != NULL)
			err_set(e, ERR_DB, "library %s.%s: unexpected SHOW "
			    "CREATE output", db, name);
		mysql_free_result(r);
		return -1;
	}
	create = schema_col_dup(r, row, 2);
	delim = schema_delimiter(create, tmp, sizeof tmp);
	buf_append_str(post, "SET sql_mode=");
	sql_quote_string(post, row[1], strlen(row[1]));
	buf_printf(post, ";\nSET character_set_client=utf8mb4, "
	    "collation_connection=utf8mb4_general_ci;\n"
	    "DELIMITER %s\n%s\n%s\nDELIMITER ;\n", delim, create, delim);
	free(create);
	mysql_free_result(r);
	return 0;
}

int
schema_dump_libraries(MYSQL *c, const char *db, const struct strlist *names,
    struct schema_out *out, struct buf *q, struct err *e)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		if (dump_library(c, db, names->v[i], &out->post_sql, q,
		    e) == 0)
			out->nroutines++;
		else if (schema_skip(out, "library", db, names->v[i], e) == -1)
			return -1;
	return 0;
}

/* Past the `quoted` identifier opening at p (at its NUL when unclosed). */
static const char *
skip_backquoted(const char *p)
{
	for (p++; *p != '\0'; p++)
		if (*p == '`' && p[1] == '`')
			p++;
		else if (*p == '`')
			return p + 1;
	return p;
}

char *
schema_unqualify_using(const char *sql, const char *db)
{
	const char *u = strstr(sql, "\n    USING ("), *p;
	char *span, *plain;
	struct buf out;

	if (u == NULL)
		return xstrdup(sql);
	for (p = u + 12; *p != '\0' && *p != ')';)
		p = *p == '`' ? skip_backquoted(p) : p + 1;
	span = xstrndup(u, (size_t)(p - u));
	plain = schema_unqualify_view(span, db);
	buf_init(&out);
	buf_append(&out, sql, (size_t)(u - sql));
	buf_append_str(&out, plain);
	buf_append_str(&out, p);
	free(span);
	free(plain);
	return buf_cstr(&out);
}
