/*
 * The manifest parser.  Manifests come from the repository, which may be
 * damaged or hostile: inifile reads the lines and dispatches each key
 * through the table in manifest.c; this file checks what that table cannot
 * say.  Sections (entered at their first key) come in order ([backup], then [database 1], [database 2],
 * ... [table N], [chunk N]), each with every required key exactly once;
 * values are percent-encoded, continued on indented lines after a '\\',
 * and numbers are written one way only; the counts [backup] declares and
 * the cross-references between elements hold.  Whatever it accepts writes
 * back byte for byte (manifest_fuzz).
 */
#include "policy/manifest.h"
#include "policy/manifest_int.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/tar.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* inih's MAX_SECTION: longer header names were always cut to 49 bytes. */
#define MF_HEADER_MAX 50

/* The parse in progress: the ctx of every inifile hook below. */
struct mf_parse {
	struct manifest *m;
	enum mf_section kind;
	char header[MF_HEADER_MAX];	/* the last header read */
	char section[MF_HEADER_MAX];	/* the one keys go to */
	void *elem;		/* the element keys go to */
	unsigned char seen[MF_NKEYS];	/* keys of the section seen, by index */
	int had_backup;
	size_t declared[3];	/* databases, tables, chunks */
	const struct inifile_key *pending;	/* value continues */
	struct buf value;
};

static int
mf_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Strict inverse of mf_write_value's encoding; NULL when not canonical. */
static char *
mf_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (mf_plain((unsigned char)s[i])) {
			out[n++] = s[i];
			continue;
		}
		if (s[i] != '%' || i + 2 >= len ||
		    (hi = mf_hexval(s[i + 1])) < 0 ||
		    (lo = mf_hexval(s[i + 2])) < 0)
			goto bad;
		out[n] = (char)(hi << 4 | lo);
		if (out[n] == '\0' || mf_plain((unsigned char)out[n]))
			goto bad;
		n++;
		i += 2;
	}
	out[n] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static int
mf_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int
mf_parse_ll(const char *s, long long min, long long max, long long *out)
{
	uint64_t u;
	int neg = *s == '-';

	if (mf_parse_u64(s + neg, &u) == -1 || u > (uint64_t)LLONG_MAX ||
	    (neg && u == 0))
		return -1;
	*out = neg ? -(long long)u : (long long)u;
	return *out < min || *out > max ? -1 : 0;
}

static int
mf_parse_double(const char *s, double *out)
{
	const char *p;
	char *end;

	/* Plain decimals only: no hex floats, exponents, inf or nan. */
	for (p = s; *p != '\0'; p++) {
		if ((*p < '0' || *p > '9') && *p != '.')
			return -1;
	}
	if (*s == '\0' || *s == '.')
		return -1;
	*out = strtod(s, &end);
	return *end != '\0' || !isfinite(*out) ? -1 : 0;
}

static int
mf_is_sha(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	}
	return s[64] == '\0';
}

/* Checks and stores one complete (decoded) value of a non-string key. */
int
mf_set(struct inifile *ip, const struct inifile_key *k, void *field,
    const char *v)
{
	struct mf_parse *p = inifile_ctx(ip);
	long long ll;
	uint64_t u;

	switch ((enum mf_type)k->tag) {
	case MF_U64:
	case MF_U64_OPT:
		if (mf_parse_u64(v, &u) == -1)
			break;
		*(uint64_t *)field = u;
		return 1;
	case MF_INT:
	case MF_LONG:
		if (mf_parse_ll(v, k->min, k->max, &ll) == -1)
			break;
		if (k->tag == MF_INT)
			*(int *)field = (int)ll;
		else
			*(long *)field = (long)ll;
		return 1;
	case MF_DOUBLE:
		if (mf_parse_double(v, (double *)field) == -1)
			break;
		return 1;
	case MF_SHA:
	case MF_SHA_OPT:
	case MF_SHA_OMIT:
		if (!mf_is_sha(v) && (k->tag == MF_SHA || *v != '\0'))
			break;
		strcpy(field, v);
		return 1;
	case MF_SIZE:
	case MF_COUNT:
		if (mf_parse_u64(v, &u) == -1 || u > SIZE_MAX / 2)
			break;
		if (k->tag == MF_SIZE)
			*(size_t *)field = (size_t)u;
		else
			p->declared[k->min] = (size_t)u;
		return 1;
	case MF_STR:
	case MF_OPTSTR:
		break;
	}
	if (strcmp(k->name, "format") == 0 && p->kind == MF_BACKUP)
		return inifile_fail(ip, "unsupported manifest format %.20s "
		    "(this is format %d)", v, MANIFEST_FORMAT);
	return inifile_fail(ip, "[%s] %s: invalid value", p->section, k->name);
}

/* The element being closed must have every required key; msg says not. */
static int
mf_close_section(struct mf_parse *p, char *msg, size_t msgsz)
{
	size_t i;

	if (p->kind == MF_NONE)
		return 0;
	if (p->pending != NULL) {
		snprintf(msg, msgsz, "[%s] %s: value continues past its "
		    "section", p->section, p->pending->name);
		return -1;
	}
	for (i = 0; i < MF_NKEYS; i++) {
		if ((mf_keys[i].sections & MF_BIT(p->kind)) &&
		    !p->seen[i] &&
		    !(mf_keys[i].flags & IK_OPTIONAL)) {
			snprintf(msg, msgsz, "[%s] %s: missing", p->section,
			    mf_keys[i].name);
			return -1;
		}
	}
	return 0;
}

/* "table 3" must be the third [table] section; "backup" comes once. */
static int
mf_open_section(struct mf_parse *p, struct inifile *ip, const char *section)
{
	struct manifest *m = p->m;
	size_t want = 0;
	char expect[64];
	int kind;

	snprintf(p->section, sizeof p->section, "%s", section);
	memset(p->seen, 0, sizeof p->seen);
	p->kind = MF_NONE;
	for (kind = MF_BACKUP; kind <= MF_CHUNK; kind++) {
		if (strncmp(section, mf_section_names[kind],
		    strlen(mf_section_names[kind])) == 0)
			break;
	}
	switch (kind) {
	case MF_BACKUP:
		if (p->had_backup || strcmp(section, "backup") != 0)
			return inifile_fail(ip, "[%s]: unexpected section",
			    section);
		p->had_backup = 1;
		p->elem = m;
		p->kind = MF_BACKUP;
		return 1;
	case MF_DB:
		want = m->ndbs + 1;
		break;
	case MF_TABLE:
		want = m->ntables + 1;
		break;
	case MF_CHUNK:
		want = m->nchunks + 1;
		break;
	default:
		return inifile_fail(ip, "[%s]: unknown section", section);
	}
	snprintf(expect, sizeof expect, "%s %zu", mf_section_names[kind], want);
	if (strcmp(section, expect) != 0)
		return inifile_fail(ip, "[%s]: unexpected section (want [%s])",
		    section, expect);
	if (kind == MF_DB)
		p->elem = manifest_add_db(m);
	else if (kind == MF_TABLE)
		p->elem = manifest_add_table(m);
	else
		p->elem = manifest_add_chunk(m);
	p->kind = kind;
	return 1;
}

/*
 * A section is entered at its first key, as since format 1: a header with
 * no key under it changes nothing, and the same header twice in a row is
 * one section.  Returns 1, or 0 after inifile_fail.
 */
static int
mf_enter(struct mf_parse *p, struct inifile *ip)
{
	char msg[512];

	if (p->kind != MF_NONE && strcmp(p->header, p->section) == 0)
		return 1;
	if (mf_close_section(p, msg, sizeof msg) == -1)
		return inifile_fail(ip, "%s", msg);
	return mf_open_section(p, ip, p->header);
}

/* The header is only noted; its bit is that of the kind its name has. */
static unsigned
mf_section(void *ctx, struct inifile *ip, const char *name)
{
	struct mf_parse *p = ctx;
	int kind;

	(void)ip;
	/* As long as inih's section buffer: names were always cut there. */
	snprintf(p->header, MF_HEADER_MAX, "%s", name);
	for (kind = MF_BACKUP; kind <= MF_CHUNK; kind++) {
		if (strncmp(name, mf_section_names[kind],
		    strlen(mf_section_names[kind])) == 0)
			return MF_BIT(kind);
	}
	return 0;
}

static void *
mf_base(void *ctx, const struct inifile_key *k)
{
	struct mf_parse *p = ctx;

	(void)k;
	return p->elem;
}

static int
mf_unknown(void *ctx, struct inifile *ip, const char *name)
{
	struct mf_parse *p = ctx;

	if (!mf_enter(p, ip))
		return 0;
	return inifile_fail(ip, "[%s] %.60s: unknown key", p->section, name);
}

/* Each key once per element; pieces ending in '\' are joined, decoded. */
static int
mf_value(void *ctx, struct inifile *ip, const struct inifile_key *k,
    const char *value, int cont, char **out)
{
	struct mf_parse *p = ctx;
	size_t ki = (size_t)(k - mf_keys);
	size_t len = strlen(value);

	(void)cont;
	if (!mf_enter(p, ip))
		return -1;
	if (p->pending != NULL && p->pending != k) {
		inifile_fail(ip, "[%s] %s: continuation line missing",
		    p->section, p->pending->name);
		return -1;
	}
	if (p->pending == NULL && p->seen[ki]) {
		inifile_fail(ip, "[%s] %s: duplicate key", p->section,
		    k->name);
		return -1;
	}
	p->seen[ki] = 1;
	if (len > 0 && value[len - 1] == '\\') {
		buf_append(&p->value, value, len - 1);
		p->pending = k;
		return 0;
	}
	buf_append(&p->value, value, len);
	p->pending = NULL;
	*out = mf_decode(p->value.data != NULL ? p->value.data : "",
	    p->value.len);
	buf_reset(&p->value);
	if (*out == NULL) {
		inifile_fail(ip, "[%s] %s: bad encoding", p->section,
		    k->name);
		return -1;
	}
	return 1;
}

static const struct inifile_spec mf_spec = {
	.kind = ERR_CORRUPT,
	.max_line = MF_LINE_MAX,
	.keys = mf_keys,
	.nkeys = MF_NKEYS,
	.msg_long = "line too long or NUL byte",
	.msg_nul = "line too long or NUL byte",
	.section = mf_section,
	.base = mf_base,
	.unknown = mf_unknown,
	.value = mf_value,
};

static int
mf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
mf_cmp_table(const void *a, const void *b)
{
	const struct manifest_table *x = *(const struct manifest_table *const *)a;
	const struct manifest_table *y = *(const struct manifest_table *const *)b;
	int c = strcmp(x->db, y->db);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/*
 * Cross-references: tables name known databases, chunks known tables, and
 * each table has exactly the chunks it declares.  Sorted lookups keep this
 * O(n log n) for manifests of a hundred thousand chunks.
 */
static int
mf_check_refs(const struct manifest *m, char *msg, size_t msgsz)
{
	const struct manifest_table **tabs = NULL, *kp, **hit;
	struct manifest_table key;
	size_t *seen = NULL, i;
	char **dbs = NULL;
	int rc = -1;

	if (m->users_member != NULL && (!tar_name_is_safe(m->users_member) ||
	    m->users_sha256[0] == '\0')) {
		snprintf(msg, msgsz, "[backup] users_member: unsafe name or no "
		    "users_sha256");
		return -1;
	}
	dbs = xreallocarray(NULL, m->ndbs + 1, sizeof *dbs);
	for (i = 0; i < m->ndbs; i++)
		dbs[i] = m->dbs[i].name;
	qsort(dbs, m->ndbs, sizeof *dbs, mf_cmp_str);
	for (i = 1; i < m->ndbs; i++) {
		if (strcmp(dbs[i - 1], dbs[i]) == 0) {
			snprintf(msg, msgsz, "database listed twice");
			goto out;
		}
	}
	tabs = xreallocarray(NULL, m->ntables + 1, sizeof *tabs);
	for (i = 0; i < m->ntables; i++) {
		tabs[i] = &m->tables[i];
		if (bsearch(&m->tables[i].db, dbs, m->ndbs, sizeof *dbs,
		    mf_cmp_str) == NULL) {
			snprintf(msg, msgsz, "[table %zu]: database not in the "
			    "manifest", i + 1);
			goto out;
		}
	}
	qsort(tabs, m->ntables, sizeof *tabs, mf_cmp_table);
	for (i = 1; i < m->ntables; i++) {
		if (mf_cmp_table(&tabs[i - 1], &tabs[i]) == 0) {
			snprintf(msg, msgsz, "table listed twice");
			goto out;
		}
	}
	seen = xcalloc(m->ntables + 1, sizeof *seen);
	for (i = 0; i < m->nchunks; i++) {
		memset(&key, 0, sizeof key);
		key.db = m->chunks[i].db;
		key.name = m->chunks[i].table;
		kp = &key;
		hit = bsearch(&kp, tabs, m->ntables, sizeof *tabs,
		    mf_cmp_table);
		if (hit == NULL) {
			snprintf(msg, msgsz, "[chunk %zu]: table not in the "
			    "manifest", i + 1);
			goto out;
		}
		if (!tar_name_is_safe(m->chunks[i].member)) {
			snprintf(msg, msgsz, "[chunk %zu] member: unsafe name",
			    i + 1);
			goto out;
		}
		seen[*hit - m->tables]++;
	}
	for (i = 0; i < m->ntables; i++) {
		if (seen[i] != m->tables[i].nchunks) {
			snprintf(msg, msgsz, "[table %zu]: declares %zu chunks, "
			    "manifest has %zu", i + 1, m->tables[i].nchunks,
			    seen[i]);
			goto out;
		}
	}
	rc = 0;
out:
	free(dbs);
	free(tabs);
	free(seen);
	return rc;
}

static int
mf_check_counts(struct mf_parse *p, char *msg, size_t msgsz)
{
	static const char *what[] = { "databases", "tables", "chunks" };
	size_t have[3];
	int i;

	have[0] = p->m->ndbs;
	have[1] = p->m->ntables;
	have[2] = p->m->nchunks;
	for (i = 0; i < 3; i++) {
		if (have[i] != p->declared[i]) {
			snprintf(msg, msgsz, "[backup] %s = %zu, but the "
			    "manifest has %zu", what[i], p->declared[i],
			    have[i]);
			return -1;
		}
	}
	return 0;
}

int
manifest_parse(const char *text, size_t len, const char *name,
    struct manifest *m, struct err *e)
{
	struct mf_parse p;
	char *label, msg[512];
	int rc;

	manifest_init(m);
	memset(&p, 0, sizeof p);
	p.m = m;
	buf_init(&p.value);
	label = xasprintf("manifest %s", name);
	rc = inifile_parse(&mf_spec, &p, text, len, label, e);
	free(label);
	buf_free(&p.value);
	if (rc == -1)
		goto fail;
	if (mf_close_section(&p, msg, sizeof msg) == 0 && !p.had_backup) {
		err_set(e, ERR_CORRUPT, "manifest %s: no [backup] section",
		    name);
		goto fail;
	}
	if (mf_close_section(&p, msg, sizeof msg) == -1 ||
	    mf_check_counts(&p, msg, sizeof msg) == -1 ||
	    mf_check_refs(m, msg, sizeof msg) == -1) {
		err_set(e, ERR_CORRUPT, "manifest %s: %s", name, msg);
		goto fail;
	}
	return 0;
fail:
	manifest_free(m);
	return -1;
}
