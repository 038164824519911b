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
	    res->keep ? "keep" : "delete", res->why);
}

/* Removes what the selection dropped; the first failure goes to e. */
static void
prune_remove(struct repo *r, const struct host_cfg *h,
    const struct repo_entry *v, const struct retention_result *res, size_t n,
    struct prune_stats *st, struct err *e)
{
	struct err one;
	size_t i;

	for (i = 0; i < n; i++) {
		if (res[i].keep)
			continue;
		if (repo_remove(r, h->name, v[i].id, &one) == -1) {
			/* The first goes back to the caller, the others here. */
			if (st->failed++ == 0)
				err_set(e, ERR_REPO, "host %s: removing backup "
				    "%s: %s", h->name, v[i].id, one.msg);
			else
				log_error("host %s: removing backup %s: %s",
				    h->name, v[i].id, one.msg);
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
	for (i = 0; i < n; i++)
		st->kept += res[i].keep;
	if (out != NULL) {
		fprintf(out, "host %s: %zu backup%s, keep %zu, %s %zu\n",
		    h->name, n, n == 1 ? "" : "s", st->kept,
		    dry_run ? "would delete" : "delete", n - st->kept);
		for (i = 0; i < n; i++)
			print_entry(out, &v[i], &res[i]);
	}
	if (!dry_run)
		prune_remove(r, h, v, res, n, st, e);
	rc = st->failed > 0 ? -1 : 0;
out:
	free(b);
	free(res);
	repo_entries_free(v, n);
	return rc;
}
