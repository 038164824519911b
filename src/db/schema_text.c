/*
 * Rewriting the text the server printed (schema.h's text helpers): a small
 * lexer, never a parser, and what is built on it.
 */
#include "db/schema_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/strutil.h"

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

static int
tok_is_word(const struct tok *t, const char *w)
{
	return t->kind == TOK_WORD && strcasecmp(t->id.data, w) == 0;
}

static int
tok_is_char(const struct tok *t, char ch)
{
	return t->kind != TOK_END && t->end - t->start == 1 && *t->start == ch;
}

/* The table's COLLATE=x (after the column list), or an empty buf. */
static void
table_collation(const char *sql, struct buf *out)
{
	struct tok t;
	const char *p = sql;
	int depth = 0, st = 0;

	buf_init(&t.id);
	for (tok_next(&p, &t); t.kind != TOK_END; tok_next(&p, &t)) {
		if (t.kind == TOK_LPAREN)
			depth++;
		else if (tok_is_char(&t, ')'))
			depth--;
		if (depth != 0)
			st = 0;
		else if (st == 0 && tok_is_word(&t, "COLLATE"))
			st = 1;
		else if (st == 1 && tok_is_char(&t, '='))
			st = 2;
		else if (st == 2 && t.kind == TOK_WORD) {
			buf_reset(out);
			buf_append(out, t.id.data, t.id.len);
			st = 0;
		} else
			st = 0;
	}
	buf_free(&t.id);
}

char *
schema_inherit_collation(const char *sql)
{
	struct buf out, dflt;
	struct tok t;
	const char *p = sql, *copied = sql, *cut = NULL, *cut_end = NULL;
	int depth = 0, charset = 0, after_collate = 0;

	buf_init(&out);
	buf_init(&dflt);
	table_collation(sql, &dflt);
	buf_cstr(&dflt);
	buf_init(&t.id);
	for (tok_next(&p, &t); dflt.len > 0 && t.kind != TOK_END;
	    tok_next(&p, &t)) {
		if (t.kind == TOK_LPAREN)
			depth++;
		else if (depth == 1 && (tok_is_char(&t, ',') ||
		    tok_is_char(&t, ')'))) {
			/* The end of one definition of the column list. */
			if (cut != NULL && !charset) {
				buf_append(&out, copied, (size_t)(cut - copied));
				copied = cut_end;
			}
			cut = NULL;
			charset = 0;
		}
		if (tok_is_char(&t, ')'))
			depth--;
		if (depth != 1 || t.kind == TOK_LPAREN)
			continue;
		if (tok_is_word(&t, "CHARACTER") || tok_is_word(&t, "CHARSET"))
			charset = 1;
		if (after_collate && tok_is_word(&t, dflt.data)) {
			cut_end = t.end;
		} else if (after_collate)
			cut = NULL;
		after_collate = 0;
		if (tok_is_word(&t, "COLLATE")) {
			/* From the space before COLLATE to the name's end. */
			cut = t.start;
			while (cut > sql && cut[-1] == ' ')
				cut--;
			after_collate = 1;
		}
	}
	buf_append_str(&out, copied);
	buf_free(&t.id);
	buf_free(&dflt);
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
void
schema_view_refs(const char *def, const char *db, struct strlist *refs)
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

	schema_view_refs(def, db, &refs);
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

/* The value of a '...' literal as the server printed it (backslashes on). */
static void
unescape_literal(const char *start, const char *end, struct buf *out)
{
	static const char from[] = "0ntrbZ", to[] = "\0\n\t\r\b\032";
	const char *p, *k;

	buf_reset(out);
	for (p = start + 1; p < end - 1; p++) {
		if (*p == '\'' && p[1] == '\'')
			p++;
		else if (*p == '\\' && p + 1 < end - 1) {
			p++;
			if (*p == '%' || *p == '_')
				buf_append_char(out, '\\');
			else if ((k = memchr(from, *p, sizeof from - 1)) != NULL) {
				buf_append_char(out, to[k - from]);
				continue;
			}
		}
		buf_append_char(out, *p);
	}
}

static void
quote_literal(struct buf *out, const char *s, int nbe)
{
	if (!nbe) {
		sql_quote_string(out, s, strlen(s));
		return;
	}
	buf_append_char(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_append_char(out, '\'');
		buf_append_char(out, *s);
	}
	buf_append_char(out, '\'');
}

/*
 * Copies sql up to t's start, then repl: quoted as t was (an identifier in
 * backticks or, under ANSI_QUOTES, double quotes), or as a literal.
 */
static void
splice(struct buf *out, const char **copied, const struct tok *t,
    const char *repl, int nbe)
{
	const char *s;

	buf_append(out, *copied, (size_t)(t->start - *copied));
	if (*t->start == '`')
		sql_quote_ident(out, repl);
	else if (*t->start == '\'')
		quote_literal(out, repl, nbe);
	else {
		buf_append_char(out, '"');
		for (s = repl; *s != '\0'; s++) {
			if (*s == '"')
				buf_append_char(out, '"');
			buf_append_char(out, *s);
		}
		buf_append_char(out, '"');
	}
	*copied = t->end;
}

/*
 * True when t is an identifier spelled s: in backticks, or under
 * ANSI_QUOTES in double quotes ("" for one).
 */
static int
tok_equals(const struct tok *t, const char *s, int ansi)
{
	const char *p;

	if (s == NULL)
		return 0;
	if (t->kind == TOK_IDENT)
		return strlen(s) == t->id.len &&
		    memcmp(t->id.data, s, t->id.len) == 0;
	if (!ansi || t->kind != TOK_OTHER || *t->start != '"' ||
	    t->end - t->start < 2 || t->end[-1] != '"')
		return 0;
	for (p = t->start + 1; p < t->end - 1; p++, s++) {
		if (*p == '"')
			p++;
		if (*s != *p)
			return 0;
	}
	return *s == '\0';
}

static int
tok_is_name(const struct tok *t, int ansi)
{
	return t->kind == TOK_IDENT || (ansi && *t->start == '"');
}

char *
schema_program_recode(const char *sql, const struct program_recode *f)
{
	struct buf out, lit;
	struct tok t;
	const char *p = sql, *copied = sql;
	int st = 0, named = 0, on = 0, commented = f->comment_from == NULL;

	buf_init(&out);
	buf_init(&lit);
	buf_init(&t.id);
	for (tok_next(&p, &t); t.kind != TOK_END && !(named && on &&
	    commented); tok_next(&p, &t)) {
		if (st == 1 && t.kind == TOK_WORD)
			continue;	/* PACKAGE BODY `name` */
		if (!named && st == 0 && tok_is_word(&t, f->word))
			st = 1;
		else if (st == 1 && tok_is_name(&t, f->ansi)) {
			if (f->name_to != NULL &&
			    tok_equals(&t, f->name_from, f->ansi))
				splice(&out, &copied, &t, f->name_to, 0);
			named = 1;
			on = f->table_from == NULL;
			st = 0;
		} else if (named && !on && st == 0 && tok_is_word(&t, "ON"))
			st = 2;
		else if (st == 2) {
			if (f->table_to != NULL &&
			    tok_equals(&t, f->table_from, f->ansi))
				splice(&out, &copied, &t, f->table_to, 0);
			on = 1;
			st = 0;
		} else if (named && !commented && tok_is_word(&t, "COMMENT"))
			st = 3;
		else if (st == 3 && t.kind == TOK_OTHER && *t.start == '\'') {
			unescape_literal(t.start, t.end, &lit);
			if (strlen(f->comment_from) == lit.len && (lit.len == 0 ||
			    memcmp(lit.data, f->comment_from, lit.len) == 0)) {
				splice(&out, &copied, &t, f->comment_to, f->nbe);
				commented = 1;
			}
			st = 0;
		} else
			st = 0;
	}
	buf_append_str(&out, copied);
	buf_free(&t.id);
	buf_free(&lit);
	return buf_cstr(&out);
}
