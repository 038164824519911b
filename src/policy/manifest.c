#include "policy/manifest.h"

#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/tar.h"
#include "util/xmalloc.h"

/*
 * Every line must fit inih's 200-byte buffer (INI_MAX_LINE in Debian's
 * build): values are cut into pieces of MF_PIECE encoded bytes, every piece
 * but the last ending in '\', which encoding never produces otherwise.
 */
#define MF_PIECE 120
#define MF_LINE_MAX 198

enum mf_type {
	MF_STR,		/* required string, may be empty */
	MF_OPTSTR,	/* may be absent (NULL) */
	MF_U64,
	MF_U64_OPT,	/* may be absent (0): added after format 1 shipped */
	MF_INT,		/* int within [min, max] */
	MF_LONG,	/* long within [min, max] */
	MF_DOUBLE,	/* finite, >= 0 */
	MF_SHA,		/* 64 lowercase hex digits */
	MF_SHA_OPT,	/* the same, or empty */
	MF_SIZE,	/* size_t */
	MF_COUNT	/* [backup] element counts: checked, not stored */
};

struct mf_key {
	const char *name;
	enum mf_type type;
	size_t off;
	long long min, max;	/* MF_COUNT: min is the counter's index */
};

#define K(n, t, s, f) { n, t, offsetof(struct s, f), 0, 0 }
#define KR(n, t, s, f, lo, hi) { n, t, offsetof(struct s, f), lo, hi }

static const struct mf_key mf_backup_keys[] = {
	KR("format", MF_INT, manifest, format, MANIFEST_FORMAT,
	    MANIFEST_FORMAT),
	K("id", MF_STR, manifest, id),
	K("host", MF_STR, manifest, host),
	K("tool_version", MF_STR, manifest, tool_version),
	K("server_version", MF_STR, manifest, server_version),
	K("started", MF_STR, manifest, started),
	K("finished", MF_STR, manifest, finished),
	K("duration", MF_DOUBLE, manifest, duration),
	K("snapshot_method", MF_STR, manifest, snapshot_method),
	KR("threads", MF_LONG, manifest, threads, 0, 100000),
	K("binlog_file", MF_OPTSTR, manifest, binlog_file),
	K("binlog_position", MF_U64, manifest, binlog_position),
	K("gtid_binlog_pos", MF_OPTSTR, manifest, gtid_binlog_pos),
	K("source_binlog_file", MF_OPTSTR, manifest, source_binlog_file),
	K("source_binlog_position", MF_U64, manifest, source_binlog_position),
	K("source_gtid", MF_OPTSTR, manifest, source_gtid),
	KR("compression_level", MF_INT, manifest, compression_level, 0, 22),
	K("archive_bytes", MF_U64, manifest, archive_bytes),
	K("archive_sha256", MF_SHA_OPT, manifest, archive_sha256),
	K("rows", MF_U64, manifest, rows),
	K("raw_bytes", MF_U64, manifest, raw_bytes),
	KR("databases", MF_COUNT, manifest, ndbs, 0, 0),
	KR("tables", MF_COUNT, manifest, ntables, 1, 0),
	KR("chunks", MF_COUNT, manifest, nchunks, 2, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct mf_key mf_db_keys[] = {
	K("name", MF_STR, manifest_db, name),
	K("charset", MF_STR, manifest_db, charset),
	K("collation", MF_STR, manifest_db, collation),
	K("comment", MF_STR, manifest_db, comment),
	K("schema_member", MF_STR, manifest_db, schema_member),
	K("schema_bytes", MF_U64_OPT, manifest_db, schema_bytes),
	K("schema_sha256", MF_SHA_OPT, manifest_db, schema_sha256),
	K("post_member", MF_OPTSTR, manifest_db, post_member),
	K("post_bytes", MF_U64_OPT, manifest_db, post_bytes),
	K("post_sha256", MF_SHA_OPT, manifest_db, post_sha256),
	{ NULL, 0, 0, 0, 0 }
};

static const struct mf_key mf_table_keys[] = {
	K("db", MF_STR, manifest_table, db),
	K("name", MF_STR, manifest_table, name),
	K("engine", MF_STR, manifest_table, engine),
	KR("transactional", MF_INT, manifest_table, transactional, 0, 1),
	K("rows", MF_U64, manifest_table, rows),
	K("raw_bytes", MF_U64, manifest_table, raw_bytes),
	K("bytes", MF_U64, manifest_table, bytes),
	K("chunks", MF_SIZE, manifest_table, nchunks),
	{ NULL, 0, 0, 0, 0 }
};

static const struct mf_key mf_chunk_keys[] = {
	K("member", MF_STR, manifest_chunk, member),
	K("db", MF_STR, manifest_chunk, db),
	K("table", MF_STR, manifest_chunk, table),
	K("first_key", MF_STR, manifest_chunk, first_key),
	K("last_key", MF_STR, manifest_chunk, last_key),
	K("rows", MF_U64, manifest_chunk, rows),
	K("raw_bytes", MF_U64, manifest_chunk, raw_bytes),
	K("bytes", MF_U64, manifest_chunk, bytes),
	K("sha256", MF_SHA, manifest_chunk, sha256),
	{ NULL, 0, 0, 0, 0 }
};

enum mf_section { MF_NONE, MF_BACKUP, MF_DB, MF_TABLE, MF_CHUNK };

static const struct {
	const char *name;	/* "backup", or the prefix of "table N" */
	const struct mf_key *keys;
} mf_sections[] = {
	[MF_BACKUP] = { "backup", mf_backup_keys },
	[MF_DB] = { "database", mf_db_keys },
	[MF_TABLE] = { "table", mf_table_keys },
	[MF_CHUNK] = { "chunk", mf_chunk_keys },
};

void
manifest_init(struct manifest *m)
{
	memset(m, 0, sizeof *m);
	m->format = MANIFEST_FORMAT;
}

/* Frees the strings of one element, as the key table lists them. */
static void
mf_free_strings(const struct mf_key *keys, void *base)
{
	const struct mf_key *k;

	for (k = keys; k->name != NULL; k++) {
		if (k->type == MF_STR || k->type == MF_OPTSTR)
			free(*(char **)((char *)base + k->off));
	}
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->ndbs; i++)
		mf_free_strings(mf_db_keys, &m->dbs[i]);
	for (i = 0; i < m->ntables; i++)
		mf_free_strings(mf_table_keys, &m->tables[i]);
	for (i = 0; i < m->nchunks; i++)
		mf_free_strings(mf_chunk_keys, &m->chunks[i]);
	free(m->dbs);
	free(m->tables);
	free(m->chunks);
	mf_free_strings(mf_backup_keys, m);
	manifest_init(m);
}

/* Capacity doubles at powers of two, so it follows from the count alone. */
static void *
mf_grow(void *v, size_t n, size_t size)
{
	void *p;

	if (n != 0 && (n & (n - 1)) != 0)
		return v;
	p = xreallocarray(v, n == 0 ? 1 : n * 2, size);
	return p;
}

struct manifest_db *
manifest_add_db(struct manifest *m)
{
	m->dbs = mf_grow(m->dbs, m->ndbs, sizeof *m->dbs);
	memset(&m->dbs[m->ndbs], 0, sizeof *m->dbs);
	return &m->dbs[m->ndbs++];
}

struct manifest_table *
manifest_add_table(struct manifest *m)
{
	m->tables = mf_grow(m->tables, m->ntables, sizeof *m->tables);
	memset(&m->tables[m->ntables], 0, sizeof *m->tables);
	return &m->tables[m->ntables++];
}

struct manifest_chunk *
manifest_add_chunk(struct manifest *m)
{
	m->chunks = mf_grow(m->chunks, m->nchunks, sizeof *m->chunks);
	memset(&m->chunks[m->nchunks], 0, sizeof *m->chunks);
	return &m->chunks[m->nchunks++];
}

/* The bytes a value may hold as they are; everything else is %XX. */
static int
mf_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
	    c == '/' || c == '+' || c == '-';
}

static void
mf_write_value(struct buf *out, const char *key, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf enc;
	size_t off, n;
	const unsigned char *p;

	buf_init(&enc);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (mf_plain(*p))
			buf_append_char(&enc, (char)*p);
		else {
			buf_append_char(&enc, '%');
			buf_append_char(&enc, hex[*p >> 4]);
			buf_append_char(&enc, hex[*p & 15]);
		}
	}
	buf_printf(out, "%s = ", key);
	for (off = 0;; off += n) {
		n = enc.len - off > MF_PIECE ? MF_PIECE : enc.len - off;
		buf_append(out, enc.data + off, n);
		if (off + n == enc.len)
			break;
		buf_append_str(out, "\\\n    ");
	}
	buf_append_char(out, '\n');
	buf_free(&enc);
}

static void
mf_write_keys(struct buf *out, const struct mf_key *keys, const void *base)
{
	const struct mf_key *k;
	const char *p = base;
	const char *s;

	for (k = keys; k->name != NULL; k++) {
		switch (k->type) {
		case MF_STR:
		case MF_OPTSTR:
			s = *(char *const *)(p + k->off);
			if (s == NULL && k->type == MF_OPTSTR)
				break;
			mf_write_value(out, k->name, s != NULL ? s : "");
			break;
		case MF_U64:
		case MF_U64_OPT:
			buf_printf(out, "%s = %llu\n", k->name,
			    (unsigned long long)*(const uint64_t *)(p + k->off));
			break;
		case MF_INT:
			buf_printf(out, "%s = %d\n", k->name,
			    *(const int *)(p + k->off));
			break;
		case MF_LONG:
			buf_printf(out, "%s = %ld\n", k->name,
			    *(const long *)(p + k->off));
			break;
		case MF_DOUBLE:
			buf_printf(out, "%s = %.3f\n", k->name,
			    *(const double *)(p + k->off));
			break;
		case MF_SHA:
		case MF_SHA_OPT:
			mf_write_value(out, k->name, p + k->off);
			break;
		case MF_SIZE:
		case MF_COUNT:
			buf_printf(out, "%s = %zu\n", k->name,
			    *(const size_t *)(p + k->off));
			break;
		}
	}
}

void
manifest_write(const struct manifest *m, struct buf *out)
{
	size_t i;

	buf_append_str(out, "# myship backup manifest: written last, after "
	    "the archive was complete\n[backup]\n");
	mf_write_keys(out, mf_backup_keys, m);
	for (i = 0; i < m->ndbs; i++) {
		buf_printf(out, "\n[database %zu]\n", i + 1);
		mf_write_keys(out, mf_db_keys, &m->dbs[i]);
	}
	for (i = 0; i < m->ntables; i++) {
		buf_printf(out, "\n[table %zu]\n", i + 1);
		mf_write_keys(out, mf_table_keys, &m->tables[i]);
	}
	for (i = 0; i < m->nchunks; i++) {
		buf_printf(out, "\n[chunk %zu]\n", i + 1);
		mf_write_keys(out, mf_chunk_keys, &m->chunks[i]);
	}
}

/* The parse in progress: inih calls mf_handler for every key. */
struct mf_parse {
	struct manifest *m;
	enum mf_section kind;
	char section[64];	/* as inih gave it, to notice a change */
	void *elem;		/* the element keys go to */
	uint32_t seen;		/* keys of the element seen, by index */
	int had_backup;
	size_t declared[3];	/* databases, tables, chunks */
	const struct mf_key *pending;	/* value continues on the next line */
	const char *next;	/* the text, for mf_reader */
	size_t left;
	int line;		/* of the line inih is on */
	int msg_line;
	struct buf value;
	char msg[512];		/* the first error, without the line */
};

static int
mf_fail(struct mf_parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
mf_fail(struct mf_parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->msg[0] == '\0') {
		p->msg_line = p->line;
		va_start(ap, fmt);
		vsnprintf(p->msg, sizeof p->msg, fmt, ap);
		va_end(ap);
	}
	return 0;
}

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

/* Stores one complete (decoded) value. */
static int
mf_store(struct mf_parse *p, const struct mf_key *k, char *v)
{
	char *field = (char *)p->elem + k->off;
	long long ll;
	uint64_t u;

	switch (k->type) {
	case MF_STR:
	case MF_OPTSTR:
		*(char **)field = v;
		return 1;
	case MF_U64:
	case MF_U64_OPT:
		if (mf_parse_u64(v, &u) == -1)
			break;
		*(uint64_t *)field = u;
		goto done;
	case MF_INT:
	case MF_LONG:
		if (mf_parse_ll(v, k->min, k->max, &ll) == -1)
			break;
		if (k->type == MF_INT)
			*(int *)field = (int)ll;
		else
			*(long *)field = (long)ll;
		goto done;
	case MF_DOUBLE:
		if (mf_parse_double(v, (double *)field) == -1)
			break;
		goto done;
	case MF_SHA:
	case MF_SHA_OPT:
		if (!mf_is_sha(v) && (k->type == MF_SHA || *v != '\0'))
			break;
		strcpy(field, v);
		goto done;
	case MF_SIZE:
	case MF_COUNT:
		if (mf_parse_u64(v, &u) == -1 || u > SIZE_MAX / 2)
			break;
		if (k->type == MF_SIZE)
			*(size_t *)field = (size_t)u;
		else
			p->declared[k->min] = (size_t)u;
		goto done;
	}
	if (strcmp(k->name, "format") == 0 && p->kind == MF_BACKUP)
		mf_fail(p, "unsupported manifest format %.20s (this is "
		    "format %d)", v, MANIFEST_FORMAT);
	else
		mf_fail(p, "[%s] %s: invalid value", p->section, k->name);
	free(v);
	return 0;
done:
	free(v);
	return 1;
}

/* Checks the element being closed has every required key. */
static int
mf_close_section(struct mf_parse *p)
{
	const struct mf_key *k;
	int i;

	if (p->kind == MF_NONE)
		return 1;
	if (p->pending != NULL)
		return mf_fail(p, "[%s] %s: value continues past its section",
		    p->section, p->pending->name);
	for (i = 0, k = mf_sections[p->kind].keys; k->name != NULL; k++, i++) {
		if (!(p->seen & (1u << i)) && k->type != MF_OPTSTR &&
		    k->type != MF_U64_OPT && k->type != MF_SHA_OPT)
			return mf_fail(p, "[%s] %s: missing", p->section,
			    k->name);
	}
	return 1;
}

/* "table 3" must be the third [table] section; "backup" comes once. */
static int
mf_open_section(struct mf_parse *p, const char *section)
{
	struct manifest *m = p->m;
	size_t want = 0;
	char expect[64];
	int kind;

	if (strlen(section) >= sizeof p->section)
		return mf_fail(p, "unknown section");
	snprintf(p->section, sizeof p->section, "%s", section);
	p->seen = 0;
	p->kind = MF_NONE;
	for (kind = MF_BACKUP; kind <= MF_CHUNK; kind++) {
		if (strncmp(section, mf_sections[kind].name,
		    strlen(mf_sections[kind].name)) == 0)
			break;
	}
	switch (kind) {
	case MF_BACKUP:
		if (p->had_backup || strcmp(section, "backup") != 0)
			return mf_fail(p, "[%s]: unexpected section", section);
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
		return mf_fail(p, "[%s]: unknown section", section);
	}
	snprintf(expect, sizeof expect, "%s %zu", mf_sections[kind].name, want);
	if (strcmp(section, expect) != 0)
		return mf_fail(p, "[%s]: unexpected section (want [%s])",
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

static int
mf_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct mf_parse *p = user;
	const struct mf_key *k;
	size_t len;
	char *v;
	int i;

	if (p->msg[0] != '\0')
		return 0;
	if (p->kind == MF_NONE || strcmp(section, p->section) != 0) {
		if (!mf_close_section(p) || !mf_open_section(p, section))
			return 0;
	}
	for (i = 0, k = mf_sections[p->kind].keys; k->name != NULL; k++, i++) {
		if (strcmp(k->name, name) == 0)
			break;
	}
	if (k->name == NULL)
		return mf_fail(p, "[%s] %.60s: unknown key", section, name);
	if (p->pending != NULL && p->pending != k)
		return mf_fail(p, "[%s] %s: continuation line missing",
		    section, p->pending->name);
	if (p->pending == NULL && (p->seen & (1u << i)))
		return mf_fail(p, "[%s] %s: duplicate key", section, name);
	p->seen |= 1u << i;
	len = strlen(value);
	if (len > 0 && value[len - 1] == '\\') {
		buf_append(&p->value, value, len - 1);
		p->pending = k;
		return 1;
	}
	buf_append(&p->value, value, len);
	p->pending = NULL;
	v = mf_decode(p->value.data != NULL ? p->value.data : "", p->value.len);
	buf_reset(&p->value);
	if (v == NULL)
		return mf_fail(p, "[%s] %s: bad encoding", section, name);
	return mf_store(p, k, v);
}

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

/* Lines longer than inih's buffer would be split silently: refuse them. */
static int
mf_check_lines(const char *text, size_t len, int *line)
{
	size_t i, start = 0;

	*line = 1;
	for (i = 0; i < len; i++) {
		if (text[i] == '\0')
			return -1;
		if (text[i] != '\n')
			continue;
		if (i - start > MF_LINE_MAX)
			return -1;
		start = i + 1;
		(*line)++;
	}
	return len - start > MF_LINE_MAX ? -1 : 0;
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

/*
 * ini_parse_string's reader, counting lines so that an error the handler
 * finds is told apart from an earlier syntax error inih reports.
 */
static char *
mf_reader(char *str, int num, void *stream)
{
	struct mf_parse *p = stream;
	size_t n = 0;

	if (p->left == 0 || num < 2)
		return NULL;
	while (n < (size_t)num - 1 && n < p->left) {
		str[n] = p->next[n];
		if (str[n++] == '\n')
			break;
	}
	str[n] = '\0';
	p->next += n;
	p->left -= n;
	p->line++;
	return str;
}

int
manifest_parse(const char *text, size_t len, const char *name,
    struct manifest *m, struct err *e)
{
	struct mf_parse p;
	int line, rc;

	manifest_init(m);
	if (mf_check_lines(text, len, &line) == -1)
		return err_set(e, ERR_CORRUPT, "manifest %s:%d: line too long "
		    "or NUL byte", name, line);
	memset(&p, 0, sizeof p);
	p.m = m;
	buf_init(&p.value);
	p.next = text;
	p.left = len;
	rc = ini_parse_stream(mf_reader, &p, mf_handler, &p);
	if (rc == 0 && !mf_close_section(&p))
		rc = -1;
	buf_free(&p.value);
	if (rc > 0) {
		err_set(e, ERR_CORRUPT, "manifest %s:%d: %s", name, rc,
		    p.msg[0] != '\0' && p.msg_line == rc ? p.msg :
		    "syntax error");
		goto fail;
	}
	if (rc < 0) {
		err_set(e, ERR_CORRUPT, "manifest %s: %s", name,
		    p.msg[0] != '\0' ? p.msg : "cannot parse");
		goto fail;
	}
	if (!p.had_backup) {
		err_set(e, ERR_CORRUPT, "manifest %s: no [backup] section",
		    name);
		goto fail;
	}
	if (mf_check_counts(&p, p.msg, sizeof p.msg) == -1 ||
	    mf_check_refs(m, p.msg, sizeof p.msg) == -1) {
		err_set(e, ERR_CORRUPT, "manifest %s: %s", name, p.msg);
		goto fail;
	}
	return 0;
fail:
	manifest_free(m);
	return -1;
}
