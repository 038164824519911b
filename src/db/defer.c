/*
 * The statement is scanned, not parsed: quoted strings and identifiers
 * ('...' and "..." with backslash escapes, `...` with doubled backticks)
 * and comments are skipped whole, parentheses are counted outside them,
 * and the body is cut at commas of depth zero.  Each definition is then
 * known by its first words, exactly as SHOW CREATE TABLE spells them; any
 * definition not recognised leaves the table as it is.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/defer.h"
#include "util/xmalloc.h"

#define DEFER_DEFS_MAX	4096

enum def_kind { D_COLUMN, D_KEEP, D_PRIMARY, D_UNIQUE, D_PLAIN, D_FULLTEXT,
    D_FK, D_REFUSE };

struct def {
	const char *p;
	size_t n;
	enum def_kind kind;
};

void
defer_split_init(struct defer_split *d)
{
	memset(d, 0, sizeof *d);
	buf_init(&d->create);
	buf_init(&d->adds);
}

void
defer_split_free(struct defer_split *d)
{
	free(d->table);
	buf_free(&d->create);
	buf_free(&d->adds);
	strlist_free(&d->ref_dbs);
	strlist_free(&d->ref_tables);
	defer_split_init(d);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* Past the quote or comment at p (NULL if it never ends), else p + 1. */
static const char *
skip_token(const char *p, const char *end)
{
	char q = *p;

	if (q == '\'' || q == '"' || q == '`') {
		for (p++; p < end; p++) {
			if (*p == q) {
				if (p + 1 < end && p[1] == q) {
					p++;
					continue;
				}
				return p + 1;
			}
			if (*p == '\\' && q != '`')
				p++;
		}
		return NULL;
	}
	if (q == '/' && p + 1 < end && p[1] == '*') {
		for (p += 2; p + 1 < end; p++)
			if (p[0] == '*' && p[1] == '/')
				return p + 2;
		return NULL;
	}
	return p + 1;
}

static int
is_opening(const char *p, const char *end)
{
	return *p == '\'' || *p == '"' || *p == '`' ||
	    (*p == '/' && p + 1 < end && p[1] == '*');
}

/* Where word (a keyword) first stands alone outside quotes; NULL if not. */
static const char *
find_word(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	const char *start = p;

	while (p != NULL && p < end) {
		if (is_opening(p, end)) {
			p = skip_token(p, end);
			continue;
		}
		if ((size_t)(end - p) >= n && memcmp(p, word, n) == 0 &&
		    (p == start || !is_word(p[-1])) &&
		    ((size_t)(end - p) == n || !is_word(p[n])))
			return p;
		p++;
	}
	return NULL;
}

static int
starts(const struct def *d, const char *word)
{
	size_t n = strlen(word);

	return d->n > n && memcmp(d->p, word, n) == 0;
}

/* The `quoted` identifier at p: its end, and its name when out is set. */
static const char *
ident(const char *p, const char *end, char **out)
{
	const char *q;
	struct buf b;

	if (p >= end || *p != '`' || (q = skip_token(p, end)) == NULL)
		return NULL;
	if (out != NULL) {
		buf_init(&b);
		for (p++; p < q - 1; p++) {
			if (*p == '\0') {
				buf_free(&b);
				return NULL;
			}
			buf_append_char(&b, *p);
			if (*p == '`')
				p++;
		}
		*out = xstrdup(buf_cstr(&b));
		buf_free(&b);
	}
	return q;
}

/* The first column of a key: the identifier after its first "(". */
static int
key_first(const struct def *d, const char **p, size_t *n)
{
	const char *end = d->p + d->n, *at = d->p, *q;

	while (at != NULL && at < end && *at != '(')
		at = is_opening(at, end) ? skip_token(at, end) : at + 1;
	if (at == NULL || at >= end ||
	    (q = ident(at + 1, end, NULL)) == NULL)
		return -1;
	*p = at + 1;
	*n = (size_t)(q - *p);
	return 0;
}

/* REFERENCES `db`.`t` or `t` of a foreign key. */
static int
fk_refs(const struct def *d, struct defer_split *s)
{
	const char *end = d->p + d->n, *p;
	char *a = NULL, *b = NULL;

	if ((p = find_word(d->p, end, "REFERENCES")) == NULL)
		return -1;
	for (p += 10; p < end && is_blank(*p); p++)
		;
	if ((p = ident(p, end, &a)) == NULL)
		return -1;
	if (p < end && *p == '.' && ident(p + 1, end, &b) == NULL) {
		free(a);
		return -1;
	}
	strlist_add(&s->ref_dbs, b != NULL ? a : "");
	strlist_add(&s->ref_tables, b != NULL ? b : a);
	free(a);
	free(b);
	return 0;
}

static enum def_kind
classify(const struct def *d)
{
	const char *end = d->p + d->n;

	if (d->p[0] == '`')
		return find_word(d->p, end, "VERSIONING") ? D_REFUSE : D_COLUMN;
	if (starts(d, "PRIMARY KEY "))
		return D_PRIMARY;
	if (starts(d, "UNIQUE KEY ") || starts(d, "KEY ")) {
		if (find_word(d->p, end, "HASH") != NULL)
			return D_REFUSE;	/* long unique: hidden column */
		return d->p[0] == 'U' ? D_UNIQUE : D_PLAIN;
	}
	if (starts(d, "FULLTEXT KEY "))
		return D_FULLTEXT;
	if (starts(d, "CONSTRAINT ") || starts(d, "FOREIGN KEY ") ||
	    starts(d, "CHECK ")) {
		if (find_word(d->p, end, "FOREIGN") != NULL)
			return D_FK;
		if (find_word(d->p, end, "CHECK") != NULL)
			return D_KEEP;
	}
	return D_REFUSE;	/* SPATIAL, PERIOD, anything new */
}

/* Whether the column type at p is word (any case), whole. */
static int
type_is(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - p) >= n && strncasecmp(p, word, n) == 0 &&
	    ((size_t)(end - p) == n || !is_word(p[n]));
}

/*
 * No BIT column, no MySQL JSON column (its values are introduced
 * _utf8mb4 literals, db/rowfmt.h, which LOAD DATA cannot read), no system
 * versioning anywhere.
 */
static int
plain_rows(const struct def *defs, size_t n, const char *close,
    const char *end)
{
	const char *p;
	size_t i;

	if (find_word(close, end, "VERSIONING") != NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (defs[i].p[0] != '`')
			continue;
		if ((p = ident(defs[i].p, defs[i].p + defs[i].n, NULL)) == NULL)
			return 0;
		while (p < defs[i].p + defs[i].n && is_blank(*p))
			p++;
		if ((size_t)(defs[i].p + defs[i].n - p) < 3 ||
		    strncasecmp(p, "bit", 3) == 0 ||
		    type_is(p, defs[i].p + defs[i].n, "json") ||
		    find_word(defs[i].p, defs[i].p + defs[i].n,
		    "VERSIONING") != NULL)
			return 0;
	}
	return 1;
}

/* Cuts the body between the outer parentheses at commas of depth 0. */
static const char *
split_defs(const char *p, const char *end, struct def *defs, size_t *ndefs)
{
	const char *start = p;
	int depth = 0;

	*ndefs = 0;
	while (p != NULL && p < end) {
		if (is_opening(p, end)) {
			p = skip_token(p, end);
			continue;
		}
		if (*p == '(')
			depth++;
		else if ((*p == ')' && depth == 0) || (*p == ',' && depth == 0)) {
			while (start < p && is_blank(*start))
				start++;
			if (start == p || *ndefs == DEFER_DEFS_MAX)
				return NULL;
			defs[*ndefs].p = start;
			defs[*ndefs].n = (size_t)(p - start);
			while (defs[*ndefs].n > 0 &&
			    is_blank(start[defs[*ndefs].n - 1]))
				defs[*ndefs].n--;
			(*ndefs)++;
			if (*p == ')')
				return p;
			start = p + 1;
		} else if (*p == ')')
			depth--;
		p++;
	}
	return NULL;
}

/*
 * Which keys go: plain ones, and unique ones when a primary key exists.
 * An AUTO_INCREMENT column must lead a key that stays.  0: none go.
 */
static int
choose(struct def *defs, size_t n, const char *end)
{
	const char *ai = NULL, *kp, *q;
	size_t i, ain = 0, kn;
	int pk = 0, cut = 0, ai_ok = 0;

	for (i = 0; i < n; i++) {
		defs[i].kind = classify(&defs[i]);
		if (defs[i].kind == D_REFUSE || defs[i].kind == D_FK)
			return 0;
		if (defs[i].kind == D_PRIMARY)
			pk = 1;
		if (defs[i].kind == D_COLUMN &&
		    find_word(defs[i].p, defs[i].p + defs[i].n,
		    "AUTO_INCREMENT") != NULL) {
			ai = defs[i].p;
			if ((q = ident(ai, end, NULL)) == NULL)
				return 0;
			ain = (size_t)(q - ai);
		}
	}
	for (i = 0; i < n; i++) {
		if (defs[i].kind == D_PLAIN || (pk && defs[i].kind == D_UNIQUE)) {
			defs[i].kind = D_PLAIN;
			cut++;
			continue;
		}
		if (ai == NULL || (defs[i].kind != D_PRIMARY &&
		    defs[i].kind != D_UNIQUE))
			continue;
		if (key_first(&defs[i], &kp, &kn) == 0 && kn == ain &&
		    memcmp(kp, ai, kn) == 0)
			ai_ok = 1;
	}
	return cut > 0 && (ai == NULL || ai_ok);
}

static void
build(struct defer_split *d, const char *q, const char *open,
    const char *close, const char *end, const struct def *defs, size_t n)
{
	size_t i, kept = 0;

	buf_append(&d->create, q, (size_t)(open + 1 - q));
	for (i = 0; i < n; i++) {
		if (defs[i].kind == D_PLAIN) {
			buf_append_str(&d->adds, d->adds.len ? ", ADD " : "ADD ");
			buf_append(&d->adds, defs[i].p, defs[i].n);
			continue;
		}
		buf_append_str(&d->create, kept++ ? ",\n  " : "\n  ");
		buf_append(&d->create, defs[i].p, defs[i].n);
	}
	buf_append_char(&d->create, '\n');
	buf_append(&d->create, close, (size_t)(end - close));
}

int
defer_split_create(const char *q, size_t n, struct defer_split *d)
{
	const char *end = q + n, *open, *close;
	struct def *defs = NULL;
	size_t ndefs, i;
	int rc = 0;

	defer_split_free(d);
	if (n < 13 || memcmp(q, "CREATE TABLE ", 13) != 0 ||
	    (open = ident(q + 13, end, &d->table)) == NULL)
		goto out;
	while (open < end && is_blank(*open))
		open++;
	defs = xcalloc(DEFER_DEFS_MAX, sizeof *defs);
	if (open >= end || *open != '(' ||
	    (close = split_defs(open + 1, end, defs, &ndefs)) == NULL)
		goto fail;
	d->plain_rows = plain_rows(defs, ndefs, close, end);
	for (i = 0; i < ndefs; i++) {
		if (classify(&defs[i]) != D_FK)
			continue;
		d->has_fk = 1;
		if (fk_refs(&defs[i], d) == -1)
			goto fail;
	}
	if (d->has_fk || find_word(close, end, "VERSIONING") != NULL ||
	    !choose(defs, ndefs, end))
		goto out;
	build(d, q, open, close, end, defs, ndefs);
	rc = 1;
	goto out;
fail:
	free(d->table);
	d->table = NULL;
out:
	free(defs);
	return rc;
}

char *
defer_first_key(const char *adds)
{
	const char *p = adds != NULL ? strchr(adds, '`') : NULL;
	struct buf b;

	if (p == NULL)
		return NULL;
	buf_init(&b);
	for (p++; *p != '\0'; p++) {
		if (*p == '`' && p[1] == '`')
			p++;
		else if (*p == '`')
			return buf_cstr(&b);
		buf_append_char(&b, *p);
	}
	buf_free(&b);
	return NULL;
}
