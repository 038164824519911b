/* Rows fingerprints of the dump and of restore --diff (dump_rowsum.h). */
#include "db/dump_rowsum.h"

#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/dump_int.h"
#include "util/buf.h"
#include "util/keyrange.h"
#include "util/sum256.h"
#include "util/xmalloc.h"

struct rowsum_table {
	struct dtable *t;
	struct strlist key;
};

int
rowsum_numeric(enum col_kind kind)
{
	return kind == COL_NUMBER || kind == COL_FLOAT ||
	    kind == COL_ENUM_INDEX;
}

void
rowsum_values(struct buf *b, const enum col_kind *kinds, size_t ncols,
    char **row, const unsigned long *lens)
{
	char num[24];
	size_t i, k;
	unsigned long n;

	for (i = 0; i < ncols; i++) {
		if (row[i] == NULL) {
			buf_append_char(b, 'N');
			continue;
		}
		if (rowsum_numeric(kinds[i])) {
			buf_append(b, row[i], lens[i]);
			buf_append_char(b, ',');
			continue;
		}
		k = sizeof num;
		num[--k] = ':';
		n = lens[i];
		do
			num[--k] = (char)('0' + n % 10);
		while ((n /= 10) > 0);
		buf_append(b, num + k, sizeof num - k);
		buf_append(b, row[i], lens[i]);
	}
}

/* The hex SHA-256 of h's text into the chunk's digest; h starts over. */
static void
seal_piece(struct hash *h, struct hash *chunk)
{
	unsigned char d[32];
	char hex[65];

	hash_to_hex(d, hash_final(h, d), hex);
	hash_update(chunk, hex, 64);
}

static void
end_hex(struct hash *h, char hex[65])
{
	unsigned char d[32];

	hash_to_hex(d, hash_final(h, d), hex);
}

void
rowsum_acc_init(struct rowsum_acc *a, uint64_t chunk_size)
{
	memset(a, 0, sizeof *a);
	a->piece_max = chunk_size / 4 < ROWSUM_PIECE ? chunk_size / 4 :
	    ROWSUM_PIECE;
	a->piece = hash_new(HASH_SHA256);
	a->chunk = hash_new(HASH_SHA256);
	a->row = hash_new(HASH_SHA256);
	buf_init(&a->text);
	buf_init(&a->keys);
}

void
rowsum_acc_free(struct rowsum_acc *a)
{
	hash_free(a->piece);
	hash_free(a->chunk);
	hash_free(a->row);
	buf_free(&a->text);
	buf_free(&a->keys);
}

static void
acc_flush(struct rowsum_acc *a)
{
	hash_update(a->piece, a->text.data, a->text.len);
	buf_reset(&a->text);
}

void
rowsum_acc_next(struct rowsum_acc *a, const char *prev_key)
{
	if (a->piece_bytes < a->piece_max)
		return;
	acc_flush(a);
	seal_piece(a->piece, a->chunk);
	if (a->keys.len > 0)
		buf_append_char(&a->keys, '\n');
	buf_append_str(&a->keys, prev_key);
	a->piece_bytes = 0;
}

void
rowsum_acc_row(struct rowsum_acc *a, int keyless, const enum col_kind *kinds,
    size_t ncols, char **row, const unsigned long *lens)
{
	unsigned char d[32];
	size_t at = a->text.len;

	rowsum_values(&a->text, kinds, ncols, row, lens);
	a->piece_bytes += a->text.len - at;
	if (keyless) {
		hash_update(a->row, a->text.data + at, a->text.len - at);
		hash_final(a->row, d);
		sum256_add(a->sum, d);
	}
	/* one hash call per 64 KiB, not one per row */
	if (a->text.len >= 65536)
		acc_flush(a);
}

void
rowsum_acc_end(struct rowsum_acc *a, char hex[65], char **keys,
    unsigned char sum[32])
{
	acc_flush(a);
	seal_piece(a->piece, a->chunk);
	end_hex(a->chunk, hex);
	*keys = a->keys.len > 0 ? xstrdup(buf_cstr(&a->keys)) : NULL;
	buf_reset(&a->keys);
	memcpy(sum, a->sum, 32);
	memset(a->sum, 0, sizeof a->sum);
	a->piece_bytes = 0;
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
 * Runs q and hashes its rows' values text: chunk digests (one piece each)
 * after every cuts[i] rows (and of what is left at the end) into hex, or,
 * sum != NULL, the values_sum of every row; *extra the rows past the last
 * cut.
 */
static int
rowsum_query(MYSQL *c, const struct rowsum_table *t, const char *q,
    const uint64_t *cuts, size_t n, char (*hex)[65], unsigned char *sum,
    uint64_t *extra, struct err *e)
{
	struct rowsum_acc a;
	unsigned char scratch[32];
	char *keys;
	MYSQL_RES *r;
	MYSQL_ROW row;
	uint64_t in = 0;
	size_t i = 0;
	int rc = 0;

	*extra = 0;
	if (mysql_real_query(c, q, strlen(q)) != 0 ||
	    (r = mysql_use_result(c)) == NULL)
		return err_set(e, ERR_DB, "%s", mysql_error(c));
	rowsum_acc_init(&a, UINT64_MAX);	/* cut by rows instead */
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (sum == NULL && i == n) {
			(*extra)++;
			continue;
		}
		rowsum_acc_row(&a, sum != NULL, t->t->kinds, t->t->cat.ncols,
		    row, mysql_fetch_lengths(r));
		if (sum == NULL && ++in == cuts[i]) {
			/* no keys: rowsum_acc_next is never called here */
			rowsum_acc_end(&a, hex[i++], &keys, scratch);
			in = 0;
		}
	}
	if (mysql_errno(c) != 0)
		rc = err_set(e, ERR_DB, "%s", mysql_error(c));
	if (sum != NULL)
		memcpy(sum, a.sum, 32);
	for (; rc == 0 && sum == NULL && i < n; i++, in = 0)
		/* fewer rows: that digest differs */
		rowsum_acc_end(&a, hex[i], &keys, scratch);
	mysql_free_result(r);
	rowsum_acc_free(&a);
	return rc;
}

/*
 * One piece, by the server: the hex SHA-256 of its rows' values text in
 * the order the server reads them.  *exact is 0 when GROUP_CONCAT was cut
 * (the piece is larger than max_allowed_packet).
 */
static int
piece_server(MYSQL *c, const struct rowsum_table *t, const char *range,
    char hex[65], int *exact, uint64_t *rows, struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = 0;

	buf_init(&q);
	buf_printf(&q, "SELECT COUNT(*), SHA2(GROUP_CONCAT(%s SEPARATOR ''),"
	    "256)%s WHERE %s", t->t->values, t->t->from, range);
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	*exact = mysql_warning_count(c) == 0;
	if ((row = mysql_fetch_row(r)) == NULL || row[0] == NULL) {
		rc = err_set(e, ERR_DB, "no answer to the fingerprint query");
	} else {
		*rows = strtoull(row[0], NULL, 10);
		if (row[1] == NULL || strlen(row[1]) != 64)
			hash_hex(HASH_SHA256, "", 0, hex);	/* no rows */
		else
			memcpy(hex, row[1], 65);
	}
	mysql_free_result(r);
	return rc;
}

/* One piece, read through the dump's SELECT in key order. */
static int
piece_client(MYSQL *c, const struct rowsum_table *t, const char *range,
    char hex[65], uint64_t *rows, struct err *e)
{
	struct buf q;
	struct hash *h;
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = 0;

	buf_init(&q);
	buf_printf(&q, "%s WHERE %s", t->t->select, range);
	order_by(&q, &t->key);
	if (mysql_real_query(c, q.data, q.len) != 0 ||
	    (r = mysql_use_result(c)) == NULL) {
		buf_free(&q);
		return err_set(e, ERR_DB, "%s", mysql_error(c));
	}
	h = hash_new(HASH_SHA256);
	*rows = 0;
	while ((row = mysql_fetch_row(r)) != NULL) {
		(*rows)++;
		buf_reset(&q);
		rowsum_values(&q, t->t->kinds, t->t->cat.ncols, row,
		    mysql_fetch_lengths(r));
		hash_update(h, q.data, q.len);
	}
	if (mysql_errno(c) != 0)
		rc = err_set(e, ERR_DB, "%s", mysql_error(c));
	mysql_free_result(r);
	end_hex(h, hex);
	hash_free(h);
	buf_free(&q);
	return rc;
}

/*
 * The chunk's digest, each piece by the server, or read row by row where
 * the server's text was cut.  A digest that differs because the server
 * read rows in another order than the key's only reloads the chunk, which
 * a range scan of the key does not do.
 */
static int
chunk_pieces(MYSQL *c, const struct rowsum_table *t, const char *first,
    const char *keys, const char *last, char hex[65],
    struct rowsum_count *n, uint64_t *chunk_rows, struct err *e)
{
	struct hash *h = hash_new(HASH_SHA256);
	struct buf range;
	char *lo = xstrdup(first), *hi;
	const char *p = keys, *nl;
	char piece[65];
	uint64_t rows = 0, total = 0;
	int rc = 0, exact = 0, incl = 1;

	buf_init(&range);
	while (rc == 0) {
		nl = p != NULL ? strchr(p, '\n') : NULL;
		hi = p == NULL ? xstrdup(last) : nl != NULL ?
		    xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		buf_reset(&range);
		keyrange_sql(&range, &t->key, lo, incl, hi);
		rc = piece_server(c, t, buf_cstr(&range), piece, &exact, &rows,
		    e);
		n->server++;
		if (rc == 0 && !exact) {
			n->read++;
			rc = piece_client(c, t, buf_cstr(&range), piece, &rows,
			    e);
		}
		if (rc == 0)
			hash_update(h, piece, 64);
		total += rows;
		free(lo);
		lo = hi;
		incl = 0;
		if (p == NULL)
			break;
		p = nl != NULL ? nl + 1 : NULL;
	}
	free(lo);
	buf_free(&range);
	end_hex(h, hex);
	hash_free(h);
	*chunk_rows = total;
	return rc;
}

int
rowsum_chunk(MYSQL *c, const struct rowsum_table *t, const char *first,
    const char *keys, const char *last, char hex[65],
    struct rowsum_count *n, struct err *e)
{
	uint64_t rows;

	if (chunk_pieces(c, t, first, keys, last, hex, n, &rows, e) == -1)
		return -1;
	n->rows += rows;
	return 0;
}

int
rowsum_split(MYSQL *c, const struct rowsum_table *t, const uint64_t *rows,
    size_t n, char (*hex)[65], uint64_t *extra, struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_append_str(&q, t->t->select);
	order_by(&q, &t->key);
	rc = rowsum_query(c, t, buf_cstr(&q), rows, n, hex, NULL, extra, e);
	buf_free(&q);
	return rc;
}

int
rowsum_multiset(MYSQL *c, const struct rowsum_table *t, char hex[65],
    struct err *e)
{
	unsigned char acc[32];
	uint64_t extra;
	int rc;

	rc = rowsum_query(c, t, t->t->select, NULL, 0, NULL, acc, &extra, e);
	sum256_hex(acc, hex);
	return rc;
}

int
rowsum_rows(MYSQL *c, const struct rowsum_table *t, uint64_t *rows,
    struct err *e)
{
	struct buf q;
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc = 0;

	buf_init(&q);
	buf_printf(&q, "SELECT COUNT(*)%s", t->t->from);
	r = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (r == NULL)
		return -1;
	if ((row = mysql_fetch_row(r)) == NULL || row[0] == NULL)
		rc = err_set(e, ERR_DB, "no answer to SELECT COUNT(*)");
	else
		*rows = strtoull(row[0], NULL, 10);
	mysql_free_result(r);
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
		keyrange_sql(&q, &t->key, first[i], 1, last[i]);
	}
	if (n > 0)
		buf_append_char(&q, ')');
	rc = db_exec(c, buf_cstr(&q), e);
	buf_free(&q);
	return rc;
}
