/* Post-data members in cross-database view order (db/schema_order.h). */
#include "db/schema_order.h"

#include <stdlib.h>
#include <string.h>

#include "db/schema_int.h"
#include "util/xmalloc.h"

struct order {
	const struct schema_order_db *dbs;
	size_t n;
	int *state;		/* 0 new, 1 being placed, 2 placed */
	size_t *out, nout;
};

static int
has_name(const struct strlist *l, const char *name)
{
	size_t i;

	for (i = 0; l != NULL && i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 1;
	return 0;
}

/* Whether some view of a reads some view of b. */
static int
reads_views_of(const struct schema_order_db *a,
    const struct schema_order_db *b)
{
	struct strlist refs = { NULL, 0 };
	size_t i, k;
	int hit = 0;

	if (a->defs == NULL || b->views == NULL || b->views->n == 0)
		return 0;
	for (i = 0; i < a->defs->n && !hit; i++) {
		if (strchr(b->name, '`') == NULL &&
		    strstr(a->defs->v[i], b->name) == NULL)
			continue;	/* cannot name it: no lexing */
		schema_view_refs(a->defs->v[i], b->name, &refs);
		for (k = 0; k < refs.n && !hit; k++)
			hit = has_name(b->views, refs.v[k]);
		strlist_free(&refs);
	}
	return hit;
}

static void
place(struct order *o, size_t i)
{
	size_t j;

	if (o->state[i] != 0)
		return;
	o->state[i] = 1;
	/* each pair is looked at once: i is placed once */
	for (j = 0; j < o->n; j++)
		if (j != i && o->state[j] != 2 &&
		    reads_views_of(&o->dbs[i], &o->dbs[j]))
			place(o, j);
	o->state[i] = 2;
	o->out[o->nout++] = i;
}

void
schema_order_dbs(const struct schema_order_db *dbs, size_t n, size_t *order)
{
	struct order o;
	size_t i;

	o.dbs = dbs;
	o.n = n;
	o.state = xcalloc(n + 1, sizeof *o.state);
	o.out = order;
	o.nout = 0;
	for (i = 0; i < n; i++)
		place(&o, i);
	free(o.state);
}
