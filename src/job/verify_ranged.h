/*
 * Verifying a backup by ranged reads of its archive, in parallel: for an
 * S3 repository and a manifest that records every member's offset, size
 * and SHA-256 and the archive digest (stream/digest.h).  The members, in
 * archive order, are cut into ranges (restore_plan_ranges) that together
 * cover the whole archive, tar headers included; `workers` threads each
 * take the next range and read it with its own GET (repo_archive_range),
 * one member at a time: its size and SHA-256 against the manifest, then
 * decoded as verify_backup does.  So at most `workers` members are in
 * memory at once, plus the tar headers between them (kept for the digest,
 * at most VERIFY_GAP_MAX before each member).  The archive digest is then
 * computed from those headers, each member body's own SHA-256 and the
 * archive's tail, and its size is the listed object's.  A damaged member
 * is one line of the report, as in the stream; a member a range could not
 * reach (the archive ends early) is reported missing.
 */
#ifndef MYSHIP_JOB_VERIFY_RANGED_H
#define MYSHIP_JOB_VERIFY_RANGED_H

#include <stddef.h>
#include <stdint.h>

#include "job/verify_backup.h"
#include "policy/restore_plan.h"
#include "repo/repo.h"
#include "stream/codec.h"
#include "util/buf.h"
#include "util/err.h"

/* Tar headers (and padding) before one member: more is damage. */
#define VERIFY_GAP_MAX	(1024 * 1024)

/*
 * Whether p's backup can be verified by ranges: every member has an
 * offset and a SHA-256, and the manifest has an archive digest.
 */
int verify_ranged_ok(const struct restore_plan *p);

/*
 * Verifies p's backup (p->o.host, p->o.id) from r into v (members,
 * bytes, raw_bytes, sealed, damage, ranges, workers).  Returns -1 only
 * when it could not be verified at all (ERR_REPO, ERR_INTERRUPTED, or
 * ERR_CORRUPT for a missing archive).
 */
int verify_ranged(struct repo *r, struct restore_plan *p,
    const struct codec *c, size_t workers, struct verify_report *v,
    struct err *e);

/*
 * Decodes one member's stored bytes (in pieces, into dec) and checks the
 * SQL size the manifest records: *raw gets the bytes decoded; an
 * encrypted member without the identity only counts in *sealed.
 * ERR_CORRUPT naming the member.  Thread-safe (c is only read).
 */
int verify_decode_member(const struct codec *c, const struct plan_member *pm,
    const struct buf *data, struct buf *dec, uint64_t *raw, size_t *sealed,
    struct err *e);

#endif
