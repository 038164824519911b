/*
 * myship restore BACKUP_ID|latest --host NAME [--target NAME]
 *     [--database SRC[:DST]]... [--threads N]
 *     [--defer-indexes auto|always|never] [--force] [--dry-run]
 *
 * Reads the manifest, checks the target, then streams the archive once:
 * every member is matched against the manifest (name, size, SHA-256)
 * before a byte of it runs; schema members run in order on one session,
 * data members go to the loader pool, post-data members run once the pool
 * is idle.  The schema's CREATE TABLE statements pass a filter that cuts
 * out the secondary keys to build after the data (db/defer.h) and tells
 * the loaders which tables may take LOAD DATA.  What was created before a
 * failure stays (see myship.8).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "db/conn.h"
#include "db/defer.h"
#include "db/load.h"
#include "policy/manifest.h"
#include "repo/repo.h"
#include "stream/archive.h"
#include "stream/codec.h"
#include "stream/hash.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "util/clock.h"

#define RESTORE_QUEUE_BYTES	(64 * 1024 * 1024)
#define RESTORE_THREADS_MAX	64
#define SHOW_MAX		160
/* Members the manifest gives no size for are held whole: cap them. */
#define RESTORE_MEMBER_MAX	(256LL * 1024 * 1024)
/*
 * --defer-indexes auto defers a table's secondary indexes when it has at
 * least this much SQL: below it the ALTER costs more than it saves.
 */
#define RESTORE_DEFER_MIN	(8ULL * 1024 * 1024)

enum defer_mode { DEFER_AUTO, DEFER_ALWAYS, DEFER_NEVER };

enum member_kind { MK_SCHEMA, MK_DATA, MK_POST };

/* A database of the backup and what becomes of it. */
struct rdb {
	const struct manifest_db *md;
	const char *dst;		/* target name: md->name or the rename */
	int selected;
	int exists, nonempty;		/* on the target */
	size_t ntables;
	uint64_t rows, bytes, raw_bytes;
};

/* A member the manifest promises. */
struct mref {
	const char *name;
	enum member_kind kind;
	size_t db;
	const struct manifest_chunk *chunk;	/* NULL: no recorded hash */
	size_t table;			/* data: index in m.tables */
	int seen;
};

struct tabkey {
	const char *db, *name;
	size_t idx;			/* in m.tables */
};

/* What deferring secondary indexes needs to know about every table. */
struct rtable {
	size_t nchunks;			/* data members in the manifest */
	int referenced;			/* a foreign key names it */
	struct load_table *lt;		/* its keys were cut, NULL if not */
};

struct restore {
	const struct config *cfg;
	int quiet, verbose;
	const char *host;		/* whose backup */
	const char *id_arg;
	char *id;
	const struct host_cfg *target;
	struct strlist dbargs;
	long long threads;
	int force, dry_run;
	enum defer_mode defer;
	struct repo *repo;
	struct manifest m;
	int have_manifest;
	struct rdb *dbs;
	size_t ndbs, db_hint;
	struct rtable *tabs;		/* as m.tables */
	struct tabkey *tab_order;	/* m.tables by (db, name) */
	size_t cur_db;			/* whose schema member runs */
	struct defer_split ds;
	struct mref *refs;
	size_t nrefs, nfixed;		/* refs[0..nfixed): schema and post */
	struct loader *ctl;		/* schema, post-data, checks */
	struct load_pool *pool;
	enum member_kind phase;
	int touched;			/* something ran on the target */
	const char *last_member;
	uint64_t members_read, bytes_read;
};

/* Copies s into out with control bytes escaped, for one-line messages. */
static const char *
show(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	unsigned char c;

	for (; *s != '\0' && o + 5 < len; s++) {
		c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else
			out[o++] = (char)c;
	}
	if (*s != '\0' && o + 3 < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static int
restore_parse_defer(const char *arg, long long *out, struct err *e)
{
	char shown[SHOW_MAX];

	if (strcmp(arg, "auto") == 0)
		*out = DEFER_AUTO;
	else if (strcmp(arg, "always") == 0)
		*out = DEFER_ALWAYS;
	else if (strcmp(arg, "never") == 0)
		*out = DEFER_NEVER;
	else
		return err_set(e, ERR_USAGE, "--defer-indexes: \"%s\" is not "
		    "auto, always or never", show(arg, shown, sizeof shown));
	return 0;
}

static int
restore_parse_threads(const char *arg, long long *out, struct err *e)
{
	if (parse_int(arg, 1, RESTORE_THREADS_MAX, out) == -1)
		return err_set(e, ERR_USAGE, "--threads: \"%s\" is not a number "
		    "from 1 to %d", arg, RESTORE_THREADS_MAX);
	return 0;
}

static int
restore_args(struct restore *r, const struct cmd_args *a, struct err *e)
{
	const char *target = args_get(a, "target");
	const struct strlist *dbs = args_list(a, "database");
	size_t i;

	r->host = args_get(a, "host");
	r->id_arg = a->argv[0];
	r->force = args_count(a, "force") > 0;
	r->dry_run = args_count(a, "dry-run") > 0;
	r->defer = (enum defer_mode)args_num(a, "defer-indexes", DEFER_AUTO);
	r->threads = args_num(a, "threads", r->cfg->restore_threads > 0 ?
	    r->cfg->restore_threads : 2);
	for (i = 0; i < dbs->n; i++)
		strlist_add(&r->dbargs, dbs->v[i]);
	if (target == NULL)
		target = r->host;
	if ((r->target = cmd_host_find(r->cfg, target, target == r->host ?
	    " (name the server to restore into with --target)" : "",
	    e)) == NULL)
		return -1;
	return 0;
}

/* Resolves "latest" and checks the backup exists and is complete. */
static int
restore_find(struct restore *r, struct err *e)
{
	struct repo_entry *v = NULL, *hit = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (repo_list(r->repo, r->host, &v, &n, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(r->id_arg, "latest") == 0 ? v[i].complete :
		    strcmp(v[i].id, r->id_arg) == 0)
			hit = &v[i];	/* sorted: the last match is newest */
	}
	if (hit == NULL) {
		err_set(e, ERR_NOT_FOUND, "no %s backup %s/%s in %s",
		    strcmp(r->id_arg, "latest") == 0 ? "complete" : "such",
		    r->host, r->id_arg, repo_describe(r->repo));
		goto out;
	}
	if (!hit->complete) {
		err_set(e, ERR_CORRUPT, "backup %s/%s is incomplete (no "
		    "manifest)", r->host, hit->id);
		goto out;
	}
	r->id = xstrdup(hit->id);
	rc = 0;
out:
	repo_entries_free(v, n);
	return rc;
}

static int
restore_manifest(struct restore *r, struct err *e)
{
	struct buf b;
	char *name;
	int rc;

	buf_init(&b);
	if (repo_get(r->repo, r->host, r->id, REPO_MANIFEST, &b, e) == -1) {
		buf_free(&b);
		if (e->kind == ERR_NOT_FOUND)
			err_set(e, ERR_CORRUPT, "backup %s/%s is incomplete "
			    "(no manifest)", r->host, r->id);
		return -1;
	}
	name = xasprintf("%s/%s/%s", r->host, r->id, REPO_MANIFEST);
	manifest_init(&r->m);
	r->have_manifest = 1;
	rc = manifest_parse(b.data, b.len, name, &r->m, e);
	if (rc == 0 && (strcmp(r->m.host, r->host) != 0 ||
	    strcmp(r->m.id, r->id) != 0))
		rc = err_set(e, ERR_CORRUPT, "%s: describes backup %s/%s",
		    name, r->m.host, r->m.id);
	free(name);
	buf_free(&b);
	return rc;
}

/* Chunks and tables come grouped by database: the last hit is tried first. */
static struct rdb *
restore_db(struct restore *r, const char *name, size_t *idx)
{
	size_t i, k;

	for (k = 0; k < r->ndbs; k++) {
		i = (r->db_hint + k) % r->ndbs;
		if (strcmp(r->dbs[i].md->name, name) == 0) {
			r->db_hint = i;
			if (idx != NULL)
				*idx = i;
			return &r->dbs[i];
		}
	}
	return NULL;
}

static int
tabkey_cmp(const void *a, const void *b)
{
	const struct tabkey *x = a, *y = b;
	int c = strcmp(x->db, y->db);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/* The index in m.tables of db.name (source names); -1 if not there. */
static long
restore_table(struct restore *r, const char *db, const char *name)
{
	struct tabkey key, *hit;

	key.db = db;
	key.name = name;
	hit = bsearch(&key, r->tab_order, r->m.ntables, sizeof key,
	    tabkey_cmp);
	return hit != NULL ? (long)hit->idx : -1;
}

static void
restore_tables_index(struct restore *r)
{
	size_t i;

	r->tabs = xcalloc(r->m.ntables ? r->m.ntables : 1, sizeof *r->tabs);
	r->tab_order = xcalloc(r->m.ntables ? r->m.ntables : 1,
	    sizeof *r->tab_order);
	for (i = 0; i < r->m.ntables; i++) {
		r->tab_order[i].db = r->m.tables[i].db;
		r->tab_order[i].name = r->m.tables[i].name;
		r->tab_order[i].idx = i;
	}
	qsort(r->tab_order, r->m.ntables, sizeof *r->tab_order, tabkey_cmp);
}

/*
 * SRC[:DST].  Names may hold ':', so the whole argument is tried as a name
 * first, then each ':' from the left until the part before it is one.
 */
static int
restore_select_one(struct restore *r, char *arg, struct err *e)
{
	char shown[SHOW_MAX];
	struct rdb *d;
	char *colon = NULL;

	if ((d = restore_db(r, arg, NULL)) == NULL) {
		for (colon = strchr(arg, ':'); colon != NULL;
		    colon = strchr(colon + 1, ':')) {
			*colon = '\0';
			d = restore_db(r, arg, NULL);
			*colon = ':';
			if (d != NULL)
				break;
		}
	}
	if (d == NULL) {
		if ((colon = strchr(arg, ':')) != NULL)
			*colon = '\0';
		return err_set(e, ERR_NOT_FOUND, "database %s is not in backup "
		    "%s/%s", show(arg, shown, sizeof shown), r->host, r->id);
	}
	if (d->selected)
		return err_set(e, ERR_USAGE, "--database %s: named twice",
		    show(d->md->name, shown, sizeof shown));
	d->selected = 1;
	if (colon != NULL) {
		if (colon[1] == '\0')
			return err_set(e, ERR_USAGE, "--database %s: empty new "
			    "name", show(arg, shown, sizeof shown));
		d->dst = colon + 1;
	}
	return 0;
}

static int
restore_select(struct restore *r, struct err *e)
{
	char shown[SHOW_MAX];
	size_t i, j;

	r->ndbs = r->m.ndbs;
	r->dbs = xcalloc(r->ndbs ? r->ndbs : 1, sizeof *r->dbs);
	for (i = 0; i < r->ndbs; i++) {
		r->dbs[i].md = &r->m.dbs[i];
		r->dbs[i].dst = r->m.dbs[i].name;
		r->dbs[i].selected = r->dbargs.n == 0;
	}
	for (i = 0; i < r->dbargs.n; i++)
		if (restore_select_one(r, r->dbargs.v[i], e) == -1)
			return -1;
	for (i = 0; i < r->ndbs; i++)
		for (j = i + 1; j < r->ndbs; j++)
			if (r->dbs[i].selected && r->dbs[j].selected &&
			    strcmp(r->dbs[i].dst, r->dbs[j].dst) == 0)
				return err_set(e, ERR_USAGE, "two databases "
				    "would be restored as %s",
				    show(r->dbs[i].dst, shown, sizeof shown));
	restore_tables_index(r);
	for (i = 0; i < r->m.ntables; i++) {
		const struct manifest_table *t = &r->m.tables[i];
		struct rdb *d = restore_db(r, t->db, NULL);

		if (d == NULL)
			return err_set(e, ERR_CORRUPT, "manifest of %s/%s: "
			    "table %s of unknown database", r->host, r->id,
			    show(t->name, shown, sizeof shown));
		d->ntables++;
		d->rows += t->rows;
		d->bytes += t->bytes;
		d->raw_bytes += t->raw_bytes;
	}
	return 0;
}

static struct mref *
restore_add_ref(struct restore *r, const char *name, enum member_kind kind,
    size_t db)
{
	struct mref *ref;

	r->refs = xreallocarray(r->refs, r->nrefs + 1, sizeof *r->refs);
	ref = &r->refs[r->nrefs++];
	memset(ref, 0, sizeof *ref);
	ref->name = name;
	ref->kind = kind;
	ref->db = db;
	return ref;
}

static int
ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mref *)a)->name,
	    ((const struct mref *)b)->name);
}

static struct mref *
restore_ref(struct restore *r, const char *name)
{
	struct mref key;

	key.name = name;
	return bsearch(&key, r->refs, r->nrefs, sizeof *r->refs, ref_cmp);
}

/* Chunks naming a db's schema or post member give that member's hash. */
static int
restore_add_chunk(struct restore *r, const struct manifest_chunk *c,
    struct err *e)
{
	char shown[SHOW_MAX];
	struct mref *ref;
	size_t db, i;
	long t;

	if (restore_db(r, c->db, &db) == NULL)
		return err_set(e, ERR_CORRUPT, "manifest of %s/%s: member %s "
		    "of unknown database", r->host, r->id,
		    show(c->member, shown, sizeof shown));
	for (i = 0; strncmp(c->member, "1-data/", 7) != 0 && i < r->nfixed;
	    i++) {
		ref = &r->refs[i];
		if (strcmp(ref->name, c->member) == 0) {
			ref->chunk = c;
			return 0;
		}
	}
	ref = restore_add_ref(r, c->member, MK_DATA, db);
	ref->chunk = c;
	ref->table = SIZE_MAX;
	if ((t = restore_table(r, c->db, c->table)) != -1) {
		ref->table = (size_t)t;
		r->tabs[t].nchunks++;
	}
	return 0;
}

static int
restore_index(struct restore *r, struct err *e)
{
	char shown[SHOW_MAX];
	const struct manifest_db *md;
	size_t i;

	for (i = 0; i < r->ndbs; i++) {
		md = r->dbs[i].md;
		restore_add_ref(r, md->schema_member, MK_SCHEMA, i);
		if (md->post_member != NULL && *md->post_member != '\0')
			restore_add_ref(r, md->post_member, MK_POST, i);
	}
	r->nfixed = r->nrefs;
	for (i = 0; i < r->m.nchunks; i++)
		if (restore_add_chunk(r, &r->m.chunks[i], e) == -1)
			return -1;
	qsort(r->refs, r->nrefs, sizeof *r->refs, ref_cmp);
	for (i = 1; i < r->nrefs; i++)
		if (strcmp(r->refs[i - 1].name, r->refs[i].name) == 0)
			return err_set(e, ERR_CORRUPT, "manifest of %s/%s: "
			    "member %s listed twice", r->host, r->id,
			    show(r->refs[i].name, shown, sizeof shown));
	return 0;
}

/* Counts rows of a small information_schema query about one schema. */
static int
restore_count(MYSQL *c, const char *table, const char *column,
    const char *db, long long *n, struct err *e)
{
	struct buf q;
	char *v = NULL;
	int rc;

	buf_init(&q);
	buf_printf(&q, "SELECT COUNT(*) FROM information_schema.%s WHERE %s = ",
	    table, column);
	sql_quote_string(&q, db, strlen(db));
	rc = db_query_value(c, buf_cstr(&q), &v, e);
	*n = v != NULL ? atoll(v) : 0;
	free(v);
	buf_free(&q);
	return rc;
}

/* Looks at every target database: does it exist, does it hold anything. */
static int
restore_check_target(struct restore *r, MYSQL *c, struct err *e)
{
	struct rdb *d;
	long long n, objs;
	size_t i;

	for (i = 0; i < r->ndbs; i++) {
		d = &r->dbs[i];
		if (!d->selected)
			continue;
		if (restore_count(c, "SCHEMATA", "SCHEMA_NAME", d->dst, &n,
		    e) == -1)
			return -1;
		d->exists = n > 0;
		if (!d->exists)
			continue;
		if (restore_count(c, "TABLES", "TABLE_SCHEMA", d->dst, &objs,
		    e) == -1 || restore_count(c, "ROUTINES", "ROUTINE_SCHEMA",
		    d->dst, &n, e) == -1)
			return -1;
		objs += n;
		if (restore_count(c, "EVENTS", "EVENT_SCHEMA", d->dst, &n,
		    e) == -1)
			return -1;
		d->nonempty = objs + n > 0;
	}
	return 0;
}

static int
restore_refuse(struct restore *r, struct err *e)
{
	char shown[SHOW_MAX];
	const struct rdb *d;
	size_t i;

	for (i = 0; i < r->ndbs; i++) {
		d = &r->dbs[i];
		if (d->selected && d->nonempty && !r->force)
			return err_set(e, ERR_REFUSED, "database %s on host %s "
			    "exists and is not empty (--force replaces it)",
			    show(d->dst, shown, sizeof shown), r->target->name);
	}
	return 0;
}

static void
restore_print_plan(struct restore *r, FILE *f)
{
	char a[SHOW_MAX], b[SHOW_MAX], sz[32], raw[32];
	const struct manifest_table *t;
	const struct rdb *d;
	size_t i, j;

	format_size(r->m.archive_bytes, sz, sizeof sz);
	fprintf(f, "restore backup %s/%s (%s, %zu databases) into host %s "
	    "with %lld threads\n", r->host, r->id, sz, r->ndbs,
	    r->target->name, r->threads);
	for (i = 0; i < r->ndbs; i++) {
		d = &r->dbs[i];
		if (!d->selected)
			continue;
		format_size(d->bytes, sz, sizeof sz);
		format_size(d->raw_bytes, raw, sizeof raw);
		fprintf(f, "  database %s", show(d->md->name, a, sizeof a));
		if (strcmp(d->dst, d->md->name) != 0)
			fprintf(f, " as %s", show(d->dst, b, sizeof b));
		fprintf(f, ": %zu tables, %llu rows, %s (%s of SQL)%s\n",
		    d->ntables, (unsigned long long)d->rows, sz, raw,
		    !d->exists ? "" : !d->nonempty ? ", replaces the existing "
		    "empty database" : r->force ? ", replaces the existing "
		    "database" : ", REFUSED: the database exists and is not "
		    "empty");
		for (j = 0; j < r->m.ntables; j++) {
			t = &r->m.tables[j];
			if (strcmp(t->db, d->md->name) != 0)
				continue;
			format_size(t->bytes, sz, sizeof sz);
			fprintf(f, "    table %s: %llu rows, %zu chunks, %s\n",
			    show(t->name, a, sizeof a),
			    (unsigned long long)t->rows, t->nchunks, sz);
		}
	}
}

static int
restore_connect(struct restore *r, struct err *e)
{
	MYSQL *c;

	if ((c = db_connect(r->target, e)) == NULL)
		return -1;
	r->ctl = loader_new(c);
	if (restore_check_target(r, c, e) == -1)
		return -1;
	return 0;
}

/*
 * What the manifest says of a member: its size and SHA-256, or sha = NULL
 * for a schema or post-data member of a manifest that predates recording
 * them (the zstd frame checksum and the whole-archive hash still apply).
 */
static void
restore_expect(const struct restore *r, const struct mref *ref,
    uint64_t *bytes, const char **sha)
{
	const struct manifest_db *md = r->dbs[ref->db].md;

	*sha = NULL;
	*bytes = 0;
	if (ref->chunk != NULL) {
		*bytes = ref->chunk->bytes;
		*sha = ref->chunk->sha256;
	} else if (ref->kind == MK_SCHEMA && md->schema_sha256[0] != '\0') {
		*bytes = md->schema_bytes;
		*sha = md->schema_sha256;
	} else if (ref->kind == MK_POST && md->post_sha256[0] != '\0') {
		*bytes = md->post_bytes;
		*sha = md->post_sha256;
	}
}

/* Reads the current member whole and checks it against the manifest. */
static int
restore_read(struct restore *r, struct archive_reader *ar,
    const struct mref *ref, int64_t size, struct buf *out, struct err *e)
{
	const char *want;
	uint64_t want_bytes;
	char hex[65];

	restore_expect(r, ref, &want_bytes, &want);
	if (want != NULL && (uint64_t)size != want_bytes)
		return err_set(e, ERR_CORRUPT, "member %s: %lld bytes, manifest "
		    "says %llu", ref->name, (long long)size,
		    (unsigned long long)want_bytes);
	if (ref->chunk == NULL && size > RESTORE_MEMBER_MAX)
		return err_set(e, ERR_CORRUPT, "member %s: %lld bytes, more "
		    "than a schema member can be", ref->name, (long long)size);
	if (archive_reader_member(ar, size, out, e) == -1)
		return err_prefix(e, "member %s", ref->name);
	if (want == NULL)
		return 0;
	hash_hex(HASH_SHA256, out->data, out->len, hex);
	if (strcmp(hex, want) != 0)
		return err_set(e, ERR_CORRUPT, "member %s: SHA-256 mismatch "
		    "(damaged archive)", ref->name);
	return 0;
}

static struct load_member *
restore_member_new(struct restore *r, const struct mref *ref, struct buf *data)
{
	const struct rdb *d = &r->dbs[ref->db];
	const char *tbl = ref->chunk != NULL ? ref->chunk->table : "";
	char what[2 * SHOW_MAX + 16], a[SHOW_MAX], b[SHOW_MAX];
	struct load_member *m;

	if (ref->kind == MK_DATA && *tbl != '\0')
		snprintf(what, sizeof what, "%s.%s",
		    show(d->md->name, a, sizeof a), show(tbl, b, sizeof b));
	else
		snprintf(what, sizeof what, "database %s",
		    show(d->md->name, a, sizeof a));
	m = load_member_new(xstrdup(ref->name), xstrdup(what), data,
	    codec_decoder_new,
	    ref->chunk != NULL ? ref->chunk->raw_bytes : 0);
	if (strcmp(d->dst, d->md->name) != 0) {
		m->rename_from = xstrdup(d->md->name);
		m->rename_to = xstrdup(d->dst);
	}
	if (ref->kind == MK_DATA && ref->table != SIZE_MAX)
		m->table = r->tabs[ref->table].lt;
	if (ref->kind == MK_DATA && ref->chunk != NULL)
		m->rows = (int64_t)ref->chunk->rows;
	return m;
}

/* Whether a table's secondary indexes wait for its rows. */
static int
restore_defers(const struct restore *r, size_t t)
{
	const struct manifest_table *mt = &r->m.tables[t];

	if (r->defer == DEFER_NEVER || r->tabs[t].referenced ||
	    r->tabs[t].nchunks == 0 || mt->engine == NULL ||
	    strcasecmp(mt->engine, "InnoDB") != 0)
		return 0;
	return r->defer == DEFER_ALWAYS || mt->raw_bytes >= RESTORE_DEFER_MIN;
}

/*
 * A foreign key names table t: it keeps its keys from now on, and those
 * already held back are built now, while it is empty, so the foreign key
 * finds the index it refers to.
 */
static int
restore_undefer(struct restore *r, long t, struct err *e)
{
	if (t == -1)
		return 0;
	r->tabs[t].referenced = 1;
	if (r->tabs[t].lt == NULL)
		return 0;
	return load_table_run(r->ctl, r->tabs[t].lt, "utf8mb4", e);
}

/* A CREATE TABLE that cannot be read: nothing is held back any more. */
static int
restore_defer_stop(struct restore *r, struct err *e)
{
	size_t i;

	r->defer = DEFER_NEVER;
	for (i = 0; i < r->m.ntables; i++)
		if (r->tabs[i].lt != NULL &&
		    load_table_run(r->ctl, r->tabs[i].lt, "utf8mb4", e) == -1)
			return -1;
	return 0;
}

/* What the loaders learn of table t from its CREATE TABLE. */
static struct load_table *
restore_load_table(struct restore *r, size_t t)
{
	const struct rdb *d = &r->dbs[r->cur_db];
	char what[2 * SHOW_MAX + 2], a[SHOW_MAX], b[SHOW_MAX];
	struct load_table *lt;

	snprintf(what, sizeof what, "%s.%s", show(d->md->name, a, sizeof a),
	    show(r->ds.table, b, sizeof b));
	lt = load_table_new(what, r->tabs[t].nchunks);
	lt->load_data = r->ds.plain_rows;
	load_table_free(r->tabs[t].lt);
	r->tabs[t].lt = lt;
	return lt;
}

/* Holds back the keys defer_split_create cut from table t. */
static void
restore_defer_table(struct restore *r, struct load_table *lt)
{
	const struct rdb *d = &r->dbs[r->cur_db];
	struct buf q;

	buf_init(&q);
	buf_append_str(&q, "ALTER TABLE ");
	sql_quote_ident(&q, d->dst);
	buf_append_char(&q, '.');
	sql_quote_ident(&q, r->ds.table);
	buf_append_char(&q, ' ');
	buf_append(&q, r->ds.adds.data, r->ds.adds.len);
	lt->finish = xstrdup(buf_cstr(&q));
	buf_free(&q);
}

/*
 * The schema members' filter: CREATE TABLE statements lose the keys that
 * are built after the data (db/defer.h), and foreign keys keep the keys
 * of the tables they name.
 */
static int
restore_filter(void *ctx, MYSQL *c, const char **q, size_t *n,
    struct err *e)
{
	struct restore *r = ctx;
	const char *db = r->dbs[r->cur_db].md->name;
	struct defer_split *ds = &r->ds;
	struct load_table *lt;
	size_t i;
	long t;
	int cut;

	(void)c;
	if (*n < 13 || memcmp(*q, "CREATE TABLE ", 13) != 0)
		return 0;
	cut = defer_split_create(*q, *n, ds);
	if (ds->table == NULL)
		return restore_defer_stop(r, e);
	for (i = 0; i < ds->ref_tables.n; i++) {
		t = restore_table(r, *ds->ref_dbs.v[i] != '\0' ?
		    ds->ref_dbs.v[i] : db, ds->ref_tables.v[i]);
		if (restore_undefer(r, t, e) == -1)
			return -1;
	}
	if ((t = restore_table(r, db, ds->table)) == -1)
		return 0;
	lt = restore_load_table(r, (size_t)t);
	if (!cut || !restore_defers(r, (size_t)t))
		return 0;
	restore_defer_table(r, lt);
	*q = ds->create.data;
	*n = ds->create.len;
	return 0;
}

/* Schema members run in order on the control session. */
static int
restore_run_ctl(struct restore *r, const struct mref *ref,
    struct load_member *m, struct err *e)
{
	struct rdb *d = &r->dbs[ref->db];
	char shown[SHOW_MAX];
	struct buf q;
	int rc = 0;

	r->touched = 1;
	if (ref->kind == MK_SCHEMA && d->exists) {
		log_warn("host %s: replacing database %s", r->target->name,
		    show(d->dst, shown, sizeof shown));
		buf_init(&q);
		buf_append_str(&q, "DROP DATABASE ");
		sql_quote_ident(&q, d->dst);
		rc = db_exec(loader_conn(r->ctl), buf_cstr(&q), e);
		buf_free(&q);
	}
	r->cur_db = ref->db;
	loader_set_filter(r->ctl, ref->kind == MK_SCHEMA ? restore_filter :
	    NULL, r);
	if (rc == 0)
		rc = loader_run(r->ctl, m, e);
	load_member_free(m);
	return rc;
}

static int
restore_dispatch(struct restore *r, const struct mref *ref, struct buf *data,
    struct err *e)
{
	struct load_member *m = restore_member_new(r, ref, data);

	if (ref->kind == MK_DATA) {
		if (r->pool == NULL && (r->pool = load_pool_new(r->target,
		    (int)r->threads, RESTORE_QUEUE_BYTES, e)) == NULL) {
			load_member_free(m);
			return -1;
		}
		r->touched = 1;
		return load_pool_submit(r->pool, m, e);
	}
	if (ref->kind == MK_POST && r->pool != NULL &&
	    load_pool_wait(r->pool, e) == -1) {
		load_member_free(m);
		return -1;
	}
	return restore_run_ctl(r, ref, m, e);
}

/* One archive member: it must be one the manifest promises, in order. */
static int
restore_member(struct restore *r, struct archive_reader *ar, const char *name,
    int64_t size, struct buf *data, struct err *e)
{
	char shown[SHOW_MAX];
	struct mref *ref;

	if ((ref = restore_ref(r, name)) == NULL)
		return err_set(e, ERR_CORRUPT, "archive member %s is not in the "
		    "manifest", show(name, shown, sizeof shown));
	if (ref->seen)
		return err_set(e, ERR_CORRUPT, "archive member %s appears twice",
		    ref->name);
	if (ref->kind < r->phase)
		return err_set(e, ERR_CORRUPT, "archive member %s is out of "
		    "order (after %s)", ref->name, r->last_member);
	ref->seen = 1;
	r->phase = ref->kind;
	r->last_member = ref->name;
	if (!r->dbs[ref->db].selected)
		return 0;	/* the reader skips its bytes */
	if (restore_read(r, ar, ref, size, data, e) == -1)
		return -1;
	r->members_read++;
	r->bytes_read += (uint64_t)size;
	if (log_progress_enabled())
		log_progress("restore: %llu members, %llu MiB read",
		    (unsigned long long)r->members_read,
		    (unsigned long long)(r->bytes_read >> 20));
	return restore_dispatch(r, ref, data, e);
}

/* After the last member: nothing missing, the whole file as recorded. */
static int
restore_check_end(struct restore *r, struct archive_reader *ar,
    struct err *e)
{
	char hex[65], shown[SHOW_MAX];
	uint64_t bytes;
	size_t i;

	for (i = 0; i < r->nrefs; i++)
		if (!r->refs[i].seen)
			return err_set(e, ERR_CORRUPT, "member %s listed in the "
			    "manifest is missing from the archive",
			    show(r->refs[i].name, shown, sizeof shown));
	if (archive_reader_end(ar, &bytes, hex, e) == -1)
		return -1;
	if (r->m.archive_sha256[0] == '\0')
		return 0;
	if (bytes != r->m.archive_bytes)
		return err_set(e, ERR_CORRUPT, "archive %s/%s/%s is %llu bytes, "
		    "manifest says %llu", r->host, r->id, REPO_ARCHIVE,
		    (unsigned long long)bytes,
		    (unsigned long long)r->m.archive_bytes);
	if (strcmp(hex, r->m.archive_sha256) != 0)
		return err_set(e, ERR_CORRUPT, "archive %s/%s/%s is damaged "
		    "outside its members (SHA-256 %.12s..., manifest says "
		    "%.12s...)", r->host, r->id, REPO_ARCHIVE, hex,
		    r->m.archive_sha256);
	return 0;
}

/* Indexes still held back (their table had no rows after all). */
static int
restore_undefer_all(struct restore *r, struct err *e)
{
	size_t i;

	for (i = 0; i < r->m.ntables; i++)
		if (r->tabs[i].lt != NULL && load_table_run(r->ctl,
		    r->tabs[i].lt, "binary", e) == -1)
			return -1;
	return 0;
}

static int
restore_stream(struct restore *r, struct err *e)
{
	struct source src;
	struct archive_reader *ar = NULL;
	struct buf data;
	const char *name;
	int64_t size;
	int rc = -1, more;

	buf_init(&data);
	if (repo_archive_open(r->repo, r->host, r->id, &src, e) == -1)
		return -1;
	if ((ar = archive_reader_new(&src, e)) == NULL)
		goto out;
	for (;;) {
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		name = NULL;
		if ((more = archive_reader_next(ar, &name, &size, e)) == -1) {
			/* the reader's message names a member it refuses */
			if (name == NULL && r->last_member != NULL)
				err_prefix(e, "after member %s", r->last_member);
			goto out;
		}
		if (more == 0)
			break;
		if (restore_member(r, ar, name, size, &data, e) == -1)
			goto out;
	}
	if (r->pool != NULL && load_pool_wait(r->pool, e) == -1)
		goto out;
	if (restore_check_end(r, ar, e) == -1)
		goto out;
	rc = restore_undefer_all(r, e);
out:
	archive_reader_free(ar);
	buf_free(&data);
	return rc;
}

static int
restore_analyze(struct restore *r, struct err *e)
{
	const struct manifest_table *t;
	const struct rdb *d;
	struct buf q;
	size_t i;
	int rc = 0;

	buf_init(&q);
	if (db_exec(loader_conn(r->ctl), "SET NAMES utf8mb4", e) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < r->m.ntables; i++) {
		t = &r->m.tables[i];
		d = restore_db(r, t->db, NULL);
		if (d == NULL || !d->selected)
			continue;
		buf_reset(&q);
		buf_append_str(&q, "ANALYZE TABLE ");
		sql_quote_ident(&q, d->dst);
		buf_append_char(&q, '.');
		sql_quote_ident(&q, t->name);
		rc = db_exec(loader_conn(r->ctl), buf_cstr(&q), e);
	}
	buf_free(&q);
	return rc;
}

static void
restore_summary(struct restore *r, double secs)
{
	struct load_stats st;
	char sz[32];
	uint64_t rows = 0;
	size_t i, ndb = 0, ntables = 0;

	memset(&st, 0, sizeof st);
	st = *loader_stats(r->ctl);
	if (r->pool != NULL)
		load_pool_stats(r->pool, &st);
	for (i = 0; i < r->ndbs; i++) {
		if (!r->dbs[i].selected)
			continue;
		ndb++;
		ntables += r->dbs[i].ntables;
		rows += r->dbs[i].rows;
	}
	format_size(st.raw_bytes, sz, sizeof sz);
	log_info("restored backup %s/%s into host %s: %zu databases, %zu "
	    "tables, %llu rows, %s of SQL in %.1f s (%.1f MiB/s, %llu "
	    "statements, %llu of them as LOAD DATA, %llu retried after "
	    "deadlocks, secondary indexes of %llu tables built after their "
	    "rows in %.1f s)", r->host, r->id, r->target->name, ndb, ntables,
	    (unsigned long long)rows, sz, secs,
	    secs > 0 ? st.raw_bytes / secs / 1048576.0 : 0.0,
	    (unsigned long long)st.statements, (unsigned long long)st.infile,
	    (unsigned long long)st.retries, (unsigned long long)st.finished,
	    st.finish_secs);
	if (!r->quiet)
		printf("restored %s/%s into host %s: %zu databases, %zu tables, "
		    "%llu rows, %s of SQL in %.1f s\n", r->host, r->id,
		    r->target->name, ndb, ntables, (unsigned long long)rows, sz,
		    secs);
}


static int
restore_run(struct restore *r, struct err *e)
{
	double t0 = clock_seconds();

	if ((r->repo = repo_open(r->cfg, e)) == NULL ||
	    restore_find(r, e) == -1 || restore_manifest(r, e) == -1 ||
	    restore_select(r, e) == -1 || restore_index(r, e) == -1 ||
	    restore_connect(r, e) == -1)
		return -1;
	if (r->dry_run) {
		restore_print_plan(r, stdout);
		printf("dry run: nothing changed\n");
		return restore_refuse(r, e);
	}
	if (restore_refuse(r, e) == -1)
		return -1;
	if (r->verbose)
		restore_print_plan(r, stderr);
	if (load_session_init(loader_conn(r->ctl), e) == -1 ||
	    restore_stream(r, e) == -1)
		return -1;
	if (r->cfg->restore_analyze && restore_analyze(r, e) == -1)
		return -1;
	if (log_progress_enabled())
		log_progress("%s", "");
	restore_summary(r, clock_seconds() - t0);
	return 0;
}

static int
cmd_restore(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	struct restore r;
	size_t i;
	int rc;

	memset(&r, 0, sizeof r);
	defer_split_init(&r.ds);
	r.cfg = ctx->cfg;
	r.quiet = ctx->quiet;
	r.verbose = ctx->verbose;
	rc = restore_args(&r, a, e);
	if (rc == 0)
		rc = restore_run(&r, e);
	if (rc == -1 && r.touched) {
		if (log_progress_enabled())
			log_progress("%s", "");
		log_info("restore into host %s stopped: what it created so far "
		    "stays in the target databases", r.target->name);
	}
	load_pool_free(r.pool);
	loader_free(r.ctl);
	for (i = 0; r.tabs != NULL && i < r.m.ntables; i++)
		load_table_free(r.tabs[i].lt);
	free(r.tabs);
	free(r.tab_order);
	defer_split_free(&r.ds);
	if (r.have_manifest)
		manifest_free(&r.m);
	free(r.refs);
	free(r.dbs);
	free(r.id);
	strlist_free(&r.dbargs);
	repo_close(r.repo);
	return rc;
}

static const struct cmd_option restore_options[] = {
	{ "host", 'H', 1, CMD_OPT_REQUIRED, "whose backup", NULL },
	{ "target", 't', 1, 0, "the [host] to restore into (default: --host)",
	    NULL },
	{ "database", 'd', 1, CMD_OPT_REPEAT,
	    "restore only SRC, renamed to DST", NULL },
	{ "threads", 'j', 1, 0, "loader connections, 1 to 64",
	    restore_parse_threads },
	{ "defer-indexes", 'D', 1, 0,
	    "build secondary keys after the data: auto, always or never",
	    restore_parse_defer },
	{ "force", 'f', 0, 0, "restore over databases that hold objects", NULL },
	{ "dry-run", 'n', 0, 0, "print the plan, change nothing", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.summary = "restore a backup into a host",
	.usage = "usage: myship restore BACKUP_ID|latest --host NAME "
	    "[--target NAME] [--database SRC[:DST]]... [--threads N] "
	    "[--defer-indexes auto|always|never] [--force] [--dry-run]",
	.options = restore_options,
	.min_args = 1,
	.max_args = 1,
	.hosts = CMD_HOSTS_NONE,
	.flags = CMD_POLICY | CMD_HELP_ANYWHERE,
	.exec = cmd_restore,
};
