/*
 * restore --diff's decisions, as marks on a restore plan
 * (policy/restore_plan.h): a data member whose rows the target already
 * holds gets skip, and is then never fetched nor loaded.  Pure: the
 * target's fingerprints (db/dump_rowsum.h) are the caller's.
 *
 * A table the target has is compared chunk by chunk when every chunk of
 * it has a key range: a chunk whose values fingerprint (manifest [chunk]
 * values_sha256) equals the target's over the same range is left, the
 * others are reloaded (their range deleted, then the member loaded), and
 * the target's rows outside every range are deleted.  A table whose
 * chunks have no key is compared whole (its rows cut at each chunk's row
 * count, in scan order): identical, it is left; else emptied and loaded
 * whole.  When the manifest records its values_sum (an order-free
 * fingerprint: [table N] values_sum), that is compared instead, so the
 * rows may come back in any order (restore_diff_by_sum).  A table whose
 * definition differs is refused, or with --force dropped and loaded
 * whole.  A table the target lacks is created and
 * loaded as a full restore does.
 *
 * Reading: when the manifest says where every needed member lies
 * (restore_plan_ranged with whole set), the schema members are fetched and run first,
 * which compares every table the target has, and only then the members
 * still needed, by ranges (restore_diff_phase_schema, _phase_rest): the
 * chunks the target holds are never read from the repository.  Else the
 * archive is streamed and they are read past.
 */
#ifndef MYSHIP_RESTORE_DIFF_H
#define MYSHIP_RESTORE_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "policy/restore_plan.h"
#include "util/err.h"

/*
 * ERR_REFUSED naming the backup when a selected data member has no rows
 * fingerprint (a backup taken before values_sha256 was recorded).
 */
int restore_diff_check(const struct restore_plan *p, struct err *e);

/* Whether table t is compared chunk by chunk (each chunk has a range). */
int restore_diff_keyed(const struct restore_plan *p, size_t t);

/*
 * Whether table t (whose chunks have no range) is compared by its
 * manifest values_sum rather than chunk by chunk in scan order.
 */
int restore_diff_by_sum(const struct restore_plan *p, size_t t);

enum plan_diff {
	PLAN_DIFF_SAME,		/* every chunk is there: nothing to do */
	PLAN_DIFF_CHUNKS,	/* reload the chunks not marked skip */
	PLAN_DIFF_WHOLE		/* empty it (or, schema: recreate) and load all */
};

struct plan_diff_table {
	enum plan_diff how;
	size_t compared, same, reload;	/* its chunks */
};

/*
 * Decides table t: schema_same says whether the target's definition is
 * the backup's; sums[i] is the target's fingerprint of the i-th data
 * member of t in plan order (NULL: none), or, restore_diff_by_sum, sums[0]
 * its values_sum; extra counts the target's rows in no chunk (a table
 * compared whole in scan order: past the last).  Marks skip on
 * the members to leave.  ERR_REFUSED for a definition that differs,
 * without --force.
 */
int restore_diff_table(struct restore_plan *p, size_t t, int schema_same,
    char *const *sums, uint64_t extra, struct plan_diff_table *out,
    struct err *e);


/*
 * Before the comparison: want[i] (nmembers bytes) gets whether member i
 * is needed, and only the schema members among them stay needed.
 */
void restore_diff_phase_schema(struct restore_plan *p, unsigned char *want);

/*
 * After it: needed again are the members of want not yet read (seen) and
 * not marked skip: the data that differs, post-data, accounts.
 */
void restore_diff_phase_rest(struct restore_plan *p,
    const unsigned char *want);

/* The bytes (in the archive) of the members marked skip. */
uint64_t restore_diff_left(const struct restore_plan *p);

#endif
