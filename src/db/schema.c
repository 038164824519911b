#include "db/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/conn.h"
#include "util/config.h"
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

struct view {
	char *name;
	char *def;		/* information_schema.VIEWS, fully qualified */
	int state;		/* 0 new, 1 being placed, 2 placed */
};

static const char *post_header = "SET NAMES utf8mb4; ";

void
schema_out_init(struct schema_out *out)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->schema_sql);
	buf_init(&out->post_sql);
}

void
schema_out_free(struct schema_out *out)
{
	size_t i;

	buf_free(&out->schema_sql);
	buf_free(&out->post_sql);
	free(out->charset);
	free(out->collation);
	free(out->comment);
	for (i = 0; i < out->ntables; i++) {
		free(out->tables[i].name);
		free(out->tables[i].engine);
	}
	free(out->tables);
	memset(out, 0, sizeof *out);
}

/* Runs the query built in q and stores its result; q is reset. */
static MYSQL_RES *
query(MYSQL *c, struct buf *q, struct err *e)
{
	MYSQL_RES *r;

	r = db_query_store(c, buf_cstr(q), e);
	buf_reset(q);
	return r;
}

/* Column i of row as a new string (exact bytes); NULL stays NULL. */
static char *
col_dup(MYSQL_RES *r, MYSQL_ROW row, unsigned i)
{
	unsigned long *len = mysql_fetch_lengths(r);

	if (i >= mysql_num_fields(r) || row[i] == NULL)
		return NULL;
	return xstrndup(row[i], len[i]);
}

/* Fetches the one row of a SHOW CREATE; ERR_DB when column col is missing. */
static MYSQL_ROW
one_row(MYSQL_RES *r, unsigned col, const char *what, const char *db,
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

static void
append_db_where(struct buf *q, const char *column, const char *db)
{
	buf_printf(q, " WHERE %s = ", column);
	sql_quote_string(q, db, strlen(db));
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

/*
 * A small lexer for text the server printed (SHOW CREATE, VIEWS): enough
 * to tell identifiers from string literals and comments, never a parser.
 */
enum tok_kind { TOK_END, TOK_IDENT, TOK_WORD, TOK_DOT, TOK_LPAREN, TOK_OTHER };

struct tok {
	enum tok_kind kind;
	const char *start, *end;
	struct buf id;		/* identifier or word, unquoted */
};

static int
is_word_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' || ch >= 0x80;
}

static const char *
skip_quoted(const char *p, char q)
{
	for (p++; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == q && p[1] == q)
			p++;
		else if (*p == q)
			return p + 1;
	}
	return p;
}

static const char *
skip_space_and_comments(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end != NULL ? end + 2 : p + strlen(p);
		} else if (*p == '#' || (p[0] == '-' && p[1] == '-' &&
		    (p[2] == ' ' || p[2] == '\t' || p[2] == '\n'))) {
			while (*p != '\0' && *p != '\n')
				p++;
		} else
			return p;
	}
}

static void
tok_next(const char **pp, struct tok *t)
{
	const char *p = skip_space_and_comments(*pp);

	buf_reset(&t->id);
	t->start = p;
	if (*p == '\0')
		t->kind = TOK_END;
	else if (*p == '`') {
		t->kind = TOK_IDENT;
		for (p++; *p != '\0'; p++) {
			if (*p == '`' && p[1] != '`') {
				p++;
				break;
			}
			if (*p == '`')
				p++;
			buf_append_char(&t->id, *p);
		}
	} else if (*p == '\'' || *p == '"') {
		t->kind = TOK_OTHER;
		p = skip_quoted(p, *p);
	} else if (is_word_byte((unsigned char)*p)) {
		t->kind = TOK_WORD;
		while (is_word_byte((unsigned char)*p))
			buf_append_char(&t->id, *p++);
	} else {
		t->kind = *p == '.' ? TOK_DOT : *p == '(' ? TOK_LPAREN :
		    TOK_OTHER;
		p++;
	}
	buf_cstr(&t->id);
	t->end = p;
	*pp = p;
}

static int
tok_is_ident(struct tok *t, const char *name)
{
	return t->kind == TOK_IDENT && strlen(name) == t->id.len &&
	    memcmp(t->id.data, name, t->id.len) == 0;
}

static int
tok_is_seqfunc(struct tok *t)
{
	return t->kind == TOK_WORD && (strcasecmp(t->id.data, "nextval") == 0 ||
	    strcasecmp(t->id.data, "lastval") == 0 ||
	    strcasecmp(t->id.data, "setval") == 0);
}

char *
schema_unqualify_sequences(const char *sql, const char *db)
{
	struct buf out;
	struct tok t;
	const char *p = sql, *copied = sql, *cut = NULL;
	int st = 0;

	buf_init(&out);
	buf_init(&t.id);
	for (tok_next(&p, &t); t.kind != TOK_END; tok_next(&p, &t)) {
		if (st == 1 && t.kind == TOK_LPAREN)
			st = 2;
		else if (st == 2 && tok_is_ident(&t, db)) {
			st = 3;
			cut = t.start;
		} else if (st == 3 && t.kind == TOK_DOT) {
			buf_append(&out, copied, (size_t)(cut - copied));
			copied = skip_space_and_comments(t.end);
			st = 0;
		} else
			st = tok_is_seqfunc(&t) ? 1 : 0;
	}
	buf_append_str(&out, copied);
	buf_free(&t.id);
	return buf_cstr(&out);
}

char *
schema_unqualify_view(const char *sql, const char *db)
{
	struct buf out;
	struct tok t;
	const char *p = sql, *copied = sql, *cut = NULL;
	enum tok_kind prev = TOK_OTHER;
	int st = 0;

	buf_init(&out);
	buf_init(&t.id);
	for (tok_next(&p, &t); t.kind != TOK_END; tok_next(&p, &t)) {
		if (st == 1 && t.kind == TOK_DOT)
			st = 2;
		else if (st == 2 && t.kind == TOK_IDENT) {
			buf_append(&out, copied, (size_t)(cut - copied));
			copied = t.start;
			st = 0;
		} else if (prev != TOK_DOT && tok_is_ident(&t, db)) {
			st = 1;
			cut = t.start;
		} else
			st = 0;
		prev = t.kind;
	}
	buf_append_str(&out, copied);
	buf_free(&t.id);
	return buf_cstr(&out);
}

/* Adds every name that def reads as `db`.`name`, in order of appearance. */
static void
view_refs(const char *def, const char *db, struct strlist *refs)
{
	struct tok t;
	const char *p = def;
	int st = 0;

	buf_init(&t.id);
	for (tok_next(&p, &t); t.kind != TOK_END; tok_next(&p, &t)) {
		if (st == 2 && t.kind == TOK_IDENT) {
			strlist_add(refs, t.id.data);
			st = 0;
		} else if (st == 1 && t.kind == TOK_DOT)
			st = 2;
		else
			st = tok_is_ident(&t, db) ? 1 : 0;
	}
	buf_free(&t.id);
}

int
schema_view_reads(const char *def, const char *db, const char *name)
{
	struct strlist refs = { NULL, 0 };
	size_t i;
	int found = 0;

	view_refs(def, db, &refs);
	for (i = 0; i < refs.n && !found; i++)
		found = strcmp(refs.v[i], name) == 0;
	strlist_free(&refs);
	return found;
}

const char *
schema_delimiter(const char *text, char *tmp, size_t tmplen)
{
	static const char *const cand[] = { ";;", "$$", "//", ";;;;" };
	size_t i;
	unsigned n;

	for (i = 0; i < sizeof cand / sizeof cand[0]; i++)
		if (strstr(text, cand[i]) == NULL)
			return cand[i];
	for (n = 1;; n++) {
		snprintf(tmp, tmplen, "$$%u$$", n);
		if (strstr(text, tmp) == NULL)
			return tmp;
	}
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
	if ((r = query(c, q, e)) == NULL)
		return -1;
	if ((row = mysql_fetch_row(r)) == NULL || mysql_num_fields(r) < 2) {
		err_set(e, ERR_DB, "database %s: no definition returned", db);
		goto out;
	}
	create = col_dup(r, row, 1);
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
	append_db_where(q, "SCHEMA_NAME", db);
	if ((r = query(c, q, e)) == NULL) {
		if (!with_comment)
			return -1;
		with_comment = 0;
		goto again;
	}
	if ((row = mysql_fetch_row(r)) == NULL) {
		mysql_free_result(r);
		return err_set(e, ERR_DB, "database %s: not found", db);
	}
	out->charset = col_dup(r, row, 0);
	out->collation = col_dup(r, row, 1);
	out->comment = with_comment ? col_dup(r, row, 2) : NULL;
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
	append_db_where(q, "TABLE_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY TABLE_NAME");
	if ((r = query(c, q, e)) == NULL)
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
	if ((r = query(c, q, e)) == NULL)
		return err_prefix(e, "sequence %s.%s", db, name);
	if ((row = one_row(r, 1, "sequence", db, name, e)) == NULL)
		goto out;
	buf_append_str(sql, row[1]);
	buf_append_str(sql, ";\n");
	mysql_free_result(r);

	buf_append_str(q, "SELECT next_not_cached_value, cycle_count FROM ");
	sql_quote_ident(q, name);
	if ((r = query(c, q, e)) == NULL)
		return err_prefix(e, "sequence %s.%s", db, name);
	if ((row = one_row(r, 1, "sequence", db, name, e)) == NULL)
		goto out;
	if (row[0] == NULL || row[1] == NULL ||
	    strspn(row[0], "-0123456789") != strlen(row[0]) ||
	    strspn(row[1], "0123456789") != strlen(row[1])) {
		err_set(e, ERR_DB, "sequence %s.%s: unexpected state", db,
		    name);
		goto out;
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
 */
static int
dump_table(MYSQL *c, const char *db, const char *name, struct buf *sql,
    struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	char *create;
	int rc = -1;

	buf_append_str(q, "SHOW CREATE TABLE ");
	sql_quote_ident(q, name);
	if ((r = query(c, q, e)) == NULL)
		return err_prefix(e, "table %s.%s", db, name);
	if ((row = one_row(r, 1, "table", db, name, e)) == NULL)
		goto out;
	create = schema_unqualify_sequences(row[1], db);
	buf_append_str(sql, create);
	buf_append_str(sql, ";\n");
	free(create);
	rc = 0;
out:
	mysql_free_result(r);
	return rc;
}

/* Where SHOW CREATE <kind> puts each thing; -1 = not there. */
struct objkind {
	const char *show;	/* SHOW CREATE <show> `name` */
	const char *what;	/* for messages */
	int mode, tz, create, cs, coll;
};

static const struct objkind kind_function =
    { "FUNCTION", "function", 1, -1, 2, 3, 4 };
static const struct objkind kind_procedure =
    { "PROCEDURE", "procedure", 1, -1, 2, 3, 4 };
static const struct objkind kind_package =
    { "PACKAGE", "package", 1, -1, 2, 3, 4 };
static const struct objkind kind_package_body =
    { "PACKAGE BODY", "package body", 1, -1, 2, 3, 4 };
static const struct objkind kind_view =
    { "VIEW", "view", -1, -1, 1, 2, 3 };
static const struct objkind kind_trigger =
    { "TRIGGER", "trigger", 1, -1, 2, 3, 4 };
static const struct objkind kind_event =
    { "EVENT", "event", 1, 2, 3, 4, 5 };

/* Character set and collation names go into SQL unquoted-safe only. */
static int
plain_name(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/*
 * Appends one object to the post-data text under its own sql_mode and
 * character set, between DELIMITER lines so a body holding ";" replays
 * whole through the stock client.  The closing delimiter goes on a line
 * of its own: a body may end in a "-- comment".
 */
static int
post_append(struct buf *post, const struct objkind *k, const char *db,
    const char *name, MYSQL_RES *r, MYSQL_ROW row, struct err *e)
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
	create = col_dup(r, row, (unsigned)k->create);
	if (k == &kind_view) {
		char *plain = schema_unqualify_view(create, db);

		free(create);
		create = plain;
	}
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

static int
dump_object(MYSQL *c, const struct objkind *k, const char *db,
    const char *name, struct buf *post, struct buf *q, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = -1;

	buf_printf(q, "SHOW CREATE %s ", k->show);
	sql_quote_ident(q, name);
	if ((r = query(c, q, e)) == NULL)
		return err_prefix(e, "%s %s.%s", k->what, db, name);
	if ((row = one_row(r, (unsigned)k->create, k->what, db, name, e)) ==
	    NULL)
		goto out;
	if (mysql_num_fields(r) <= (unsigned)k->coll) {
		err_set(e, ERR_DB, "%s %s.%s: unexpected SHOW CREATE output",
		    k->what, db, name);
		goto out;
	}
	rc = post_append(post, k, db, name, r, row, e);
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

	if ((r = query(c, q, e)) == NULL)
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
	view_refs(v[i].def, db, &refs);
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
		rc = dump_object(c, &kind_view, db, v[order[i]].name,
		    &out->post_sql, q, e);
	out->nviews = rc == 0 ? norder : 0;
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
	append_db_where(q, "ROUTINE_SCHEMA", db);
	buf_append_str(q, " ORDER BY FIELD(ROUTINE_TYPE, 'FUNCTION', "
	    "'PROCEDURE', 'PACKAGE', 'PACKAGE BODY'), BINARY ROUTINE_NAME");
	if (list_names(c, q, &l->rnames, &l->rtypes, e) == -1)
		return -1;
	buf_append_str(q, "SELECT TABLE_NAME, VIEW_DEFINITION "
	    "FROM information_schema.VIEWS");
	append_db_where(q, "TABLE_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY TABLE_NAME");
	if (list_names(c, q, &l->vnames, &l->vdefs, e) == -1)
		return -1;
	/* Replayed in ACTION_ORDER, each trigger lands where it was. */
	buf_append_str(q, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS");
	append_db_where(q, "TRIGGER_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY EVENT_OBJECT_TABLE, ACTION_TIMING, "
	    "EVENT_MANIPULATION, ACTION_ORDER");
	if (list_names(c, q, &l->tnames, NULL, e) == -1)
		return -1;
	buf_append_str(q, "SELECT EVENT_NAME FROM information_schema.EVENTS");
	append_db_where(q, "EVENT_SCHEMA", db);
	buf_append_str(q, " ORDER BY BINARY EVENT_NAME");
	return list_names(c, q, &l->enames, NULL, e);
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

static int
dump_post(MYSQL *c, const char *db, struct schema_out *out, struct buf *q,
    struct err *e)
{
	struct post_lists l;
	const struct objkind *k;
	size_t i;
	int rc = -1;

	memset(&l, 0, sizeof l);
	if (post_list(c, db, &l, q, e) == -1)
		goto out;
	if (l.rnames.n + l.vnames.n + l.tnames.n + l.enames.n == 0) {
		rc = 0;
		goto out;
	}
	buf_append_str(&out->post_sql, post_header);
	buf_append_str(&out->post_sql, "USE ");
	sql_quote_ident(&out->post_sql, db);
	buf_append_str(&out->post_sql, ";\n");
	if (db_exec(c, "SET SESSION character_set_results = binary", e) == -1)
		goto out;
	for (i = 0; i < l.rnames.n; i++) {
		if ((k = routine_kind(l.rtypes.v[i])) == NULL)
			continue;
		if (dump_object(c, k, db, l.rnames.v[i], &out->post_sql, q,
		    e) == -1)
			goto out;
		out->nroutines++;
	}
	if (dump_views(c, db, &l.vnames, &l.vdefs, out, q, e) == -1)
		goto out;
	for (i = 0; i < l.tnames.n; i++, out->ntriggers++)
		if (dump_object(c, &kind_trigger, db, l.tnames.v[i],
		    &out->post_sql, q, e) == -1)
			goto out;
	for (i = 0; i < l.enames.n; i++, out->nevents++)
		if (dump_object(c, &kind_event, db, l.enames.v[i],
		    &out->post_sql, q, e) == -1)
			goto out;
	rc = 0;
out:
	post_lists_free(&l);
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
	for (i = 0; i < out->ntables; i++)
		if (dump_table(c, db, out->tables[i].name, &out->schema_sql,
		    &q, e) == -1)
			goto out;
	if (dump_post(c, db, out, &q, e) == -1)
		goto out;
	rc = 0;
out:
	if (session_restore(c, &s, rc == -1, e) == -1)
		rc = -1;
	strlist_free(&seqs);
	buf_free(&q);
	return rc;
}
