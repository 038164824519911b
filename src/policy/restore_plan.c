#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/restore_plan_int.h"
#include "util/show.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

/* A sorted lookup: (a, b) names index idx. */
struct plan_key {
	const char *a, *b;
	size_t idx;
};

static int
key_cmp(const void *x, const void *y)
{
	const struct plan_key *k = x, *l = y;
	int c = strcmp(k->a, l->a);

	return c != 0 ? c : strcmp(k->b, l->b);
}

static long
key_find(const struct plan_key *v, size_t n, const char *a, const char *b)
{
	struct plan_key key;
	const struct plan_key *hit;

	if (n == 0)
		return -1;
	key.a = a;
	key.b = b;
	hit = bsearch(&key, v, n, sizeof key, key_cmp);
	return hit != NULL ? (long)hit->idx : -1;
}

void
restore_plan_init(struct restore_plan *p)
{
	memset(p, 0, sizeof *p);
}

void
restore_plan_free(struct restore_plan *p)
{
	size_t i;

	for (i = 0; p->dbs != NULL && i < p->ndbs; i++)
		free(p->dbs[i].run);
	for (i = 0; p->args != NULL && i < p->o.ndbs; i++)
		free(p->args[i]);
	free(p->args);
	free(p->dbs);
	free(p->tables);
	free(p->members);
	free(p->db_order);
	free(p->tab_order);
	free(p->by_name);
	restore_plan_init(p);
}

static struct plan_db *
plan_db(const struct restore_plan *p, const char *name, size_t *idx)
{
	long i = key_find(p->db_order, p->ndbs, name, "");

	if (i == -1)
		return NULL;
	if (idx != NULL)
		*idx = (size_t)i;
	return &p->dbs[i];
}

/*
 * SRC[:DST].  Names may hold ':', so the whole argument is tried as a name
 * first, then each ':' from the left until the part before it is one.
 */
static int
plan_select_one(struct restore_plan *p, char *arg, struct err *e)
{
	char shown[SHOW_MAX];
	struct plan_db *d;
	char *colon = NULL;

	if ((d = plan_db(p, arg, NULL)) == NULL) {
		for (colon = strchr(arg, ':'); colon != NULL;
		    colon = strchr(colon + 1, ':')) {
			*colon = '\0';
			d = plan_db(p, arg, NULL);
			*colon = ':';
			if (d != NULL)
				break;
		}
	}
	if (d == NULL) {
		if ((colon = strchr(arg, ':')) != NULL)
			*colon = '\0';
		return err_set(e, ERR_NOT_FOUND, "database %s is not in backup "
		    "%s/%s", show_str(arg, shown, sizeof shown), p->o.host,
		    p->o.id);
	}
	if (d->selected)
		return err_set(e, ERR_USAGE, "--database %s: named twice",
		    show_str(d->md->name, shown, sizeof shown));
	d->selected = 1;
	if (colon != NULL) {
		if (colon[1] == '\0')
			return err_set(e, ERR_USAGE, "--database %s: empty new "
			    "name", show_str(arg, shown, sizeof shown));
		d->dst = colon + 1;
	}
	return 0;
}

static int
plan_select(struct restore_plan *p, struct err *e)
{
	char shown[SHOW_MAX];
	size_t i, j;

	p->ndbs = p->m->ndbs;
	p->dbs = xcalloc(p->ndbs ? p->ndbs : 1, sizeof *p->dbs);
	p->db_order = xcalloc(p->ndbs ? p->ndbs : 1, sizeof *p->db_order);
	for (i = 0; i < p->ndbs; i++) {
		p->dbs[i].md = &p->m->dbs[i];
		p->dbs[i].dst = p->m->dbs[i].name;
		p->dbs[i].selected = p->o.ndbs == 0 && !p->o.users_only;
		p->db_order[i].a = p->m->dbs[i].name;
		p->db_order[i].b = "";
		p->db_order[i].idx = i;
	}
	qsort(p->db_order, p->ndbs, sizeof *p->db_order, key_cmp);
	p->args = xcalloc(p->o.ndbs ? p->o.ndbs : 1, sizeof *p->args);
	for (i = 0; i < p->o.ndbs; i++)
		p->args[i] = xstrdup(p->o.dbs[i]);
	for (i = 0; i < p->o.ndbs; i++)
		if (plan_select_one(p, p->args[i], e) == -1)
			return -1;
	for (i = 0; i < p->ndbs; i++)
		for (j = i + 1; j < p->ndbs; j++)
			if (p->dbs[i].selected && p->dbs[j].selected &&
			    strcmp(p->dbs[i].dst, p->dbs[j].dst) == 0)
				return err_set(e, ERR_USAGE, "two databases "
				    "would be restored as %s", show_str(
				    p->dbs[i].dst, shown, sizeof shown));
	return 0;
}

static int
plan_tables(struct restore_plan *p, struct err *e)
{
	char shown[SHOW_MAX];
	const struct manifest_table *t;
	struct plan_db *d;
	size_t i;

	p->ntables = p->m->ntables;
	p->tables = xcalloc(p->ntables ? p->ntables : 1, sizeof *p->tables);
	p->tab_order = xcalloc(p->ntables ? p->ntables : 1,
	    sizeof *p->tab_order);
	for (i = 0; i < p->ntables; i++) {
		t = &p->m->tables[i];
		p->tables[i].mt = t;
		p->tab_order[i].a = t->db;
		p->tab_order[i].b = t->name;
		p->tab_order[i].idx = i;
	}
	qsort(p->tab_order, p->ntables, sizeof *p->tab_order, key_cmp);
	for (i = 0; i < p->ntables; i++) {
		t = &p->m->tables[i];
		if ((d = plan_db(p, t->db, &p->tables[i].db)) == NULL)
			return err_set(e, ERR_CORRUPT, "manifest of %s/%s: "
			    "table %s of unknown database", p->o.host, p->o.id,
			    show_str(t->name, shown, sizeof shown));
		d->ntables++;
		d->rows += t->rows;
		d->bytes += t->bytes;
		d->raw_bytes += t->raw_bytes;
	}
	return 0;
}

static struct plan_member *
plan_add(struct restore_plan *p, const char *name, enum plan_kind kind,
    size_t db)
{
	struct plan_member *pm;

	p->members = xreallocarray(p->members, p->nmembers + 1,
	    sizeof *p->members);
	pm = &p->members[p->nmembers++];
	memset(pm, 0, sizeof *pm);
	pm->name = name;
	pm->kind = kind;
	pm->db = db;
	pm->table = -1;
	return pm;
}

/* Chunks naming a db's schema or post member give that member's hash. */
static int
plan_add_chunk(struct restore_plan *p, const struct manifest_chunk *c,
    size_t nfixed, struct err *e)
{
	char shown[SHOW_MAX];
	struct plan_member *pm;
	size_t db, i;
	long t;

	if (plan_db(p, c->db, &db) == NULL)
		return err_set(e, ERR_CORRUPT, "manifest of %s/%s: member %s "
		    "of unknown database", p->o.host, p->o.id,
		    show_str(c->member, shown, sizeof shown));
	for (i = 0; strncmp(c->member, "1-data/", 7) != 0 && i < nfixed;
	    i++) {
		pm = &p->members[i];
		if (strcmp(pm->name, c->member) == 0) {
			pm->chunk = c;
			return 0;
		}
	}
	pm = plan_add(p, c->member, PLAN_DATA, db);
	pm->chunk = c;
	if ((t = restore_plan_table(p, c->db, c->table)) != -1) {
		pm->table = t;
		p->tables[t].nchunks++;
	}
	return 0;
}

static int
plan_members(struct restore_plan *p, struct err *e)
{
	char shown[SHOW_MAX];
	const struct manifest_db *md;
	size_t i, nfixed;

	for (i = 0; i < p->ndbs; i++) {
		md = p->dbs[i].md;
		plan_add(p, md->schema_member, PLAN_SCHEMA, i);
		if (md->post_member != NULL && *md->post_member != '\0')
			plan_add(p, md->post_member, PLAN_POST, i);
	}
	nfixed = p->nmembers;
	for (i = 0; i < p->m->nchunks; i++)
		if (plan_add_chunk(p, &p->m->chunks[i], nfixed, e) == -1)
			return -1;
	if (p->m->users_member != NULL)
		plan_add(p, p->m->users_member, PLAN_USERS, 0);
	p->by_name = xcalloc(p->nmembers ? p->nmembers : 1,
	    sizeof *p->by_name);
	for (i = 0; i < p->nmembers; i++) {
		p->by_name[i].a = p->members[i].name;
		p->by_name[i].b = "";
		p->by_name[i].idx = i;
	}
	qsort(p->by_name, p->nmembers, sizeof *p->by_name, key_cmp);
	for (i = 1; i < p->nmembers; i++)
		if (strcmp(p->by_name[i - 1].a, p->by_name[i].a) == 0)
			return err_set(e, ERR_CORRUPT, "manifest of %s/%s: "
			    "member %s listed twice", p->o.host, p->o.id,
			    show_str(p->by_name[i].a, shown, sizeof shown));
	return 0;
}

/*
 * What the manifest says of a member: its size and SHA-256, or none for a
 * schema or post-data member of a manifest that predates recording them
 * (the zstd frame checksum and the whole-archive hash still apply).
 */
static void
plan_expect(struct restore_plan *p, struct plan_member *pm)
{
	const struct manifest_db *md = p->dbs[pm->db].md;

	pm->rows = -1;
	if (pm->kind == PLAN_USERS) {
		pm->bytes = p->m->users_bytes;
		pm->sha256 = p->m->users_sha256;
		pm->offset = p->m->users_offset;
	} else if (pm->chunk != NULL) {
		pm->offset = pm->chunk->offset;
		pm->bytes = pm->chunk->bytes;
		pm->sha256 = pm->chunk->sha256;
		pm->raw_bytes = pm->chunk->raw_bytes;
		if (pm->kind == PLAN_DATA)
			pm->rows = (int64_t)pm->chunk->rows;
	} else if (pm->kind == PLAN_SCHEMA && md->schema_sha256[0] != '\0') {
		pm->bytes = md->schema_bytes;
		pm->offset = md->schema_offset;
		pm->sha256 = md->schema_sha256;
	} else if (pm->kind == PLAN_POST && md->post_sha256[0] != '\0') {
		pm->bytes = md->post_bytes;
		pm->offset = md->post_offset;
		pm->sha256 = md->post_sha256;
	}
}

/* Whether a table's secondary indexes may wait for its rows. */
static int
plan_defers(const struct restore_plan *p, const struct plan_table *t)
{
	const struct manifest_table *mt = t->mt;

	if (p->o.defer == PLAN_DEFER_NEVER || p->o.diff || t->nchunks == 0 ||
	    mt->engine == NULL || strcasecmp(mt->engine, "InnoDB") != 0)
		return 0;
	return p->o.defer == PLAN_DEFER_ALWAYS ||
	    mt->raw_bytes >= PLAN_DEFER_MIN;
}

/* Each database's members: its schema, its chunks in order, its post. */
static void
plan_runs(struct restore_plan *p)
{
	struct plan_member *pm;
	struct plan_db *d;
	enum plan_kind k;
	size_t i;

	for (i = 0; i < p->nmembers; i++)
		p->dbs[p->members[i].db].nrun++;
	for (i = 0; i < p->ndbs; i++) {
		p->dbs[i].run = xcalloc(p->dbs[i].nrun ? p->dbs[i].nrun : 1,
		    sizeof *p->dbs[i].run);
		p->dbs[i].nrun = 0;
	}
	for (k = PLAN_SCHEMA; k <= PLAN_POST; k++) {
		for (i = 0; i < p->nmembers; i++) {
			pm = &p->members[i];
			if (pm->kind != k)
				continue;
			d = &p->dbs[pm->db];
			d->run[d->nrun++] = i;
		}
	}
}

int
restore_plan_build(struct restore_plan *p, const struct manifest *m,
    const struct restore_opts *o, struct err *e)
{
	size_t i;

	restore_plan_init(p);
	p->m = m;
	p->o = *o;
	if (o->resume && o->force)
		return err_set(e, ERR_USAGE, "--resume and --force: resume "
		    "keeps what the target holds, force replaces it");
	if (o->resume && o->diff)
		return err_set(e, ERR_USAGE, "--resume and --diff: a diff "
		    "restore, rerun, already goes on from where it stopped");
	if (plan_select(p, e) == -1 || plan_tables(p, e) == -1 ||
	    plan_select_tables(p, e) == -1 || plan_members(p, e) == -1)
		return -1;
	for (i = 0; i < p->nmembers; i++)
		plan_expect(p, &p->members[i]);
	plan_needs(p);
	for (i = 0; i < p->ntables; i++)
		p->tables[i].defer = plan_defers(p, &p->tables[i]);
	plan_runs(p);
	return 0;
}

long
restore_plan_table(const struct restore_plan *p, const char *db,
    const char *name)
{
	return key_find(p->tab_order, p->ntables, db, name);
}

struct plan_member *
restore_plan_member(const struct restore_plan *p, const char *name)
{
	long i = key_find(p->by_name, p->nmembers, name, "");

	return i != -1 ? &p->members[i] : NULL;
}

int
restore_plan_accept(struct restore_plan *p, const char *name,
    struct plan_member **out, struct err *e)
{
	char shown[SHOW_MAX];
	struct plan_member *pm;

	if ((pm = restore_plan_member(p, name)) == NULL)
		return err_set(e, ERR_CORRUPT, "archive member %s is not in "
		    "the manifest", show_str(name, shown, sizeof shown));
	if (pm->seen)
		return err_set(e, ERR_CORRUPT, "archive member %s appears "
		    "twice", pm->name);
	if (pm->kind < p->phase)
		return err_set(e, ERR_CORRUPT, "archive member %s is out of "
		    "order (after %s)", pm->name, p->last);
	pm->seen = 1;
	p->phase = pm->kind;
	p->last = pm->name;
	*out = pm;
	return 0;
}

int
restore_plan_check_seen(const struct restore_plan *p, struct err *e)
{
	char shown[SHOW_MAX];
	const struct plan_member *pm;
	size_t i;

	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[p->by_name[i].idx];
		if (!pm->seen)
			return err_set(e, ERR_CORRUPT, "member %s listed in "
			    "the manifest is missing from the archive",
			    show_str(pm->name, shown, sizeof shown));
	}
	return 0;
}

int
restore_plan_check_size(const struct plan_member *pm, int64_t size,
    struct err *e)
{
	if (pm->sha256 != NULL && (uint64_t)size != pm->bytes)
		return err_set(e, ERR_CORRUPT, "member %s: %lld bytes, manifest "
		    "says %llu", pm->name, (long long)size,
		    (unsigned long long)pm->bytes);
	if (pm->chunk == NULL && size > PLAN_MEMBER_MAX)
		return err_set(e, ERR_CORRUPT, "member %s: %lld bytes, more "
		    "than a schema member can be", pm->name, (long long)size);
	return 0;
}

int
restore_plan_check_sha256(const struct plan_member *pm, const char *hex,
    struct err *e)
{
	if (pm->sha256 != NULL && strcmp(hex, pm->sha256) != 0)
		return err_set(e, ERR_CORRUPT, "member %s: SHA-256 mismatch "
		    "(damaged archive)", pm->name);
	return 0;
}

int
restore_plan_whole_sha256(const struct restore_plan *p)
{
	return p->m->archive_digest[0] == '\0' &&
	    p->m->archive_sha256[0] != '\0';
}

int
restore_plan_check_archive(const struct restore_plan *p, uint64_t bytes,
    const char *hex, struct err *e)
{
	const struct manifest *m = p->m;
	const char *want = m->archive_digest[0] != '\0' ? m->archive_digest :
	    m->archive_sha256;
	const char *what = want == m->archive_sha256 ? "SHA-256" : "digest";

	if (want[0] == '\0')
		return 0;
	if (bytes != m->archive_bytes)
		return err_set(e, ERR_CORRUPT, "archive %s/%s/%s is %llu bytes, "
		    "manifest says %llu", p->o.host, p->o.id, p->o.archive,
		    (unsigned long long)bytes,
		    (unsigned long long)m->archive_bytes);
	if (strcmp(hex, want) != 0)
		return err_set(e, ERR_CORRUPT, "archive %s/%s/%s is damaged "
		    "outside its members (%s %.12s..., manifest says "
		    "%.12s...)", p->o.host, p->o.id, p->o.archive, what, hex,
		    want);
	return 0;
}

int
restore_plan_refuse(const struct restore_plan *p, struct err *e)
{
	char shown[SHOW_MAX];
	const struct plan_db *d;
	size_t i;

	for (i = 0; i < p->ndbs; i++) {
		d = &p->dbs[i];
		if (d->selected && d->nonempty && !p->o.force &&
		    !p->o.resume && !p->o.diff)
			return err_set(e, ERR_REFUSED, "database %s on host %s "
			    "exists and is not empty (--force replaces %s)",
			    show_str(d->dst, shown, sizeof shown), p->o.target,
			    d->partial ? "the tables selected" : "it");
	}
	return 0;
}

enum plan_resume
restore_plan_resume(int64_t want, long long found)
{
	if (want >= 0 && found == want)
		return PLAN_RESUME_SKIP;
	return found == 0 ? PLAN_RESUME_LOAD : PLAN_RESUME_CLEAR;
}

int
restore_plan_chunk_keyed(const struct plan_member *pm)
{
	return pm->kind == PLAN_DATA && pm->chunk != NULL &&
	    pm->chunk->first_key != NULL && *pm->chunk->first_key != '\0' &&
	    pm->chunk->last_key != NULL && *pm->chunk->last_key != '\0';
}

/* "MariaDB 10.11.6" or "MySQL 9.7.4-2" from a VERSION() text. */
static void
flavour_shown(const char *version, char *out, size_t len)
{
	const char *dash = strstr(version, "-MariaDB");
	int n = dash != NULL ? (int)(dash - version) : (int)strlen(version);

	snprintf(out, len, "%s %.*s", dash != NULL ? "MariaDB" : "MySQL", n,
	    version);
}

int
restore_plan_refuse_flavour(const struct restore_plan *p,
    const char *target_version, struct err *e)
{
	const char *src = p->m->server_version;
	char a[96], b[96];

	if (src == NULL || *src == '\0' || p->o.force || p->o.users_only ||
	    (strstr(src, "MariaDB") != NULL) ==
	    (strstr(target_version, "MariaDB") != NULL))
		return 0;
	flavour_shown(src, a, sizeof a);
	flavour_shown(target_version, b, sizeof b);
	return err_set(e, ERR_REFUSED, "backup of %s cannot be restored whole "
	    "into %s on host %s: their SQL differs (--force tries anyway)",
	    a, b, p->o.target);
}

void
restore_plan_what(const struct restore_plan *p, const struct plan_member *pm,
    char *out, size_t len)
{
	const char *db = pm->kind == PLAN_USERS ? "" :
	    p->dbs[pm->db].md->name;
	const char *tbl = pm->chunk != NULL ? pm->chunk->table : "";
	char a[SHOW_MAX], b[SHOW_MAX];

	if (pm->kind == PLAN_USERS) {
		snprintf(out, len, "accounts");
		return;
	}
	if (pm->kind == PLAN_DATA && *tbl != '\0')
		snprintf(out, len, "%s.%s", show_str(db, a, sizeof a),
		    show_str(tbl, b, sizeof b));
	else
		snprintf(out, len, "database %s", show_str(db, a, sizeof a));
}

void
restore_plan_table_what(const struct restore_plan *p, size_t t, char *out,
    size_t len)
{
	const struct manifest_table *mt = p->tables[t].mt;
	char a[SHOW_MAX], b[SHOW_MAX];

	snprintf(out, len, "%s.%s", show_str(mt->db, a, sizeof a),
	    show_str(mt->name, b, sizeof b));
}

void
restore_plan_totals(const struct restore_plan *p, size_t *ndbs,
    size_t *ntables, uint64_t *rows)
{
	size_t i;

	*ndbs = *ntables = 0;
	*rows = 0;
	for (i = 0; i < p->ndbs; i++) {
		if (!p->dbs[i].selected)
			continue;
		(*ndbs)++;
		*ntables += p->dbs[i].ntables;
		*rows += p->dbs[i].rows;
	}
}

static void
plan_print_db(const struct restore_plan *p, const struct plan_db *d, FILE *f)
{
	char a[SHOW_MAX], b[SHOW_MAX], sz[32], raw[32];
	const struct manifest_table *t;
	size_t j;

	format_size(d->bytes, sz, sizeof sz);
	format_size(d->raw_bytes, raw, sizeof raw);
	fprintf(f, "  database %s", show_str(d->md->name, a, sizeof a));
	if (strcmp(d->dst, d->md->name) != 0)
		fprintf(f, " as %s", show_str(d->dst, b, sizeof b));
	fprintf(f, ": %zu tables, %llu rows, %s (%s of SQL)%s\n",
	    d->ntables, (unsigned long long)d->rows, sz, raw,
	    !d->exists ? "" : p->o.resume ? ", resumes into the existing "
	    "database" : p->o.diff ? ", reloads what differs in the "
	    "existing database" : !d->nonempty ? ", replaces the existing "
	    "empty database" : p->o.force ? ", replaces the existing "
	    "database" : ", REFUSED: the database exists and is not "
	    "empty");
	for (j = 0; j < p->ntables; j++) {
		t = p->tables[j].mt;
		if (strcmp(t->db, d->md->name) != 0 || !p->tables[j].selected)
			continue;
		format_size(t->bytes, sz, sizeof sz);
		fprintf(f, "    table %s: %llu rows, %zu chunks, %s\n",
		    show_str(t->name, a, sizeof a),
		    (unsigned long long)t->rows, t->nchunks, sz);
	}
}

void
restore_plan_print(const struct restore_plan *p, FILE *f)
{
	char sz[32];
	size_t i;

	format_size(p->m->archive_bytes, sz, sizeof sz);
	fprintf(f, "restore backup %s/%s (%s, %zu databases) into host %s "
	    "with %lld threads\n", p->o.host, p->o.id, sz, p->ndbs,
	    p->o.target, p->o.threads);
	for (i = 0; i < p->ndbs; i++)
		if (p->dbs[i].selected)
			plan_print_db(p, &p->dbs[i], f);
}
