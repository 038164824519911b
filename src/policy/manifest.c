/*
 * Manifests in memory and as text: the elements, the key table every
 * section is written (and read back) by, and the writer.  The parser is
 * manifest_read.c.
 */
#include "policy/manifest.h"
#include "policy/manifest_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define AT(s, f) .offset = offsetof(struct s, f), .size = sizeof(((struct s *)0)->f)
/* A string: inifile stores it (after the parser has decoded it). */
#define KS(sec, n, t, s, f) { .name = n, .sections = MF_BIT(sec), \
	.type = IK_STR, AT(s, f), .flags = (t) == MF_OPTSTR ? IK_OPTIONAL : 0, \
	.tag = t }
/* Anything else: mf_set checks and stores it. */
#define KR(sec, n, t, s, f, lo, hi) { .name = n, .sections = MF_BIT(sec), \
	.type = IK_CUSTOM, AT(s, f), .min = lo, .max = hi, .set = mf_set, \
	.flags = (t) == MF_U64_OPT || (t) == MF_SHA_OPT || \
	    (t) == MF_SHA_OMIT ? IK_OPTIONAL : 0, \
	.tag = t }
#define K(sec, n, t, s, f) KR(sec, n, t, s, f, 0, 0)
#define B MF_BACKUP
#define D MF_DB
#define T MF_TABLE
#define C MF_CHUNK

const char *const mf_section_names[MF_CHUNK + 1] = {
	[MF_BACKUP] = "backup",
	[MF_DB] = "database",
	[MF_TABLE] = "table",
	[MF_CHUNK] = "chunk",
};

/* Sized by the initialiser: the header's MF_NKEYS must agree. */
const struct inifile_key mf_keys[] = {
	KR(B, "format", MF_INT, manifest, format, MANIFEST_FORMAT,
	    MANIFEST_FORMAT),
	KS(B, "id", MF_STR, manifest, id),
	KS(B, "host", MF_STR, manifest, host),
	KS(B, "tool_version", MF_STR, manifest, tool_version),
	KS(B, "server_version", MF_STR, manifest, server_version),
	KS(B, "started", MF_STR, manifest, started),
	KS(B, "finished", MF_STR, manifest, finished),
	K(B, "duration", MF_DOUBLE, manifest, duration),
	KS(B, "snapshot_method", MF_STR, manifest, snapshot_method),
	KR(B, "threads", MF_LONG, manifest, threads, 0, 100000),
	KS(B, "binlog_file", MF_OPTSTR, manifest, binlog_file),
	K(B, "binlog_position", MF_U64, manifest, binlog_position),
	KS(B, "gtid_binlog_pos", MF_OPTSTR, manifest, gtid_binlog_pos),
	KS(B, "source_binlog_file", MF_OPTSTR, manifest, source_binlog_file),
	K(B, "source_binlog_position", MF_U64, manifest, source_binlog_position),
	KS(B, "source_gtid", MF_OPTSTR, manifest, source_gtid),
	KR(B, "compression_level", MF_INT, manifest, compression_level, 0, 22),
	KS(B, "encrypted_to", MF_OPTSTR, manifest, encrypted_to),
	KS(B, "checksum_server", MF_OPTSTR, manifest, checksum_server),
	K(B, "archive_bytes", MF_U64, manifest, archive_bytes),
	K(B, "archive_sha256", MF_SHA_OPT, manifest, archive_sha256),
	K(B, "archive_digest", MF_SHA_OPT, manifest, archive_digest),
	K(B, "rows", MF_U64, manifest, rows),
	K(B, "raw_bytes", MF_U64, manifest, raw_bytes),
	KS(B, "users_member", MF_OPTSTR, manifest, users_member),
	K(B, "users", MF_U64_OPT, manifest, users),
	K(B, "users_bytes", MF_U64_OPT, manifest, users_bytes),
	K(B, "users_sha256", MF_SHA_OPT, manifest, users_sha256),
	K(B, "users_offset", MF_U64_OPT, manifest, users_offset),
	/* min: the counter's index in the parser's declared[] */
	KR(B, "databases", MF_COUNT, manifest, ndbs, 0, 0),
	KR(B, "tables", MF_COUNT, manifest, ntables, 1, 0),
	KR(B, "chunks", MF_COUNT, manifest, nchunks, 2, 0),

	KS(D, "name", MF_STR, manifest_db, name),
	KS(D, "charset", MF_STR, manifest_db, charset),
	KS(D, "collation", MF_STR, manifest_db, collation),
	KS(D, "comment", MF_STR, manifest_db, comment),
	KS(D, "schema_member", MF_STR, manifest_db, schema_member),
	K(D, "schema_bytes", MF_U64_OPT, manifest_db, schema_bytes),
	K(D, "schema_sha256", MF_SHA_OPT, manifest_db, schema_sha256),
	K(D, "schema_offset", MF_U64_OPT, manifest_db, schema_offset),
	KS(D, "post_member", MF_OPTSTR, manifest_db, post_member),
	K(D, "post_bytes", MF_U64_OPT, manifest_db, post_bytes),
	K(D, "post_sha256", MF_SHA_OPT, manifest_db, post_sha256),
	K(D, "post_offset", MF_U64_OPT, manifest_db, post_offset),
	KS(D, "skipped", MF_OPTSTR, manifest_db, skipped),

	KS(T, "db", MF_STR, manifest_table, db),
	KS(T, "name", MF_STR, manifest_table, name),
	KS(T, "engine", MF_STR, manifest_table, engine),
	KR(T, "transactional", MF_INT, manifest_table, transactional, 0, 1),
	K(T, "rows", MF_U64, manifest_table, rows),
	K(T, "raw_bytes", MF_U64, manifest_table, raw_bytes),
	K(T, "bytes", MF_U64, manifest_table, bytes),
	K(T, "chunks", MF_SIZE, manifest_table, nchunks),
	KS(T, "checksum", MF_OPTSTR, manifest_table, checksum),
	K(T, "values_sum", MF_SHA_OMIT, manifest_table, values_sum),
	K(T, "rows_sum", MF_SHA_OMIT, manifest_table, rows_sum),

	KS(C, "member", MF_STR, manifest_chunk, member),
	KS(C, "db", MF_STR, manifest_chunk, db),
	KS(C, "table", MF_STR, manifest_chunk, table),
	KS(C, "first_key", MF_STR, manifest_chunk, first_key),
	KS(C, "last_key", MF_STR, manifest_chunk, last_key),
	K(C, "rows", MF_U64, manifest_chunk, rows),
	K(C, "raw_bytes", MF_U64, manifest_chunk, raw_bytes),
	K(C, "bytes", MF_U64, manifest_chunk, bytes),
	K(C, "offset", MF_U64_OPT, manifest_chunk, offset),
	K(C, "sha256", MF_SHA, manifest_chunk, sha256),
	K(C, "values_sha256", MF_SHA_OMIT, manifest_chunk, values_sha256),
	KS(C, "piece_keys", MF_OPTSTR, manifest_chunk, piece_keys),
	K(C, "rows_sha256", MF_SHA_OMIT, manifest_chunk, rows_sha256),
};

void
manifest_init(struct manifest *m)
{
	memset(m, 0, sizeof *m);
	m->format = MANIFEST_FORMAT;
}

/* Frees the strings of one element, as the key table lists them. */
static void
mf_free_strings(enum mf_section kind, void *base)
{
	size_t i;

	for (i = 0; i < MF_NKEYS; i++) {
		if ((mf_keys[i].sections & MF_BIT(kind)) &&
		    mf_keys[i].type == IK_STR)
			free(*(char **)((char *)base + mf_keys[i].offset));
	}
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->ndbs; i++)
		mf_free_strings(MF_DB, &m->dbs[i]);
	for (i = 0; i < m->ntables; i++)
		mf_free_strings(MF_TABLE, &m->tables[i]);
	for (i = 0; i < m->nchunks; i++)
		mf_free_strings(MF_CHUNK, &m->chunks[i]);
	free(m->dbs);
	free(m->tables);
	free(m->chunks);
	mf_free_strings(MF_BACKUP, m);
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

size_t
manifest_skipped(const struct manifest *m)
{
	const char *p;
	size_t i, n = 0;

	for (i = 0; i < m->ndbs; i++)
		for (p = m->dbs[i].skipped; p != NULL; n++)
			if ((p = strchr(p, '\n')) != NULL)
				p++;
	return n;
}

int
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
mf_write_keys(struct buf *out, enum mf_section kind, const void *base)
{
	const struct inifile_key *k;
	const char *p = base;
	const char *s;

	for (k = mf_keys; k < mf_keys + MF_NKEYS; k++) {
		if (!(k->sections & MF_BIT(kind)))
			continue;
		/* the users_ keys only with an accounts member */
		if (kind == MF_BACKUP && strncmp(k->name, "users", 5) == 0 &&
		    ((const struct manifest *)base)->users_member == NULL)
			continue;
		switch ((enum mf_type)k->tag) {
		case MF_STR:
		case MF_OPTSTR:
			s = *(char *const *)(p + k->offset);
			if (s == NULL && k->tag == MF_OPTSTR)
				break;
			mf_write_value(out, k->name, s != NULL ? s : "");
			break;
		case MF_U64:
		case MF_U64_OPT:
			buf_printf(out, "%s = %llu\n", k->name,
			    (unsigned long long)*(const uint64_t *)(p + k->offset));
			break;
		case MF_INT:
			buf_printf(out, "%s = %d\n", k->name,
			    *(const int *)(p + k->offset));
			break;
		case MF_LONG:
			buf_printf(out, "%s = %ld\n", k->name,
			    *(const long *)(p + k->offset));
			break;
		case MF_DOUBLE:
			buf_printf(out, "%s = %.3f\n", k->name,
			    *(const double *)(p + k->offset));
			break;
		case MF_SHA_OMIT:
			if (p[k->offset] == '\0')
				break;
			/* FALLTHROUGH */
		case MF_SHA:
		case MF_SHA_OPT:
			mf_write_value(out, k->name, p + k->offset);
			break;
		case MF_SIZE:
		case MF_COUNT:
			buf_printf(out, "%s = %zu\n", k->name,
			    *(const size_t *)(p + k->offset));
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
	mf_write_keys(out, MF_BACKUP, m);
	for (i = 0; i < m->ndbs; i++) {
		buf_printf(out, "\n[database %zu]\n", i + 1);
		mf_write_keys(out, MF_DB, &m->dbs[i]);
	}
	for (i = 0; i < m->ntables; i++) {
		buf_printf(out, "\n[table %zu]\n", i + 1);
		mf_write_keys(out, MF_TABLE, &m->tables[i]);
	}
	for (i = 0; i < m->nchunks; i++) {
		buf_printf(out, "\n[chunk %zu]\n", i + 1);
		mf_write_keys(out, MF_CHUNK, &m->chunks[i]);
	}
}
