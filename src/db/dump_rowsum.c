/* Rows fingerprints of the dump and of restore --diff (dump_rowsum.h). */
#include "db/dump_rowsum.h"

#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/dump_int.h"
#include "db/rowfmt.h"
#include "util/buf.h"
#include "util/sum256.h"
#include "util/xmalloc.h"

struct rowsum_table {
	struct dtable *t;
	struct strlist key;
};

void
rowsum_add(struct hash *h, const char *row, size_t n)
{
	hash_update(h, row, n);
	hash_update(h, "\n", 1);
}

void
rowsum_end(struct hash *h, char hex[65])
{
	unsigned char d[32];

	hash_to_hex(d, hash_final(h, d), hex);
}

void
rowsum_sum_add(struct hash *h, unsigned char acc[32], const char *row,
    size_t n)
{
	unsigned char d[32];

	rowsum_add(h, row, n);
	hash_final(h, d);
	sum256_add(acc, d);
}

/* Its engine and whether it is system-versioned, as the dump asks. */
static int
rowsum_kind(MYSQL *c, const char *db, const char *table,
    struct schema_table *st, struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;

	buf_init(&q);
	buf_append_str(&q, "SELECT ENGINE, TABLE_TYPE FROM information_schema."
	    "TABLES WHERE TABLE_SCHEMA = ");
	sql_quote_string(&q, db, strlen(db));
	buf_append_str(&q, " AND TABLE_NAME = ");
	sql_quote_string(&q, table, strlen(table));
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	if ((row = mysql_fetch_row(r)) == NULL) {
		mysql_free_result(r);
		return err_set(e, ERR_DB, "table %s.%s: not found", db, table);
	}
	st->engine = row[0] != NULL ? xstrdup(row[0]) : NULL;
	st->versioned = row[1] != NULL &&
	    strcmp(row[1], "SYSTEM VERSIONED") == 0;
	mysql_free_result(r);
	return 0;
}

int
rowsum_open(MYSQL *c, const char *db, const char *table,
    struct rowsum_table **out, struct err *e)
{
	struct schema_table st;
	struct cat_table *ct = NULL;
	struct rowsum_table *t;
	size_t n = 0, i;
	int rc;

	memset(&st, 0, sizeof st);
	st.name = (char *)table;
	if (rowsum_kind(c, db, table, &st, e) == -1)
		return -1;
	rc = catalog_tables(c, db, &st, 1, &ct, &n, e);
	free(st.engine);
	if (rc == -1)
		return -1;
	t = xcalloc(1, sizeof *t);
	t->t = dtable_new(&ct[0]);
	for (i = 0; i < t->t->cat.nkey; i++)
		strlist_add(&t->key, t->t->cat.cols[t->t->cat.key[i]].name);
	free(ct);
	*out = t;
	return 0;
}

void
rowsum_free(struct rowsum_table *t)
{
	if (t == NULL)
		return;
	dtable_free(t->t);
	strlist_free(&t->key);
	free(t);
}

const struct strlist *
rowsum_key(const struct rowsum_table *t)
{
	return &t->key;
}

/* "`a`" or "(`a`,`b`)" */
static void
key_tuple(struct buf *q, const struct strlist *k)
{
	size_t i;

	if (k->n > 1)
		buf_append_char(q, '(');
	for (i = 0; i < k->n; i++) {
		if (i > 0)
			buf_append_char(q, ',');
		sql_quote_ident(q, k->v[i]);
	}
	if (k->n > 1)
		buf_append_char(q, ')');
}

/* "(K >= first AND K <= last)" */
static void
key_range(struct buf *q, const struct strlist *k, const char *first,
    const char *last)
{
	buf_append_char(q, '(');
	key_tuple(q, k);
	buf_printf(q, " >= %s AND ", first);
	key_tuple(q, k);
	buf_printf(q, " <= %s)", last);
}

static void
order_by(struct buf *q, const struct strlist *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		buf_append_str(q, i == 0 ? " ORDER BY " : ",");
		sql_quote_ident(q, k->v[i]);
	}
}

/*
 * Runs q and hashes its rows: a digest after every cuts[i] rows (and of
 * what is left at the end), *extra the rows past the last cut, *total all.
 */
static int
rowsum_query(MYSQL *c, const struct rowsum_table *t, const char *q,
    const uint64_t *cuts, size_t n, char (*hex)[65], uint64_t *extra,
    uint64_t *total, struct err *e)
{
	struct hash *h = hash_new(HASH_SHA256);
	struct buf b;
	MYSQL_RES *r;
	MYSQL_ROW row;
	uint64_t in = 0;
	size_t i = 0;
	int rc = 0;

	*extra = 0;
	if (mysql_real_query(c, q, strlen(q)) != 0 ||
	    (r = mysql_use_result(c)) == NULL) {
		hash_free(h);
		return err_set(e, ERR_DB, "%s", mysql_error(c));
	}
	buf_init(&b);
	*total = 0;
	while ((row = mysql_fetch_row(r)) != NULL) {
		(*total)++;
		buf_reset(&b);
		rowfmt_row(&b, t->t->kinds, t->t->cat.ncols, row,
		    mysql_fetch_lengths(r));
		if (i == n) {
			(*extra)++;
			continue;
		}
		rowsum_add(h, b.data, b.len);
		if (++in == cuts[i]) {
			rowsum_end(h, hex[i++]);
			in = 0;
		}
	}
	if (mysql_errno(c) != 0)
		rc = err_set(e, ERR_DB, "%s", mysql_error(c));
	for (; rc == 0 && i < n; i++, in = 0)
		rowsum_end(h, hex[i]);	/* fewer rows: that digest differs */
	mysql_free_result(r);
	buf_free(&b);
	hash_free(h);
	return rc;
}

int
rowsum_range(MYSQL *c, const struct rowsum_table *t, const char *first,
    const char *last, char hex[65], uint64_t *rows, struct err *e)
{
	uint64_t max = UINT64_MAX, extra;
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, t->t->select);
	buf_append_str(&q, " WHERE ");
	key_range(&q, &t->key, first, last);
	order_by(&q, &t->key);
	rc = rowsum_query(c, t, buf_cstr(&q), &max, 1, (char (*)[65])hex,
	    &extra, rows, e);
	buf_free(&q);
	return rc;
}

int
rowsum_split(MYSQL *c, const struct rowsum_table *t, const uint64_t *rows,
    size_t n, char (*hex)[65], uint64_t *extra, struct err *e)
{
	uint64_t total;
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, t->t->select);
	order_by(&q, &t->key);
	rc = rowsum_query(c, t, buf_cstr(&q), rows, n, hex, extra, &total,
	    e);
	buf_free(&q);
	return rc;
}

int
rowsum_multiset(MYSQL *c, const struct rowsum_table *t, char hex[65],
    struct err *e)
{
	struct hash *h;
	unsigned char acc[32];
	struct buf b;
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = 0;

	if (mysql_real_query(c, t->t->select, strlen(t->t->select)) != 0 ||
	    (r = mysql_use_result(c)) == NULL)
		return err_set(e, ERR_DB, "%s", mysql_error(c));
	h = hash_new(HASH_SHA256);
	memset(acc, 0, sizeof acc);
	buf_init(&b);
	while ((row = mysql_fetch_row(r)) != NULL) {
		buf_reset(&b);
		rowfmt_row(&b, t->t->kinds, t->t->cat.ncols, row,
		    mysql_fetch_lengths(r));
		rowsum_sum_add(h, acc, b.data, b.len);
	}
	if (mysql_errno(c) != 0)
		rc = err_set(e, ERR_DB, "%s", mysql_error(c));
	mysql_free_result(r);
	buf_free(&b);
	hash_free(h);
	sum256_hex(acc, hex);
	return rc;
}

int
rowsum_delete_outside(MYSQL *c, const struct rowsum_table *t,
    char *const *first, char *const *last, size_t n, struct err *e)
{
	struct buf q;
	size_t i;
	int rc;

	buf_init(&q);
	buf_append_str(&q, "DELETE FROM ");
	sql_quote_ident(&q, t->t->cat.db);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, t->t->cat.name);
	for (i = 0; i < n; i++) {
		buf_append_str(&q, i == 0 ? " WHERE NOT (" : " OR ");
		key_range(&q, &t->key, first[i], last[i]);
	}
	if (n > 0)
		buf_append_char(&q, ')');
	rc = db_exec(c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}
