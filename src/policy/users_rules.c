/*
 * Accounts: the member text, the filters and the statement rewrites
 * (users_rules.h).  Pure: no server, no I/O.
 */
#include "policy/users_rules.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/names.h"
#include "util/xmalloc.h"

enum tok { T_END, T_WORD, T_STR, T_IDENT, T_PUNCT };

/* The token at or after *i: [*start, *i) when it returns. */
static enum tok
next_tok(const char *s, size_t *i, size_t *start)
{
	size_t p = *i;
	char q;

	while (s[p] != '\0' && isspace((unsigned char)s[p]))
		p++;
	*start = p;
	if (s[p] == '\0') {
		*i = p;
		return T_END;
	}
	if (isalnum((unsigned char)s[p]) || s[p] == '_' || s[p] == '$' ||
	    (unsigned char)s[p] >= 0x80) {
		while (isalnum((unsigned char)s[p]) || s[p] == '_' ||
		    s[p] == '$' || s[p] == '.' || (unsigned char)s[p] >= 0x80)
			p++;
		*i = p;
		return T_WORD;
	}
	if (s[p] == '\'' || s[p] == '"' || s[p] == '`') {
		q = s[p++];
		while (s[p] != '\0') {
			if (s[p] == '\\' && q != '`' && s[p + 1] != '\0')
				p += 2;
			else if (s[p] == q && s[p + 1] == q)
				p += 2;
			else if (s[p++] == q)
				break;
		}
		*i = p;
		return q == '`' ? T_IDENT : T_STR;
	}
	*i = p + 1;
	return T_PUNCT;
}

static int
is_word(const char *s, size_t start, size_t end, const char *w)
{
	return end - start == strlen(w) && strncasecmp(s + start, w,
	    end - start) == 0;
}

/* A token's text without its quotes (doubled quotes kept as they are). */
static char *
tok_text(const char *s, size_t start, size_t end, enum tok t)
{
	if ((t == T_STR || t == T_IDENT) && end - start >= 2)
		return xstrndup(s + start + 1, end - start - 2);
	return xstrndup(s + start, end - start);
}

char *
users_mask(const char *sql)
{
	struct buf b;
	size_t i = 0, st, from = 0;
	enum tok t;
	int secret_next = 0;
	char *out;

	buf_init(&b);
	while ((t = next_tok(sql, &i, &st)) != T_END) {
		if (secret_next && (t == T_STR || (t == T_WORD &&
		    strncasecmp(sql + st, "0x", 2) == 0))) {
			buf_append(&b, sql + from, st - from);
			buf_append_str(&b, "'<secret>'");
			from = i;
		}
		secret_next = t == T_WORD && (is_word(sql, st, i, "PASSWORD") ||
		    is_word(sql, st, i, "USING") || is_word(sql, st, i, "AS") ||
		    is_word(sql, st, i, "BY"));
	}
	buf_append_str(&b, sql + from);
	out = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return out;
}

char *
users_strip_identified(const char *grant)
{
	size_t i = 0, st, cut = 0, prev_end = 0, ntok = 0;
	enum tok t;
	char *out;

	while ((t = next_tok(grant, &i, &st)) != T_END) {
		if (cut == 0 && t == T_WORD && is_word(grant, st, i,
		    "IDENTIFIED")) {
			cut = prev_end + 1;
			ntok = 0;
		} else if (cut != 0 && ++ntok > 1 && t == T_WORD &&
		    is_word(grant, st, i, "WITH")) {
			out = xmalloc(strlen(grant) + 1);
			memcpy(out, grant, cut - 1);
			strcpy(out + cut - 1, grant + st - 1);
			return out;
		}
		prev_end = i;
	}
	if (cut == 0)
		return xstrdup(grant);
	return xstrndup(grant, cut - 1);
}

/* One account name `a`@`b` (or a lone `a`) from *i; 0 when none is there. */
static int
account_at(const char *s, size_t *i)
{
	size_t p = *i, st;
	enum tok t = next_tok(s, &p, &st);

	if (t != T_IDENT && t != T_STR && t != T_WORD)
		return 0;
	*i = p;
	t = next_tok(s, &p, &st);
	if (t == T_PUNCT && s[st] == '@') {
		t = next_tok(s, &p, &st);
		if (t == T_IDENT || t == T_STR || t == T_WORD)
			*i = p;
	}
	return 1;
}

char *
users_split_default_role(const char *create, char **roles)
{
	size_t i = 0, st, dst = 0, lst, p;
	enum tok t, prev = T_END;
	int after_default = 0;
	char *out;

	*roles = NULL;
	while ((t = next_tok(create, &i, &st)) != T_END) {
		if (after_default && t == T_WORD && is_word(create, st, i,
		    "ROLE")) {
			lst = i;
			p = i;
			while (account_at(create, &p)) {
				size_t q = p, qs;

				if (next_tok(create, &q, &qs) != T_PUNCT ||
				    create[qs] != ',')
					break;
				p = q;
			}
			while (lst < p && create[lst] == ' ')
				lst++;
			*roles = xstrndup(create + lst, p - lst);
			out = xmalloc(strlen(create) + 1);
			memcpy(out, create, dst);
			strcpy(out + dst, create + p);
			return out;
		}
		after_default = t == T_WORD && is_word(create, st, i,
		    "DEFAULT") && prev != T_END;
		if (after_default)
			dst = st > 0 && create[st - 1] == ' ' ? st - 1 : st;
		prev = t;
	}
	return xstrdup(create);
}

char *
users_plugins(const char *create)
{
	struct buf b;
	size_t i = 0, st;
	enum tok t;
	int identified = 0, want = 0, after_identified = 0, after_by = 0;
	char *name;

	buf_init(&b);
	while ((t = next_tok(create, &i, &st)) != T_END) {
		name = NULL;
		if (want && (t == T_WORD || t == T_STR || t == T_IDENT))
			name = tok_text(create, st, i, t);
		else if (after_by && t == T_WORD && is_word(create, st, i,
		    "PASSWORD"))
			name = xstrdup("mysql_native_password");
		if (name != NULL && (b.len == 0 ||
		    strstr(buf_cstr(&b), name) == NULL))
			buf_printf(&b, "%s%s", b.len ? "," : "", name);
		free(name);
		want = identified && t == T_WORD && (is_word(create, st, i,
		    "VIA") || is_word(create, st, i, "OR") ||
		    (after_identified && is_word(create, st, i, "WITH")));
		after_by = after_identified && t == T_WORD &&
		    is_word(create, st, i, "BY");
		after_identified = t == T_WORD && is_word(create, st, i,
		    "IDENTIFIED");
		identified |= after_identified;
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	name = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return name;
}

const char *
users_plugin_missing(const char *plugins, const struct strlist *avail,
    char *tmp, size_t tmplen)
{
	const char *p = plugins, *c;
	size_t n, k;

	while (p != NULL && *p != '\0') {
		c = strchr(p, ',');
		n = c != NULL ? (size_t)(c - p) : strlen(p);
		for (k = 0; k < avail->n; k++)
			if (strlen(avail->v[k]) == n &&
			    strncasecmp(avail->v[k], p, n) == 0)
				break;
		if (k == avail->n) {
			snprintf(tmp, tmplen, "%.*s", (int)n, p);
			return tmp;
		}
		p = c != NULL ? c + 1 : NULL;
	}
	return NULL;
}

char *
users_default_for(const char *sql, int target_mariadb)
{
	size_t i = 0, st;
	enum tok t;
	int n = 0;
	char *out = xstrdup(sql);

	while ((t = next_tok(sql, &i, &st)) != T_END) {
		if (++n <= 3 || t != T_WORD)
			continue;
		if (is_word(sql, st, i, target_mariadb ? "TO" : "FOR")) {
			free(out);
			out = xasprintf("%.*s%s%s", (int)st, sql,
			    target_mariadb ? "FOR" : "TO", sql + i);
			break;
		}
	}
	return out;
}

int
users_is_system(const char *user, const char *host)
{
	static const char *const sys[] = { "mariadb.sys", "mysql.sys",
	    "mysql.session", "mysql.infoschema", NULL };
	size_t i;

	for (i = 0; sys[i] != NULL; i++)
		if (strcmp(user, sys[i]) == 0)
			return 1;
	if (strcmp(user, "PUBLIC") == 0 && *host == '\0')
		return 1;
	return strcmp(user, "root") == 0 && strcmp(host, "localhost") == 0;
}

enum users_action
users_decide(int exists, int force, int is_self, const char *missing_plugin)
{
	if (is_self)
		return USERS_DO_REFUSE_SELF;
	if (exists && !force)
		return USERS_DO_SKIP;
	if (missing_plugin != NULL)
		return USERS_DO_REFUSE_PLUGIN;
	return exists ? USERS_DO_REPLACE : USERS_DO_CREATE;
}

struct users_re {
	regex_t re;
	int with_host;
};

struct users_filter {
	struct users_re *inc, *exc;
	size_t ninc, nexc;
};

static int
compile(const struct strlist *l, struct users_re **out, size_t *n,
    struct err *e)
{
	size_t i;
	char *anchored;
	int rc;

	*out = xcalloc(l->n + 1, sizeof **out);
	for (i = 0; i < l->n; i++) {
		anchored = xasprintf("^(%s)$", l->v[i]);
		rc = regcomp(&(*out)[i].re, anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc != 0)
			return err_set(e, ERR_USAGE, "account pattern \"%s\" is "
			    "not a valid regular expression", l->v[i]);
		(*out)[i].with_host = strchr(l->v[i], '@') != NULL;
		(*n)++;
	}
	return 0;
}

void
users_filter_free(struct users_filter *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->ninc; i++)
		regfree(&f->inc[i].re);
	for (i = 0; i < f->nexc; i++)
		regfree(&f->exc[i].re);
	free(f->inc);
	free(f->exc);
	free(f);
}

struct users_filter *
users_filter_new(const struct strlist *inc, const struct strlist *exc,
    struct err *e)
{
	struct users_filter *f = xcalloc(1, sizeof *f);

	if (compile(inc, &f->inc, &f->ninc, e) == -1 ||
	    compile(exc, &f->exc, &f->nexc, e) == -1) {
		users_filter_free(f);
		return NULL;
	}
	return f;
}

static int
any_match(const struct users_re *r, size_t n, const char *user,
    const char *full)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (regexec(&r[i].re, r[i].with_host ? full : user, 0, NULL,
		    0) == 0)
			return 1;
	return 0;
}

int
users_filter_match(const struct users_filter *f, const char *user,
    const char *host)
{
	char *full = xasprintf("%s@%s", user, host);
	int ok = (f->ninc == 0 || any_match(f->inc, f->ninc, user, full)) &&
	    !any_match(f->exc, f->nexc, user, full);

	free(full);
	return ok;
}

static const char *const kind_names[] = { "create", "grant", "default" };

void
users_text_add(struct buf *out, const struct users_stmt *s)
{
	char *u = name_encode(s->user, strlen(s->user));
	char *h = name_encode(s->host, strlen(s->host));

	buf_printf(out, "-- myship %s %s %s@%s %s %zu\n", kind_names[s->kind],
	    s->role ? "role" : "user", u, h,
	    s->plugins != NULL && *s->plugins != '\0' ? s->plugins : "-",
	    strlen(s->sql));
	buf_append_str(out, s->sql);
	buf_append_str(out, ";\n");
	free(u);
	free(h);
}

void
users_stmts_free(struct users_stmt *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].user);
		free(s[i].host);
		free(s[i].plugins);
		free(s[i].sql);
	}
	free(s);
}

/* A plugin list: names of [A-Za-z0-9_] separated by single commas. */
static int
plugins_ok(const char *p)
{
	if (strcmp(p, "-") == 0)
		return 1;
	for (; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && !(*p == ',' &&
		    p[1] != '\0' && p[1] != ','))
			return 0;
	return 1;
}

/* The statement is of its kind: nothing else of a member ever runs. */
static int
shape_ok(enum users_kind kind, const char *sql, size_t len)
{
	static const char *const shapes[][3] = {
		[USERS_CREATE] = { "CREATE USER ", "CREATE ROLE ", NULL },
		[USERS_GRANT] = { "GRANT ", "REVOKE ", NULL },
		[USERS_DEFAULT] = { "SET DEFAULT ROLE ", NULL, NULL },
	};
	size_t i, n;

	for (i = 0; i < 3 && shapes[kind][i] != NULL; i++) {
		n = strlen(shapes[kind][i]);
		if (len > n && strncasecmp(sql, shapes[kind][i], n) == 0)
			return 1;
	}
	return 0;
}

/* One marker line (NUL-terminated copy in line) into s; -1 if malformed. */
static int
parse_marker(char *line, struct users_stmt *s, size_t *len)
{
	char *f[7], *save = NULL, *at, *end;
	size_t n = 0, ulen, hlen;
	unsigned long long v;

	for (f[n] = strtok_r(line, " ", &save); f[n] != NULL && n < 6;
	    f[n] = strtok_r(NULL, " ", &save))
		n++;
	if (n != 6 || f[6] != NULL || strcmp(f[0], "myship") != 0)
		return -1;
	for (s->kind = USERS_CREATE; s->kind <= USERS_DEFAULT; s->kind++)
		if (strcmp(f[1], kind_names[s->kind]) == 0)
			break;
	if (s->kind > USERS_DEFAULT || (strcmp(f[2], "user") != 0 &&
	    strcmp(f[2], "role") != 0) || (at = strchr(f[3], '@')) == NULL ||
	    !plugins_ok(f[4]) || !isdigit((unsigned char)f[5][0]))
		return -1;
	s->role = f[2][0] == 'r';
	v = strtoull(f[5], &end, 10);
	if (*end != '\0' || v > 16u * 1024 * 1024)
		return -1;
	*len = (size_t)v;
	*at = '\0';
	s->user = name_decode(f[3], &ulen);
	s->host = name_decode(at + 1, &hlen);
	if (s->user == NULL || s->host == NULL || strlen(s->user) != ulen ||
	    strlen(s->host) != hlen)
		return -1;
	s->plugins = strcmp(f[4], "-") == 0 ? NULL : xstrdup(f[4]);
	return 0;
}

int
users_text_parse(const char *text, size_t len, const char *name,
    struct users_stmt **out, size_t *n, struct err *e)
{
	struct users_stmt s;
	size_t p = 0, eol, lineno = 1, slen, cap = 0;
	char *line;
	int bad;

	*out = NULL;
	*n = 0;
	while (p < len) {
		const char *nl = memchr(text + p, '\n', len - p);

		eol = nl != NULL ? (size_t)(nl - text) : len;
		memset(&s, 0, sizeof s);
		bad = 0;
		if (eol - p > 10 && memcmp(text + p, "-- myship ", 10) == 0) {
			line = xstrndup(text + p + 3, eol - p - 3);
			bad = strlen(line) != eol - p - 3 ||
			    parse_marker(line, &s, &slen) == -1 ||
			    nl == NULL || len - eol - 1 < slen + 2 ||
			    memcmp(text + eol + 1 + slen, ";\n", 2) != 0 ||
			    memchr(text + eol + 1, '\0', slen) != NULL ||
			    !shape_ok(s.kind, text + eol + 1, slen);
			free(line);
			if (!bad) {
				s.sql = xstrndup(text + eol + 1, slen);
				if (*n == cap) {
					cap = cap ? 2 * cap : 16;
					*out = xreallocarray(*out, cap,
					    sizeof **out);
				}
				(*out)[(*n)++] = s;
				for (p = eol + 1; p < eol + 1 + slen; p++)
					lineno += text[p] == '\n';
				p = eol + 1 + slen + 2;
				lineno += 2;
				continue;
			}
			free(s.user);
			free(s.host);
			free(s.plugins);
			users_stmts_free(*out, *n);
			*out = NULL;
			*n = 0;
			return err_set(e, ERR_CORRUPT, "%s: line %zu: not a "
			    "valid account statement", name, lineno);
		}
		p = eol + 1;
		lineno++;
	}
	return 0;
}
