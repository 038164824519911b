/* The restore plan over manifests built in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/restore_plan.h"
#include "tap.h"
#include "util/xmalloc.h"

#define HOST "db1"
#define ID "20240101T000000Z"

static const char sha_a[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char sha_b[] =
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

static void
add_db(struct manifest *m, const char *name, int post, int hashed)
{
	struct manifest_db *d = manifest_add_db(m);

	d->name = xstrdup(name);
	d->charset = xstrdup("utf8mb4");
	d->collation = xstrdup("");
	d->comment = xstrdup("");
	d->schema_member = xasprintf("0-schema/%s.sql.zst", name);
	d->post_member = post ? xasprintf("2-post/%s.sql.zst", name) : NULL;
	if (hashed) {
		d->schema_bytes = 11;
		memcpy(d->schema_sha256, sha_a, 65);
		d->post_bytes = post ? 22 : 0;
		if (post)
			memcpy(d->post_sha256, sha_b, 65);
	}
}

static struct manifest_table *
add_table(struct manifest *m, const char *db, const char *name,
    const char *engine, uint64_t raw, size_t nchunks)
{
	struct manifest_table *t = manifest_add_table(m);

	t->db = xstrdup(db);
	t->name = xstrdup(name);
	t->engine = engine != NULL ? xstrdup(engine) : NULL;
	t->rows = 10 * nchunks;
	t->raw_bytes = raw;
	t->bytes = raw / 4;
	t->nchunks = nchunks;
	return t;
}

static struct manifest_chunk *
add_chunk(struct manifest *m, const char *db, const char *table, int n,
    const char *ext)
{
	struct manifest_chunk *c = manifest_add_chunk(m);

	c->member = xasprintf("1-data/%s/%s/%06d.sql%s", db, table, n, ext);
	c->db = xstrdup(db);
	c->table = xstrdup(table);
	c->first_key = xstrdup("");
	c->last_key = xstrdup("");
	c->rows = 10;
	c->raw_bytes = 1000 + (uint64_t)n;
	c->bytes = 300 + (uint64_t)n;
	memcpy(c->sha256, sha_b, 65);
	return c;
}

/*
 * shop (post-data, hashed schema): orders (2 chunks, big InnoDB), items
 * (1 chunk, small InnoDB), log (MyISAM, 1 chunk), empty (no chunk);
 * blog (no post-data, older manifest: no schema hash): posts (1 chunk).
 */
static void
sample(struct manifest *m)
{
	manifest_init(m);
	m->id = xstrdup(ID);
	m->host = xstrdup(HOST);
	m->archive_bytes = 4096;
	add_db(m, "shop", 1, 1);
	add_db(m, "blog", 0, 0);
	add_table(m, "shop", "orders", "InnoDB", PLAN_DEFER_MIN, 2);
	add_table(m, "shop", "items", "InnoDB", 100, 1);
	add_table(m, "shop", "log", "MyISAM", PLAN_DEFER_MIN * 2, 1);
	add_table(m, "shop", "empty", "InnoDB", 0, 0);
	add_table(m, "blog", "posts", "innodb", 2048, 1);
	add_chunk(m, "shop", "orders", 1, ".zst");
	add_chunk(m, "shop", "orders", 2, ".zst");
	add_chunk(m, "shop", "items", 1, ".zst");
	add_chunk(m, "shop", "log", 1, ".zst");
	add_chunk(m, "blog", "posts", 1, "");
}

static struct restore_opts
opts(char **dbs, size_t n)
{
	struct restore_opts o;

	memset(&o, 0, sizeof o);
	o.host = HOST;
	o.id = ID;
	o.target = "tgt";
	o.archive = "backup.tar";
	o.dbs = dbs;
	o.ndbs = n;
	o.threads = 2;
	return o;
}

/* Builds with --database args (NULL-terminated); returns the rc. */
static int
build(struct restore_plan *p, const struct manifest *m, char **args,
    enum plan_defer defer, struct err *e)
{
	struct restore_opts o;
	size_t n = 0;

	while (args != NULL && args[n] != NULL)
		n++;
	o = opts(args, n);
	o.defer = defer;
	err_clear(e);
	return restore_plan_build(p, m, &o, e);
}

/* The error of building with args, "" when it builds. */
static const char *
build_err(const struct manifest *m, char **args, enum err_kind *kind)
{
	static struct err e;
	struct restore_plan p;
	int rc = build(&p, m, args, PLAN_DEFER_AUTO, &e);

	restore_plan_free(&p);
	*kind = e.kind;
	return rc == 0 ? "" : e.msg;
}

static const char *
run_names(const struct restore_plan *p, size_t db)
{
	static char out[512];
	const struct plan_db *d = &p->dbs[db];
	size_t i;

	out[0] = '\0';
	for (i = 0; i < d->nrun; i++) {
		if (i > 0)
			strcat(out, " ");
		strcat(out, p->members[d->run[i]].name);
	}
	return out;
}

static void
test_everything(void)
{
	struct manifest m;
	struct restore_plan p;
	const struct plan_member *pm;
	struct err e;
	size_t ndb, ntab;
	uint64_t rows;

	sample(&m);
	CHECK_INT(build(&p, &m, NULL, PLAN_DEFER_AUTO, &e), 0);
	CHECK_INT(p.ndbs, 2);
	CHECK(p.dbs[0].selected && p.dbs[1].selected);
	CHECK_STR(p.dbs[0].dst, "shop");
	CHECK_STR(p.dbs[1].dst, "blog");
	CHECK_INT(p.nmembers, 8);
	CHECK_STR(run_names(&p, 0), "0-schema/shop.sql.zst "
	    "1-data/shop/orders/000001.sql.zst "
	    "1-data/shop/orders/000002.sql.zst "
	    "1-data/shop/items/000001.sql.zst 1-data/shop/log/000001.sql.zst "
	    "2-post/shop.sql.zst");
	CHECK_STR(run_names(&p, 1), "0-schema/blog.sql.zst "
	    "1-data/blog/posts/000001.sql");
	CHECK_INT(p.dbs[0].ntables, 4);
	CHECK_INT(p.dbs[0].rows, 40);
	CHECK_INT(p.dbs[0].raw_bytes, PLAN_DEFER_MIN * 3 + 100);
	CHECK_INT(p.dbs[1].ntables, 1);
	CHECK_INT(p.tables[0].nchunks, 2);
	CHECK_INT(p.tables[3].nchunks, 0);
	CHECK_INT(p.tables[4].db, 1);

	pm = restore_plan_member(&p, "0-schema/shop.sql.zst");
	CHECK(pm != NULL && pm->kind == PLAN_SCHEMA && pm->db == 0);
	CHECK(pm != NULL && pm->sha256 != NULL && pm->bytes == 11 &&
	    strcmp(pm->sha256, sha_a) == 0 && pm->rows == -1);
	pm = restore_plan_member(&p, "2-post/shop.sql.zst");
	CHECK(pm != NULL && pm->kind == PLAN_POST && pm->bytes == 22 &&
	    pm->sha256 != NULL && strcmp(pm->sha256, sha_b) == 0);
	pm = restore_plan_member(&p, "0-schema/blog.sql.zst");
	CHECK(pm != NULL && pm->sha256 == NULL && pm->raw_bytes == 0);
	pm = restore_plan_member(&p, "1-data/shop/orders/000002.sql.zst");
	CHECK(pm != NULL && pm->kind == PLAN_DATA && pm->table == 0 &&
	    pm->rows == 10 && pm->bytes == 302 && pm->raw_bytes == 1002 &&
	    pm->chunk == &m.chunks[1]);
	pm = restore_plan_member(&p, "1-data/blog/posts/000001.sql");
	CHECK(pm != NULL && pm->db == 1 && pm->table == 4);
	CHECK(restore_plan_member(&p, "1-data/shop/orders/000003.sql.zst") ==
	    NULL);
	CHECK_INT(restore_plan_table(&p, "shop", "log"), 2);
	CHECK_INT(restore_plan_table(&p, "blog", "log"), -1);
	CHECK_INT(restore_plan_table(&p, "nope", "orders"), -1);

	restore_plan_totals(&p, &ndb, &ntab, &rows);
	CHECK_INT(ndb, 2);
	CHECK_INT(ntab, 5);
	CHECK_INT(rows, 50);
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_select(void)
{
	char *one[] = { "blog", NULL }, *ren[] = { "shop:store", NULL };
	struct manifest m;
	struct restore_plan p;
	struct err e;
	size_t ndb, ntab;
	uint64_t rows;

	sample(&m);
	CHECK_INT(build(&p, &m, one, PLAN_DEFER_AUTO, &e), 0);
	CHECK(!p.dbs[0].selected && p.dbs[1].selected);
	/* unselected members stay in the plan: the archive is checked whole */
	CHECK_INT(p.nmembers, 8);
	restore_plan_totals(&p, &ndb, &ntab, &rows);
	CHECK_INT(ndb, 1);
	CHECK_INT(ntab, 1);
	CHECK_INT(rows, 10);
	restore_plan_free(&p);

	CHECK_INT(build(&p, &m, ren, PLAN_DEFER_AUTO, &e), 0);
	CHECK(p.dbs[0].selected && !p.dbs[1].selected);
	CHECK_STR(p.dbs[0].dst, "store");
	CHECK_STR(p.dbs[0].md->name, "shop");
	restore_plan_free(&p);
	/* the plan keeps its own copy of the arguments */
	CHECK_STR(ren[0], "shop:store");
	manifest_free(&m);
}

/* Names may hold ':': the longest name is not tried first, the whole is. */
static void
test_colons(void)
{
	char *whole[] = { "a:b", NULL }, *split[] = { "a:b:c", NULL };
	char *left[] = { "a:x:y", NULL };
	struct manifest m;
	struct restore_plan p;
	struct err e;

	manifest_init(&m);
	m.id = xstrdup(ID);
	m.host = xstrdup(HOST);
	add_db(&m, "a", 0, 1);
	add_db(&m, "a:b", 0, 1);
	CHECK_INT(build(&p, &m, whole, PLAN_DEFER_AUTO, &e), 0);
	CHECK(!p.dbs[0].selected && p.dbs[1].selected);
	CHECK_STR(p.dbs[1].dst, "a:b");
	restore_plan_free(&p);
	CHECK_INT(build(&p, &m, split, PLAN_DEFER_AUTO, &e), 0);
	CHECK(p.dbs[0].selected && !p.dbs[1].selected);
	CHECK_STR(p.dbs[0].dst, "b:c");
	restore_plan_free(&p);
	CHECK_INT(build(&p, &m, left, PLAN_DEFER_AUTO, &e), 0);
	CHECK_STR(p.dbs[0].dst, "x:y");
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_select_errors(void)
{
	char *unknown[] = { "nope", NULL };
	char *unknown_ren[] = { "no:pe:x", NULL };
	char *ctl[] = { "a\nb", NULL }, *twice[] = { "shop", "shop:x", NULL };
	char *empty[] = { "shop:", NULL }, *clash[] = { "shop:blog", NULL };
	char *clash2[] = { "blog:x", "shop:x", NULL };
	char *late[] = { "shop", "nope", "shop", NULL };
	struct manifest m;
	enum err_kind k;

	sample(&m);
	CHECK_STR(build_err(&m, unknown, &k),
	    "database nope is not in backup db1/20240101T000000Z");
	CHECK_INT(k, ERR_NOT_FOUND);
	CHECK_STR(build_err(&m, unknown_ren, &k),
	    "database no is not in backup db1/20240101T000000Z");
	CHECK_STR(build_err(&m, ctl, &k),
	    "database a\\x0ab is not in backup db1/20240101T000000Z");
	CHECK_STR(build_err(&m, twice, &k), "--database shop: named twice");
	CHECK_INT(k, ERR_USAGE);
	CHECK_STR(build_err(&m, empty, &k), "--database shop:: empty new name");
	CHECK_INT(k, ERR_USAGE);
	/* a rename onto the name of a database left out is fine */
	CHECK_STR(build_err(&m, clash, &k), "");
	{
		char *both[] = { "shop:blog", "blog", NULL };

		CHECK_STR(build_err(&m, both, &k),
		    "two databases would be restored as blog");
		CHECK_INT(k, ERR_USAGE);
	}
	CHECK_STR(build_err(&m, clash2, &k),
	    "two databases would be restored as x");
	/* arguments are taken in order: the first bad one is reported */
	CHECK_STR(build_err(&m, late, &k),
	    "database nope is not in backup db1/20240101T000000Z");
	manifest_free(&m);
}

static void
test_manifest_errors(void)
{
	struct manifest m;
	struct manifest_chunk *c;
	enum err_kind k;

	sample(&m);
	add_table(&m, "gone", "t\tx", "InnoDB", 1, 0);
	CHECK_STR(build_err(&m, NULL, &k), "manifest of db1/20240101T000000Z: "
	    "table t\\x09x of unknown database");
	CHECK_INT(k, ERR_CORRUPT);
	manifest_free(&m);

	sample(&m);
	add_chunk(&m, "gone", "t", 1, ".zst");
	CHECK_STR(build_err(&m, NULL, &k), "manifest of db1/20240101T000000Z: "
	    "member 1-data/gone/t/000001.sql.zst of unknown database");
	CHECK_INT(k, ERR_CORRUPT);
	manifest_free(&m);

	sample(&m);
	add_chunk(&m, "shop", "orders", 2, ".zst");
	CHECK_STR(build_err(&m, NULL, &k), "manifest of db1/20240101T000000Z: "
	    "member 1-data/shop/orders/000002.sql.zst listed twice");
	manifest_free(&m);

	/* two databases' schema members under one name */
	sample(&m);
	free(m.dbs[1].schema_member);
	m.dbs[1].schema_member = xstrdup("0-schema/shop.sql.zst");
	CHECK_STR(build_err(&m, NULL, &k), "manifest of db1/20240101T000000Z: "
	    "member 0-schema/shop.sql.zst listed twice");
	manifest_free(&m);

	/* a chunk outside 1-data/ naming a schema member gives its hash */
	sample(&m);
	c = add_chunk(&m, "blog", "posts", 9, "");
	free(c->member);
	c->member = xstrdup("0-schema/blog.sql.zst");
	CHECK_STR(build_err(&m, NULL, &k), "");
	{
		struct restore_plan p;
		struct err e;
		const struct plan_member *pm;

		CHECK_INT(build(&p, &m, NULL, PLAN_DEFER_AUTO, &e), 0);
		CHECK_INT(p.nmembers, 8);
		pm = restore_plan_member(&p, "0-schema/blog.sql.zst");
		CHECK(pm != NULL && pm->kind == PLAN_SCHEMA &&
		    pm->sha256 != NULL && pm->bytes == 309 &&
		    pm->raw_bytes == 1009 && pm->rows == -1);
		CHECK_INT(p.tables[4].nchunks, 1);
		restore_plan_free(&p);
	}
	manifest_free(&m);
}

/* Feeds names to restore_plan_accept; the first error, or "". */
static const char *
feed(struct restore_plan *p, const char **names)
{
	static struct err e;
	struct plan_member *pm;

	err_clear(&e);
	for (; *names != NULL; names++)
		if (restore_plan_accept(p, *names, &pm, &e) == -1)
			return e.msg;
	return restore_plan_check_seen(p, &e) == -1 ? e.msg : "";
}

static void
test_accept(void)
{
	static const char *all[] = { "0-schema/blog.sql.zst",
	    "0-schema/shop.sql.zst", "1-data/blog/posts/000001.sql",
	    "1-data/shop/items/000001.sql.zst",
	    "1-data/shop/log/000001.sql.zst",
	    "1-data/shop/orders/000002.sql.zst",
	    "1-data/shop/orders/000001.sql.zst", "2-post/shop.sql.zst", NULL };
	static const char *rest[] = { "0-schema/blog.sql.zst",
	    "1-data/blog/posts/000001.sql", "1-data/shop/items/000001.sql.zst",
	    "1-data/shop/log/000001.sql.zst",
	    "1-data/shop/orders/000001.sql.zst",
	    "1-data/shop/orders/000002.sql.zst", "2-post/shop.sql.zst", NULL };
	static const char *stranger[] = { "0-schema/blog.sql.zst",
	    "0-schema/x\n.sql.zst", NULL };
	static const char *twice[] = { "0-schema/blog.sql.zst",
	    "0-schema/blog.sql.zst", NULL };
	static const char *late[] = { "0-schema/blog.sql.zst",
	    "1-data/blog/posts/000001.sql", "0-schema/shop.sql.zst", NULL };
	static const char *post_early[] = { "0-schema/blog.sql.zst",
	    "2-post/shop.sql.zst", "1-data/blog/posts/000001.sql", NULL };
	static const char *missing[] = { "0-schema/blog.sql.zst",
	    "0-schema/shop.sql.zst", "1-data/shop/log/000001.sql.zst", NULL };
	char *one[] = { "blog", NULL };
	struct manifest m;
	struct restore_plan p;
	struct plan_member *pm;
	struct err e;

	sample(&m);
	CHECK_INT(build(&p, &m, NULL, PLAN_DEFER_AUTO, &e), 0);
	CHECK_STR(feed(&p, all), "");
	CHECK_STR(p.last, "2-post/shop.sql.zst");
	restore_plan_free(&p);

	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	CHECK_STR(feed(&p, stranger),
	    "archive member 0-schema/x\\x0a.sql.zst is not in the manifest");
	restore_plan_free(&p);
	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	CHECK_STR(feed(&p, twice),
	    "archive member 0-schema/blog.sql.zst appears twice");
	restore_plan_free(&p);
	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	CHECK_STR(feed(&p, late), "archive member 0-schema/shop.sql.zst is "
	    "out of order (after 1-data/blog/posts/000001.sql)");
	restore_plan_free(&p);
	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	CHECK_STR(feed(&p, post_early), "archive member "
	    "1-data/blog/posts/000001.sql is out of order (after "
	    "2-post/shop.sql.zst)");
	restore_plan_free(&p);
	/* the first missing by name */
	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	CHECK_STR(feed(&p, missing), "member 1-data/blog/posts/000001.sql "
	    "listed in the manifest is missing from the archive");
	restore_plan_free(&p);

	/* members of unselected databases are accepted (their bytes skipped) */
	build(&p, &m, one, PLAN_DEFER_AUTO, &e);
	CHECK_INT(restore_plan_accept(&p, "0-schema/shop.sql.zst", &pm, &e), 0);
	CHECK(pm->db == 0 && !p.dbs[pm->db].selected && pm->seen);
	CHECK_STR(feed(&p, rest), "");
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_defer(void)
{
	struct manifest m;
	struct restore_plan p;
	struct err e;
	size_t i;
	char got[8];

	sample(&m);
	add_table(&m, "blog", "noengine", NULL, PLAN_DEFER_MIN, 1);
	add_chunk(&m, "blog", "noengine", 1, "");
	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	/* orders big, items small, log MyISAM, empty no rows, posts small */
	for (i = 0; i < p.ntables; i++)
		got[i] = p.tables[i].defer ? 'D' : '-';
	got[i] = '\0';
	CHECK_STR(got, "D-----");
	restore_plan_free(&p);
	build(&p, &m, NULL, PLAN_DEFER_ALWAYS, &e);
	for (i = 0; i < p.ntables; i++)
		got[i] = p.tables[i].defer ? 'D' : '-';
	got[i] = '\0';
	CHECK_STR(got, "DD--D-");
	restore_plan_free(&p);
	build(&p, &m, NULL, PLAN_DEFER_NEVER, &e);
	for (i = 0; i < p.ntables; i++)
		got[i] = p.tables[i].defer ? 'D' : '-';
	got[i] = '\0';
	CHECK_STR(got, "------");
	restore_plan_free(&p);
	/* just under the threshold */
	m.tables[0].raw_bytes = PLAN_DEFER_MIN - 1;
	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	CHECK(!p.tables[0].defer);
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_refuse(void)
{
	char *ren[] = { "shop:store", NULL };
	struct manifest m;
	struct restore_plan p;
	struct restore_opts o;
	struct err e;

	sample(&m);
	build(&p, &m, ren, PLAN_DEFER_AUTO, &e);
	CHECK_INT(restore_plan_refuse(&p, &e), 0);
	p.dbs[1].exists = p.dbs[1].nonempty = 1;	/* not selected */
	CHECK_INT(restore_plan_refuse(&p, &e), 0);
	p.dbs[0].exists = 1;
	CHECK_INT(restore_plan_refuse(&p, &e), 0);	/* empty */
	p.dbs[0].nonempty = 1;
	CHECK_INT(restore_plan_refuse(&p, &e), -1);
	CHECK_STR(e.msg, "database store on host tgt exists and is not empty "
	    "(--force replaces it)");
	CHECK_INT(e.kind, ERR_REFUSED);
	restore_plan_free(&p);
	o = opts(ren, 1);
	o.force = 1;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), 0);
	p.dbs[0].exists = p.dbs[0].nonempty = 1;
	CHECK_INT(restore_plan_refuse(&p, &e), 0);
	restore_plan_free(&p);
	manifest_free(&m);
}

/* --resume: what a data member of a table the target had does. */
static void
test_resume(void)
{
	char *ren[] = { "shop:store", NULL };
	struct manifest m;
	struct restore_plan p;
	struct restore_opts o;
	struct plan_member *pm;
	struct manifest_chunk *c;
	struct err e;

	CHECK_INT(restore_plan_resume(10, 10), PLAN_RESUME_SKIP);
	CHECK_INT(restore_plan_resume(10, 0), PLAN_RESUME_LOAD);
	CHECK_INT(restore_plan_resume(10, 3), PLAN_RESUME_CLEAR);
	CHECK_INT(restore_plan_resume(10, 11), PLAN_RESUME_CLEAR);
	CHECK_INT(restore_plan_resume(0, 0), PLAN_RESUME_SKIP);
	CHECK_INT(restore_plan_resume(0, 2), PLAN_RESUME_CLEAR);
	/* rows unknown: never taken as there */
	CHECK_INT(restore_plan_resume(-1, 0), PLAN_RESUME_LOAD);
	CHECK_INT(restore_plan_resume(-1, 5), PLAN_RESUME_CLEAR);

	sample(&m);
	c = &m.chunks[0];	/* shop.orders 1: keyed */
	free(c->first_key);
	free(c->last_key);
	c->first_key = xstrdup("(1,'a')");
	c->last_key = xstrdup("(9,'z')");
	free(m.chunks[1].first_key);
	m.chunks[1].first_key = xstrdup("10");	/* no last key */
	o = opts(ren, 1);
	o.resume = 1;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), 0);
	pm = restore_plan_member(&p, "1-data/shop/orders/000001.sql.zst");
	CHECK(pm != NULL && restore_plan_chunk_keyed(pm));
	pm = restore_plan_member(&p, "1-data/shop/orders/000002.sql.zst");
	CHECK(pm != NULL && !restore_plan_chunk_keyed(pm));
	pm = restore_plan_member(&p, "1-data/shop/items/000001.sql.zst");
	CHECK(pm != NULL && !restore_plan_chunk_keyed(pm));
	CHECK(!restore_plan_chunk_keyed(restore_plan_member(&p,
	    "0-schema/shop.sql.zst")));
	/* a non-empty database is resumed into, not refused */
	p.dbs[0].exists = p.dbs[0].nonempty = 1;
	CHECK_INT(restore_plan_refuse(&p, &e), 0);
	restore_plan_free(&p);
	o.force = 1;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), -1);
	CHECK_INT(e.kind, ERR_USAGE);
	CHECK(strstr(e.msg, "--resume and --force") != NULL);
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_refuse_flavour(void)
{
	char *ren[] = { NULL };
	struct manifest m;
	struct restore_plan p;
	struct restore_opts o;
	struct err e;

	sample(&m);
	free(m.server_version);
	m.server_version = xstrdup("10.11.6-MariaDB-0+deb12u1-log");
	build(&p, &m, ren, PLAN_DEFER_AUTO, &e);
	CHECK_INT(restore_plan_refuse_flavour(&p, "11.8.9-MariaDB", &e), 0);
	CHECK_INT(restore_plan_refuse_flavour(&p, "9.7.4-2", &e), -1);
	CHECK_STR(e.msg, "backup of MariaDB 10.11.6 cannot be restored whole "
	    "into MySQL 9.7.4-2 on host tgt: their SQL differs (--force "
	    "tries anyway)");
	CHECK_INT(e.kind, ERR_REFUSED);
	restore_plan_free(&p);
	free(m.server_version);
	m.server_version = xstrdup("8.4.3");
	build(&p, &m, ren, PLAN_DEFER_AUTO, &e);
	CHECK_INT(restore_plan_refuse_flavour(&p, "9.7.4-2", &e), 0);
	CHECK_INT(restore_plan_refuse_flavour(&p, "10.11.6-MariaDB", &e), -1);
	CHECK_STR(e.msg, "backup of MySQL 8.4.3 cannot be restored whole into "
	    "MariaDB 10.11.6 on host tgt: their SQL differs (--force tries "
	    "anyway)");
	restore_plan_free(&p);
	o = opts(NULL, 0);
	o.force = 1;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), 0);
	CHECK_INT(restore_plan_refuse_flavour(&p, "10.11.6-MariaDB", &e), 0);
	restore_plan_free(&p);
	/* A manifest without a server version (none is old enough) passes. */
	free(m.server_version);
	m.server_version = NULL;
	build(&p, &m, ren, PLAN_DEFER_AUTO, &e);
	CHECK_INT(restore_plan_refuse_flavour(&p, "9.7.4-2", &e), 0);
	restore_plan_free(&p);
	manifest_free(&m);
}

/* One check's message, "" when it passes. */
static const char *
msg(int rc, const struct err *e)
{
	return rc == 0 ? "" : e->msg;
}

static void
test_checks(void)
{
	struct manifest m;
	struct restore_plan p;
	const struct plan_member *pm;
	struct err e;

	sample(&m);
	CHECK_INT(build(&p, &m, NULL, PLAN_DEFER_AUTO, &e), 0);
	/* a data member: its chunk's size and hash */
	pm = restore_plan_member(&p, "1-data/shop/orders/000002.sql.zst");
	CHECK_STR(msg(restore_plan_check_size(pm, 302, &e), &e), "");
	CHECK_STR(msg(restore_plan_check_size(pm, 303, &e), &e),
	    "member 1-data/shop/orders/000002.sql.zst: 303 bytes, manifest "
	    "says 302");
	CHECK_INT(e.kind, ERR_CORRUPT);
	CHECK_STR(msg(restore_plan_check_sha256(pm, sha_b, &e), &e), "");
	CHECK_STR(msg(restore_plan_check_sha256(pm, sha_a, &e), &e),
	    "member 1-data/shop/orders/000002.sql.zst: SHA-256 mismatch "
	    "(damaged archive)");
	CHECK_INT(e.kind, ERR_CORRUPT);
	/* a hashed schema member: the database's record */
	pm = restore_plan_member(&p, "0-schema/shop.sql.zst");
	CHECK_STR(msg(restore_plan_check_size(pm, 12, &e), &e),
	    "member 0-schema/shop.sql.zst: 12 bytes, manifest says 11");
	CHECK_STR(msg(restore_plan_check_sha256(pm, sha_b, &e), &e),
	    "member 0-schema/shop.sql.zst: SHA-256 mismatch (damaged archive)");
	/* an old manifest's schema member: any hash, any size up to the cap */
	pm = restore_plan_member(&p, "0-schema/blog.sql.zst");
	CHECK_STR(msg(restore_plan_check_size(pm, PLAN_MEMBER_MAX, &e), &e),
	    "");
	CHECK_STR(msg(restore_plan_check_sha256(pm, sha_a, &e), &e), "");
	CHECK_STR(msg(restore_plan_check_size(pm, PLAN_MEMBER_MAX + 1, &e),
	    &e), "member 0-schema/blog.sql.zst: 268435457 bytes, more than a "
	    "schema member can be");
	CHECK_INT(e.kind, ERR_CORRUPT);

	/* the whole file: none recorded, then size and hash */
	CHECK_STR(msg(restore_plan_check_archive(&p, 1, sha_a, &e), &e), "");
	memcpy(m.archive_sha256, sha_a, 65);
	CHECK_STR(msg(restore_plan_check_archive(&p, 4096, sha_a, &e), &e), "");
	CHECK_STR(msg(restore_plan_check_archive(&p, 4095, sha_a, &e), &e),
	    "archive db1/20240101T000000Z/backup.tar is 4095 bytes, manifest "
	    "says 4096");
	CHECK_INT(e.kind, ERR_CORRUPT);
	CHECK_STR(msg(restore_plan_check_archive(&p, 4096, sha_b, &e), &e),
	    "archive db1/20240101T000000Z/backup.tar is damaged outside its "
	    "members (SHA-256 248d6a61d206..., manifest says ba7816bf8f01...)");
	CHECK_INT(e.kind, ERR_CORRUPT);
	CHECK(restore_plan_whole_sha256(&p));
	/* the archive digest wins over the whole file's SHA-256 */
	memcpy(m.archive_digest, sha_b, 65);
	CHECK(!restore_plan_whole_sha256(&p));
	CHECK_STR(msg(restore_plan_check_archive(&p, 4096, sha_b, &e), &e), "");
	CHECK_STR(msg(restore_plan_check_archive(&p, 4096, sha_a, &e), &e),
	    "archive db1/20240101T000000Z/backup.tar is damaged outside its "
	    "members (digest ba7816bf8f01..., manifest says 248d6a61d206...)");
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_labels(void)
{
	struct manifest m;
	struct restore_plan p;
	struct err e;
	char out[400];

	sample(&m);
	free(m.dbs[1].name);
	m.dbs[1].name = xstrdup("bl\x01og");
	free(m.tables[4].db);
	m.tables[4].db = xstrdup("bl\x01og");
	free(m.chunks[4].db);
	m.chunks[4].db = xstrdup("bl\x01og");
	CHECK_INT(build(&p, &m, NULL, PLAN_DEFER_AUTO, &e), 0);
	restore_plan_what(&p, restore_plan_member(&p,
	    "1-data/shop/orders/000001.sql.zst"), out, sizeof out);
	CHECK_STR(out, "shop.orders");
	restore_plan_what(&p, restore_plan_member(&p, "2-post/shop.sql.zst"),
	    out, sizeof out);
	CHECK_STR(out, "database shop");
	restore_plan_what(&p, restore_plan_member(&p,
	    "1-data/blog/posts/000001.sql"), out, sizeof out);
	CHECK_STR(out, "bl\\x01og.posts");
	restore_plan_table_what(&p, 4, out, sizeof out);
	CHECK_STR(out, "bl\\x01og.posts");
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_print(void)
{
	char *ren[] = { "shop:store", NULL };
	struct manifest m;
	struct restore_plan p;
	struct err e;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	sample(&m);
	build(&p, &m, ren, PLAN_DEFER_AUTO, &e);
	p.dbs[0].exists = p.dbs[0].nonempty = 1;
	f = open_memstream(&text, &len);
	restore_plan_print(&p, f);
	fclose(f);
	CHECK_STR(text, "restore backup db1/20240101T000000Z (4.0 KiB, 2 "
	    "databases) into host tgt with 2 threads\n"
	    "  database shop as store: 4 tables, 40 rows, 6.0 MiB (24.0 MiB "
	    "of SQL), REFUSED: the database exists and is not empty\n"
	    "    table orders: 20 rows, 2 chunks, 2.0 MiB\n"
	    "    table items: 10 rows, 1 chunks, 25 B\n"
	    "    table log: 10 rows, 1 chunks, 4.0 MiB\n"
	    "    table empty: 0 rows, 0 chunks, 0 B\n");
	free(text);
	restore_plan_free(&p);

	build(&p, &m, NULL, PLAN_DEFER_AUTO, &e);
	p.dbs[1].exists = 1;
	f = open_memstream(&text, &len);
	restore_plan_print(&p, f);
	fclose(f);
	CHECK(strstr(text, "  database blog: 1 tables, 10 rows, 512 B (2.0 "
	    "KiB of SQL), replaces the existing empty database\n") != NULL);
	CHECK(strstr(text, "  database shop: 4 tables") != NULL);
	free(text);
	p.o.force = 1;
	p.dbs[1].nonempty = 1;
	f = open_memstream(&text, &len);
	restore_plan_print(&p, f);
	fclose(f);
	CHECK(strstr(text, "(2.0 KiB of SQL), replaces the existing "
	    "database\n") != NULL);
	free(text);
	restore_plan_free(&p);
	manifest_free(&m);
}

static void
test_empty(void)
{
	struct manifest m;
	struct restore_plan p;
	struct err e;
	char *one[] = { "x", NULL };
	enum err_kind k;

	manifest_init(&m);
	m.id = xstrdup(ID);
	m.host = xstrdup(HOST);
	CHECK_INT(build(&p, &m, NULL, PLAN_DEFER_AUTO, &e), 0);
	CHECK_INT(p.nmembers, 0);
	CHECK(restore_plan_member(&p, "x") == NULL);
	CHECK_INT(restore_plan_table(&p, "x", "y"), -1);
	CHECK_INT(restore_plan_check_seen(&p, &e), 0);
	restore_plan_free(&p);
	CHECK_STR(build_err(&m, one, &k),
	    "database x is not in backup db1/20240101T000000Z");
	manifest_free(&m);
}

/*
 * --table: patterns pick tables (and their databases), the members
 * needed are the schema and those tables' chunks; a pattern of nothing
 * is ERR_NOT_FOUND.  Ranges join members at most gap bytes apart.
 */
static void
test_tables(void)
{
	char *tabs[] = { "sh?p.ord*", "shop.items" }, *none[] = { "shop.x*" };
	struct restore_plan p;
	struct restore_opts o;
	struct manifest m;
	struct plan_range rg[8];
	struct err e;
	size_t idx[16], i, n, need = 0;
	uint64_t off = 512;

	sample(&m);
	m.dbs[1].schema_bytes = 11;
	memcpy(m.dbs[1].schema_sha256, sha_a, 65);
	for (i = 0; i < m.ndbs; i++) {
		m.dbs[i].schema_offset = off;
		off += 1024;
	}
	for (i = 0; i < m.nchunks; i++) {
		m.chunks[i].offset = off;
		off += 1024 + (i == 2 ? 100000 : 0);
	}
	m.dbs[0].post_offset = off;
	o = opts(NULL, 0);
	o.tabs = tabs;
	o.ntabs = 2;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), 0);
	CHECK(p.dbs[0].selected && p.dbs[0].partial && !p.dbs[1].selected);
	CHECK_INT(p.dbs[0].ntables, 2);
	for (i = 0; i < p.nmembers; i++)
		need += p.members[i].needed;
	CHECK_INT(need, 4);	/* shop's schema, orders 1-2, items 1 */
	CHECK(restore_plan_object_wanted(&p, 0, "orders") &&
	    !restore_plan_object_wanted(&p, 0, "log"));
	CHECK(restore_plan_ranged(&p, 0) && restore_plan_ranged(&p, 1));
	n = restore_plan_fetch_order(&p, idx);
	CHECK_INT(n, 4);
	CHECK_STR(p.members[idx[0]].name, "0-schema/shop.sql.zst");
	/* schema to orders 1: 2037 bytes apart (blog's schema between);
	 * chunk to chunk about 722 */
	CHECK_INT(restore_plan_ranges(&p, idx, n, 2048, 1 << 20, rg), 1);
	CHECK_INT(restore_plan_ranges(&p, idx, n, 800, 1 << 20, rg), 2);
	CHECK_INT(rg[1].n, 3);
	CHECK_INT(restore_plan_ranges(&p, idx, n, 700, 1 << 20, rg), 4);
	CHECK_INT(restore_plan_ranges(&p, idx, n, 2048, 1400, rg), 3);
	CHECK(rg[0].offset == 512 && rg[0].length == 11);
	/* all needed: by ranges only when a whole restore asks (S3, --diff),
	 * and only when every member is located */
	for (i = 0; i < p.nmembers; i++) {
		p.members[i].needed = 1;
		if (p.members[i].offset == 0)
			p.members[i].offset = 1;
		if (p.members[i].sha256 == NULL)
			p.members[i].sha256 = sha_a;
	}
	CHECK(!restore_plan_ranged(&p, 0) && restore_plan_ranged(&p, 1));
	p.members[p.nmembers - 1].offset = 0;
	CHECK(!restore_plan_ranged(&p, 1));
	restore_plan_free(&p);
	o.tabs = none;
	o.ntabs = 1;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), -1);
	CHECK_INT(e.kind, ERR_NOT_FOUND);
	CHECK(strstr(e.msg, "--table shop.x*: no such table") != NULL);
	restore_plan_free(&p);
	manifest_free(&m);
}

int
main(void)
{
	test_tables();
	test_everything();
	test_select();
	test_colons();
	test_select_errors();
	test_manifest_errors();
	test_accept();
	test_defer();
	test_refuse();
	test_resume();
	test_refuse_flavour();
	test_checks();
	test_labels();
	test_print();
	test_empty();
	return tap_done();
}
