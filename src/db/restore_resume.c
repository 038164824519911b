/* What restore --resume does to a database the target has (apply_int.h). */
#include <stdlib.h>
#include <string.h>

#include <mysqld_error.h>

#include "db/conn.h"
#include "db/restore_apply_int.h"
#include "db/target_resume.h"
#include "util/xmalloc.h"

/*
 * --resume, in a database the target had: its CREATE DATABASE, and the
 * CREATE SEQUENCE of a sequence it has, are not run again.
 */
int
apply_resume_other(struct restore_apply *a, MYSQL *c, const char **q,
    size_t *n, struct err *e)
{
	char *text, *name;
	int exists = 0, rc = 0;

	if (*n >= 16 && memcmp(*q, "CREATE DATABASE ", 16) == 0) {
		*q = "DO 0";
		*n = 4;
		return 0;
	}
	if (*n < 16 || memcmp(*q, "CREATE SEQUENCE ", 16) != 0)
		return 0;
	text = xstrndup(*q, *n < 4096 ? *n : 4096);
	if ((name = defer_first_key(text)) != NULL)
		rc = target_table_exists(c, a->p->dbs[a->cur_db].dst, name,
		    &exists, e);
	if (rc == 0 && exists) {
		*q = "DO 0";
		*n = 4;
	}
	free(name);
	free(text);
	return rc;
}

/*
 * --resume: table t (its CREATE TABLE runs, cut says whether keys could be
 * held back) is there already: 1, and its CREATE does not run; its rows
 * will be probed; keys an interrupted restore held back and never built
 * (all or none: one ALTER TABLE adds them) are built after its rows.
 */
int
apply_resume_table(struct restore_apply *a, MYSQL *c, size_t t, int cut,
    const char **q, size_t *n, struct err *e)
{
	const char *dst = a->p->dbs[a->cur_db].dst;
	struct load_table *lt;
	char *key = NULL;
	int exists, has = 1, rc = 0;

	if (target_table_exists(c, dst, a->ds.table, &exists, e) == -1)
		return -1;
	if (!exists)
		return 0;
	lt = apply_load_table(a, t);
	a->tabs[t].resume = 1;
	if (cut && (key = defer_first_key(a->ds.adds.data != NULL ?
	    buf_cstr(&a->ds.adds) : NULL)) != NULL)
		rc = target_has_index(c, dst, a->ds.table, key, &has, e);
	free(key);
	if (rc == -1)
		return -1;
	if (!has)
		apply_defer_table(a, lt);
	*q = "DO 0";
	*n = 4;
	return 1;
}

/*
 * --resume: whether the statement the control session just failed
 * creates an object that exists (view, routine, trigger, event).
 */
int
apply_resume_exists(const struct restore_apply *a)
{
	unsigned int no = mysql_errno(loader_conn(a->ctl));

	return no == ER_TABLE_EXISTS_ERROR || no == ER_SP_ALREADY_EXISTS ||
	    no == ER_TRG_ALREADY_EXISTS || no == ER_EVENT_ALREADY_EXISTS;
}

/*
 * --resume: data member pm of a table the target had.  1: its rows are
 * there (restore_plan_resume), skip it; 0: load it, after deleting the
 * part of its rows that is there.  The table is first decided whole, at
 * its first chunk: all its rows there, none (then nothing probes it while
 * it loads: MariaDB 10.11 locks an empty table a bulk insert fills, and a
 * COUNT on it hung there), or some, and then each chunk is probed by its
 * key range; a table without a primary key on the target, or whose chunks
 * have no keys, is emptied and loaded whole.
 */
int
apply_resume_data(struct restore_apply *a, const struct plan_member *pm,
    struct err *e)
{
	struct apply_table *at = &a->tabs[pm->table];
	const struct manifest_table *mt = a->p->tables[pm->table].mt;
	const char *dst = a->p->dbs[pm->db].dst;
	MYSQL *c = loader_conn(a->ctl);
	const char *lo = pm->chunk->first_key, *hi = pm->chunk->last_key;
	enum plan_resume r;
	long long found;

	/* the keys are in the data members' bytes: the schema set utf8mb4 */
	if (db_exec(c, "SET NAMES binary", e) == -1)
		return -1;
	if (!at->probed) {
		at->probed = 1;
		if (target_primary_key(c, dst, mt->name, &at->pk, e) == -1 ||
		    target_count_rows(c, dst, mt->name, &at->pk, NULL, NULL,
		    &found, e) == -1)
			return -1;
		at->whole = restore_plan_resume((int64_t)mt->rows, found);
		at->keyed = at->whole == PLAN_RESUME_CLEAR && at->pk.n > 0 &&
		    restore_plan_chunk_keyed(pm);
		if (!at->keyed && at->whole == PLAN_RESUME_CLEAR &&
		    target_delete_rows(c, dst, mt->name, &at->pk, NULL, NULL,
		    e) == -1)
			return -1;
	}
	if (!at->keyed)
		r = at->whole;
	else if (target_count_rows(c, dst, mt->name, &at->pk, lo, hi, &found,
	    e) == -1)
		return -1;
	else
		r = restore_plan_resume(pm->rows, found);
	if (at->keyed && r == PLAN_RESUME_CLEAR && target_delete_rows(c, dst,
	    mt->name, &at->pk, lo, hi, e) == -1)
		return -1;
	a->skipped += r == PLAN_RESUME_SKIP;
	a->cleared += r == PLAN_RESUME_CLEAR;
	return r == PLAN_RESUME_SKIP;
}
