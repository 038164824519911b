/* A key range as SQL scanned as a range (util/keyrange.h). */
#include "util/keyrange.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

/* Past the quoted string that starts at p ('), or NULL if unterminated. */
static const char *
skip_quoted(const char *p)
{
	for (p++; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '\'' && p[1] == '\'')
			p++;
		else if (*p == '\'')
			return p + 1;
	}
	return NULL;
}

int
keyrange_split(const char *lit, size_t n, struct strlist *out)
{
	struct strlist v = { NULL, 0 };
	const char *p, *start;
	char *s;

	if (n == 1 && lit[0] != '\0') {
		strlist_add(out, lit);
		return 0;
	}
	if (n < 2 || lit[0] != '(')
		return -1;
	for (p = start = lit + 1; *p != '\0';) {
		if (*p == '\'') {
			if ((p = skip_quoted(p)) == NULL)
				break;
			continue;
		}
		if (*p == '(' )
			break;		/* no literal of a key nests */
		if (*p != ',' && *p != ')') {
			p++;
			continue;
		}
		if (p == start)
			break;		/* an empty piece */
		s = xstrndup(start, (size_t)(p - start));
		strlist_add(&v, s);
		free(s);
		if (*p == ')') {
			p++;
			break;
		}
		start = ++p;
	}
	if (p == NULL || *p != '\0' || v.n != n || p[-1] != ')') {
		strlist_free(&v);
		return -1;
	}
	for (n = 0; n < v.n; n++)
		strlist_add(out, v.v[n]);
	strlist_free(&v);
	return 0;
}

/*
 * The bound of columns i.. against lits from i: "`c` OP v" for the last
 * column, else "(`c` STRICT v OR (`c` = v AND <the rest>))".
 */
static void
bound(struct buf *q, const struct strlist *cols, const struct strlist *v,
    size_t i, const char *strict, const char *last_op)
{
	if (i + 1 == cols->n) {
		sql_quote_ident(q, cols->v[i]);
		buf_printf(q, " %s %s", last_op, v->v[i]);
		return;
	}
	buf_append_char(q, '(');
	sql_quote_ident(q, cols->v[i]);
	buf_printf(q, " %s %s OR (", strict, v->v[i]);
	sql_quote_ident(q, cols->v[i]);
	buf_printf(q, " = %s AND ", v->v[i]);
	bound(q, cols, v, i + 1, strict, last_op);
	buf_append_str(q, "))");
}

/* "(`a`,`b`)" or "`a`" */
static void
tuple(struct buf *q, const struct strlist *cols)
{
	size_t i;

	if (cols->n > 1)
		buf_append_char(q, '(');
	for (i = 0; i < cols->n; i++) {
		if (i > 0)
			buf_append_char(q, ',');
		sql_quote_ident(q, cols->v[i]);
	}
	if (cols->n > 1)
		buf_append_char(q, ')');
}

void
keyrange_sql(struct buf *q, const struct strlist *cols, const char *first,
    int incl, const char *last)
{
	struct strlist lo = { NULL, 0 }, hi = { NULL, 0 };

	if (cols->n < 2 || keyrange_split(first, cols->n, &lo) == -1 ||
	    keyrange_split(last, cols->n, &hi) == -1) {
		buf_append_char(q, '(');
		tuple(q, cols);
		buf_printf(q, " %s %s AND ", incl ? ">=" : ">", first);
		tuple(q, cols);
		buf_printf(q, " <= %s)", last);
	} else {
		/* the first column's bounds alone: a range for any optimizer */
		buf_append_char(q, '(');
		sql_quote_ident(q, cols->v[0]);
		buf_printf(q, " >= %s AND ", lo.v[0]);
		sql_quote_ident(q, cols->v[0]);
		buf_printf(q, " <= %s AND ", hi.v[0]);
		bound(q, cols, &lo, 0, ">", incl ? ">=" : ">");
		buf_append_str(q, " AND ");
		bound(q, cols, &hi, 0, "<", "<=");
		buf_append_char(q, ')');
	}
	strlist_free(&lo);
	strlist_free(&hi);
}
