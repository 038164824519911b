/*
 * The restore plan's selection of tables (--table) and of the members a
 * restore needs, and the grouping of those into ranged reads
 * (policy/restore_plan_int.h).
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "policy/restore_plan_int.h"
#include "util/show.h"
#include "util/xmalloc.h"

/* A database a --table pattern may look in: any, or those --database named. */
static int
sel_candidate(const struct restore_plan *p, size_t db)
{
	return p->o.ndbs == 0 || p->dbs[db].selected;
}

/*
 * DB.T, where both may hold '.': cut at the first '.' whose left part
 * matches a database it may look in: that '.', or NULL.
 */
static char *
sel_split(const struct restore_plan *p, char *arg)
{
	char *dot;
	size_t i;
	int hit;

	for (dot = strchr(arg, '.'); dot != NULL; dot = strchr(dot + 1, '.')) {
		*dot = '\0';
		for (hit = 0, i = 0; i < p->ndbs && !hit; i++)
			hit = sel_candidate(p, i) &&
			    fnmatch(arg, p->dbs[i].md->name, 0) == 0;
		*dot = '.';
		if (hit)
			return dot;
	}
	return NULL;
}

/* Marks the tables one pattern names; ERR_NOT_FOUND when none. */
static int
sel_pattern(struct restore_plan *p, const char *pattern, struct err *e)
{
	char shown[SHOW_MAX];
	const struct manifest_table *mt;
	char *arg = xstrdup(pattern), *dot;
	size_t i, n = 0;

	if ((dot = sel_split(p, arg)) != NULL) {
		*dot = '\0';
		for (i = 0; i < p->ntables; i++) {
			mt = p->tables[i].mt;
			if (sel_candidate(p, p->tables[i].db) &&
			    fnmatch(arg, mt->db, 0) == 0 &&
			    fnmatch(dot + 1, mt->name, 0) == 0) {
				p->tables[i].selected = 1;
				n++;
			}
		}
	}
	free(arg);
	if (n == 0)
		return err_set(e, ERR_NOT_FOUND, "--table %s: no such table in "
		    "backup %s/%s%s", show_str(pattern, shown, sizeof shown),
		    p->o.host, p->o.id, p->o.ndbs > 0 ? " (in the databases "
		    "--database names)" : "");
	return 0;
}

int
plan_select_tables(struct restore_plan *p, struct err *e)
{
	size_t i;

	for (i = 0; i < p->ntables; i++)
		p->tables[i].selected = p->o.ntabs == 0 &&
		    p->dbs[p->tables[i].db].selected;
	if (p->o.ntabs == 0)
		return 0;
	for (i = 0; i < p->o.ntabs; i++)
		if (sel_pattern(p, p->o.tabs[i], e) == -1)
			return -1;
	if (p->o.ndbs == 0)
		for (i = 0; i < p->ndbs; i++)
			p->dbs[i].selected = 0;
	for (i = 0; i < p->ntables; i++)
		if (p->tables[i].selected)
			p->dbs[p->tables[i].db].selected = 1;
	for (i = 0; i < p->ndbs; i++)
		p->dbs[i].partial = p->dbs[i].selected;
	return 0;
}

void
plan_needs(struct restore_plan *p)
{
	struct plan_member *pm;
	const struct plan_db *d;
	struct plan_db *w;
	const struct manifest_table *mt;
	size_t i;

	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[i];
		d = &p->dbs[pm->db];
		if (pm->kind == PLAN_USERS) {
			pm->needed = p->o.users;
			continue;
		}
		pm->needed = d->selected && (pm->kind == PLAN_SCHEMA ||
		    !d->partial || (pm->kind == PLAN_DATA && pm->table != -1 &&
		    p->tables[pm->table].selected));
	}
	for (i = 0; i < p->ndbs; i++)
		if (p->dbs[i].partial) {
			w = &p->dbs[i];
			w->ntables = 0;
			w->rows = w->bytes = w->raw_bytes = 0;
		}
	for (i = 0; i < p->ntables; i++) {
		w = &p->dbs[p->tables[i].db];
		mt = p->tables[i].mt;
		if (!w->partial || !p->tables[i].selected)
			continue;
		w->ntables++;
		w->rows += mt->rows;
		w->bytes += mt->bytes;
		w->raw_bytes += mt->raw_bytes;
	}
}

int
restore_plan_object_wanted(const struct restore_plan *p, size_t db,
    const char *name)
{
	long t;

	if (!p->dbs[db].partial)
		return 1;
	t = restore_plan_table(p, p->dbs[db].md->name, name);
	return t != -1 && p->tables[t].selected;
}

int
restore_plan_ranged(const struct restore_plan *p, int whole)
{
	const struct plan_member *pm;
	size_t i;
	int some_not = whole;

	for (i = 0; i < p->nmembers; i++) {
		pm = &p->members[i];
		if (!pm->needed)
			some_not = 1;
		else if (pm->offset == 0 || pm->sha256 == NULL)
			return 0;
	}
	return some_not;
}

struct sel_pos {
	uint64_t offset;
	size_t idx;
};

static int
pos_cmp(const void *x, const void *y)
{
	const struct sel_pos *a = x, *b = y;

	return a->offset < b->offset ? -1 : a->offset > b->offset;
}

size_t
restore_plan_fetch_order(const struct restore_plan *p, size_t *idx)
{
	struct sel_pos *v = xcalloc(p->nmembers ? p->nmembers : 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < p->nmembers; i++)
		if (p->members[i].needed) {
			v[n].offset = p->members[i].offset;
			v[n++].idx = i;
		}
	qsort(v, n, sizeof *v, pos_cmp);
	for (i = 0; i < n; i++)
		idx[i] = v[i].idx;
	free(v);
	return n;
}

size_t
restore_plan_ranges(const struct restore_plan *p, const size_t *idx,
    size_t n, uint64_t gap, uint64_t span, struct plan_range *out)
{
	const struct plan_member *pm;
	struct plan_range *r = NULL;
	uint64_t end;
	size_t i, nr = 0;

	for (i = 0; i < n; i++) {
		pm = &p->members[idx[i]];
		end = pm->offset + pm->bytes;
		if (r != NULL && pm->offset >= r->offset + r->length &&
		    pm->offset - (r->offset + r->length) <= gap &&
		    end - r->offset <= span) {
			r->length = end - r->offset;
			r->n++;
			continue;
		}
		r = &out[nr++];
		r->offset = pm->offset;
		r->length = pm->bytes;
		r->first = i;
		r->n = 1;
	}
	return nr;
}
