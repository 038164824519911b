/* One host's prune by its retention rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/prune_host.h"
#include "policy/retention.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

static void
print_entry(FILE *out, const struct repo_entry *ent,
    const struct retention_result *res)
{
	char size[32];

	if (ent->archive_bytes >= 0)
		format_size((uint64_t)ent->archive_bytes, size, sizeof size);
	else
		snprintf(size, sizeof size, "-");
	fprintf(out, "  %-18s %-10s %10s  %-6s  %s\n", ent->id,
	    ent->complete ? "complete" : "incomplete", size,
	    res->retained ? "retain" : res->keep ? "keep" : "delete",
	    res->why);
}

/* Counts a failure: the first goes back to the caller, the others logged. */
static void
prune_failed(const struct host_cfg *h, const char *id, const char *what,
    const struct err *one, struct prune_stats *st, struct err *e)
{
	if (st->failed++ == 0)
		err_set(e, ERR_REPO, "host %s: %s backup %s: %s", h->name, what,
		    id, one->msg);
	else
		log_error("host %s: %s backup %s: %s", h->name, what, id,
		    one->msg);
}

/*
 * Asks the store until when a lock protects each backup the rules drop,
 * and keeps those still protected (retention_apply_lock).  A backup whose
 * lock cannot be read is kept and counted as failed.
 */
static void
prune_locks(struct repo *r, const struct host_cfg *h, time_t now,
    const struct repo_entry *v, struct retention_result *res, size_t n,
    struct prune_stats *st, struct err *e)
{
	time_t *until = xcalloc(n ? n : 1, sizeof *until);
	struct err one;

	for (size_t i = 0; i < n; i++) {
		if (res[i].keep)
			continue;
		if (repo_lock_until(r, h->name, v[i].id, &until[i],
		    &one) == -1) {
			prune_failed(h, v[i].id, "reading the lock of", &one,
			    st, e);
			res[i].keep = 1;
			snprintf(res[i].why, sizeof res[i].why, "its lock "
			    "could not be read");
		}
	}
	st->retained = retention_apply_lock(now, until, n, res);
	for (size_t i = 0; i < n; i++)
		if (res[i].retained)
			log_info("host %s: backup %s %s", h->name, v[i].id,
			    res[i].why);
	free(until);
}

/* Removes what the selection dropped; the first failure goes to e. */
static void
prune_remove(struct repo *r, const struct host_cfg *h,
    const struct repo_entry *v, const struct retention_result *res, size_t n,
    FILE *out, struct prune_stats *st, struct err *e)
{
	struct err one;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (res[i].keep)
			continue;
		if ((rc = repo_remove(r, h->name, v[i].id, &one)) == -1) {
			prune_failed(h, v[i].id, "removing", &one, st, e);
			continue;
		}
		if (rc == 1) {
			/* A lock refused it: kept, and not a failure. */
			log_info("host %s: backup %s retained by the bucket's "
			    "lock: %s", h->name, v[i].id, one.msg);
			if (out != NULL)
				fprintf(out, "  %-18s retained by the bucket's "
				    "lock: %s\n", v[i].id, one.msg);
			st->retained++;
			st->kept++;
			continue;
		}
		log_info("host %s: removed backup %s (%s)", h->name, v[i].id,
		    res[i].why);
		st->deleted++;
		if (v[i].complete)
			st->complete--;
	}
}

int
prune_host(struct repo *r, const struct host_cfg *h, time_t now,
    int dry_run, FILE *out, struct prune_stats *st, struct err *e)
{
	struct repo_entry *v = NULL;
	struct retention_backup *b;
	struct retention_result *res;
	size_t n = 0, i;
	int rc = -1;

	memset(st, 0, sizeof *st);
	if (repo_list(r, h->name, &v, &n, e) == -1)
		return err_prefix(e, "host %s", h->name);
	b = xcalloc(n ? n : 1, sizeof *b);
	res = xcalloc(n ? n : 1, sizeof *res);
	for (i = 0; i < n; i++) {
		if (retention_parse_id(v[i].id, &b[i].start) == -1) {
			err_set(e, ERR_CORRUPT, "host %s: %s is not a backup id",
			    h->name, v[i].id);
			goto out;
		}
		b[i].modified = v[i].modified;
		b[i].complete = v[i].complete;
		st->complete += v[i].complete;
	}
	retention_select(&h->retention, now, b, n, res);
	prune_locks(r, h, now, v, res, n, st, e);
	for (i = 0; i < n; i++)
		st->kept += res[i].keep;
	if (out != NULL) {
		char ret[48] = "";

		if (st->retained > 0)
			snprintf(ret, sizeof ret, " (%zu retained by a lock)",
			    st->retained);
		fprintf(out, "host %s: %zu backup%s, keep %zu%s, %s %zu\n",
		    h->name, n, n == 1 ? "" : "s", st->kept, ret,
		    dry_run ? "would delete" : "delete", n - st->kept);
		for (i = 0; i < n; i++)
			print_entry(out, &v[i], &res[i]);
	}
	if (!dry_run)
		prune_remove(r, h, v, res, n, out, st, e);
	rc = st->failed > 0 ? -1 : 0;
out:
	free(b);
	free(res);
	repo_entries_free(v, n);
	return rc;
}
