/*
 * The post-data member of a database: JavaScript libraries
 * (db/schema_lib.c), functions, procedures, packages, views in dependency
 * order, triggers and events, each under its own sql_mode and character
 * set.
 */
#include "db/schema_int.h"

#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct view {
	char *name;
	char *def;		/* information_schema.VIEWS, fully qualified */
	int state;		/* 0 new, 1 being placed, 2 placed */
};

static const char *post_header = "SET NAMES utf8mb4; ";

/*
 * Where SHOW CREATE <kind> puts each thing (-1 = not there), and for a
 * stored program where information_schema keeps its name (is_table,
 * is_schema, is_name, is_type), COMMENT and trigger table, NULL when it
 * has none.
 */
struct objkind {
	const char *show;	/* SHOW CREATE <show> `name` */
	const char *what;	/* for messages */
	int mode, tz, create, cs, coll;
	const char *word;	/* the word before the name in CREATE */
	const char *is_table, *is_schema, *is_name, *is_type, *is_comment,
	    *is_otable;
};

#define ROUTINE(type) "ROUTINES", "ROUTINE_SCHEMA", "ROUTINE_NAME", type, \
	"ROUTINE_COMMENT", NULL
static const struct objkind kind_function =
    { "FUNCTION", "function", 1, -1, 2, 3, 4, "FUNCTION",
    ROUTINE("FUNCTION") };
static const struct objkind kind_procedure =
    { "PROCEDURE", "procedure", 1, -1, 2, 3, 4, "PROCEDURE",
    ROUTINE("PROCEDURE") };
static const struct objkind kind_package =
    { "PACKAGE", "package", 1, -1, 2, 3, 4, "PACKAGE",
    ROUTINE("PACKAGE") };
static const struct objkind kind_package_body =
    { "PACKAGE BODY", "package body", 1, -1, 2, 3, 4, "PACKAGE",
    ROUTINE("PACKAGE BODY") };
static const struct objkind kind_view =
    { "VIEW", "view", -1, -1, 1, 2, 3, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL };
static const struct objkind kind_trigger =
    { "TRIGGER", "trigger", 1, -1, 2, 3, 4, "TRIGGER", "TRIGGERS",
    "TRIGGER_SCHEMA", "TRIGGER_NAME", NULL, NULL, "EVENT_OBJECT_TABLE" };
static const struct objkind kind_event =
    { "EVENT", "event", 1, 2, 3, 4, 5, "EVENT", "EVENTS", "EVENT_SCHEMA",
    "EVENT_NAME", NULL, "EVENT_COMMENT", NULL };

/* Character set and collation names go into SQL unquoted-safe only. */
static int
plain_name(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

static int
is_utf8(const char *cs)
{
	return strcmp(cs, "utf8") == 0 || strcmp(cs, "utf8mb3") == 0 ||
	    strcmp(cs, "utf8mb4") == 0;
}

/* Appends "col, CONVERT(col USING cs)" (or two NULLs) to q. */
static void
select_pair(struct buf *q, const char *col, const char *cs)
{
	if (col == NULL)
		buf_append_str(q, "NULL, NULL");
	else
		buf_printf(q, "%s, CONVERT(%s USING %s)", col, col, cs);
}

/*
 * A program's SHOW CREATE with its name, trigger table and COMMENT as its
 * own client wrote them (schema_program_recode), from information_schema
 * read in both.  Needed when that client was not UTF-8, or for the COMMENT
 * under NO_BACKSLASH_ESCAPES; otherwise, or when information_schema does
 * not have the object, create is returned as it is.
 */
static char *
program_recode(MYSQL *c, const struct objkind *k, const char *db,
    const char *name, const char *mode, const char *cs, char *create,
    struct buf *q)
{
	struct program_recode f;
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct err e;
	char *out;
	int nbe = strstr(mode, "NO_BACKSLASH_ESCAPES") != NULL;

	if (k->word == NULL || (is_utf8(cs) && !nbe))
		return create;
	buf_append_str(q, "SELECT ");
	select_pair(q, k->is_name, is_utf8(cs) ? "utf8mb4" : cs);
	buf_append_str(q, ", ");
	select_pair(q, k->is_otable, is_utf8(cs) ? "utf8mb4" : cs);
	buf_append_str(q, ", ");
	select_pair(q, k->is_comment, is_utf8(cs) ? "utf8mb4" : cs);
	buf_printf(q, " FROM information_schema.%s", k->is_table);
	schema_append_db_where(q, k->is_schema, db);
	buf_append_str(q, " AND ");
	sql_name_equals(q, k->is_name, name);
	if (k->is_type != NULL)
		buf_printf(q, " AND ROUTINE_TYPE = '%s'", k->is_type);
	if ((r = schema_query(c, q, &e)) == NULL)
		return create;
	if ((row = mysql_fetch_row(r)) == NULL || row[0] == NULL ||
	    row[1] == NULL) {
		mysql_free_result(r);
		return create;
	}
	memset(&f, 0, sizeof f);
	f.word = k->word;
	f.name_from = row[0];
	f.name_to = row[1];
	f.table_from = row[2];
	f.table_to = row[3];
	if (row[4] != NULL && row[5] != NULL && *row[4] != '\0') {
		f.comment_from = row[4];
		f.comment_to = row[5];
	}
	f.nbe = nbe;
	f.ansi = strstr(mode, "ANSI") != NULL;
	out = schema_program_recode(create, &f);
	mysql_free_result(r);
	free(create);
	return out;
}

/*
 * Appends one object to the post-data text under its own sql_mode and
 * character set, between DELIMITER lines so a body holding ";" replays
 * whole through the stock client.  The closing delimiter goes on a line
 * of its own: a body may end in a "-- comment".
 */
static int
post_append(MYSQL *c, struct buf *post, const struct objkind *k,
    const char *db, const char *name, MYSQL_RES *r, MYSQL_ROW row,
    struct buf *q, struct err *e)
{
	const char *mode, *cs, *coll;
	char *create, tmp[32];
	const char *delim;

	mode = k->mode >= 0 ? row[k->mode] : "";
	cs = row[k->cs];
	coll = row[k->coll];
	if (mode == NULL || !plain_name(cs) || !plain_name(coll) ||
	    (k->tz >= 0 && row[k->tz] == NULL))
		return err_set(e, ERR_DB, "%s %s.%s: unexpected SHOW CREATE "
		    "output", k->what, db, name);
	create = schema_col_dup(r, row, (unsigned)k->create);
	if (k == &kind_view || k == &kind_function ||
	    k == &kind_procedure) {
		char *plain = k == &kind_view ?
		    schema_unqualify_view(create, db) :
		    schema_unqualify_using(create, db);

		free(create);
		create = plain;
	}
	create = program_recode(c, k, db, name, mode, cs, create, q);
	delim = schema_delimiter(create, tmp, sizeof tmp);
	buf_append_str(post, "SET sql_mode=");
	sql_quote_string(post, mode, strlen(mode));
	buf_printf(post, ";\nSET character_set_client=%s, "
	    "collation_connection=%s;\n", cs, coll);
	if (k->tz >= 0) {
		buf_append_str(post, "SET time_zone=");
		sql_quote_string(post, row[k->tz], strlen(row[k->tz]));
		buf_append_str(post, ";\n");
	}
	buf_printf(post, "DELIMITER %s\n%s\n%s\nDELIMITER ;\n", delim,
	    create, delim);
	free(create);
	return 0;
}

/*
 * SHOW CREATE VIEW describes a view over dropped tables (or columns,
 * functions, or a definer without rights) with a warning (1356) instead of
 * an error.  e gets it as the server's error for this view; the text is
 * still there, and dump_view keeps it.
 */
static int
view_invalid(MYSQL *c, const char *db, const char *name, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct err e2;
	int rc = 0;

	if (mysql_warning_count(c) == 0)
		return 0;
	if ((r = db_query_store(c, "SHOW WARNINGS", &e2)) == NULL)
		return 0;
	while (rc == 0 && (row = mysql_fetch_row(r)) != NULL)
		if (mysql_num_fields(r) >= 3 && row[1] != NULL &&
		    strcmp(row[1], "1356") == 0)
			rc = err_set(e, ERR_DB, "view %s.%s: SHOW CREATE VIEW: "
			    "%s", db, name, row[2] ? row[2] : "invalid");
	mysql_free_result(r);
	return rc;
}

/* invalid (views only): view_invalid's error, kind ERR_OK when none. */
static int
dump_object(MYSQL *c, const struct objkind *k, const char *db,
    const char *name, struct buf *post, struct buf *q, struct err *invalid,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = -1;

	buf_printf(q, "SHOW CREATE %s ", k->show);
	sql_quote_ident(q, name);
	if ((r = schema_query(c, q, e)) == NULL)
		return err_prefix(e, "%s %s.%s", k->what, db, name);
	if (invalid != NULL) {
		err_clear(invalid);
		view_invalid(c, db, name, invalid);
	}
	if ((row = schema_one_row(r, (unsigned)k->create, k->what, db, name, e)) ==
	    NULL)
		goto out;
	if (mysql_num_fields(r) <= (unsigned)k->coll) {
		err_set(e, ERR_DB, "%s %s.%s: unexpected SHOW CREATE output",
		    k->what, db, name);
		goto out;
	}
	rc = post_append(c, post, k, db, name, r, row, q, e);
out:
	mysql_free_result(r);
	return rc;
}

/* Runs a listing query (built in q) and keeps column 0 and column 1. */
static int
list_names(MYSQL *c, struct buf *q, struct strlist *names,
    struct strlist *second, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	if ((r = schema_query(c, q, e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL)
			continue;
		strlist_add(names, row[0]);
		if (second != NULL)
			strlist_add(second, row[1] ? row[1] : "");
	}
	mysql_free_result(r);
	return 0;
}

static int
view_cmp(const void *a, const void *b)
{
	return strcmp(((const struct view *)a)->name,
	    ((const struct view *)b)->name);
}

/*
 * Depth-first: a view is placed after every view of this database it
 * reads.  A cycle cannot exist among valid views; if the text fools the
 * lexer into seeing one, the edge that closes it is ignored.
 */
static void
view_place(struct view *v, size_t n, size_t i, const char *db, size_t *order,
    size_t *norder)
{
	struct strlist refs = { NULL, 0 };
	struct view key, *dep;
	size_t k;

	if (v[i].state != 0)
		return;
	v[i].state = 1;
	schema_view_refs(v[i].def, db, &refs);
	for (k = 0; k < refs.n; k++) {
		key.name = refs.v[k];
		dep = bsearch(&key, v, n, sizeof *v, view_cmp);
		if (dep != NULL)
			view_place(v, n, (size_t)(dep - v), db, order, norder);
	}
	strlist_free(&refs);
	v[i].state = 2;
	order[(*norder)++] = i;
}

/*
 * A view the server cannot validate now is kept from its definition: the
 * restore recreates it where the target allows it (the table it reads is
 * there again, or its definer has the rights).  Its CREATE may still be
 * refused there, so it is warned about and listed with the skipped
 * objects: the backup is partial.  With on_error = fail it fails the
 * backup as an object SHOW CREATE refuses does.
 */
static int
dump_view(MYSQL *c, const char *db, const char *name, struct schema_out *out,
    struct buf *q, struct err *e)
{
	struct err invalid;
	size_t len = out->post_sql.len;

	if (dump_object(c, &kind_view, db, name, &out->post_sql, q, &invalid,
	    e) == -1)
		return schema_skip(out, "view", db, name, e);
	if (invalid.kind == ERR_OK) {
		out->nviews++;
		return 0;
	}
	if (!out->skip_broken) {
		out->post_sql.len = len;
		*e = invalid;
		return -1;
	}
	out->nviews++;
	log_warn("kept %s, from its definition: it may not restore",
	    invalid.msg);
	buf_printf(&out->skipped, "%s (kept from its definition)\n",
	    invalid.msg);
	out->nskipped++;
	return 0;
}

static int
dump_views(MYSQL *c, const char *db, struct strlist *names,
    struct strlist *defs, struct schema_out *out, struct buf *q,
    struct err *e)
{
	struct view *v;
	size_t i, n = names->n, norder = 0, *order;
	int rc = 0;

	v = xcalloc(n ? n : 1, sizeof *v);
	order = xcalloc(n ? n : 1, sizeof *order);
	for (i = 0; i < n; i++) {
		v[i].name = names->v[i];
		v[i].def = defs->v[i];
	}
	qsort(v, n, sizeof *v, view_cmp);
	for (i = 0; i < n; i++)
		view_place(v, n, i, db, order, &norder);
	for (i = 0; i < norder && rc == 0; i++)
		rc = dump_view(c, db, v[order[i]].name, out, q, e);
	free(order);
	free(v);
	return rc;
}

static const struct objkind *
routine_kind(const char *type)
{
	if (strcmp(type, "FUNCTION") == 0)
		return &kind_function;
	if (strcmp(type, "PROCEDURE") == 0)
		return &kind_procedure;
	if (strcmp(type, "PACKAGE") == 0)
		return &kind_package;
	if (strcmp(type, "PACKAGE BODY") == 0)
		return &kind_package_body;
	return NULL;
}

/* The listings, read while results are still utf8mb4. */
struct post_lists {
	struct strlist rnames, rtypes, vnames, vdefs, tnames, enames;
};

static int
post_list(MYSQL *c, const char *db, struct post_lists *l, struct buf *q,
    struct err *e)
{
	buf_append_str(q, "SELECT ROUTINE_NAME, ROUTINE_TYPE "
	    "FROM information_schema.ROUTINES");
	schema_append_db_where(q, "ROUTINE_SCHEMA", db);
	buf_append_str(q, " ORDER BY FIELD(ROUTINE_TYPE, 'FUNCTION', "
	    "'PROCEDURE', 'PACKAGE', 'PACKAGE BODY'), BINARY ROUTINE_NAME");
	if (list_names(c, q, &l->rnames, &l->rtypes, e) == -1)
		return -1;
	buf_append_str(q, "SELECT TABLE_NAME, VIEW_DEFINITION "
	    "FROM information_schema.VIEWS");
	schema_append_db_where(q, "TABLE_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY TABLE_NAME");
	if (list_names(c, q, &l->vnames, &l->vdefs, e) == -1)
		return -1;
	/* Replayed in ACTION_ORDER, each trigger lands where it was. */
	buf_append_str(q, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS");
	schema_append_db_where(q, "TRIGGER_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY EVENT_OBJECT_TABLE, ACTION_TIMING, "
	    "EVENT_MANIPULATION, ACTION_ORDER");
	return list_names(c, q, &l->tnames, NULL, e);
}

/*
 * One broken row of mysql.event makes information_schema.EVENTS refuse the
 * whole listing (MariaDB: "Cannot load from mysql.event").  With
 * skip_broken the names are then read from mysql.event itself, where the
 * account may, so that each event is tried and only the broken one is
 * skipped (its SHOW CREATE fails); where it may not, the database's events
 * are skipped as one, with a warning.
 */
static int
list_events(MYSQL *c, const char *db, struct strlist *names,
    struct schema_out *out, struct buf *q, struct err *e)
{
	struct err e2;

	buf_append_str(q, "SELECT EVENT_NAME FROM information_schema.EVENTS");
	schema_append_db_where(q, "EVENT_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY EVENT_NAME");
	if (list_names(c, q, names, NULL, e) == 0)
		return 0;
	if (!out->skip_broken || e->kind != ERR_DB)
		return -1;
	buf_append_str(q, "SELECT name FROM mysql.event");
	schema_append_db_where(q, "db", db);
	buf_append_str(q, " ORDER BY BINARY name");
	if (list_names(c, q, names, NULL, &e2) == 0) {
		log_warn("database %s: listing its events: %s; read from "
		    "mysql.event instead", db, e->msg);
		err_clear(e);
		return 0;
	}
	err_prefix(e, "events of database %s", db);
	return schema_skip(out, "events", db, "", e);
}

static void
post_lists_free(struct post_lists *l)
{
	strlist_free(&l->rnames);
	strlist_free(&l->rtypes);
	strlist_free(&l->vnames);
	strlist_free(&l->vdefs);
	strlist_free(&l->tnames);
	strlist_free(&l->enames);
}

int
schema_dump_post(MYSQL *c, const char *db, struct schema_out *out, struct buf *q,
    struct err *e)
{
	struct post_lists l;
	struct strlist libs = { NULL, 0 };
	const struct objkind *k;
	size_t i;
	int rc = -1;

	memset(&l, 0, sizeof l);
	if (post_list(c, db, &l, q, e) == -1 ||
	    list_events(c, db, &l.enames, out, q, e) == -1 ||
	    schema_list_libraries(c, db, &libs, q, e) == -1)
		goto out;
	if (l.rnames.n + l.vnames.n + l.tnames.n + l.enames.n + libs.n == 0) {
		rc = 0;
		goto out;
	}
	buf_append_str(&out->post_sql, post_header);
	buf_append_str(&out->post_sql, "USE ");
	sql_quote_ident(&out->post_sql, db);
	buf_append_str(&out->post_sql, ";\n");
	if (db_exec(c, "SET SESSION character_set_results = binary", e) == -1 ||
	    schema_dump_libraries(c, db, &libs, out, q, e) == -1)
		goto out;
	for (i = 0; i < l.rnames.n; i++) {
		if ((k = routine_kind(l.rtypes.v[i])) == NULL)
			continue;
		if (dump_object(c, k, db, l.rnames.v[i], &out->post_sql, q,
		    NULL, e) == 0)
			out->nroutines++;
		else if (schema_skip(out, k->what, db, l.rnames.v[i], e) == -1)
			goto out;
	}
	if (dump_views(c, db, &l.vnames, &l.vdefs, out, q, e) == -1)
		goto out;
	for (i = 0; i < l.tnames.n; i++)
		if (dump_object(c, &kind_trigger, db, l.tnames.v[i],
		    &out->post_sql, q, NULL, e) == 0)
			out->ntriggers++;
		else if (schema_skip(out, "trigger", db, l.tnames.v[i],
		    e) == -1)
			goto out;
	for (i = 0; i < l.enames.n; i++)
		if (dump_object(c, &kind_event, db, l.enames.v[i],
		    &out->post_sql, q, NULL, e) == 0)
			out->nevents++;
		else if (schema_skip(out, "event", db, l.enames.v[i], e) == -1)
			goto out;
	rc = 0;
out:
	/* kept for the order of the databases' post-data members */
	out->view_names = l.vnames;
	out->view_defs = l.vdefs;
	memset(&l.vnames, 0, sizeof l.vnames);
	memset(&l.vdefs, 0, sizeof l.vdefs);
	post_lists_free(&l);
	strlist_free(&libs);
	return rc;
}
