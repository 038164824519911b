/* restore --diff's decisions (policy/restore_diff.h) on plans in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/restore_diff.h"
#include "tap.h"
#include "util/xmalloc.h"

static const char sha_x[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static char sums_a[4][65], sums_b[4][65];

/* db s: keyed (4 chunks with ranges), flat (2 chunks without), none. */
static void
sample(struct manifest *m, int with_sums)
{
	struct manifest_db *d;
	struct manifest_table *t;
	struct manifest_chunk *c;
	const char *names[] = { "keyed", "flat", "none" };
	size_t counts[] = { 4, 2, 0 }, i, j;

	manifest_init(m);
	m->id = xstrdup("ID");
	m->host = xstrdup("h");
	d = manifest_add_db(m);
	d->name = xstrdup("s");
	d->schema_member = xstrdup("0-schema/s.sql.zst");
	for (i = 0; i < 3; i++) {
		t = manifest_add_table(m);
		t->db = xstrdup("s");
		t->name = xstrdup(names[i]);
		t->engine = xstrdup("InnoDB");
		t->nchunks = counts[i];
		for (j = 0; j < counts[i]; j++) {
			c = manifest_add_chunk(m);
			c->member = xasprintf("1-data/s/%s/%06zu.sql.zst",
			    names[i], j + 1);
			c->db = xstrdup("s");
			c->table = xstrdup(names[i]);
			c->first_key = i == 0 ? xasprintf("%zu", j * 10) :
			    xstrdup("");
			c->last_key = i == 0 ? xasprintf("%zu", j * 10 + 9) :
			    xstrdup("");
			c->rows = 10;
			memcpy(c->sha256, sha_x, 65);
			if (with_sums)
				memcpy(c->values_sha256, i == 0 ? sums_a[j] :
				    sums_b[j], 65);
		}
	}
}

static int
build(struct restore_plan *p, const struct manifest *m, int force)
{
	struct restore_opts o;
	struct err e;

	memset(&o, 0, sizeof o);
	o.host = "h";
	o.id = "ID";
	o.target = "tgt";
	o.diff = 1;
	o.force = force;
	return restore_plan_build(p, m, &o, &e);
}

static size_t
skipped(const struct restore_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nmembers; i++)
		n += p->members[i].skip;
	return n;
}

int
main(void)
{
	struct manifest m;
	struct restore_plan p;
	struct plan_diff_table dt;
	struct restore_opts o;
	struct err e;
	char *sums[4];
	unsigned char *want;
	size_t i, n;

	for (i = 0; i < 4; i++) {
		snprintf(sums_a[i], 65, "%064zx", i + 1);
		snprintf(sums_b[i], 65, "%064zx", i + 100);
	}
	sample(&m, 1);
	CHECK_INT(build(&p, &m, 0), 0);
	CHECK_INT(restore_diff_check(&p, &e), 0);
	CHECK(restore_diff_keyed(&p, 0));
	CHECK(!restore_diff_keyed(&p, 1));
	CHECK(restore_diff_keyed(&p, 2));
	CHECK(!p.tables[0].defer);

	/* keyed: chunks 2 and 4 differ, 3 has no sum: 1 identical */
	sums[0] = sums_a[0];
	sums[1] = sums_b[1];
	sums[2] = NULL;
	sums[3] = sums_a[1];
	CHECK_INT(restore_diff_table(&p, 0, 1, sums, 5, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_CHUNKS);
	CHECK_INT(dt.compared, 4);
	CHECK_INT(dt.same, 1);
	CHECK_INT(dt.reload, 3);
	CHECK_INT(skipped(&p), 1);
	CHECK(restore_plan_member(&p, "1-data/s/keyed/000001.sql.zst")->skip);
	CHECK(!restore_plan_member(&p, "1-data/s/keyed/000002.sql.zst")->skip);

	/* all identical: nothing to reload, rows past every range aside */
	for (i = 0; i < 4; i++)
		sums[i] = sums_a[i];
	CHECK_INT(restore_diff_table(&p, 0, 1, sums, 7, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_SAME);
	CHECK_INT(dt.same, 4);
	CHECK_INT(skipped(&p), 4);

	/* a table without keys: whole, identical or not at all */
	sums[0] = sums_b[0];
	sums[1] = sums_b[1];
	CHECK_INT(restore_diff_table(&p, 1, 1, sums, 0, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_SAME);
	CHECK_INT(skipped(&p), 6);
	CHECK_INT(restore_diff_table(&p, 1, 1, sums, 1, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_WHOLE);	/* one row too many */
	CHECK_INT(dt.reload, 2);
	CHECK_INT(skipped(&p), 4);
	sums[1] = sums_b[2];
	CHECK_INT(restore_diff_table(&p, 1, 1, sums, 0, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_WHOLE);
	CHECK_INT(skipped(&p), 4);

	/* with its values_sum: compared by that alone, rows in any order */
	CHECK(!restore_diff_by_sum(&p, 1));
	memcpy(m.tables[0].values_sum, sums_a[3], 65);
	memcpy(m.tables[1].values_sum, sums_a[3], 65);
	CHECK(!restore_diff_by_sum(&p, 0));	/* keyed: chunk by chunk */
	CHECK(restore_diff_by_sum(&p, 1));
	sums[0] = sums_a[3];
	sums[1] = NULL;
	CHECK_INT(restore_diff_table(&p, 1, 1, sums, 0, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_SAME);
	CHECK_INT(dt.same, 2);
	CHECK_INT(skipped(&p), 6);
	sums[0] = sums_b[3];
	CHECK_INT(restore_diff_table(&p, 1, 1, sums, 0, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_WHOLE);
	CHECK_INT(dt.reload, 2);
	CHECK_INT(skipped(&p), 4);
	sums[0] = NULL;
	CHECK_INT(restore_diff_table(&p, 1, 1, sums, 0, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_WHOLE);
	m.tables[0].values_sum[0] = m.tables[1].values_sum[0] = '\0';
	CHECK(!restore_diff_by_sum(&p, 1));

	/* a table without chunks: its rows on the target are all outside */
	CHECK_INT(restore_diff_table(&p, 2, 1, sums, 3, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_SAME);
	CHECK_INT(dt.compared, 0);

	/* ranged: unknown offsets stream; schema first, then what differs */
	CHECK(!restore_plan_ranged(&p, 1));
	for (i = 0; i < p.nmembers; i++) {
		p.members[i].offset = 512 * (i + 1);
		p.members[i].bytes = 100;
		if (p.members[i].sha256 == NULL)
			p.members[i].sha256 = sha_x;
	}
	CHECK(restore_plan_ranged(&p, 1));
	CHECK_INT(restore_diff_left(&p), 400);
	want = xcalloc(p.nmembers, 1);
	restore_diff_phase_schema(&p, want);
	for (i = 0, n = 0; i < p.nmembers; i++) {
		CHECK(want[i]);
		n += p.members[i].needed;
		CHECK(!p.members[i].needed ||
		    p.members[i].kind == PLAN_SCHEMA);
	}
	CHECK_INT(n, 1);
	restore_plan_member(&p, "0-schema/s.sql.zst")->seen = 1;
	restore_diff_phase_rest(&p, want);
	CHECK(!restore_plan_member(&p, "0-schema/s.sql.zst")->needed);
	CHECK(!restore_plan_member(&p, "1-data/s/keyed/000001.sql.zst")->
	    needed);
	CHECK(restore_plan_member(&p, "1-data/s/flat/000002.sql.zst")->needed);
	for (i = 0, n = 0; i < p.nmembers; i++)
		n += p.members[i].needed;
	CHECK_INT(n, p.nmembers - 1 - 4);
	/* a needed member not located */
	restore_plan_member(&p, "1-data/s/flat/000002.sql.zst")->offset = 0;
	CHECK(!restore_plan_ranged(&p, 1));
	free(want);

	/* a definition that differs: refused, or whole with --force */
	CHECK_INT(restore_diff_table(&p, 0, 0, sums, 0, &dt, &e), -1);
	CHECK_INT(e.kind, ERR_REFUSED);
	CHECK(strstr(e.msg, "table s.keyed on host tgt: its definition "
	    "differs") != NULL);
	restore_plan_free(&p);
	CHECK_INT(build(&p, &m, 1), 0);
	CHECK_INT(restore_diff_table(&p, 0, 0, sums, 0, &dt, &e), 0);
	CHECK_INT(dt.how, PLAN_DIFF_WHOLE);
	CHECK_INT(dt.reload, 4);
	CHECK_INT(skipped(&p), 0);
	restore_plan_free(&p);
	manifest_free(&m);

	/* a backup without values fingerprints (older: rows_sha256) is refused; --diff --resume */
	sample(&m, 0);
	CHECK_INT(build(&p, &m, 0), 0);
	CHECK_INT(restore_diff_check(&p, &e), -1);
	CHECK_INT(e.kind, ERR_REFUSED);
	CHECK(strstr(e.msg, "backup h/ID records no values fingerprint") != NULL);
	CHECK(strstr(e.msg, "--force") != NULL);
	/* the nonempty target that --diff goes into is not refused */
	p.dbs[0].exists = p.dbs[0].nonempty = 1;
	CHECK_INT(restore_plan_refuse(&p, &e), 0);
	restore_plan_free(&p);
	memset(&o, 0, sizeof o);
	o.host = "h";
	o.id = "ID";
	o.diff = o.resume = 1;
	CHECK_INT(restore_plan_build(&p, &m, &o, &e), -1);
	CHECK_INT(e.kind, ERR_USAGE);
	restore_plan_free(&p);
	manifest_free(&m);
	return tap_done();
}
