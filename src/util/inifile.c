/*
 * The INI engine.  inih (Debian 12's libinih: a 200-byte line buffer on
 * the stack, no line numbers for the handler; Debian 13's may grow it)
 * tokenises key lines; this file
 * owns everything around it.  The reader below hands inih one line per
 * call and classifies it first exactly as inih will (comment, header,
 * continuation, key), so that headers reach the reader's hook in order,
 * a key line inih found no "=" in is reported as a syntax error on its own
 * line, and the parse stops at the first error.  Headers and comments are
 * fed to inih as "[]" and "": it needs only to know they are there.
 *
 * A key line goes to inih as "name=value" (blanks around the name
 * dropped, which inih drops too).  When that is longer than inih's buffer
 * it is cut after a non-blank byte of the value; inih gets the head, and
 * when the value it finds runs up to the cut (no inline comment ended it)
 * the handler appends the tail, ended and trimmed as inih would have.  So
 * a value reads the same whatever the buffer size; only a key's name must
 * fit in it.
 */
#include "util/inifile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

enum line_kind { L_BLANK, L_SECTION, L_KEY, L_CONT };

struct inifile {
	const struct inifile_spec *s;
	void *ctx;
	const char *name;	/* for messages */
	const char *next, *end;	/* the text not yet read */
	int line;
	enum line_kind kind;	/* of the line inih has */
	int called;		/* inih called the handler for it */
	const char *cut;	/* end of the head inih got, in its buffer */
	const char *tail;	/* the rest of a cut line */
	size_t taillen;
	int has_prev;		/* inih's prev_name is set */
	unsigned section;	/* bits of the current section */
	const struct inifile_key *last;	/* continuation lines go to it */
	int secret;
	int failed;
	int cont_comments;	/* inih ends continuation lines at " ;" */
	struct err *e;
};

int
inifile_fail(struct inifile *p, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (p->failed)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(p->e, p->s->kind, "%s:%d: %s", p->name, p->line, msg);
	p->failed = 1;
	return 0;
}

void *
inifile_ctx(const struct inifile *p)
{
	return p->ctx;
}

int
inifile_line(const struct inifile *p)
{
	return p->line;
}

const struct inifile_key *
inifile_find(const struct inifile_key *keys, size_t nkeys, unsigned sections,
    const char *name)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if ((keys[i].sections & sections) &&
		    strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* A value of the wrong form; a secret one is not quoted. */
static int
bad_value(struct inifile *p, const struct inifile_key *k, const char *v,
    const char *expect)
{
	if (k->expect != NULL)
		expect = k->expect;
	if (k->flags & IK_SECRET)
		return inifile_fail(p, "%s: the value is not %s", k->name,
		    expect);
	return inifile_fail(p, "%s: \"%s\" is not %s", k->name, v, expect);
}

static void
store_int(void *field, size_t size, long long n)
{
	if (size == sizeof(int)) {
		int i = (int)n;

		memcpy(field, &i, sizeof i);
	} else {
		memcpy(field, &n, sizeof n);
	}
}

static int
store_list(struct strlist *l, const char *v)
{
	char *copy = xstrdup(v), *tok, *save = NULL;

	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save))
		strlist_add(l, tok);
	free(copy);
	return 1;
}

static int
store_enum(struct inifile *p, const struct inifile_key *k, void *field,
    const char *v)
{
	char expect[256];
	size_t i, off = 0;

	for (i = 0; k->choices[i] != NULL; i++) {
		if (strcmp(k->choices[i], v) != 0)
			continue;
		if (k->type == IK_ENUM) {
			store_int(field, sizeof(int), (long long)i);
		} else {
			free(*(char **)field);
			*(char **)field = xstrdup(v);
		}
		return 1;
	}
	off = (size_t)snprintf(expect, sizeof expect, "one of");
	for (i = 0; k->choices[i] != NULL && off < sizeof expect; i++)
		off += (size_t)snprintf(expect + off, sizeof expect - off,
		    "%s %s", i > 0 ? "," : "", k->choices[i]);
	return bad_value(p, k, v, expect);
}

/* Stores one complete value through the table. */
/* Puts nv in *field, wiping the value it replaces when that is a secret. */
static void
replace_str(void *field, char *nv, int secret)
{
	char *old = *(char **)field;

	if (old != NULL && secret)
		explicit_bzero(old, strlen(old));
	free(old);
	*(char **)field = nv;
}

static int
store(struct inifile *p, const struct inifile_key *k, void *field,
    const char *v)
{
	char expect[96];
	long long n;
	int64_t sz;
	double r;
	int b;

	if (k->set != NULL)
		return k->set(p, k, field, v);
	switch (k->type) {
	case IK_STR:
		replace_str(field, xstrdup(v), k->flags & IK_SECRET);
		return 1;
	case IK_LIST:
		return store_list(field, v);
	case IK_INT:
		if (parse_int(v, k->min, k->max, &n) == -1) {
			snprintf(expect, sizeof expect, "an integer from %lld "
			    "to %lld", k->min, k->max);
			return bad_value(p, k, v, expect);
		}
		store_int(field, k->size, n);
		return 1;
	case IK_BOOL:
		if (parse_bool(v, &b) == -1)
			return bad_value(p, k, v, "yes or no");
		*(int *)field = b;
		return 1;
	case IK_SIZE:
		if (parse_size(v, &sz) == -1)
			return bad_value(p, k, v, "a size (e.g. 512K, 64M, 1G)");
		*(int64_t *)field = sz;
		return 1;
	case IK_DURATION:
		if (parse_duration(v, &sz) == -1)
			return bad_value(p, k, v, "a duration (e.g. 30s, 90m, "
			    "36h, 7d, 2w)");
		*(int64_t *)field = sz;
		return 1;
	case IK_RATIO:
		if (parse_ratio(v, &r) == -1)
			return bad_value(p, k, v, "a ratio (e.g. 10% or 0.1)");
		*(double *)field = r;
		return 1;
	case IK_ENUM:
	case IK_ENUM_STR:
		return store_enum(p, k, field, v);
	case IK_CUSTOM:
		break;
	}
	return inifile_fail(p, "%s: internal error (no setter)", k->name);
}

static void *
field_of(struct inifile *p, const struct inifile_key *k)
{
	char *base = p->s->base != NULL ? p->s->base(p->ctx, k) : p->ctx;

	return base + k->offset;
}

/* An indented line after k's: text is joined as it is, lists grow. */
static int
store_continued(struct inifile *p, const struct inifile_key *k,
    const char *v)
{
	void *field = field_of(p, k);
	char *old;

	switch (k->type) {
	case IK_STR:
		if (k->set != NULL)
			break;
		old = *(char **)field;
		replace_str(field, xasprintf("%s%s", old ? old : "", v),
		    k->flags & IK_SECRET);
		return 1;
	case IK_LIST:
		return store(p, k, field, v);
	default:
		break;
	}
	return inifile_fail(p, "%s: only text values and lists may continue "
	    "on an indented line", k->name);
}

static void
dispatch(struct inifile *p, const char *name, const char *v, int cont)
{
	const struct inifile_spec *s = p->s;
	const struct inifile_key *k;
	char *out = NULL;

	k = inifile_find(s->keys, s->nkeys, p->section, name);
	if (k == NULL) {
		p->last = NULL;
		if (s->unknown != NULL)
			s->unknown(p->ctx, p, name);
		else
			inifile_fail(p, "unknown key \"%s\"", name);
		return;
	}
	if (k->flags & IK_SECRET)
		p->secret = 1;
	if (s->value != NULL) {
		if (s->value(p->ctx, p, k, v, cont, &out) == 1)
			store(p, k, field_of(p, k), out);
		free(out);
		return;
	}
	if (cont && p->last == k) {
		store_continued(p, k, v);
		return;
	}
	p->last = k;
	store(p, k, field_of(p, k), v);
}

/*
 * The rest of a cut line as inih would have ended it: without trailing
 * blanks, without leading ones when the head held none of the value, and
 * on a key line at " ;" (on a continuation line only where the library
 * does: Debian 12's inih 55 keeps those whole, 61 does not, see
 * probe_cont_comments).  The byte before the cut is never blank.
 */
static void
append_tail(struct buf *b, const char *t, size_t n, int lskip, int comments)
{
	size_t i, end = n;
	int was_space = 0;

	for (i = 0; comments && i < n; i++) {
		if (was_space && t[i] == ';') {
			end = i;
			break;
		}
		was_space = isspace((unsigned char)t[i]);
	}
	while (end > 0 && isspace((unsigned char)t[end - 1]))
		end--;
	i = 0;
	while (lskip && i < end && isspace((unsigned char)t[i]))
		i++;
	buf_append(b, t + i, end - i);
}

static int
inifile_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct inifile *p = user;
	struct buf full;
	size_t vlen = strlen(value);

	(void)section;
	if (p->failed)
		return 0;
	p->called = 1;
	if (p->kind == L_KEY && name[0] != '\0')
		p->has_prev = 1;
	if (p->cut != NULL && value + vlen == p->cut) {
		buf_init(&full);
		buf_append(&full, value, vlen);
		append_tail(&full, p->tail, p->taillen, vlen == 0,
		    p->kind == L_KEY || p->cont_comments);
		dispatch(p, name, buf_cstr(&full), p->kind == L_CONT);
		explicit_bzero(full.data, full.len);
		buf_free(&full);
	} else {
		dispatch(p, name, value, p->kind == L_CONT);
	}
	return !p->failed;
}

/* inih's end of a section name: ']' unless " ;" comes first. */
static const char *
header_end(const char *s, const char *end)
{
	int was_space = 0;

	for (; s < end && *s != ']'; s++) {
		if (was_space && *s == ';')
			return NULL;
		was_space = isspace((unsigned char)*s);
	}
	return s < end ? s : NULL;
}

static void
open_section(struct inifile *p, const char *name, size_t len)
{
	char *copy = xstrndup(name, len);

	p->has_prev = 0;
	p->last = NULL;
	p->section = p->s->section != NULL ?
	    p->s->section(p->ctx, p, copy) : 1;
	free(copy);
}

/* Classifies the line [s, e) (blanks trimmed; indented: blanks before s). */
static void
classify(struct inifile *p, const char *s, const char *e, int indented)
{
	const char *close;

	if (s == e || *s == ';' || *s == '#')
		p->kind = L_BLANK;
	else if (p->has_prev && indented)
		p->kind = L_CONT;
	else if (*s == '[') {
		p->kind = L_SECTION;
		if ((close = header_end(s + 1, e)) == NULL)
			inifile_fail(p, "%s", p->s->msg_bracket != NULL ?
			    p->s->msg_bracket : p->s->msg_syntax != NULL ?
			    p->s->msg_syntax : "syntax error");
		else
			open_section(p, s + 1, (size_t)(close - s - 1));
	} else
		p->kind = L_KEY;
}

/*
 * inih's end of a key's name: the first '=' or ':', unless " ;" comes
 * first; NULL when there is none (inih: a syntax error).
 */
static const char *
name_end(const char *s, const char *end)
{
	int was_space = 0;

	for (; s < end && *s != '=' && *s != ':'; s++) {
		if (was_space && *s == ';')
			return NULL;
		was_space = isspace((unsigned char)*s);
	}
	return s < end ? s : NULL;
}

/*
 * Copies what inih gets of a key or continuation line [s, e) into str
 * (cap bytes and a NUL).  A key line goes as "name=" and the value as
 * written, which inih reads the same as the line itself; when that is too
 * long it is cut after a non-blank byte of the value, and the handler adds
 * the rest.  A continuation line goes with one blank before it.
 */
static void
feed(struct inifile *p, char *str, size_t cap, const char *s, const char *e)
{
	const char *sep = p->kind == L_KEY ? name_end(s, e) : NULL;
	size_t pre = 0, min = 1, n;

	if (p->kind == L_CONT)
		str[pre++] = ' ';
	if (sep != NULL) {
		n = (size_t)(sep - s);
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		if (n >= cap) {
			inifile_fail(p, "key name longer than %zu characters",
			    cap - 1);
			return;
		}
		memcpy(str, s, n);
		str[n] = *sep;
		pre = n + 1;
		min = 0;
		s = sep + 1;
	}
	n = (size_t)(e - s);
	if (pre + n > cap) {
		n = cap - pre;
		while (n > min && isspace((unsigned char)s[n - 1]))
			n--;
		p->tail = s + n;
		p->taillen = (size_t)(e - s) - n;
		p->cut = str + pre + n;
	}
	memcpy(str + pre, s, n);
	str[pre + n] = '\0';
}

/* A key line inih did not call the handler for had no '=' or ':'. */
static void
check_previous(struct inifile *p)
{
	if (!p->failed && p->kind == L_KEY && !p->called)
		inifile_fail(p, "%s", p->s->msg_syntax != NULL ?
		    p->s->msg_syntax : "syntax error");
}

static char *
inifile_reader(char *str, int num, void *stream)
{
	struct inifile *p = stream;
	const char *start, *nl, *s, *e;
	size_t len;

	check_previous(p);
	if (!p->failed && num < 8)
		inifile_fail(p, "inih's line buffer is too small (%d)", num);
	if (p->failed || p->next >= p->end)
		return NULL;
	start = p->next;
	nl = memchr(start, '\n', (size_t)(p->end - start));
	len = nl ? (size_t)(nl - start) : (size_t)(p->end - start);
	p->next = nl ? nl + 1 : p->end;
	p->line++;
	p->kind = L_BLANK;
	p->called = 0;
	p->cut = p->tail = NULL;
	str[0] = '\0';
	if (len > 0 && start[len - 1] == '\r')
		len--;
	if (len > p->s->max_line) {
		if (p->s->msg_long != NULL)
			inifile_fail(p, "%s", p->s->msg_long);
		else
			inifile_fail(p, "line longer than %zu characters",
			    p->s->max_line);
		return NULL;
	}
	if (memchr(start, '\0', len) != NULL) {
		inifile_fail(p, "%s", p->s->msg_nul != NULL ? p->s->msg_nul :
		    "NUL byte in line");
		return NULL;
	}
	s = start;
	if (p->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	e = start + len;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	classify(p, s, e, s > start);
	if (p->failed)
		return NULL;
	/*
	 * Every line fed ends in '\n', as fgets' would: an inih built with
	 * INI_ALLOW_REALLOC (Debian 13's 61) takes a full buffer without one
	 * for a line that goes on, and asks this reader for the rest.
	 */
	if (p->kind == L_SECTION)
		strcpy(str, "[]\n");
	else if (p->kind != L_BLANK) {
		feed(p, str, (size_t)num - 2, s, e);
		strcat(str, "\n");
	}
	return p->failed ? NULL : str;
}

static int
probe_handler(void *user, const char *section, const char *name,
    const char *value)
{
	(void)section;
	(void)name;
	*(int *)user = strcmp(value, "b") == 0;
	return 1;
}

/* Whether this inih ends a continuation line at an inline comment. */
static int
probe_cont_comments(void)
{
	int yes = 0;

	ini_parse_string("[s]\nk=a\n  b ;c\n", probe_handler, &yes);
	return yes;
}

int
inifile_parse(const struct inifile_spec *s, void *ctx, const char *text,
    size_t len, const char *name, struct err *e)
{
	struct inifile p;
	int rc;

	memset(&p, 0, sizeof p);
	p.cont_comments = probe_cont_comments();
	p.s = s;
	p.ctx = ctx;
	p.name = name;
	p.next = text;
	p.end = text + len;
	p.e = e;
	p.section = s->section != NULL ? 0 : 1;
	rc = ini_parse_stream(inifile_reader, &p, inifile_handler, &p);
	if (!p.failed && rc > 0) {
		/* Not reached: every error inih finds is found above first. */
		p.line = rc;
		inifile_fail(&p, "%s", s->msg_syntax != NULL ? s->msg_syntax :
		    "syntax error");
	}
	if (!p.failed && rc < 0)
		return err_set(e, s->kind, "%s: cannot parse (error %d)", name,
		    rc);
	if (p.failed)
		return -1;
	return p.secret ? 1 : 0;
}

int
inifile_defaults(const struct inifile_spec *s, void *ctx, unsigned sections,
    struct err *e)
{
	const struct inifile_key *k;
	struct inifile p;

	memset(&p, 0, sizeof p);
	p.s = s;
	p.ctx = ctx;
	p.name = "defaults";
	p.e = e;
	for (k = s->keys; k < s->keys + s->nkeys && !p.failed; k++)
		if (k->def != NULL && (k->sections & -k->sections & sections))
			store(&p, k, field_of(&p, k), k->def);
	return p.failed ? -1 : 0;
}

char *
inifile_slurp(const char *path, size_t *len, enum err_kind kind,
    struct err *e)
{
	struct buf b;
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_setsys(e, kind, "%s", path);
		return NULL;
	}
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		buf_append(&b, chunk, (size_t)n);
		if (b.len > INIFILE_FILE_LIMIT) {
			close(fd);
			explicit_bzero(b.data, b.len);
			buf_free(&b);
			err_set(e, kind, "%s: larger than 1 MiB", path);
			return NULL;
		}
	}
	close(fd);
	if (n < 0) {
		buf_free(&b);
		err_setsys(e, kind, "%s", path);
		return NULL;
	}
	*len = b.len;
	return buf_cstr(&b);
}

int
inifile_read(const struct inifile_spec *s, void *ctx, const char *path,
    struct err *e)
{
	size_t len = 0;
	char *text;
	int rc;

	if ((text = inifile_slurp(path, &len, s->kind, e)) == NULL)
		return -1;
	rc = inifile_parse(s, ctx, text, len, path, e);
	/* The text may hold secrets. */
	explicit_bzero(text, len);
	free(text);
	return rc;
}
