/* Verifying a backup by parallel ranged reads (job/verify_ranged.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "job/verify_ranged.h"
#include "stream/filter.h"
#include "stream/hash.h"
#include "util/signals.h"
#include "util/xmalloc.h"

/* Decoded a piece at a time: the SQL itself is never held whole. */
#define VR_PIECE	(256 * 1024)
/* A member whose SQL size the manifest does not give decodes to at most. */
#define VR_UNKNOWN_MAX	(16ULL << 30)
/* Ranges per worker aimed at, and the bounds of one range's span. */
#define VR_PER_WORKER	4
#define VR_SPAN_MIN	(64ULL * 1024)
#define VR_SPAN_MAX	(64ULL * 1024 * 1024)

struct vr_slot {
	struct buf gap;		/* archive bytes before the member's body */
	unsigned char sha[32];	/* of the body as read */
	int read;		/* body read whole */
	struct err damage;	/* ERR_OK: none */
	uint64_t raw;
	size_t sealed;
};

struct vr {
	struct repo *r;
	struct restore_plan *p;
	const struct codec *c;
	size_t *idx, n;		/* members in archive order */
	struct plan_range *rg;
	size_t nr;
	struct vr_slot *slot;	/* one per idx position */
	pthread_mutex_t mu;
	size_t next;		/* the next range to take */
	uint64_t bytes;		/* read, all workers */
	int failed;
	struct err fail;	/* the first worker's failure */
};

int
verify_decode_member(const struct codec *c, const struct plan_member *pm,
    const struct buf *data, struct buf *dec, uint64_t *raw, size_t *sealed,
    struct err *e)
{
	uint64_t cap = pm->raw_bytes ? pm->raw_bytes : VR_UNKNOWN_MAX;
	uint64_t decoded = 0;
	struct filter *f;
	size_t off = 0, n;
	int rc = 0;

	if (codec_is_encrypted(pm->name) && c->id == NULL) {
		(*sealed)++;	/* its SHA-256 covered what is stored */
		return 0;
	}
	if ((f = codec_decoder_new(c, pm->name, cap, e)) == NULL)
		return -1;
	do {
		n = data->len - off < VR_PIECE ? data->len - off : VR_PIECE;
		buf_reset(dec);
		if ((n > 0 && filter_process(f, data->data + off, n, dec,
		    e) == -1) || (off + n == data->len &&
		    filter_finish(f, dec, e) == -1)) {
			rc = err_prefix(e, "member %s", pm->name);
			break;
		}
		decoded += dec->len;
		off += n;
	} while (off < data->len);
	filter_free(f);
	if (rc == 0 && pm->raw_bytes != 0 && decoded != pm->raw_bytes)
		rc = err_set(e, ERR_CORRUPT, "member %s: decodes to %llu "
		    "bytes, manifest says %llu", pm->name,
		    (unsigned long long)decoded,
		    (unsigned long long)pm->raw_bytes);
	if (rc == 0)
		*raw += decoded;
	return rc;
}

int
verify_ranged_ok(const struct restore_plan *p)
{
	size_t i;

	if (p->m->archive_digest[0] == '\0' || p->nmembers == 0)
		return 0;
	for (i = 0; i < p->nmembers; i++)
		if (p->members[i].offset == 0 || p->members[i].sha256 == NULL)
			return 0;
	return 1;
}

/* n bytes of src into out (replacing); short: ERR_CORRUPT. */
static int
vr_read(struct source *src, uint64_t n, struct buf *out, uint64_t *bytes,
    struct err *e)
{
	buf_reset(out);
	return source_read_buf(src, n, out, bytes, e);
}

static uint64_t
vr_end(const struct vr *w, size_t i)
{
	const struct plan_member *pm = &w->p->members[w->idx[i]];

	return pm->offset + pm->bytes;
}

/* One member of a range: 1 when the range cannot go on past it. */
static int
vr_member(struct vr *w, struct source *src, size_t i, uint64_t *pos,
    struct buf *data, struct buf *dec, uint64_t *bytes, struct err *e)
{
	const struct plan_member *pm = &w->p->members[w->idx[i]];
	struct vr_slot *s = &w->slot[i];
	struct hash *h;
	char hex[65];

	if (pm->offset < *pos || pm->offset - *pos > VERIFY_GAP_MAX) {
		err_set(&s->damage, ERR_CORRUPT, "member %s: at offset %llu, "
		    "not after the tar header that follows byte %llu",
		    pm->name, (unsigned long long)pm->offset,
		    (unsigned long long)*pos);
		return 1;
	}
	if (vr_read(src, pm->offset - *pos, &s->gap, bytes, e) == -1 ||
	    vr_read(src, pm->bytes, data, bytes, e) == -1) {
		if (e->kind != ERR_CORRUPT)
			return -1;
		err_set(&s->damage, ERR_CORRUPT, "member %s: %s", pm->name,
		    e->msg);
		return 1;
	}
	*pos = pm->offset + pm->bytes;
	s->read = 1;
	h = hash_new(HASH_SHA256);
	hash_update(h, data->data, data->len);
	hash_final(h, s->sha);
	hash_free(h);
	hash_to_hex(s->sha, 32, hex);
	if (restore_plan_check_sha256(pm, hex, &s->damage) == -1)
		return 0;
	if (verify_decode_member(w->c, pm, data, dec, &s->raw, &s->sealed,
	    &s->damage) == -1)
		return 0;
	return 0;
}

/* Range k: from the end of the previous range's last member. */
static int
vr_range(struct vr *w, size_t k, struct buf *data, struct buf *dec,
    uint64_t *bytes, struct err *e)
{
	const struct plan_range *rg = &w->rg[k];
	uint64_t pos = rg->first == 0 ? 0 : vr_end(w, rg->first - 1);
	uint64_t end = vr_end(w, rg->first + rg->n - 1);
	struct source src;
	size_t i;
	int rc = 0;

	if (end < pos)
		end = pos;	/* overlapping offsets: each member says so */
	if (repo_archive_range(w->r, w->p->o.host, w->p->o.id, pos,
	    end - pos, &src, e) == -1)
		return -1;
	for (i = rg->first; i < rg->first + rg->n && rc == 0; i++) {
		if (signals_interrupted()) {
			rc = err_set(e, ERR_INTERRUPTED, "interrupted");
			break;
		}
		rc = vr_member(w, &src, i, &pos, data, dec, bytes, e);
	}
	source_close(&src);
	return rc == -1 ? -1 : 0;
}

static void *
vr_worker(void *arg)
{
	struct vr *w = arg;
	struct buf data, dec;
	uint64_t bytes = 0;
	struct err e;
	size_t k;

	buf_init(&data);
	buf_init(&dec);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		k = w->failed ? w->nr : w->next;
		if (k < w->nr)
			w->next++;
		pthread_mutex_unlock(&w->mu);
		if (k == w->nr)
			break;
		err_clear(&e);
		if (vr_range(w, k, &data, &dec, &bytes, &e) == -1) {
			pthread_mutex_lock(&w->mu);
			if (!w->failed)
				w->fail = e;
			w->failed = 1;
			pthread_mutex_unlock(&w->mu);
		}
	}
	pthread_mutex_lock(&w->mu);
	w->bytes += bytes;
	pthread_mutex_unlock(&w->mu);
	buf_free(&data);
	buf_free(&dec);
	return NULL;
}

/* The archive's size as the store lists it; the manifest's if unlisted. */
static uint64_t
vr_size(struct vr *w)
{
	struct repo_entry *ents = NULL;
	uint64_t size = w->p->m->archive_bytes;
	size_t n = 0, i;
	struct err le;

	if (repo_list(w->r, w->p->o.host, &ents, &n, &le) == -1)
		return size;
	for (i = 0; i < n; i++)
		if (strcmp(ents[i].id, w->p->o.id) == 0 &&
		    ents[i].archive_bytes >= 0)
			size = (uint64_t)ents[i].archive_bytes;
	repo_entries_free(ents, n);
	return size;
}

/* Starts the workers on every range and waits for them. */
static int
vr_run(struct vr *w, size_t workers, struct err *e)
{
	pthread_t *t = xcalloc(workers, sizeof *t);
	size_t i, started = 0;

	pthread_mutex_init(&w->mu, NULL);
	for (i = 0; i < workers; i++) {
		if (pthread_create(&t[i], NULL, vr_worker, w) != 0)
			break;
		started++;
	}
	if (started == 0)
		vr_worker(w);	/* no thread: this one does it all */
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&w->mu);
	free(t);
	if (w->failed) {
		*e = w->fail;
		if (e->kind == ERR_NOT_FOUND)	/* the manifest promised one */
			err_set(e, ERR_CORRUPT, "backup %s/%s: its archive %s "
			    "is missing", w->p->o.host, w->p->o.id,
			    REPO_ARCHIVE);
		return -1;
	}
	return 0;
}

/*
 * The bytes after the last member (the tar end) into tail, then the
 * digest over headers, member hashes and tail into hex.  0: computed.
 */
static int
vr_digest(struct vr *w, uint64_t size, struct buf *tail, char *hex,
    struct err *one, struct err *e)
{
	uint64_t last = vr_end(w, w->n - 1);
	unsigned char sum[32];
	struct source src;
	struct hash *h;
	size_t i;
	int rc;

	if (size < last || size - last > VERIFY_GAP_MAX)
		return err_set(one, ERR_CORRUPT, "archive %s/%s/%s: %llu "
		    "bytes, its last member ends at %llu", w->p->o.host,
		    w->p->o.id, REPO_ARCHIVE, (unsigned long long)size,
		    (unsigned long long)last);
	if (repo_archive_range(w->r, w->p->o.host, w->p->o.id, last,
	    size - last, &src, e) == -1)
		return -2;
	rc = vr_read(&src, size - last, tail, &w->bytes, one);
	source_close(&src);
	if (rc == -1)
		return one->kind == ERR_CORRUPT ? -1 : (*e = *one, -2);
	h = hash_new(HASH_SHA256);
	for (i = 0; i < w->n; i++) {
		hash_update(h, w->slot[i].gap.data, w->slot[i].gap.len);
		hash_update(h, w->slot[i].sha, 32);
	}
	hash_update(h, tail->data, tail->len);
	hash_final(h, sum);
	hash_free(h);
	hash_to_hex(sum, 32, hex);
	return 0;
}

/* Each member's damage in archive order, then the whole archive's. */
static int
vr_report(struct vr *w, uint64_t size, struct verify_report *v,
    struct err *e)
{
	const struct plan_member *pm;
	struct buf tail;
	struct err one;
	size_t i, unread = 0;
	char hex[65];
	int rc;

	for (i = 0; i < w->n; i++) {
		pm = &w->p->members[w->idx[i]];
		if (w->slot[i].damage.kind != ERR_OK)
			strlist_add(&v->damage, w->slot[i].damage.msg);
		else if (!w->slot[i].read) {
			err_set(&one, ERR_CORRUPT, "member %s: not read, the "
			    "archive cannot be followed up to it", pm->name);
			strlist_add(&v->damage, one.msg);
		}
		if (!w->slot[i].read) {
			unread++;
			continue;
		}
		v->members++;
		v->raw_bytes += w->slot[i].raw;
		v->sealed += w->slot[i].sealed;
	}
	if (unread > 0)
		return 0;	/* no digest without every body's hash */
	buf_init(&tail);
	err_clear(&one);
	rc = vr_digest(w, size, &tail, hex, &one, e);
	buf_free(&tail);
	if (rc == -2)
		return -1;
	if (rc == 0 && v->damage.n > 0 && size == w->p->m->archive_bytes)
		return 0;	/* a damaged member changed the digest: said */
	if (rc == -1 || restore_plan_check_archive(w->p, size, hex,
	    &one) == -1)
		strlist_add(&v->damage, one.msg);
	return 0;
}

int
verify_ranged(struct repo *r, struct restore_plan *p, const struct codec *c,
    size_t workers, struct verify_report *v, struct err *e)
{
	struct vr w;
	uint64_t size, span;
	size_t i;
	int rc;

	memset(&w, 0, sizeof w);
	w.r = r;
	w.p = p;
	w.c = c;
	for (i = 0; i < p->nmembers; i++)
		p->members[i].needed = 1;
	w.idx = xcalloc(p->nmembers, sizeof *w.idx);
	w.n = restore_plan_fetch_order(p, w.idx);
	w.rg = xcalloc(w.n, sizeof *w.rg);
	w.slot = xcalloc(w.n, sizeof *w.slot);
	for (i = 0; i < w.n; i++)
		buf_init(&w.slot[i].gap);
	size = vr_size(&w);
	workers = workers < 1 ? 1 : workers;
	span = size / (workers * VR_PER_WORKER);
	span = span < VR_SPAN_MIN ? VR_SPAN_MIN : span > VR_SPAN_MAX ?
	    VR_SPAN_MAX : span;
	w.nr = restore_plan_ranges(p, w.idx, w.n, UINT64_MAX, span, w.rg);
	v->ranges = w.nr;
	v->workers = workers < w.nr ? workers : w.nr;
	rc = vr_run(&w, v->workers, e);
	if (rc == 0)
		rc = vr_report(&w, size, v, e);
	v->bytes = w.bytes;
	for (i = 0; i < w.n; i++)
		buf_free(&w.slot[i].gap);
	free(w.slot);
	free(w.rg);
	free(w.idx);
	return rc;
}
