/*
 * The members a restore plan needs, fetched from the repository by ranged
 * reads of the archive (repo_archive_range) rather than by streaming it
 * whole: in archive order (a valid run order), near members grouped into
 * one read (restore_plan_ranges), the bytes between them skipped, each
 * member held whole in memory once, checked against the manifest (size,
 * SHA-256) and handed to the caller in archive order.  Members the plan
 * marks not needed are never read.  Only for a plan that
 * restore_plan_ranged accepts.
 *
 * Locally one range is read at a time, each member handed on before the
 * next is read.  On S3, where one GET is bounded by its round trips and
 * one connection's window, FETCH_WORKERS threads each read a range of at
 * most FETCH_PAR_SPAN bytes (or one larger member) ahead with its own GET,
 * resumed from its own next byte when dropped (repo_archive_range), at
 * most FETCH_AHEAD ranges past the one being handed on: memory is bounded
 * by FETCH_AHEAD ranges, whatever the archive's size.
 */
#ifndef MYSHIP_JOB_RESTORE_FETCH_H
#define MYSHIP_JOB_RESTORE_FETCH_H

#include <stdint.h>

#include "policy/restore_plan.h"
#include "repo/repo.h"
#include "util/buf.h"
#include "util/err.h"

/* Bytes between two members read through rather than asked again for, on
 * S3 (a request costs a round trip); locally a seek costs nothing: 0. */
#define FETCH_GAP	(64 * 1024)
/* The most one read spans (one range at a time). */
#define FETCH_SPAN	(256ULL * 1024 * 1024)
/* S3: GETs in flight, ranges held, and the span of one. */
#define FETCH_WORKERS	4
#define FETCH_AHEAD	5
#define FETCH_PAR_SPAN	(4ULL * 1024 * 1024)

/* Called with each member in turn; data may be taken over. */
typedef int (*fetch_fn)(void *ctx, struct plan_member *pm, struct buf *data,
    struct err *e);

/*
 * Fetches the needed members of p's backup (p->o.host, p->o.id) from r.
 * *bytes gets the bytes read from the repository, also on failure.
 */
int restore_fetch(struct repo *r, struct restore_plan *p, fetch_fn fn,
    void *ctx, uint64_t *bytes, struct err *e);

/*
 * restore --diff (policy/restore_diff.h): the schema members first, each
 * handed to fn, which runs it and compares its tables (marking skip the
 * chunks the target holds); settle(ctx) then decides the tables still
 * being compared; then only the members still needed.  For a plan
 * restore_plan_ranged accepts with whole set.
 */
int restore_fetch_diff(struct repo *r, struct restore_plan *p, fetch_fn fn,
    int (*settle)(void *ctx, struct err *e), void *ctx, uint64_t *bytes,
    struct err *e);

#endif
