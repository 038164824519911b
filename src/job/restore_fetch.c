/* A restore's needed members by ranged reads (job/restore_fetch.h). */
#include <stdlib.h>
#include <string.h>

#include "job/restore_fetch.h"
#include "policy/restore_diff.h"
#include "stream/hash.h"
#include "util/signals.h"
#include "util/xmalloc.h"

/* The members of one range: read, checked, handed on, one at a time. */
static int
fetch_range(struct repo *r, struct restore_plan *p, const size_t *idx,
    const struct plan_range *rg, fetch_fn fn, void *ctx, uint64_t *bytes,
    struct err *e)
{
	struct source src;
	struct plan_member *pm;
	struct err se;
	struct buf data;
	uint64_t pos = rg->offset;
	char hex[65];
	size_t i;
	int rc = -1;

	if (repo_archive_range(r, p->o.host, p->o.id, rg->offset, rg->length,
	    &src, &se) == -1) {
		*e = se;
		return -1;
	}
	buf_init(&data);
	for (i = 0; i < rg->n; i++) {
		pm = &p->members[idx[rg->first + i]];
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted");
			goto out;
		}
		buf_reset(&data);
		/* what lies between (headers, members not needed) */
		if (source_read_buf(&src, pm->offset - pos, &data, bytes, e) == -1)
			goto fail;
		buf_reset(&data);
		if (source_read_buf(&src, pm->bytes, &data, bytes, e) == -1)
			goto fail;
		pos = pm->offset + pm->bytes;
		pm->seen = 1;
		p->last = pm->name;
		hash_hex(HASH_SHA256, data.data, data.len, hex);
		if (restore_plan_check_sha256(pm, hex, e) == -1 ||
		    fn(ctx, pm, &data, e) == -1)
			goto out;
	}
	rc = 0;
	goto out;
fail:
	err_prefix(e, "member %s", pm->name);
out:
	source_close(&src);
	buf_free(&data);
	return rc;
}

int
restore_fetch(struct repo *r, struct restore_plan *p, fetch_fn fn,
    void *ctx, uint64_t *bytes, struct err *e)
{
	size_t *idx = xcalloc(p->nmembers ? p->nmembers : 1, sizeof *idx);
	struct plan_range *rg;
	size_t i, n, nr;
	int rc = 0;

	n = restore_plan_fetch_order(p, idx);
	rg = xcalloc(n ? n : 1, sizeof *rg);
	nr = restore_plan_ranges(p, idx, n, repo_is_s3(r) ? FETCH_GAP : 0,
	    FETCH_SPAN, rg);
	for (i = 0; i < nr && rc == 0; i++)
		rc = fetch_range(r, p, idx, &rg[i], fn, ctx, bytes, e);
	free(rg);
	free(idx);
	return rc;
}

int
restore_fetch_diff(struct repo *r, struct restore_plan *p, fetch_fn fn,
    void *ctx, uint64_t *bytes, struct err *e)
{
	unsigned char *want = xcalloc(p->nmembers ? p->nmembers : 1, 1);
	int rc;

	restore_diff_phase_schema(p, want);
	rc = restore_fetch(r, p, fn, ctx, bytes, e);
	restore_diff_phase_rest(p, want);
	if (rc == 0)
		rc = restore_fetch(r, p, fn, ctx, bytes, e);
	free(want);
	return rc;
}
