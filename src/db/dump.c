#include "db/dump.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysqld_error.h>

#include "db/dump_int.h"
#include "util/sum256.h"
#include "db/schema.h"
#include "db/schema_order.h"
#include "db/snapshot.h"
#include "db/users.h"
#include "db/tablesum.h"
#include "stream/archive.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/names.h"
#include "util/signals.h"
#include "util/strutil.h"
#include "util/xmalloc.h"


/* Records the first error and wakes every thread that waits. */
void
dump_fail(struct dump *d, const struct err *e)
{
	size_t i;

	pthread_mutex_lock(&d->mu);
	if (!atomic_load(&d->failed)) {
		d->err = *e;
		atomic_store(&d->failed, 1);
	}
	pthread_cond_broadcast(&d->cv_out);
	pthread_mutex_unlock(&d->mu);
	for (i = 0; i < d->nw; i++) {
		pthread_mutex_lock(&d->w[i].mu);
		pthread_cond_broadcast(&d->w[i].cv_full);
		pthread_cond_broadcast(&d->w[i].cv_free);
		pthread_mutex_unlock(&d->w[i].mu);
	}
}


/*
 * Encodes a whole text as one member and adds it to the archive; its size
 * and SHA-256 go to the manifest so a restore checks them before running
 * any of it.
 */
static int
dump_add_text(struct dump *d, struct member_enc *enc, const char *name,
    const struct buf *text, uint64_t *bytes, uint64_t *offset, char *sha256,
    struct err *e)
{
	if (archive_writer_add_text(d->aw, enc, name, text->data, text->len,
	    e) == -1)
		return -1;
	*bytes = member_enc_data(enc)->len;
	*offset = archive_writer_last_offset(d->aw);
	memcpy(sha256, member_enc_sha256(enc), 65);
	d->bytes += *bytes;
	return 0;
}

struct dbpost {
	char *name;		/* the database's */
	char *member;
	struct buf sql;
	struct strlist views, defs;	/* for schema_order_dbs */
};

static void
dump_add_tables(struct dump *d, struct cat_table *ct, size_t n)
{
	struct manifest_table *mt;
	struct dtable *t;
	size_t i;

	d->tables = xreallocarray(d->tables, d->ntables + n + 1,
	    sizeof *d->tables);
	for (i = 0; i < n; i++) {
		t = dtable_new(&ct[i]);
		mt = manifest_add_table(d->m);
		mt->db = xstrdup(t->cat.db);
		mt->name = xstrdup(t->cat.name);
		mt->engine = xstrdup(t->cat.engine);
		mt->transactional = t->cat.transactional;
		t->mt = d->m->ntables - 1;
		d->tables[d->ntables++] = t;
	}
}

/* The schema member of db, its tables, and its post-data text for later. */
static int
dump_schema_db(struct dump *d, struct member_enc *enc, const char *db,
    struct dbpost *post, struct err *e)
{
	struct schema_out so;
	struct manifest_db *md;
	struct cat_table *ct = NULL;
	size_t nct = 0, i;
	char *de = name_encode(db, strlen(db)), *name;
	int rc = -1;

	schema_out_init(&so);
	so.skip_broken = d->o->skip_broken;
	if (schema_dump_database(d->snap.conns[0], db, &so, e) == -1 ||
	    catalog_tables(d->snap.conns[0], db, so.tables, so.ntables, &ct,
	    &nct, e) == -1)
		goto out;
	name = xasprintf("0-schema/%s%s", de, d->ext);
	md = manifest_add_db(d->m);
	md->name = xstrdup(db);
	md->charset = xstrdup(so.charset ? so.charset : "");
	md->collation = xstrdup(so.collation ? so.collation : "");
	md->comment = xstrdup(so.comment ? so.comment : "");
	md->schema_member = name;
	if (so.nskipped > 0) {
		so.skipped.len--;	/* the last newline */
		md->skipped = xstrdup(buf_cstr(&so.skipped));
	}
	post->name = xstrdup(db);
	post->views = so.view_names;
	post->defs = so.view_defs;
	memset(&so.view_names, 0, sizeof so.view_names);
	memset(&so.view_defs, 0, sizeof so.view_defs);
	if (so.post_sql.len > 0) {
		md->post_member = xasprintf("2-post/%s%s", de, d->ext);
		post->member = xstrdup(md->post_member);
		post->sql = so.post_sql;
		buf_init(&so.post_sql);
	}
	if (dump_add_text(d, enc, name, &so.schema_sql, &md->schema_bytes,
	    &md->schema_offset, md->schema_sha256, e) == -1)
		goto out;
	dump_add_tables(d, ct, nct);
	rc = 0;
out:
	for (i = 0; i < nct; i++)
		cat_table_free(&ct[i]);
	free(ct);
	free(de);
	schema_out_free(&so);
	return rc;
}

static void
dump_warn_nontransactional(struct dump *d)
{
	struct buf b;
	size_t i, n = 0;

	buf_init(&b);
	for (i = 0; i < d->ntables; i++) {
		const struct cat_table *t = &d->tables[i]->cat;

		if (t->transactional || t->rows_elsewhere)
			continue;
		if (n++ < 10)
			buf_printf(&b, "%s%s.%s (%s)", n > 1 ? ", " : "",
			    t->db, t->name, *t->engine ? t->engine : "?");
	}
	if (n > 10)
		buf_printf(&b, " and %zu more", n - 10);
	if (n > 0)
		log_warn("host %s: %zu table%s of non-transactional engines "
		    "copied outside the snapshot: %s", d->h->name, n,
		    n > 1 ? "s" : "", buf_cstr(&b));
	buf_free(&b);
}


static void
dump_progress(struct dump *d)
{
	char sz[32], rate[32], eta[40] = "";
	double secs = difftime(time(NULL), d->started);
	uint64_t raw = atomic_load(&d->raw), rows = atomic_load(&d->rows);
	uint64_t est = 0;
	size_t i;

	if (!log_progress_enabled())
		return;
	/* The server's row estimates are rough: the ETA says "~". */
	for (i = 0; i < d->ntables; i++)
		est += d->tables[i]->cat.est_rows;
	if (secs >= 1 && rows > 0 && est > rows) {
		strcpy(eta, ", ETA ~");
		format_duration((double)(est - rows) * secs / (double)rows,
		    eta + strlen(eta), sizeof eta - strlen(eta));
	}
	format_size(d->bytes, sz, sizeof sz);
	format_size(secs > 0 ? (uint64_t)(raw / secs) : raw, rate,
	    sizeof rate);
	log_progress("%s: %zu/%zu tables, %" PRIu64 " rows, %s written, "
	    "%s/s SQL%s", d->h->name, d->tables_done, d->ntables, rows, sz,
	    rate, eta);
}

/* A work item of t is finished (called with d->mu held). */
void
dump_item_done(struct dump *d, struct dtable *t)
{
	struct manifest_table *mt = &d->m->tables[t->mt];
	char sz[32];

	if (--t->pending > 0)
		return;
	d->tables_done++;
	if (!d->o->verbose)
		return;
	format_size(mt->raw_bytes, sz, sizeof sz);
	log_info("host %s: %s.%s: %" PRIu64 " rows, %s SQL in %zu member%s",
	    d->h->name, t->cat.db, t->cat.name, mt->rows, sz, mt->nchunks,
	    mt->nchunks == 1 ? "" : "s");
}

/* Adds a finished member to the archive and the manifest (d->mu held). */
int
dump_write_member(struct dump *d, const struct block *b,
    const struct member_enc *enc, struct err *e)
{
	const struct buf *data = member_enc_data(enc);
	struct dtable *t = b->t;
	struct manifest_table *mt = &d->m->tables[t->mt];
	struct manifest_chunk *c;
	char *name;

	if (atomic_load(&d->failed))
		return err_set(e, ERR_FAILED, "stopped");
	name = xasprintf("%s%06zu%s", t->member_prefix, ++t->next_member,
	    d->ext);
	if (archive_writer_add(d->aw, name, enc, e) == -1) {
		free(name);
		return -1;
	}
	c = manifest_add_chunk(d->m);
	c->member = name;
	c->db = xstrdup(t->cat.db);
	c->table = xstrdup(t->cat.name);
	c->first_key = xstrdup(b->first_key ? b->first_key : "");
	c->last_key = xstrdup(b->last_key ? b->last_key : "");
	c->rows = b->rows;
	c->raw_bytes = b->raw;
	c->bytes = data->len;
	c->offset = archive_writer_last_offset(d->aw);
	memcpy(c->sha256, member_enc_sha256(enc), sizeof c->sha256);
	memcpy(c->values_sha256, b->values_sha256, sizeof c->values_sha256);
	c->piece_keys = b->piece_keys != NULL ? xstrdup(b->piece_keys) : NULL;
	if (t->cat.nkey == 0) {
		sum256_add(t->values_sum, b->values_sum);
		sum256_hex(t->values_sum, mt->values_sum);
	}
	mt->rows += b->rows;
	mt->raw_bytes += b->raw;
	mt->bytes += data->len;
	mt->nchunks++;
	d->m->rows += b->rows;
	d->m->raw_bytes += b->raw;
	d->bytes += data->len;
	if (time(NULL) != d->last_progress) {
		d->last_progress = time(NULL);
		dump_progress(d);
	}
	return 0;
}

/*
 * The calling thread waits for the compress threads, showing progress and
 * turning a signal into the dump's error.
 */
static int
dump_wait(struct dump *d, struct err *e)
{
	struct timespec ts;
	struct err ie;
	int rc = 0;

	pthread_mutex_lock(&d->mu);
	while (d->running > 0) {
		if (signals_interrupted() && !atomic_load(&d->failed)) {
			pthread_mutex_unlock(&d->mu);
			err_set(&ie, ERR_INTERRUPTED, "host %s: interrupted",
			    d->h->name);
			dump_fail(d, &ie);
			pthread_mutex_lock(&d->mu);
			continue;
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&d->cv_out, &d->mu, &ts);
		if (!atomic_load(&d->failed))
			dump_progress(d);
	}
	if (atomic_load(&d->failed)) {
		*e = d->err;
		rc = -1;
	}
	pthread_mutex_unlock(&d->mu);
	return rc;
}

static int
dump_schemas(struct dump *d, const struct db_filter *f, struct dbpost **posts,
    size_t *nposts, struct err *e)
{
	struct strlist all = { NULL, 0 }, sel = { NULL, 0 };
	struct member_enc *enc = NULL;
	size_t i;
	int rc = -1;

	if (catalog_databases(d->snap.conns[0], &all, e) == -1 ||
	    db_filter_apply(f, all.v, all.n, &sel, e) == -1)
		goto out;
	if (sel.n == 0) {
		err_set(e, ERR_NOT_FOUND, "no database to back up");
		goto out;
	}
	if ((enc = member_enc_new(d->aw, e)) == NULL)
		goto out;
	*posts = xcalloc(sel.n, sizeof **posts);
	*nposts = sel.n;
	for (i = 0; i < sel.n; i++) {
		buf_init(&(*posts)[i].sql);
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		if (dump_schema_db(d, enc, sel.v[i], &(*posts)[i], e) == -1)
			goto out;
	}
	rc = 0;
out:
	member_enc_free(enc);
	strlist_free(&all);
	strlist_free(&sel);
	return rc;
}

/*
 * The post-data members, a database after those whose views its views
 * read (db/schema_order.h): a restore runs them in archive order.
 */
static int
dump_posts(struct dump *d, struct dbpost *posts, size_t n, struct err *e)
{
	struct schema_order_db *od = xcalloc(n + 1, sizeof *od);
	size_t *order = xcalloc(n + 1, sizeof *order), i, k;
	struct member_enc *enc;
	int rc = 0;

	for (i = 0; i < n; i++) {
		od[i].name = posts[i].name != NULL ? posts[i].name : "";
		od[i].views = &posts[i].views;
		od[i].defs = &posts[i].defs;
	}
	schema_order_dbs(od, n, order);
	if ((enc = member_enc_new(d->aw, e)) == NULL)
		rc = -1;
	/* posts[i] belongs to the i-th database of the manifest. */
	for (k = 0; k < n && rc == 0; k++) {
		i = order[k];
		if (posts[i].member != NULL)
			rc = dump_add_text(d, enc, posts[i].member,
			    &posts[i].sql, &d->m->dbs[i].post_bytes,
			    &d->m->dbs[i].post_offset,
			    d->m->dbs[i].post_sha256, e);
	}
	member_enc_free(enc);
	free(order);
	free(od);
	return rc;
}



/* Starts the workers and waits for them. */
static int
dump_data(struct dump *d, struct err *e)
{
	struct err se;
	size_t i;
	int rc = -1;

	d->nw = d->snap.n;
	rate_init(&d->rate, d->o->max_rate, clock_seconds());
	d->w = xcalloc(d->nw, sizeof *d->w);
	for (i = 0; i < d->nw; i++)
		if (worker_init(d, &d->w[i], d->snap.conns[i], e) == -1)
			goto out;
	pthread_mutex_lock(&d->mu);
	for (i = 0; i < d->nw; i++)
		if (worker_start(&d->w[i]) == -1)
			break;
	pthread_mutex_unlock(&d->mu);
	if (i < d->nw) {
		err_set(&se, ERR_INTERNAL, "cannot start thread");
		dump_fail(d, &se);
	}
	rc = dump_wait(d, e);
	for (i = 0; i < d->nw; i++) {
		if (d->w[i].fetch_started)
			pthread_join(d->w[i].fetch_tid, NULL);
		if (d->w[i].zstd_started)
			pthread_join(d->w[i].zstd_tid, NULL);
	}
out:
	for (i = 0; i < d->nw; i++)
		worker_free(&d->w[i]);
	free(d->w);
	d->w = NULL;
	d->nw = 0;
	return rc;
}
/* The accounts member, last in the archive (FORMAT.md). */
static int
dump_users(struct dump *d, struct err *e)
{
	struct member_enc *enc;
	struct buf text;
	size_t n = 0;
	int rc = -1;

	buf_init(&text);
	if (users_dump(d->snap.conns[0], d->snap.server.is_mariadb,
	    d->o->users_include, d->o->users_exclude, &text, &n, e) == -1 ||
	    (enc = member_enc_new(d->aw, e)) == NULL)
		goto out;
	d->m->users_member = xasprintf("3-users%s", d->ext);
	d->m->users = n;
	rc = dump_add_text(d, enc, d->m->users_member, &text,
	    &d->m->users_bytes, &d->m->users_offset, d->m->users_sha256, e);
	member_enc_free(enc);
	if (rc == 0)
		log_info("host %s: %zu account%s and role%s stored", d->h->name,
		    n, n == 1 ? "" : "s", n == 1 ? "" : "s");
out:
	buf_free(&text);
	return rc;
}

/*
 * Each copied table's CHECKSUM TABLE on a connection still inside the
 * snapshot, so that it sums the rows the dump read (InnoDB).
 */
static int
dump_checksums(struct dump *d, struct err *e)
{
	struct dtable *t;
	struct err ce;
	size_t i;

	d->m->checksum_server = xstrdup(d->snap.server.version);
	for (i = 0; i < d->ntables; i++) {
		t = d->tables[i];
		if (signals_interrupted())
			return err_set(e, ERR_INTERRUPTED, "interrupted");
		if (t->cat.rows_elsewhere)
			continue;
		if (tablesum_checksum(d->snap.conns[0], t->cat.db, t->cat.name,
		    &d->m->tables[t->mt].checksum, &ce) == -1)
			log_warn("host %s: no checksum of table %s.%s: %s",
			    d->h->name, t->cat.db, t->cat.name, ce.msg);
	}
	return 0;
}

static void
dump_fill_manifest(struct dump *d)
{
	struct manifest *m = d->m;

	m->server_version = xstrdup(d->snap.server.version);
	m->snapshot_method = xstrdup(d->snap.method);
	m->threads = (long)d->snap.n;
	if (d->snap.binlog_file != NULL) {
		m->binlog_file = xstrdup(d->snap.binlog_file);
		m->binlog_position = d->snap.binlog_pos;
	}
	if (d->snap.gtid_binlog_pos != NULL)
		m->gtid_binlog_pos = xstrdup(d->snap.gtid_binlog_pos);
}

int
dump_host(const struct host_cfg *h, const struct db_filter *f,
    const struct dump_opts *o, struct archive_writer *aw, struct manifest *m,
    struct err *e)
{
	struct dump d;
	struct dbpost *posts = NULL;
	size_t nposts = 0, i;
	int rc = -1;

	memset(&d, 0, sizeof d);
	d.h = h;
	d.o = o;
	d.m = m;
	d.started = time(NULL);
	d.aw = aw;
	d.ext = archive_writer_suffix(aw);
	pthread_mutex_init(&d.mu, NULL);
	pthread_mutex_init(&d.rate_mu, NULL);
	pthread_cond_init(&d.cv_out, NULL);
	if (snapshot_open(h, o->threads, o->lock_wait_timeout, &d.snap,
	    e) == -1)
		goto out;
	log_debug("host %s: snapshot %s with %zu connection%s", h->name,
	    d.snap.method, d.snap.n, d.snap.n == 1 ? "" : "s");
	dump_fill_manifest(&d);
	if (dump_schemas(&d, f, &posts, &nposts, e) == -1)
		goto fail;
	dump_warn_nontransactional(&d);
	if (dump_plan(&d, e) == -1 || dump_data(&d, e) == -1 ||
	    (o->checksums && dump_checksums(&d, e) == -1) ||
	    dump_posts(&d, posts, nposts, e) == -1 ||
	    (o->users && dump_users(&d, e) == -1))
		goto fail;
	if (log_progress_enabled())
		log_progress("%s", "");
	rc = 0;
	goto out;
fail:
	if (e->kind != ERR_INTERRUPTED && e->kind != ERR_CONNECT &&
	    strncmp(e->msg, "host ", 5) != 0)
		err_prefix(e, "host %s", h->name);
out:
	if (log_progress_enabled())
		log_progress("%s", "");
	snapshot_close(&d.snap);
	for (i = 0; i < nposts; i++) {
		free(posts[i].name);
		free(posts[i].member);
		buf_free(&posts[i].sql);
		strlist_free(&posts[i].views);
		strlist_free(&posts[i].defs);
	}
	free(posts);
	for (i = 0; i < d.nitems; i++) {
		free(d.items[i].lo);
		free(d.items[i].hi);
	}
	free(d.items);
	for (i = 0; i < d.ntables; i++)
		dtable_free(d.tables[i]);
	free(d.tables);
	pthread_cond_destroy(&d.cv_out);
	pthread_mutex_destroy(&d.rate_mu);
	pthread_mutex_destroy(&d.mu);
	return rc;
}

