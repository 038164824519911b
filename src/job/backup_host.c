/* One host's backup: the writer chain, the dump, the manifest. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/catalog.h"
#include "db/conn.h"
#include "db/dump.h"
#include "db/replica.h"
#include "job/backup_host.h"
#include "policy/manifest.h"
#include "stream/archive.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/signals.h"
#include "util/xmalloc.h"

static void
format_iso(time_t t, char *out, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
format_id(time_t t, char *out, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y%m%dT%H%M%SZ", &tm);
}

/*
 * The backup id is the start time; when that second is taken for this
 * host, the next free second (waiting for it when it is in the future).
 */
static char *
backup_new_id(struct repo *r, const char *host, time_t *start,
    struct err *e)
{
	struct repo_entry *v = NULL;
	size_t n = 0, i;
	char id[32];
	int taken;

	if (repo_list(r, host, &v, &n, e) == -1)
		return NULL;
	for (;;) {
		format_id(*start, id, sizeof id);
		for (taken = 0, i = 0; i < n && !taken; i++)
			taken = strcmp(v[i].id, id) == 0;
		if (!taken)
			break;
		(*start)++;
		while (time(NULL) < *start)
			sleep(1);
	}
	repo_entries_free(v, n);
	return xstrdup(id);
}

static size_t
backup_threads(const struct config *cfg)
{
	long n;

	if (cfg->threads > 0)
		return (size_t)cfg->threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

/*
 * When the data is read from a replica, its position in the source's
 * binary log goes into the manifest (read just before the snapshot, so
 * approximate while the replica applies events).
 */
static int
backup_replica_state(const struct config *cfg, const struct host_cfg *src,
    struct manifest *m, struct err *e)
{
	struct replica_status st;
	MYSQL *c;
	int rc = -1;

	if ((c = db_connect(src, e)) == NULL)
		return -1;
	memset(&st, 0, sizeof st);
	if (replica_status_read(c, &st, e) == -1 ||
	    replica_check(src->name, &st, cfg->max_replica_lag, e) == -1)
		goto out;
	if (st.source_file != NULL && *st.source_file != '\0') {
		m->source_binlog_file = xstrdup(st.source_file);
		m->source_binlog_position = st.source_pos;
	}
	if (st.gtid_slave_pos != NULL && *st.gtid_slave_pos != '\0')
		m->source_gtid = xstrdup(st.gtid_slave_pos);
	rc = 0;
out:
	replica_status_free(&st);
	db_close(c);
	return rc;
}

static void
backup_dump_opts(const struct config *cfg, int verbose, struct dump_opts *o)
{
	memset(o, 0, sizeof *o);
	o->chunk_size = cfg->chunk_size > 0 ? (uint64_t)cfg->chunk_size :
	    16 * 1024 * 1024;
	o->threads = backup_threads(cfg);
	o->lock_wait_timeout = cfg->lock_wait_timeout;
	o->verbose = verbose;
	o->skip_broken = !cfg->on_error_fail;
	o->max_rate = cfg->max_rate > 0 ? (uint64_t)cfg->max_rate : 0;
	o->users = cfg->users;
	o->users_include = &cfg->users_include;
	o->users_exclude = &cfg->users_exclude;
	o->checksums = cfg->backup_checksums;
}


/* Completes the manifest and puts it: the backup exists from then on. */
static int
backup_put_manifest(struct repo *r, const struct host_cfg *h,
    struct manifest *m, struct backup_result *res, struct err *e)
{
	struct buf b;
	char iso[32];
	int rc;

	format_iso(res->started + (time_t)res->duration, iso, sizeof iso);
	m->finished = xstrdup(iso);
	m->duration = res->duration;
	buf_init(&b);
	manifest_write(m, &b);
	rc = repo_put(r, h->name, res->id, REPO_MANIFEST, b.data, b.len, e);
	buf_free(&b);
	return rc;
}

static void
backup_manifest_init(struct manifest *m, const struct host_cfg *h,
    const char *id, time_t start)
{
	char iso[32];

	m->format = MANIFEST_FORMAT;
	m->id = xstrdup(id);
	m->host = xstrdup(h->name);
	m->tool_version = xstrdup(PACKAGE_VERSION);
	format_iso(start, iso, sizeof iso);
	m->started = xstrdup(iso);
}

/* Members sealed to the keys of file; the manifest names their ids. */
static int
backup_encryption(const char *file, struct crypt_recipients *to,
    struct codec *codec, struct manifest *m, struct err *e)
{
	struct buf ids;
	char hex[17];
	size_t i;

	if (crypt_recipients_load(file, to, e) == -1)
		return err_prefix(e, "[backup] encrypt_to");
	buf_init(&ids);
	for (i = 0; i < to->n; i++) {
		crypt_key_id_hex(to->pk[i], hex);
		buf_printf(&ids, "%s%s", i ? " " : "", hex);
	}
	m->encrypted_to = xstrdup(buf_cstr(&ids));
	buf_free(&ids);
	codec->to = to;
	return 0;
}

int
backup_host(const struct config *cfg, struct repo *r,
    const struct host_cfg *h, const struct strlist *only_dbs, int verbose,
    struct backup_result *res, struct err *e)
{
	const struct host_cfg *src;
	struct db_filter *f = NULL;
	struct dump_opts o;
	struct manifest m;
	struct codec codec = { (int)cfg->compression_level, NULL, NULL };
	struct crypt_recipients to;
	struct archive_writer *aw = NULL;
	struct sink out;
	double t0 = clock_seconds();
	int rc = -1, shipped;

	memset(res, 0, sizeof *res);
	manifest_init(&m);
	res->started = time(NULL);
	if ((src = replica_backup_source(cfg, h, e)) == NULL ||
	    (f = db_filter_new(only_dbs, &cfg->databases, &cfg->exclude,
	    e)) == NULL)
		goto out;
	if ((res->id = backup_new_id(r, h->name, &res->started, e)) == NULL)
		goto out;
	backup_manifest_init(&m, h, res->id, res->started);
	if (cfg->encrypt_to != NULL &&
	    backup_encryption(cfg->encrypt_to, &to, &codec, &m, e) == -1)
		goto out;
	if (replica_is(src) && backup_replica_state(cfg, src, &m, e) == -1)
		goto out;
	if (repo_archive_create(r, h->name, res->id, &out, e) == -1 ||
	    (aw = archive_writer_new(&out, &codec, res->started, e)) == NULL)
		goto out;
	m.compression_level = codec.level;
	backup_dump_opts(cfg, verbose, &o);
	if (dump_host(src, f, &o, aw, &m, e) == -1)
		goto out;
	/* finish frees aw, whatever it returns */
	shipped = archive_writer_finish(aw, &res->archive_bytes,
	    m.archive_digest, e);
	aw = NULL;
	if (shipped == -1)
		goto out;
	m.archive_bytes = res->archive_bytes;
	res->duration = clock_seconds() - t0;
	if (backup_put_manifest(r, h, &m, res, e) == -1) {
		struct err ignored;

		/* Without its manifest the archive is only clutter; prune
		 * would remove it after the grace, do it now if we can. */
		repo_remove(r, h->name, res->id, &ignored);
		goto out;
	}
	res->rows = m.rows;
	res->raw_bytes = m.raw_bytes;
	res->tables = m.ntables;
	res->skipped = manifest_skipped(&m);
	res->ok = 1;
	rc = 0;
out:
	archive_writer_abort(aw);
	if (rc == -1 && (signals_interrupted() || e->kind == ERR_INTERRUPTED))
		err_set(e, ERR_INTERRUPTED, "host %s: interrupted", h->name);
	res->duration = clock_seconds() - t0;
	manifest_free(&m);
	db_filter_free(f);
	return rc;
}

void
backup_result_free(struct backup_result *res)
{
	free(res->id);
	memset(res, 0, sizeof *res);
}
