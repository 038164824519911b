#include "policy/optimize_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strutil.h"
#include "util/xmalloc.h"

static const char *const opt_system_dbs[] = {
	"mysql", "sys", "information_schema", "performance_schema"
};

int
opt_is_system_db(const char *db)
{
	size_t i;

	for (i = 0; i < sizeof opt_system_dbs / sizeof opt_system_dbs[0]; i++)
		if (strcmp(db, opt_system_dbs[i]) == 0)
			return 1;
	return 0;
}

int
opt_selector_init(struct opt_selector *s, char *const *pat, size_t n,
    struct err *e)
{
	char msg[256], *anchored;
	size_t i;
	int rc;

	memset(s, 0, sizeof *s);
	s->pat = xcalloc(n ? n : 1, sizeof *s->pat);
	s->re = xcalloc(n ? n : 1, sizeof *s->re);
	for (i = 0; i < n; i++) {
		/* The group keeps "a|b" from anchoring only its ends. */
		anchored = xasprintf("^(%s)$", pat[i]);
		rc = regcomp(&s->re[i], anchored, REG_EXTENDED | REG_NOSUB);
		free(anchored);
		if (rc != 0) {
			regerror(rc, &s->re[i], msg, sizeof msg);
			opt_selector_free(s);
			return err_set(e, ERR_USAGE, "database pattern '%s': %s",
			    pat[i], msg);
		}
		s->pat[i] = xstrdup(pat[i]);
		s->n = i + 1;
	}
	return 0;
}

int
opt_selector_match(const struct opt_selector *s, const char *db)
{
	size_t i;

	if (opt_is_system_db(db)) {
		for (i = 0; i < s->n; i++)
			if (strcmp(s->pat[i], db) == 0)
				return 1;
		return 0;
	}
	if (s->n == 0)
		return 1;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->pat[i], db) == 0 ||
		    regexec(&s->re[i], db, 0, NULL, 0) == 0)
			return 1;
	return 0;
}

void
opt_selector_free(struct opt_selector *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		regfree(&s->re[i]);
		free(s->pat[i]);
	}
	free(s->re);
	free(s->pat);
	memset(s, 0, sizeof *s);
}

static int64_t
opt_nonneg(int64_t v)
{
	return v < 0 ? 0 : v;
}

double
opt_free_ratio(const struct opt_table_stats *t)
{
	double total;

	total = (double)opt_nonneg(t->data_length) +
	    (double)opt_nonneg(t->index_length) +
	    (double)opt_nonneg(t->data_free);
	if (total <= 0)
		return 0;
	return (double)opt_nonneg(t->data_free) / total;
}

enum opt_verdict
opt_decide(const struct opt_table_stats *t, const struct optimize_cfg *p,
    int scheduled, int past_deadline, char *why, size_t whylen)
{
	char a[32], b[32];
	int64_t size, free_bytes;
	double ratio;

	snprintf(why, whylen, "%s", "");
	if (past_deadline) {
		snprintf(why, whylen, "max_duration reached");
		return OPT_SKIP_DEADLINE;
	}
	if (t->engine == NULL || *t->engine == '\0') {
		snprintf(why, whylen, "no engine reported (broken table?)");
		return OPT_SKIP_NO_ENGINE;
	}
	size = opt_nonneg(t->data_length) + opt_nonneg(t->index_length);
	free_bytes = opt_nonneg(t->data_free);
	ratio = opt_free_ratio(t);
	if (scheduled && p->max_table_size > 0 && size > p->max_table_size) {
		format_size((uint64_t)size, a, sizeof a);
		format_size((uint64_t)p->max_table_size, b, sizeof b);
		snprintf(why, whylen, "too big: %s > max_table_size %s", a, b);
		return OPT_SKIP_TOO_BIG;
	}
	if (free_bytes < p->min_free_bytes) {
		format_size((uint64_t)free_bytes, a, sizeof a);
		format_size((uint64_t)p->min_free_bytes, b, sizeof b);
		snprintf(why, whylen, "not worth it: %s free < min_free_bytes %s",
		    a, b);
		return OPT_SKIP_FEW_BYTES;
	}
	if (ratio < p->min_free_ratio) {
		snprintf(why, whylen,
		    "not worth it: %.1f%% free < min_free_ratio %.1f%%",
		    ratio * 100, p->min_free_ratio * 100);
		return OPT_SKIP_LOW_RATIO;
	}
	return OPT_RUN;
}

static int
opt_is(const char *s, const char *want)
{
	return s != NULL && strcasecmp(s, want) == 0;
}

static int
opt_status_ok(const char *text)
{
	return opt_is(text, "OK") || opt_is(text, "Table is already up to date");
}

static int
opt_is_recreate_note(const char *text)
{
	return text != NULL && strstr(text, "doing recreate + analyze") != NULL;
}

int
opt_result_ok(const struct opt_msg *rows, size_t n, char *why, size_t whylen)
{
	const char *bad = NULL;
	int good = 0;
	size_t i;

	snprintf(why, whylen, "%s", "");
	for (i = 0; i < n && bad == NULL; i++)
		if (opt_is(rows[i].type, "error"))
			bad = rows[i].text ? rows[i].text : "error";
	for (i = 0; i < n && bad == NULL; i++) {
		if (opt_is(rows[i].type, "status")) {
			if (!opt_status_ok(rows[i].text))
				bad = rows[i].text ? rows[i].text : "failed";
			else
				good = 1;
		} else if (opt_is(rows[i].type, "note") &&
		    opt_is_recreate_note(rows[i].text))
			good = 1;
	}
	if (bad == NULL && !good) {
		/* e.g. MEMORY: a lone note that the engine refuses */
		for (i = 0; i < n && bad == NULL; i++)
			if (rows[i].text != NULL && *rows[i].text != '\0')
				bad = rows[i].text;
		if (bad == NULL)
			bad = "no result rows";
	}
	if (bad != NULL) {
		snprintf(why, whylen, "%s", bad);
		return 0;
	}
	return 1;
}
