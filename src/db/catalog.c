#include "db/catalog.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/conn.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct db_regex {
	char *text;
	regex_t re;
	int matched;
};

struct db_filter {
	struct db_regex *inc, *exc;
	size_t ninc, nexc;
	int from_cli;		/* inc came from --database */
};

static int
db_regex_compile(struct db_regex *r, const char *text, const char *what,
    enum err_kind kind, struct err *e)
{
	char *anchored, msg[256];
	int rc;

	anchored = xasprintf("^(%s)$", text);
	rc = regcomp(&r->re, anchored, REG_EXTENDED | REG_NOSUB);
	free(anchored);
	if (rc != 0) {
		regerror(rc, &r->re, msg, sizeof msg);
		return err_set(e, kind, "%s: bad regex '%s': %s", what, text,
		    msg);
	}
	r->text = xstrdup(text);
	r->matched = 0;
	return 0;
}

static int
db_regex_list(const struct strlist *l, const char *what, enum err_kind kind,
    struct db_regex **out, size_t *n, struct err *e)
{
	size_t i;

	*out = xcalloc(l->n + 1, sizeof **out);
	*n = 0;
	for (i = 0; i < l->n; i++) {
		if (db_regex_compile(&(*out)[i], l->v[i], what, kind, e) == -1)
			return -1;
		(*n)++;
	}
	return 0;
}

struct db_filter *
db_filter_new(const struct strlist *only, const struct strlist *databases,
    const struct strlist *exclude, struct err *e)
{
	struct db_filter *f = xcalloc(1, sizeof *f);
	static const struct strlist none;

	f->from_cli = only != NULL && only->n > 0;
	if (f->from_cli) {
		if (db_regex_list(only, "--database", ERR_USAGE, &f->inc,
		    &f->ninc, e) == -1)
			goto fail;
	} else if (db_regex_list(databases ? databases : &none,
	    "[backup] databases", ERR_CONFIG, &f->inc, &f->ninc, e) == -1)
		goto fail;
	if (db_regex_list(exclude ? exclude : &none, "[backup] exclude",
	    ERR_CONFIG, &f->exc, &f->nexc, e) == -1)
		goto fail;
	return f;
fail:
	db_filter_free(f);
	return NULL;
}

static void
db_regex_free(struct db_regex *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		regfree(&v[i].re);
		free(v[i].text);
	}
	free(v);
}

void
db_filter_free(struct db_filter *f)
{
	if (f == NULL)
		return;
	db_regex_free(f->inc, f->ninc);
	db_regex_free(f->exc, f->nexc);
	free(f);
}

static int
db_is_system(const char *name)
{
	return strcmp(name, "mysql") == 0 || strcmp(name, "sys") == 0;
}

static int
db_is_virtual(const char *name)
{
	return strcasecmp(name, "information_schema") == 0 ||
	    strcasecmp(name, "performance_schema") == 0;
}

/* Whether some include regex takes name; system schemas must be named. */
static int
db_included(struct db_filter *f, const char *name)
{
	size_t i;
	int hit = 0;

	if (f->ninc == 0)
		return !db_is_system(name);
	for (i = 0; i < f->ninc; i++) {
		if (regexec(&f->inc[i].re, name, 0, NULL, 0) != 0)
			continue;
		if (db_is_system(name) && strstr(f->inc[i].text, name) == NULL)
			continue;
		f->inc[i].matched = 1;
		hit = 1;
	}
	return hit;
}

int
db_filter_apply(const struct db_filter *cf, char **names, size_t n,
    struct strlist *sel, struct err *e)
{
	struct db_filter *f = (struct db_filter *)cf;
	size_t i, j;
	int excluded;

	for (i = 0; i < f->ninc; i++)
		f->inc[i].matched = 0;
	for (i = 0; i < n; i++) {
		if (db_is_virtual(names[i]) || !db_included(f, names[i]))
			continue;
		excluded = 0;
		for (j = 0; j < f->nexc; j++)
			if (regexec(&f->exc[j].re, names[i], 0, NULL, 0) == 0)
				excluded = 1;
		if (!excluded)
			strlist_add(sel, names[i]);
	}
	for (i = 0; f->from_cli && i < f->ninc; i++)
		if (!f->inc[i].matched)
			return err_set(e, ERR_DB,
			    "--database '%s' matches no database",
			    f->inc[i].text);
	return 0;
}

int
catalog_databases(MYSQL *c, struct strlist *out, struct err *e)
{
	return db_query_column(c, "SHOW DATABASES", out, e);
}

int
catalog_engine_transactional(const char *engine)
{
	static const char *mvcc[] = { "InnoDB", "XtraDB", "RocksDB",
	    "TokuDB", NULL };
	size_t i;

	for (i = 0; engine != NULL && mvcc[i] != NULL; i++)
		if (strcasecmp(engine, mvcc[i]) == 0)
			return 1;
	return 0;
}

int
catalog_engine_rows_elsewhere(const char *engine)
{
	static const char *other[] = { "MRG_MyISAM", "MERGE", "FEDERATED",
	    "FederatedX", "CONNECT", "SPIDER", "OQGRAPH", "BLACKHOLE",
	    "SEQUENCE", NULL };
	size_t i;

	for (i = 0; engine != NULL && other[i] != NULL; i++)
		if (strcasecmp(engine, other[i]) == 0)
			return 1;
	return 0;
}

int
catalog_enum_has_empty(const char *type)
{
	const char *p = strchr(type, '(');
	int empty;

	if (p == NULL)
		return 0;
	/* Members are quoted: '' is a quote inside one, \x a character. */
	for (p++; *p == '\'';) {
		empty = p[1] == '\'' && p[2] != '\'';
		for (p++; *p != '\0'; p++) {
			if (*p == '\'' && p[1] == '\'')
				p++;
			else if (*p == '\'')
				break;
			else if (*p == '\\' && p[1] != '\0')
				p++;
		}
		if (*p != '\'')
			return 0;
		if (empty)
			return 1;
		if (*++p == ',')
			p++;
	}
	return 0;
}

/* A column as information_schema reports it, before the dump picks. */
struct colx {
	char *name;
	enum col_kind kind;
	int is_int, nullable, dumped, period;
};

struct tabx {
	struct cat_table *t;
	struct colx *c;
	size_t nc;
	char *keyname;		/* index being collected */
	size_t *keycols;	/* positions in c */
	size_t nkeycols;
	int keybad, keydone;
};

static enum col_kind
col_kind_of(const char *type, int *is_int)
{
	static const char *ints[] = { "tinyint", "smallint", "mediumint",
	    "int", "integer", "bigint", NULL };
	static const char *nums[] = { "decimal", "numeric", "double",
	    "real", "double precision", "year", NULL };
	size_t i;

	*is_int = 0;
	for (i = 0; ints[i] != NULL; i++)
		if (strcasecmp(type, ints[i]) == 0) {
			*is_int = 1;
			return COL_NUMBER;
		}
	for (i = 0; nums[i] != NULL; i++)
		if (strcasecmp(type, nums[i]) == 0)
			return COL_NUMBER;
	if (strcasecmp(type, "float") == 0)
		return COL_FLOAT;
	if (strcasecmp(type, "bit") == 0)
		return COL_BIT;
	if (strcasecmp(type, "json") == 0)
		return COL_JSON;
	return COL_STRING;
}

/*
 * A generated column's EXTRA: "VIRTUAL GENERATED", "STORED GENERATED"
 * (MariaDB also "PERSISTENT GENERATED").  MySQL's "DEFAULT_GENERATED" (a
 * DEFAULT expression, CURRENT_TIMESTAMP included) is a stored value like
 * any other and must be dumped.
 */
static int
extra_is_generated(const char *extra)
{
	return strstr(extra, "VIRTUAL GENERATED") != NULL ||
	    strstr(extra, "STORED GENERATED") != NULL ||
	    strstr(extra, "PERSISTENT GENERATED") != NULL;
}

static int
tabx_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tabx *)a)->t->name,
	    ((const struct tabx *)b)->t->name);
}

static struct tabx *
tabx_find(struct tabx *v, size_t n, const char *name)
{
	struct cat_table key;
	struct tabx k;

	key.name = (char *)name;
	k.t = &key;
	return bsearch(&k, v, n, sizeof *v, tabx_cmp);
}

/* Runs head TABLE_SCHEMA = 'db' (exactly) tail. */
static MYSQL_RES *
catalog_query(MYSQL *c, const char *head, const char *db, const char *tail,
    struct err *e)
{
	struct buf q;
	MYSQL_RES *r;

	buf_init(&q);
	buf_append_str(&q, head);
	sql_name_equals(&q, "TABLE_SCHEMA", db);
	buf_append_str(&q, tail);
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	return r;
}

static int
catalog_columns(MYSQL *c, const char *db, struct tabx *v, size_t n,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct tabx *x;
	struct colx *cx;
	int gen, period;

	r = catalog_query(c, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, "
	    "EXTRA, GENERATION_EXPRESSION, IS_NULLABLE, COLUMN_TYPE "
	    "FROM information_schema.COLUMNS WHERE ", db,
	    " ORDER BY TABLE_NAME, ORDINAL_POSITION", e);
	if (r == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL || row[1] == NULL || row[2] == NULL ||
		    (x = tabx_find(v, n, row[0])) == NULL)
			continue;
		period = row[4] != NULL && (strcmp(row[4], "ROW START") == 0 ||
		    strcmp(row[4], "ROW END") == 0);
		gen = row[3] != NULL && extra_is_generated(row[3]);
		x->c = xreallocarray(x->c, x->nc + 1, sizeof *x->c);
		cx = &x->c[x->nc++];
		cx->name = xstrdup(row[1]);
		cx->kind = col_kind_of(row[2], &cx->is_int);
		if (strcasecmp(row[2], "enum") == 0 && row[6] != NULL &&
		    catalog_enum_has_empty(row[6]))
			cx->kind = COL_ENUM_INDEX;
		cx->nullable = row[5] != NULL && strcmp(row[5], "YES") == 0;
		cx->period = period;
		cx->dumped = !gen || period;
	}
	mysql_free_result(r);
	return 0;
}

/* Ends the index being collected: keeps it when nothing disqualified it. */
static void
tabx_key_end(struct tabx *x)
{
	if (x->keydone)
		return;
	if (x->keyname != NULL && !x->keybad && x->nkeycols > 0)
		x->keydone = 1;
	else
		x->nkeycols = 0;
	free(x->keyname);
	x->keyname = NULL;
	x->keybad = 0;
}

static void
tabx_key_col(struct tabx *x, const char *index, const char *col)
{
	size_t i;

	if (x->keydone)
		return;
	if (x->keyname == NULL || strcmp(x->keyname, index) != 0) {
		tabx_key_end(x);
		if (x->keydone)
			return;
		x->keyname = xstrdup(index);
	}
	for (i = 0; i < x->nc; i++)
		if (strcmp(x->c[i].name, col) == 0)
			break;
	if (i == x->nc || !x->c[i].dumped || x->c[i].nullable) {
		x->keybad = 1;
		return;
	}
	x->keycols = xreallocarray(x->keycols, x->nkeycols + 1,
	    sizeof *x->keycols);
	x->keycols[x->nkeycols++] = i;
}

/*
 * The ordering key: the primary key, else the first unique index whose
 * columns are all NOT NULL and read by the dump.
 */
static int
catalog_keys(MYSQL *c, const char *db, struct tabx *v, size_t n,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct tabx *x;
	size_t i;

	r = catalog_query(c, "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME "
	    "FROM information_schema.STATISTICS WHERE ", db,
	    " AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, "
	    "INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX", e);
	if (r == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL || row[1] == NULL || row[2] == NULL ||
		    (x = tabx_find(v, n, row[0])) == NULL)
			continue;
		tabx_key_col(x, row[1], row[2]);
	}
	mysql_free_result(r);
	for (i = 0; i < n; i++)
		tabx_key_end(&v[i]);
	return 0;
}

static int
catalog_sizes(MYSQL *c, const char *db, struct tabx *v, size_t n,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	struct tabx *x;

	r = catalog_query(c, "SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH "
	    "FROM information_schema.TABLES WHERE ", db, "", e);
	if (r == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (row[0] == NULL || (x = tabx_find(v, n, row[0])) == NULL)
			continue;
		x->t->est_rows = row[1] ? strtoull(row[1], NULL, 10) : 0;
		x->t->est_bytes = row[2] ? strtoull(row[2], NULL, 10) : 0;
	}
	mysql_free_result(r);
	return 0;
}

/* Moves the dumped columns into t, with the key mapped to their order. */
static void
tabx_finish(struct tabx *x)
{
	struct cat_table *t = x->t;
	size_t i, j, *map = xcalloc(x->nc + 1, sizeof *map);
	int periods = 0;

	t->cols = xcalloc(x->nc + 2, sizeof *t->cols);
	for (i = 0; i < x->nc; i++) {
		if (x->c[i].dumped) {
			map[i] = t->ncols;
			t->cols[t->ncols].name = x->c[i].name;
			t->cols[t->ncols].nullable = x->c[i].nullable;
			t->cols[t->ncols++].kind = x->c[i].kind;
			x->c[i].name = NULL;
			periods += x->c[i].period;
		}
		free(x->c[i].name);
	}
	/* Implicit system versioning: the period columns are hidden. */
	if (t->versioned && periods == 0) {
		t->cols[t->ncols++].name = xstrdup("ROW_START");
		t->cols[t->ncols++].name = xstrdup("ROW_END");
	}
	/* Versioned keys carry ROW_END implicitly: stream those unsplit. */
	if (!t->versioned && x->nkeycols > 0) {
		t->key = xcalloc(x->nkeycols, sizeof *t->key);
		for (j = 0; j < x->nkeycols; j++)
			t->key[j] = map[x->keycols[j]];
		t->nkey = x->nkeycols;
		t->int_key = t->nkey == 1 && x->c[x->keycols[0]].is_int;
	}
	free(map);
	free(x->c);
	free(x->keycols);
	free(x->keyname);
}

int
catalog_tables(MYSQL *c, const char *db, const struct schema_table *st,
    size_t nst, struct cat_table **out, size_t *nout, struct err *e)
{
	struct tabx *v = xcalloc(nst + 1, sizeof *v);
	struct cat_table *t = xcalloc(nst + 1, sizeof *t);
	size_t i;
	int rc = -1;

	for (i = 0; i < nst; i++) {
		t[i].db = xstrdup(db);
		t[i].name = xstrdup(st[i].name);
		t[i].engine = xstrdup(st[i].engine ? st[i].engine : "");
		t[i].transactional = catalog_engine_transactional(
		    st[i].engine);
		t[i].rows_elsewhere = catalog_engine_rows_elsewhere(
		    st[i].engine);
		t[i].versioned = st[i].versioned;
		v[i].t = &t[i];
	}
	qsort(v, nst, sizeof *v, tabx_cmp);
	if (catalog_columns(c, db, v, nst, e) == -1 ||
	    catalog_keys(c, db, v, nst, e) == -1 ||
	    catalog_sizes(c, db, v, nst, e) == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; i < nst; i++)
		tabx_finish(&v[i]);
	free(v);
	if (rc == -1) {
		for (i = 0; i < nst; i++)
			cat_table_free(&t[i]);
		free(t);
		err_prefix(e, "database %s", db);
		return -1;
	}
	*out = t;
	*nout = nst;
	return 0;
}

void
cat_table_free(struct cat_table *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		free(t->cols[i].name);
	free(t->cols);
	free(t->key);
	free(t->db);
	free(t->name);
	free(t->engine);
	memset(t, 0, sizeof *t);
}
