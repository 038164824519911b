/* Retention selection: restic forget rules over one host's backups. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/retention.h"
#include "util/xmalloc.h"

enum { R_LAST, R_DAILY, R_WEEKLY, R_MONTHLY, R_YEARLY, R_NRULES };

static const char *const rule_names[R_NRULES] = {
	"last", "daily", "weekly", "monthly", "yearly"
};

struct order_ctx {
	const struct retention_backup *v;
	size_t i;
};

/* Newest first; ties broken by position so the result is deterministic. */
static int
order_cmp(const void *a, const void *b)
{
	const struct order_ctx *x = a, *y = b;

	if (x->v[x->i].start != y->v[y->i].start)
		return x->v[x->i].start > y->v[y->i].start ? -1 : 1;
	if (x->i != y->i)
		return x->i > y->i ? -1 : 1;
	return 0;
}

/* ISO 8601 week as year * 100 + week: the week's Thursday names the year. */
static long long
iso_week_key(const struct tm *tm, time_t t)
{
	struct tm th;
	time_t thursday;
	int wday;

	wday = (tm->tm_wday + 6) % 7;	/* Monday = 0 */
	thursday = t + (time_t)(3 - wday) * 86400;
	gmtime_r(&thursday, &th);
	return (th.tm_year + 1900LL) * 100 + th.tm_yday / 7 + 1;
}

/* The period a backup falls in for a rule; equal keys share a period. */
static long long
period_key(int rule, time_t t, size_t seq)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	switch (rule) {
	case R_DAILY:
		return (tm.tm_year + 1900LL) * 10000 + (tm.tm_mon + 1) * 100 +
		    tm.tm_mday;
	case R_WEEKLY:
		return iso_week_key(&tm, t);
	case R_MONTHLY:
		return (tm.tm_year + 1900LL) * 100 + tm.tm_mon + 1;
	case R_YEARLY:
		return tm.tm_year + 1900LL;
	default:
		return (long long)seq;
	}
}

static void
why_add(struct retention_result *r, const char *what)
{
	size_t len = strlen(r->why);

	snprintf(r->why + len, sizeof r->why - len, "%s%s",
	    len > 0 ? ", " : "", what);
}

static void
select_incomplete(const struct retention_cfg *rc, time_t now,
    const struct retention_backup *b, struct retention_result *r)
{
	time_t last = b->modified > b->start ? b->modified : b->start;

	r->keep = (int64_t)(now - last) < rc->incomplete_grace;
	why_add(r, r->keep ? "incomplete, within grace" :
	    "incomplete, older than grace");
}

/* Applies the keep rules to the complete backups, newest first. */
static void
select_complete(const struct retention_cfg *rc, time_t now,
    const struct retention_backup *v, const struct order_ctx *ord, size_t n,
    struct retention_result *out)
{
	long long remaining[R_NRULES], last[R_NRULES];
	int started[R_NRULES] = { 0 }, any_rule = 0, rule;
	struct retention_result *r;
	size_t k;

	remaining[R_LAST] = rc->keep_last;
	remaining[R_DAILY] = rc->keep_daily;
	remaining[R_WEEKLY] = rc->keep_weekly;
	remaining[R_MONTHLY] = rc->keep_monthly;
	remaining[R_YEARLY] = rc->keep_yearly;
	for (rule = 0; rule < R_NRULES; rule++)
		any_rule |= remaining[rule] > 0;
	any_rule |= rc->max_age > 0;

	for (k = 0; k < n; k++) {
		const struct retention_backup *b = &v[ord[k].i];

		r = &out[ord[k].i];
		for (rule = 0; rule < R_NRULES; rule++) {
			long long key = period_key(rule, b->start, k);

			if (remaining[rule] <= 0 ||
			    (started[rule] && key == last[rule]))
				continue;
			started[rule] = 1;
			last[rule] = key;
			remaining[rule]--;
			r->keep = 1;
			why_add(r, rule_names[rule]);
		}
		if (rc->max_age > 0 && (int64_t)(now - b->start) <= rc->max_age) {
			r->keep = 1;
			why_add(r, "max_age");
		}
		if (!any_rule) {
			r->keep = 1;
			why_add(r, "no keep rule set");
		}
		if (k == 0 && !r->keep) {
			r->keep = 1;
			why_add(r, "newest complete");
		}
		if (!r->keep && r->why[0] == '\0')
			why_add(r, "no rule");
	}
}

void
retention_select(const struct retention_cfg *rc, time_t now,
    const struct retention_backup *v, size_t n, struct retention_result *out)
{
	struct order_ctx *ord;
	size_t i, ncomplete = 0;

	ord = xcalloc(n ? n : 1, sizeof *ord);
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		if (v[i].complete) {
			ord[ncomplete].v = v;
			ord[ncomplete++].i = i;
		} else
			select_incomplete(rc, now, &v[i], &out[i]);
	}
	qsort(ord, ncomplete, sizeof *ord, order_cmp);
	select_complete(rc, now, v, ord, ncomplete, out);
	free(ord);
}

size_t
retention_apply_lock(time_t now, const time_t *locked_until, size_t n,
    struct retention_result *out)
{
	size_t i, kept = 0;
	char date[32];
	struct tm tm;

	for (i = 0; i < n; i++) {
		if (out[i].keep || locked_until[i] <= now)
			continue;
		gmtime_r(&locked_until[i], &tm);
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
		out[i].keep = 1;
		out[i].retained = 1;
		snprintf(out[i].why, sizeof out[i].why, "retained by the "
		    "bucket's lock until %s", date);
		kept++;
	}
	return kept;
}

int
retention_parse_id(const char *id, time_t *out)
{
	struct tm tm, back;
	int f[6];
	size_t i;
	time_t t;

	if (strlen(id) != 16 || id[8] != 'T' || id[15] != 'Z')
		return -1;
	for (i = 0; i < 15; i++)
		if (i != 8 && (id[i] < '0' || id[i] > '9'))
			return -1;
	if (sscanf(id, "%4d%2d%2dT%2d%2d%2dZ", &f[0], &f[1], &f[2], &f[3],
	    &f[4], &f[5]) != 6)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	t = timegm(&tm);
	/* timegm normalises 20250230 and 25:00: refuse what changed. */
	if (gmtime_r(&t, &back) == NULL || back.tm_year != f[0] - 1900 ||
	    back.tm_mon != f[1] - 1 || back.tm_mday != f[2] ||
	    back.tm_hour != f[3] || back.tm_min != f[4] || back.tm_sec != f[5])
		return -1;
	*out = t;
	return 0;
}
