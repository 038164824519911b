/*
 * The schema member of a database (CREATE DATABASE, sequences with their
 * state, base tables) and the whole of schema_dump_database; the post-data
 * member is schema_post.c's, the text rewriting schema_text.c's.
 */
#include "db/schema_int.h"

#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

/*
 * Session state this module changes and puts back: SHOW CREATE output
 * depends on sql_mode (ANSI_QUOTES) and sql_quote_show_create, and the
 * post-data objects are read with character_set_results = binary so their
 * text arrives in the bytes of their own character_set_client, which is
 * what mariadb-dump does too; converting it to utf8mb4 and replaying it
 * under the object's charset would garble every non-ASCII byte.
 */
struct session {
	char *sql_mode;
	char *results;		/* NULL when the session had NULL */
	char *quote_show;
};

void
schema_out_init(struct schema_out *out)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->schema_sql);
	buf_init(&out->post_sql);
	buf_init(&out->skipped);
}

int
schema_skip(struct schema_out *out, const char *what, const char *db,
    const char *name, struct err *e)
{
	if (!out->skip_broken || e->kind != ERR_DB)
		return -1;
	(void)what, (void)db, (void)name;	/* e->msg names the object */
	log_warn("skipped %s", e->msg);
	buf_printf(&out->skipped, "%s\n", e->msg);
	out->nskipped++;
	err_clear(e);
	return 0;
}

void
schema_out_free(struct schema_out *out)
{
	size_t i;

	buf_free(&out->schema_sql);
	buf_free(&out->post_sql);
	buf_free(&out->skipped);
	free(out->charset);
	free(out->collation);
	free(out->comment);
	for (i = 0; i < out->ntables; i++) {
		free(out->tables[i].name);
		free(out->tables[i].engine);
	}
	free(out->tables);
	strlist_free(&out->view_names);
	strlist_free(&out->view_defs);
	memset(out, 0, sizeof *out);
}

/* Runs the query built in q and stores its result; q is reset. */
MYSQL_RES *
schema_query(MYSQL *c, struct buf *q, struct err *e)
{
	MYSQL_RES *r;

	r = db_query_store(c, buf_cstr(q), e);
	buf_reset(q);
	return r;
}

/* Column i of row as a new string (exact bytes); NULL stays NULL. */
char *
schema_col_dup(MYSQL_RES *r, MYSQL_ROW row, unsigned i)
{
	unsigned long *len = mysql_fetch_lengths(r);

	if (i >= mysql_num_fields(r) || row[i] == NULL)
		return NULL;
	return xstrndup(row[i], len[i]);
}

/* Fetches the one row of a SHOW CREATE; ERR_DB when column col is missing. */
MYSQL_ROW
schema_one_row(MYSQL_RES *r, unsigned col, const char *what, const char *db,
    const char *name, struct err *e)
{
	MYSQL_ROW row;

	if ((row = mysql_fetch_row(r)) == NULL ||
	    mysql_num_fields(r) <= col || row[col] == NULL) {
		err_set(e, ERR_DB, "%s %s.%s: no definition returned "
		    "(missing privilege?)", what, db, name);
		return NULL;
	}
	return row;
}

void
schema_append_db_where(struct buf *q, const char *column, const char *db)
{
	buf_append_str(q, " WHERE ");
	sql_name_equals(q, column, db);
}

static int
session_save(MYSQL *c, struct session *s, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	memset(s, 0, sizeof *s);
	r = db_query_store(c, "SELECT @@SESSION.sql_mode, "
	    "@@SESSION.character_set_results, "
	    "@@SESSION.sql_quote_show_create", e);
	if (r == NULL)
		return -1;
	if ((row = mysql_fetch_row(r)) == NULL) {
		mysql_free_result(r);
		return err_set(e, ERR_DB, "reading session variables: no row");
	}
	s->sql_mode = xstrdup(row[0] ? row[0] : "");
	s->results = row[1] ? xstrdup(row[1]) : NULL;
	s->quote_show = xstrdup(row[2] ? row[2] : "1");
	mysql_free_result(r);
	return db_exec(c, "SET SESSION sql_mode = '', "
	    "sql_quote_show_create = 1, character_set_results = utf8mb4", e);
}

/* Puts the session back; fills e only when keep is 0 (no earlier error). */
static int
session_restore(MYSQL *c, struct session *s, int keep, struct err *e)
{
	struct buf q;
	struct err e2;
	int rc;

	buf_init(&q);
	buf_append_str(&q, "SET SESSION sql_mode = ");
	sql_quote_string(&q, s->sql_mode, strlen(s->sql_mode));
	buf_append_str(&q, ", character_set_results = ");
	if (s->results == NULL)
		buf_append_str(&q, "NULL");
	else
		sql_quote_string(&q, s->results, strlen(s->results));
	buf_append_str(&q, ", sql_quote_show_create = ");
	buf_append_str(&q, strcmp(s->quote_show, "0") == 0 ? "0" : "1");
	rc = db_exec(c, buf_cstr(&q), &e2);
	if (rc == -1 && !keep && e != NULL)
		*e = e2;
	buf_free(&q);
	free(s->sql_mode);
	free(s->results);
	free(s->quote_show);
	return rc;
}

/* CREATE DATABASE exactly as FORMAT.md says, plus the attributes. */
static int
dump_database(MYSQL *c, const char *db, struct schema_out *out, struct buf *q,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	char *create = NULL;
	size_t skip;
	int rc = -1;

	buf_append_str(q, "SHOW CREATE DATABASE ");
	sql_quote_ident(q, db);
	if ((r = schema_query(c, q, e)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(r)) == NULL || mysql_num_fields(r) < 2) {
		err_set(e, ERR_DB, "database %s: no definition returned", db);
		goto out;
	}
	create = schema_col_dup(r, row, 1);
	buf_append_str(q, "CREATE DATABASE ");
	sql_quote_ident(q, db);
	skip = q->len;
	if (create == NULL || strncmp(create, buf_cstr(q), skip) != 0) {
		err_set(e, ERR_DB, "database %s: unexpected SHOW CREATE "
		    "DATABASE output", db);
		goto out;
	}
	buf_append(&out->schema_sql, q->data, q->len);
	buf_append_str(&out->schema_sql, create + skip);
	buf_append_str(&out->schema_sql, ";\nUSE ");
	sql_quote_ident(&out->schema_sql, db);
	buf_append_str(&out->schema_sql, ";\n");
	rc = 0;
out:
	buf_reset(q);
	free(create);
	mysql_free_result(r);
	return rc;
}

/* Charset, collation and comment (SCHEMA_COMMENT is MariaDB 10.5+). */
static int
dump_db_attrs(MYSQL *c, const char *db, struct schema_out *out, struct buf *q,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	int with_comment = 1;

again:
	buf_append_str(q, "SELECT DEFAULT_CHARACTER_SET_NAME, "
	    "DEFAULT_COLLATION_NAME");
	if (with_comment)
		buf_append_str(q, ", SCHEMA_COMMENT");
	buf_append_str(q, " FROM information_schema.SCHEMATA");
	schema_append_db_where(q, "SCHEMA_NAME", db);
	if ((r = schema_query(c, q, e)) == NULL) {
		if (!with_comment)
			return -1;
		with_comment = 0;
		goto again;
	}
	if ((row = mysql_fetch_row(r)) == NULL) {
		mysql_free_result(r);
		return err_set(e, ERR_DB, "database %s: not found", db);
	}
	out->charset = schema_col_dup(r, row, 0);
	out->collation = schema_col_dup(r, row, 1);
	out->comment = with_comment ? schema_col_dup(r, row, 2) : NULL;
	if (out->comment == NULL)
		out->comment = xstrdup("");
	mysql_free_result(r);
	return 0;
}

/* Sorts the database's tables into sequences and base tables. */
static int
list_tables(MYSQL *c, const char *db, struct schema_out *out,
    struct strlist *seqs, struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct schema_table *t;
	size_t cap;

	buf_append_str(q, "SELECT TABLE_NAME, TABLE_TYPE, ENGINE "
	    "FROM information_schema.TABLES");
	schema_append_db_where(q, "TABLE_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY TABLE_NAME");
	if ((r = schema_query(c, q, e)) == NULL)
		return -1;
	cap = mysql_num_rows(r);
	out->tables = xcalloc(cap ? cap : 1, sizeof *out->tables);
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL || row[1] == NULL)
			continue;
		if (strcmp(row[1], "SEQUENCE") == 0) {
			strlist_add(seqs, row[0]);
			continue;
		}
		if (strcmp(row[1], "BASE TABLE") != 0 &&
		    strcmp(row[1], "SYSTEM VERSIONED") != 0)
			continue;	/* views, temporary tables */
		t = &out->tables[out->ntables++];
		t->name = xstrdup(row[0]);
		t->engine = row[2] ? xstrdup(row[2]) : NULL;
		t->versioned = strcmp(row[1], "SYSTEM VERSIONED") == 0;
	}
	mysql_free_result(r);
	return 0;
}

int
schema_sequence_restart(const char *next, const char *start,
    const char *increment)
{
	long long n = strtoll(next, NULL, 10), s = strtoll(start, NULL, 10);

	return strtoll(increment, NULL, 10) < 0 ? n > s : n < s;
}

/*
 * The sequence definition and its state.  As mariadb-dump 10.11 does, the
 * restored sequence resumes at next_not_cached_value (is_used = 0), so it
 * never hands out a value the source may already have handed out; the
 * cycle count is kept too, which mariadb-dump drops.
 */
static int
dump_sequence(MYSQL *c, const char *db, const char *name, struct buf *sql,
    struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = -1;

	buf_append_str(q, "SHOW CREATE SEQUENCE ");
	sql_quote_ident(q, name);
	if ((r = schema_query(c, q, e)) == NULL)
		return err_prefix(e, "sequence %s.%s", db, name);
	if ((row = schema_one_row(r, 1, "sequence", db, name, e)) == NULL)
		goto out;
	buf_append_str(sql, row[1]);
	buf_append_str(sql, ";\n");
	mysql_free_result(r);

	buf_append_str(q, "SELECT next_not_cached_value, cycle_count, "
	    "start_value, increment FROM ");
	sql_quote_ident(q, name);
	if ((r = schema_query(c, q, e)) == NULL)
		return err_prefix(e, "sequence %s.%s", db, name);
	if ((row = schema_one_row(r, 3, "sequence", db, name, e)) == NULL)
		goto out;
	if (row[0] == NULL || row[1] == NULL || row[2] == NULL ||
	    row[3] == NULL ||
	    strspn(row[0], "-0123456789") != strlen(row[0]) ||
	    strspn(row[1], "0123456789") != strlen(row[1]) ||
	    strspn(row[2], "-0123456789") != strlen(row[2]) ||
	    strspn(row[3], "-0123456789") != strlen(row[3])) {
		err_set(e, ERR_DB, "sequence %s.%s: unexpected state", db,
		    name);
		goto out;
	}
	if (schema_sequence_restart(row[0], row[2], row[3])) {
		buf_append_str(sql, "ALTER SEQUENCE ");
		sql_quote_ident(sql, name);
		buf_printf(sql, " RESTART WITH %s;\n", row[0]);
	}
	buf_append_str(sql, "DO SETVAL(");
	sql_quote_ident(sql, name);
	buf_printf(sql, ", %s, 0", row[0]);
	if (strcmp(row[1], "0") != 0)
		buf_printf(sql, ", %s", row[1]);
	buf_append_str(sql, ");\n");
	rc = 0;
out:
	mysql_free_result(r);
	return rc;
}

/*
 * SHOW CREATE TABLE qualifies the sequences a DEFAULT NEXTVAL() reads
 * with the database name even when it is the current one; unqualified,
 * the table follows its database through a restore under another name.
 * Inherited collations stay inherited (schema_inherit_collation).
 */
static int
dump_table(MYSQL *c, const char *db, const char *name, struct buf *sql,
    struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	char *create, *inherit;
	int rc = -1;

	buf_append_str(q, "SHOW CREATE TABLE ");
	sql_quote_ident(q, name);
	if ((r = schema_query(c, q, e)) == NULL)
		return err_prefix(e, "table %s.%s", db, name);
	if ((row = schema_one_row(r, 1, "table", db, name, e)) == NULL)
		goto out;
	create = schema_unqualify_sequences(row[1], db);
	inherit = schema_inherit_collation(create);
	buf_append_str(sql, inherit);
	buf_append_str(sql, ";\n");
	free(inherit);
	free(create);
	rc = 0;
out:
	mysql_free_result(r);
	return rc;
}

int
schema_dump_database(MYSQL *c, const char *db, struct schema_out *out,
    struct err *e)
{
	struct session s;
	struct strlist seqs = { NULL, 0 };
	struct buf q;
	size_t i;
	int rc = -1;

	buf_init(&q);
	if (session_save(c, &s, e) == -1) {
		err_prefix(e, "database %s", db);
		return -1;
	}
	buf_append_str(&out->schema_sql,
	    "SET NAMES utf8mb4; SET foreign_key_checks=0; SET unique_checks=0;\n"
	    "SET sql_mode='NO_AUTO_VALUE_ON_ZERO'; SET time_zone='+00:00';\n");
	if (dump_db_attrs(c, db, out, &q, e) == -1 ||
	    dump_database(c, db, out, &q, e) == -1)
		goto out;
	buf_append_str(&q, "USE ");
	sql_quote_ident(&q, db);
	if (db_exec(c, buf_cstr(&q), e) == -1)
		goto out;
	buf_reset(&q);
	if (list_tables(c, db, out, &seqs, &q, e) == -1)
		goto out;
	for (i = 0; i < seqs.n; i++, out->nsequences++)
		if (dump_sequence(c, db, seqs.v[i], &out->schema_sql, &q,
		    e) == -1)
			goto out;
	for (i = 0; i < out->ntables; i++) {
		if (dump_table(c, db, out->tables[i].name, &out->schema_sql,
		    &q, e) == 0)
			continue;
		if (schema_skip(out, "table", db, out->tables[i].name, e) == -1)
			goto out;
		/* no rows either: the restore could not create it */
		free(out->tables[i].name);
		free(out->tables[i].engine);
		memmove(&out->tables[i], &out->tables[i + 1],
		    (out->ntables - i - 1) * sizeof *out->tables);
		out->ntables--;
		i--;
	}
	if (schema_dump_post(c, db, out, &q, e) == -1)
		goto out;
	rc = 0;
out:
	if (session_restore(c, &s, rc == -1, e) == -1)
		rc = -1;
	strlist_free(&seqs);
	buf_free(&q);
	return rc;
}
