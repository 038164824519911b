/* Restore drills: scratch names, comparability, verdicts, the record. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/drill_plan.h"
#include "stream/hash.h"

const char *const drill_sums_names[] = { "compared", "not-comparable",
    "not-recorded", NULL };

static void
drill_host_prefix(const char *host, char *out)
{
	char hex[65];

	hash_hex(HASH_SHA256, host, strlen(host), hex);
	snprintf(out, DRILL_NAME_MAX + 1, "%s%.6s_", DRILL_PREFIX, hex);
}

void
drill_scratch_name(const char *host, const char *id, const char *db,
    char *out)
{
	struct buf hb;
	char hex[65];
	size_t n;
	const char *p;

	buf_init(&hb);
	buf_append(&hb, host, strlen(host) + 1);	/* with its NUL */
	buf_append_str(&hb, db);
	hash_hex(HASH_SHA256, hb.data, hb.len, hex);
	buf_free(&hb);
	drill_host_prefix(host, out);
	n = strlen(out);
	for (p = id; *p != '\0' && n < DRILL_NAME_MAX - 10; p++)
		if (isalnum((unsigned char)*p))
			out[n++] = (char)tolower((unsigned char)*p);
	n += (size_t)snprintf(out + n, DRILL_NAME_MAX + 1 - n, "_%.8s_", hex);
	for (p = db; *p != '\0' && n < DRILL_NAME_MAX; p++)
		if (isalnum((unsigned char)*p) || *p == '_')
			out[n++] = (char)tolower((unsigned char)*p);
	out[n] = '\0';
}

int
drill_is_scratch(const char *host, const char *name)
{
	char prefix[DRILL_NAME_MAX + 1];

	drill_host_prefix(host, prefix);
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* "10.11.6-MariaDB-log": flavour, and the series up to the second dot. */
static int
drill_series(const char *v, int *mariadb, size_t *len)
{
	const char *p = v;
	int dots = 0;

	*mariadb = strcasestr(v, "mariadb") != NULL;
	while (isdigit((unsigned char)*p) || (*p == '.' && dots < 2)) {
		if (*p == '.' && ++dots == 2)
			break;
		p++;
	}
	*len = (size_t)(p - v);
	return dots >= 1 && isdigit((unsigned char)v[0]) ? 0 : -1;
}

int
drill_comparable(const char *from, const char *to)
{
	int fm, tm;
	size_t fl, tl;

	if (from == NULL || to == NULL || drill_series(from, &fm, &fl) == -1 ||
	    drill_series(to, &tm, &tl) == -1)
		return 0;
	return fm == tm && fl == tl && strncmp(from, to, fl) == 0;
}

enum drill_verdict
drill_table(uint64_t want_rows, uint64_t rows, const char *want_sum,
    const char *sum, int compare)
{
	if (rows != want_rows)
		return DRILL_ROWS;
	if (compare && want_sum != NULL &&
	    (sum == NULL || strcmp(sum, want_sum) != 0))
		return DRILL_CHECKSUM;
	return DRILL_OK;
}

void
drill_record_format(const struct drill_record *r, struct buf *out)
{
	buf_printf(out, "myship-drill 1 %s %lld %.3f %zu %zu %s %s\n",
	    r->ok ? "ok" : "failed", (long long)r->finished, r->restore_secs,
	    r->tables, r->failed, drill_sums_names[r->sums], r->target);
}

int
drill_record_parse(const char *text, size_t len, struct drill_record *r,
    struct err *e)
{
	char line[256], ok[8], sums[16];
	long long t;
	int n = 0;
	size_t i;

	memset(r, 0, sizeof r[0]);
	if (len >= sizeof line || memchr(text, '\0', len) != NULL)
		return err_set(e, ERR_CORRUPT, "drill record: not one line");
	memcpy(line, text, len);
	line[len] = '\0';
	if (sscanf(line, "myship-drill 1 %7s %lld %lf %zu %zu %15s %63s%n", ok,
	    &t, &r->restore_secs, &r->tables, &r->failed, sums, r->target,
	    &n) != 7 || (line[n] != '\0' && strcmp(line + n, "\n") != 0) ||
	    (strcmp(ok, "ok") != 0 && strcmp(ok, "failed") != 0) ||
	    !(r->restore_secs >= 0 && r->restore_secs < 1e12) ||
	    r->failed > r->tables)
		return err_set(e, ERR_CORRUPT, "drill record: not a drill "
		    "record");
	for (i = 0; drill_sums_names[i] != NULL; i++)
		if (strcmp(sums, drill_sums_names[i]) == 0)
			break;
	if (drill_sums_names[i] == NULL)
		return err_set(e, ERR_CORRUPT, "drill record: unknown "
		    "checksums word");
	if (strspn(r->target, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") != strlen(r->target))
		return err_set(e, ERR_CORRUPT, "drill record: bad host name");
	r->sums = (enum drill_sums)i;
	r->ok = ok[0] == 'o';
	r->finished = (time_t)t;
	return 0;
}
