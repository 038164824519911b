/* The dump's tables and work items (dump_int.h). */
#include <stdlib.h>
#include <string.h>

#include "db/chunk.h"
#include "db/conn.h"
#include "db/dump_int.h"
#include "util/log.h"
#include "util/names.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

static const char data_preamble[] =
    "SET NAMES binary; SET foreign_key_checks=0; SET unique_checks=0;\n"
    "SET sql_mode='NO_AUTO_VALUE_ON_ZERO'; SET time_zone='+00:00';\n";

/* What the dump selects for column c. */
static void
col_expr(struct buf *b, const struct cat_column *c)
{
	/* FLOAT's own text is rounded; its exact value as DOUBLE is not. */
	if (c->kind == COL_FLOAT)
		buf_append_str(b, "CAST(");
	sql_quote_ident(b, c->name);
	if (c->kind == COL_FLOAT)
		buf_append_str(b, " AS DOUBLE)");
	if (c->kind == COL_ENUM_INDEX)
		buf_append_str(b, "+0");
}

/*
 * A row's values text (db/dump_rowsum.h) as the server computes it, as
 * the arguments of a GROUP_CONCAT (which skips a row when one is NULL, so
 * a nullable column's is never NULL): a number and ',', or a string's
 * length, ':' and its bytes; 'N' for NULL.  On a SET NAMES binary session
 * every piece is a binary string, so nothing is converted.
 */
static char *
values_expr(const struct cat_table *ct)
{
	const struct cat_column *c;
	struct buf b, x, v;
	size_t i;

	buf_init(&b);
	buf_init(&x);
	buf_init(&v);
	for (i = 0; i < ct->ncols; i++) {
		c = &ct->cols[i];
		buf_reset(&x);
		buf_reset(&v);
		col_expr(&x, c);
		if (rowsum_numeric(c->kind))
			buf_printf(&v, "%s,','", buf_cstr(&x));
		else
			buf_printf(&v, "LENGTH(%s),':',%s", buf_cstr(&x),
			    buf_cstr(&x));
		buf_printf(&b, c->nullable ? "%sIFNULL(CONCAT(%s),'N')" :
		    "%s%s", i > 0 ? "," : "", buf_cstr(&v));
	}
	if (ct->ncols == 0)
		buf_append_str(&b, "''");
	buf_free(&x);
	buf_free(&v);
	return buf_cstr(&b);
}

/* Precomputes the texts every member and query of a table repeats. */
struct dtable *
dtable_new(struct cat_table *ct)
{
	struct dtable *t = xcalloc(1, sizeof *t);
	struct buf b;
	char *de, *te;
	size_t i;

	t->cat = *ct;
	memset(ct, 0, sizeof *ct);
	de = name_encode(t->cat.db, strlen(t->cat.db));
	te = name_encode(t->cat.name, strlen(t->cat.name));
	t->member_prefix = xasprintf("1-data/%s/%s/", de, te);
	free(de);
	free(te);

	buf_init(&b);
	buf_append_str(&b, data_preamble);
	if (t->cat.versioned)
		buf_append_str(&b,
		    "SET @@system_versioning_insert_history=1;\n");
	buf_append_str(&b, "USE ");
	sql_quote_ident(&b, t->cat.db);
	buf_append_str(&b, ";\n");
	t->preamble = buf_cstr(&b);

	buf_init(&b);
	buf_append_str(&b, "INSERT INTO ");
	sql_quote_ident(&b, t->cat.name);
	buf_append_str(&b, " (");
	for (i = 0; i < t->cat.ncols; i++) {
		if (i > 0)
			buf_append_char(&b, ',');
		sql_quote_ident(&b, t->cat.cols[i].name);
	}
	buf_append_str(&b, ") VALUES\n");
	t->insert = buf_cstr(&b);

	t->kinds = xcalloc(t->cat.ncols + 1, sizeof *t->kinds);
	for (i = 0; i < t->cat.ncols; i++)
		t->kinds[i] = t->cat.cols[i].kind;
	buf_init(&b);
	buf_append_str(&b, " FROM ");
	sql_quote_ident(&b, t->cat.db);
	buf_append_char(&b, '.');
	sql_quote_ident(&b, t->cat.name);
	if (t->cat.versioned)
		buf_append_str(&b, " FOR SYSTEM_TIME ALL");
	t->from = buf_cstr(&b);
	buf_init(&b);
	buf_append_str(&b, "SELECT ");
	for (i = 0; i < t->cat.ncols; i++) {
		if (i > 0)
			buf_append_char(&b, ',');
		col_expr(&b, &t->cat.cols[i]);
	}
	if (t->cat.ncols == 0)
		buf_append_str(&b, "1");
	buf_append_str(&b, t->from);
	t->select = buf_cstr(&b);
	t->values = values_expr(&t->cat);
	return t;
}

void
dtable_free(struct dtable *t)
{
	cat_table_free(&t->cat);
	free(t->member_prefix);
	free(t->preamble);
	free(t->insert);
	free(t->select);
	free(t->from);
	free(t->values);
	free(t->kinds);
	free(t);
}


static void
dump_add_item(struct dump *d, struct dtable *t, char *lo, char *hi,
    uint64_t est)
{
	struct witem *it;

	d->items = xreallocarray(d->items, d->nitems + 1, sizeof *d->items);
	it = &d->items[d->nitems++];
	it->t = t;
	it->lo = lo;
	it->hi = hi;
	it->est = est;
	it->whole = lo == NULL && hi == NULL && est > d->o->chunk_size;
	t->pending++;
}

/* Key ranges of a big table with an integer key, read in the snapshot. */
static int
dump_plan_table(struct dump *d, struct dtable *t, struct err *e)
{
	const struct cat_table *ct = &t->cat;
	struct chunk_range *r = NULL;
	MYSQL_RES *res;
	MYSQL_ROW row;
	struct buf q;
	size_t n = 0, i;
	uint64_t target;

	if (ct->rows_elsewhere) {	/* its definition only: no member */
		if (d->o->verbose)
			log_info("host %s: %s.%s: engine %s, rows not copied "
			    "(not the table's own)", d->h->name, ct->db,
			    ct->name, ct->engine);
		d->tables_done++;
		return 0;
	}
	if (!ct->int_key || ct->est_bytes <= d->o->chunk_size) {
		dump_add_item(d, t, NULL, NULL, ct->est_bytes);
		return 0;
	}
	buf_init(&q);
	buf_append_str(&q, "SELECT MIN(");
	sql_quote_ident(&q, ct->cols[ct->key[0]].name);
	buf_append_str(&q, "), MAX(");
	sql_quote_ident(&q, ct->cols[ct->key[0]].name);
	buf_append_str(&q, ") FROM ");
	sql_quote_ident(&q, ct->db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, ct->name);
	res = db_query_store(d->snap.conns[0], buf_cstr(&q), e);
	buf_free(&q);
	if (res == NULL)
		return err_prefix(e, "table %s.%s", ct->db, ct->name);
	target = chunk_target_bytes(ct->est_bytes, d->o->chunk_size,
	    d->snap.n);
	row = mysql_fetch_row(res);
	if (row == NULL || row[0] == NULL || row[1] == NULL ||
	    chunk_plan(row[0], row[1], ct->est_bytes, target, DUMP_MAX_RANGES,
	    &r, &n) == -1)
		dump_add_item(d, t, NULL, NULL, ct->est_bytes);
	mysql_free_result(res);
	for (i = 0; i < n; i++)
		dump_add_item(d, t, r[i].lo, r[i].hi, ct->est_bytes / n);
	free(r);
	return 0;
}

static int
witem_cmp(const void *a, const void *b)
{
	const struct witem *x = a, *y = b;

	if (x->whole != y->whole)
		return x->whole ? -1 : 1;
	return x->est < y->est ? 1 : x->est > y->est ? -1 : 0;
}

int
dump_plan(struct dump *d, struct err *e)
{
	size_t i;

	for (i = 0; i < d->ntables; i++)
		if (dump_plan_table(d, d->tables[i], e) == -1)
			return -1;
	/*
	 * Tables that cannot be split first (one of them started last would
	 * end the run alone), then biggest first: the tail is small items.
	 */
	qsort(d->items, d->nitems, sizeof *d->items, witem_cmp);
	return 0;
}

