/* Verifying one backup from the repository alone (job/verify_backup.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job/backup_ref.h"
#include "job/verify_backup.h"
#include "job/verify_ranged.h"
#include "policy/manifest.h"
#include "policy/restore_plan.h"
#include "policy/verify_due.h"
#include "stream/archive.h"
#include "stream/codec.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/xmalloc.h"

struct verify {
	struct verify_report *v;
	struct codec codec;		/* decoding: its identity, or none */
	const struct verify_opts *o;
	struct manifest m;
	struct restore_plan plan;
	struct buf data, dec;
};

void
verify_report_free(struct verify_report *v)
{
	free(v->id);
	strlist_free(&v->damage);
	memset(v, 0, sizeof *v);
}

static void
verify_damage(struct verify *vf, const struct err *one)
{
	strlist_add(&vf->v->damage, one->msg);
}

/* The member's stored bytes decode cleanly to the SQL size recorded. */
static int
verify_decode(struct verify *vf, const struct plan_member *pm,
    struct err *e)
{
	return verify_decode_member(&vf->codec, pm, &vf->data, &vf->dec,
	    &vf->v->raw_bytes, &vf->v->sealed, e);
}

/*
 * One member: a damage is recorded and the reading goes on (the reader
 * skips what was not read); -1 only when the stream itself broke.
 */
static int
verify_member(struct verify *vf, struct archive_reader *ar, const char *name,
    int64_t size, struct err *e)
{
	struct plan_member *pm;
	struct err one;

	err_clear(&one);
	if (restore_plan_accept(&vf->plan, name, &pm, &one) == -1 ||
	    restore_plan_check_size(pm, size, &one) == -1) {
		verify_damage(vf, &one);
		return 0;
	}
	if (archive_reader_member(ar, size, &vf->data, e) == -1)
		return err_prefix(e, "member %s", pm->name);
	vf->v->members++;
	if (restore_plan_check_sha256(pm, archive_reader_member_sha256(ar),
	    &one) == -1 ||
	    verify_decode(vf, pm, &one) == -1) {
		verify_damage(vf, &one);
		return 0;
	}
	if (vf->o->each != NULL &&
	    vf->o->each(vf->o->arg, pm->name, &vf->data, e) == -1)
		return -1;
	return 0;
}

/* After the last member: every promised one met, the file as recorded. */
static void
verify_end(struct verify *vf, struct archive_reader *ar)
{
	const struct plan_member *pm;
	struct err one;
	char hex[65];
	uint64_t bytes;
	size_t i;

	for (i = 0; i < vf->plan.nmembers; i++) {
		pm = &vf->plan.members[i];
		if (pm->seen)
			continue;
		err_set(&one, ERR_CORRUPT, "member %s listed in the manifest "
		    "is missing from the archive", pm->name);
		verify_damage(vf, &one);
	}
	if (archive_reader_end(ar, &bytes, hex, &one) == -1) {
		verify_damage(vf, &one);
		return;
	}
	vf->v->bytes = bytes;
	/* A damaged member already changed the file's hash: said above. */
	if (vf->v->damage.n > 0 && bytes == vf->m.archive_bytes)
		return;
	if (restore_plan_check_archive(&vf->plan, bytes, hex, &one) == -1)
		verify_damage(vf, &one);
}

static int
verify_stream(struct verify *vf, struct repo *r, const char *host,
    struct err *e)
{
	struct archive_reader *ar;
	struct source src;
	const char *name;
	struct err one;
	int64_t size;
	int more;

	if (repo_archive_open(r, host, vf->v->id, &src, e) == -1) {
		if (e->kind == ERR_NOT_FOUND)	/* the manifest promised one */
			err_set(e, ERR_CORRUPT, "backup %s/%s: its archive %s "
			    "is missing", host, vf->v->id, REPO_ARCHIVE);
		return -1;
	}
	if ((ar = archive_reader_new(&src, restore_plan_whole_sha256(&vf->plan) ?
	    ARCHIVE_CHECK_SHA256 : ARCHIVE_CHECK_DIGEST, e)) == NULL)
		return -1;
	for (;;) {
		if (signals_interrupted()) {
			archive_reader_free(ar);
			return err_set(e, ERR_INTERRUPTED, "interrupted");
		}
		name = NULL;
		err_clear(&one);
		if ((more = archive_reader_next(ar, &name, &size, &one)) == 1 &&
		    verify_member(vf, ar, name, size, &one) == 0)
			continue;
		if (more == 0)
			break;
		if (more == 1 && one.kind != ERR_CORRUPT) {
			*e = one;	/* the caller's own failure */
			archive_reader_free(ar);
			return -1;
		}
		/* The tar stream cannot be followed past this point. */
		if (more == -1 && name == NULL && vf->plan.last != NULL)
			err_prefix(&one, "after member %s", vf->plan.last);
		verify_damage(vf, &one);
		archive_reader_free(ar);
		return 0;
	}
	verify_end(vf, ar);
	archive_reader_free(ar);
	return 0;
}

int
verify_backup(struct repo *r, const char *host, const char *id_arg,
    const struct verify_opts *vo, struct verify_report *v, struct err *e)
{
	const struct crypt_identity *ident = vo->ident;
	struct restore_opts o;
	struct verify vf;
	double t0 = clock_seconds();
	int rc = -1;

	memset(&vf, 0, sizeof vf);
	vf.v = v;
	vf.o = vo;
	vf.codec.id = ident;
	manifest_init(&vf.m);
	restore_plan_init(&vf.plan);
	buf_init(&vf.data);
	buf_init(&vf.dec);
	if (backup_ref_find(r, host, id_arg, &v->id, e) == -1 ||
	    backup_ref_manifest(r, host, v->id, &vf.m, e) == -1)
		goto out;
	/* Another identity: checked as if there were none. */
	if (ident != NULL && crypt_identity_check(ident, vf.m.encrypted_to,
	    e) == -1) {
		log_warn("%s/%s: %s: members not decrypted", host, v->id,
		    e->msg);
		vf.codec.id = NULL;
	}
	memset(&o, 0, sizeof o);
	o.host = host;
	o.id = v->id;
	o.archive = REPO_ARCHIVE;
	o.target = host;
	if (restore_plan_build(&vf.plan, &vf.m, &o, e) == -1) {
		err_prefix(e, "manifest of %s/%s", host, v->id);
		goto out;
	}
	v->expected = vf.plan.nmembers;
	if (vo->each == NULL && vo->workers > 0 && repo_is_s3(r) &&
	    verify_ranged_ok(&vf.plan))
		rc = verify_ranged(r, &vf.plan, &vf.codec, vo->workers, v, e);
	else
		rc = verify_stream(&vf, r, host, e);
	v->secs = clock_seconds() - t0;
out:
	restore_plan_free(&vf.plan);
	manifest_free(&vf.m);
	buf_free(&vf.data);
	buf_free(&vf.dec);
	return rc;
}

int
verify_record(struct repo *r, const char *host,
    const struct verify_report *v, time_t now, struct err *e)
{
	char line[256], iso[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(line, sizeof line, "verified %s: %zu members, %llu bytes, "
	    "%.1f s, no damage\n", iso, v->members,
	    (unsigned long long)v->bytes, v->secs);
	return repo_put(r, host, v->id, REPO_VERIFIED, line, strlen(line), e);
}

int
verify_wanted(struct repo *r, const char *host, int when, time_t now,
    struct err *e)
{
	struct repo_entry *v = NULL;
	struct strlist ids;
	size_t n = 0, i;
	int due;

	if (when != VERIFY_WEEKLY)
		return verify_due((enum verify_when)when, NULL, 0, now);
	if (repo_list(r, host, &v, &n, e) == -1)
		return -1;
	memset(&ids, 0, sizeof ids);
	for (i = 0; i < n; i++)
		if (v[i].complete && v[i].verified)
			strlist_add(&ids, v[i].id);
	due = verify_due(VERIFY_WEEKLY, ids.v, ids.n, now);
	strlist_free(&ids);
	repo_entries_free(v, n);
	return due;
}
