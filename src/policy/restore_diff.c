/* restore --diff's decisions (policy/restore_diff.h). */
#include "policy/restore_diff.h"

#include <string.h>

#include "util/show.h"

static int
is_chunk_of(const struct plan_member *pm, size_t t)
{
	return pm->kind == PLAN_DATA && pm->table == (long)t;
}

int
restore_diff_check(const struct restore_plan *p, struct err *e)
{
	const struct plan_member *pm;
	size_t i;

	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[i];
		if (pm->kind == PLAN_DATA && p->dbs[pm->db].selected &&
		    (pm->chunk == NULL || pm->chunk->values_sha256[0] == '\0'))
			return err_set(e, ERR_REFUSED, "backup %s/%s records no "
			    "values fingerprint of its chunks (taken before "
			    "values_sha256, member %s): --diff cannot compare "
			    "it, restore it whole with --force", p->o.host,
			    p->o.id, pm->name);
	}
	return 0;
}

int
restore_diff_keyed(const struct restore_plan *p, size_t t)
{
	size_t i;

	for (i = 0; i < p->nmembers; i++)
		if (is_chunk_of(&p->members[i], t) &&
		    !restore_plan_chunk_keyed(&p->members[i]))
			return 0;
	return 1;
}

int
restore_diff_by_sum(const struct restore_plan *p, size_t t)
{
	return !restore_diff_keyed(p, t) &&
	    p->tables[t].mt->values_sum[0] != '\0';
}

/* Marks every chunk of t skip (or none), counting them. */
static void
mark_all(struct restore_plan *p, size_t t, int skip,
    struct plan_diff_table *out)
{
	size_t i;

	for (i = 0; i < p->nmembers; i++) {
		if (!is_chunk_of(&p->members[i], t))
			continue;
		p->members[i].skip = skip;
		out->compared++;
		if (skip)
			out->same++;
		else
			out->reload++;
	}
}

int
restore_diff_table(struct restore_plan *p, size_t t, int schema_same,
    char *const *sums, uint64_t extra, struct plan_diff_table *out,
    struct err *e)
{
	char what[2 * SHOW_MAX + 2];
	struct plan_member *pm;
	size_t i, j = 0;
	int keyed = restore_diff_keyed(p, t), same;

	memset(out, 0, sizeof *out);
	if (!schema_same) {
		restore_plan_table_what(p, t, what, sizeof what);
		if (!p->o.force)
			return err_set(e, ERR_REFUSED, "table %s on host %s: "
			    "its definition differs from the backup's "
			    "(--force reloads it whole)", what, p->o.target);
		out->how = PLAN_DIFF_WHOLE;
		mark_all(p, t, 0, out);
		return 0;
	}
	if (restore_diff_by_sum(p, t)) {
		same = sums[0] != NULL &&
		    strcmp(sums[0], p->tables[t].mt->values_sum) == 0;
		out->how = same ? PLAN_DIFF_SAME : PLAN_DIFF_WHOLE;
		mark_all(p, t, same, out);
		return 0;
	}
	if (!keyed) {
		for (i = 0, same = extra == 0; i < p->nmembers; i++)
			if (is_chunk_of(&p->members[i], t)) {
				pm = &p->members[i];
				same = same && sums[j] != NULL && strcmp(sums[j],
				    pm->chunk->values_sha256) == 0;
				j++;
			}
		out->how = same ? PLAN_DIFF_SAME : PLAN_DIFF_WHOLE;
		mark_all(p, t, same, out);
		return 0;
	}
	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[i];
		if (!is_chunk_of(pm, t))
			continue;
		pm->skip = sums[j] != NULL && strcmp(sums[j],
		    pm->chunk->values_sha256) == 0;
		j++;
		out->compared++;
		out->same += pm->skip;
		out->reload += !pm->skip;
	}
	out->how = out->reload > 0 ? PLAN_DIFF_CHUNKS : PLAN_DIFF_SAME;
	return 0;
}

void
restore_diff_phase_schema(struct restore_plan *p, unsigned char *want)
{
	struct plan_member *pm;
	size_t i;

	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[i];
		want[i] = pm->needed != 0;
		pm->needed = want[i] && pm->kind == PLAN_SCHEMA;
	}
}

void
restore_diff_phase_rest(struct restore_plan *p, const unsigned char *want)
{
	struct plan_member *pm;
	size_t i;

	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[i];
		pm->needed = want[i] && !pm->seen && !pm->skip;
	}
}

uint64_t
restore_diff_left(const struct restore_plan *p)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < p->nmembers; i++)
		if (p->members[i].skip)
			n += p->members[i].bytes;
	return n;
}
