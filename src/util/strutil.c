#include "util/strutil.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
parse_size(const char *s, int64_t *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		switch (toupper((unsigned char)*end)) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		case 'T': shift = 40; break;
		default: return -1;
		}
		end++;
		/* "64M", "64MB", "64MiB" all mean binary multiples. */
		if (strcasecmp(end, "b") == 0 || strcasecmp(end, "ib") == 0)
			end += strlen(end);
		if (*end != '\0')
			return -1;
	}
	if (v > (unsigned long long)INT64_MAX >> shift)
		return -1;
	*out = (int64_t)(v << shift);
	return 0;
}

int
parse_duration(const char *s, int64_t *out)
{
	unsigned long long v, unit, total = 0;
	const char *p = s;
	char *end;
	int plain;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return -1;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno != 0)
			return -1;
		plain = (*end == '\0');
		switch (*end) {
		case '\0': unit = 1; break;
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: return -1;
		}
		/* A bare number is only allowed alone: "1d12" is ambiguous. */
		if (plain && p != s)
			return -1;
		if (v > (unsigned long long)INT64_MAX / unit ||
		    total > (unsigned long long)INT64_MAX - v * unit)
			return -1;
		total += v * unit;
		p = plain ? end : end + 1;
	}
	*out = (int64_t)total;
	return 0;
}

int
parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int
parse_ratio(const char *s, double *out)
{
	size_t len = strlen(s);
	char *end;
	double v;

	if (len == 0 || !(isdigit((unsigned char)*s) || *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s)
		return -1;
	if (*end == '%') {
		v /= 100.0;
		end++;
	}
	if (*end != '\0' || !isfinite(v) || v < 0.0 || v > 1.0)
		return -1;
	*out = v;
	return 0;
}

void
sql_quote_ident(struct buf *b, const char *name)
{
	const char *p;

	buf_append_char(b, '`');
	for (p = name; *p != '\0'; p++) {
		if (*p == '`')
			buf_append_char(b, '`');
		buf_append_char(b, *p);
	}
	buf_append_char(b, '`');
}

char *
sql_qualified(const char *db, const char *name)
{
	struct buf b;

	buf_init(&b);
	sql_quote_ident(&b, db);
	buf_append_char(&b, '.');
	sql_quote_ident(&b, name);
	return buf_cstr(&b);
}

void
sql_quote_string(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_reserve(b, len + 2);
	buf_append_char(b, '\'');
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\'':
			buf_append(b, "''", 2);
			break;
		case '\\':
			buf_append(b, "\\\\", 2);
			break;
		case '\0':
			buf_append(b, "\\0", 2);
			break;
		default:
			buf_append_char(b, s[i]);
		}
	}
	buf_append_char(b, '\'');
}

void
sql_name_equals(struct buf *b, const char *column, const char *name)
{
	size_t n = strlen(name);

	buf_printf(b, "%s = ", column);
	sql_quote_string(b, name, n);
	buf_printf(b, " AND CAST(%s AS BINARY) = ", column);
	sql_quote_string(b, name, n);
}

void
format_duration(double seconds, char *out, size_t outlen)
{
	long long s;

	if (seconds < 60) {
		snprintf(out, outlen, "%.1fs", seconds);
		return;
	}
	s = (long long)(seconds + 0.5);
	if (s < 3600)
		snprintf(out, outlen, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(out, outlen, "%lldh%02lldm%02llds", s / 3600,
		    (s / 60) % 60, s % 60);
}

void
format_size(uint64_t bytes, char *out, size_t outlen)
{
	static const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(out, outlen, "%llu B", (unsigned long long)bytes);
	else
		snprintf(out, outlen, "%.1f %s", v, units[u]);
}

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
