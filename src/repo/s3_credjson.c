#include "repo/s3_credjson.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

/*
 * Four string members are all this needs from JSON, so a recursive-descent
 * reader of the grammar (RFC 8259) is smaller than a library dependency
 * and keeps the secrets in memory we wipe.
 */
struct jp {
	const char *p, *end;
	const char *why;	/* fixed text: never a part of the input */
};

enum { F_KEY, F_SECRET, F_TOKEN, F_EXPIRES, F_N };
static const char *const field_names[F_N] = {
	"AccessKeyId", "SecretAccessKey", "Token", "Expiration"
};

static int
jp_fail(struct jp *j, const char *why)
{
	if (j->why == NULL)
		j->why = why;
	return -1;
}

static void
jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80)
		buf_append_char(b, (char)cp);
	else if (cp < 0x800) {
		buf_append_char(b, (char)(0xc0 | cp >> 6));
		buf_append_char(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_append_char(b, (char)(0xe0 | cp >> 12));
		buf_append_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_append_char(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_append_char(b, (char)(0xf0 | cp >> 18));
		buf_append_char(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_append_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_append_char(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* \uXXXX (j->p after the 'u'), a surrogate pair joined; never U+0000. */
static int
jp_unicode(struct jp *j, struct buf *out)
{
	unsigned cp, lo;

	if (j->end - j->p < 4 || hex4(j->p, &cp) == -1)
		return jp_fail(j, "bad \\u escape");
	j->p += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return jp_fail(j, "lone surrogate in a string");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
		    hex4(j->p + 2, &lo) == -1 || lo < 0xdc00 || lo > 0xdfff)
			return jp_fail(j, "lone surrogate in a string");
		j->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return jp_fail(j, "NUL in a string");
	if (out != NULL)
		put_utf8(out, cp);
	return 0;
}

/* A string at j->p (the opening quote); its text into out unless NULL. */
static int
jp_string(struct jp *j, struct buf *out)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	const char *q;

	j->p++;
	for (;;) {
		if (j->p >= j->end)
			return jp_fail(j, "unterminated string");
		unsigned char c = (unsigned char)*j->p++;

		if (c == '"')
			return 0;
		if (c < 0x20)
			return jp_fail(j, "control character in a string");
		if (c != '\\') {
			if (out != NULL)
				buf_append_char(out, (char)c);
			continue;
		}
		if (j->p >= j->end)
			return jp_fail(j, "unterminated string");
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			if (jp_unicode(j, out) == -1)
				return -1;
		} else if (c != '\0' && (q = strchr(esc_in, c)) != NULL) {
			if (out != NULL)
				buf_append_char(out, esc_out[q - esc_in]);
		} else
			return jp_fail(j, "bad escape in a string");
	}
}

static int
jp_digits(struct jp *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : jp_fail(j, "bad number");
}

static int
jp_number(struct jp *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (jp_digits(j) == -1)
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (jp_digits(j) == -1)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (jp_digits(j) == -1)
			return -1;
	}
	return 0;
}

static int jp_value(struct jp *j, int depth);

/* An array or an object (j->p at its bracket), skipped. */
static int
jp_container(struct jp *j, int depth)
{
	char close = *j->p == '{' ? '}' : ']';
	int first = 1;

	if (depth >= S3_CREDJSON_DEPTH)
		return jp_fail(j, "nested too deeply");
	j->p++;
	for (;;) {
		jp_ws(j);
		if (j->p < j->end && *j->p == close && first) {
			j->p++;
			return 0;
		}
		if (close == '}') {
			if (j->p >= j->end || *j->p != '"')
				return jp_fail(j, "expected a member name");
			if (jp_string(j, NULL) == -1)
				return -1;
			jp_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return jp_fail(j, "expected ':'");
		}
		if (jp_value(j, depth + 1) == -1)
			return -1;
		jp_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		if (j->p >= j->end || *j->p++ != ',')
			return jp_fail(j, "expected ',' or the end of a list");
		first = 0;
	}
}

static int
jp_literal(struct jp *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return jp_fail(j, "not JSON");
	j->p += n;
	return 0;
}

/* Any value, skipped (leading blanks first). */
static int
jp_value(struct jp *j, int depth)
{
	jp_ws(j);
	if (j->p >= j->end)
		return jp_fail(j, "truncated");
	switch (*j->p) {
	case '"':
		return jp_string(j, NULL);
	case '{':
	case '[':
		return jp_container(j, depth);
	case 't':
		return jp_literal(j, "true");
	case 'f':
		return jp_literal(j, "false");
	case 'n':
		return jp_literal(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return jp_number(j);
		return jp_fail(j, "not JSON");
	}
}

/* What a header and the signature can carry: no blank, no control. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* One member of the top object; a field of ours goes into val[]. */
static int
jp_member(struct jp *j, char *val[F_N], const char **at)
{
	struct buf name, v;
	int f, rc = -1;

	buf_init(&name);
	buf_init(&v);
	if (j->p >= j->end || *j->p != '"') {
		jp_fail(j, "expected a member name");
		goto out;
	}
	if (jp_string(j, &name) == -1)
		goto out;
	buf_append_char(&name, '\0');
	jp_ws(j);
	if (j->p >= j->end || *j->p++ != ':') {
		jp_fail(j, "expected ':'");
		goto out;
	}
	jp_ws(j);
	for (f = 0; f < F_N; f++)
		if (strcmp(name.data, field_names[f]) == 0)
			break;
	if (f == F_N) {
		rc = jp_value(j, 1);
		goto out;
	}
	*at = field_names[f];
	if (val[f] != NULL) {
		jp_fail(j, "a member appears twice");
		goto out;
	}
	if (j->p < j->end && *j->p == 'n' && f >= F_TOKEN) {
		rc = jp_literal(j, "null");	/* no token, no expiry */
		goto out;
	}
	if (j->p >= j->end || *j->p != '"') {
		jp_fail(j, "a member is not a string");
		goto out;
	}
	/* Room for the whole value up front: no copy of it left unwiped. */
	buf_reserve(&v, (size_t)(j->end - j->p) + 1);
	if (jp_string(j, &v) == -1)
		goto out;
	buf_append_char(&v, '\0');
	val[f] = xstrdup(v.data);
	rc = 0;
out:
	if (v.data != NULL)
		explicit_bzero(v.data, v.len);
	buf_free(&v);
	buf_free(&name);
	return rc;
}

static int
jp_object(struct jp *j, char *val[F_N], const char **name)
{
	jp_ws(j);
	if (j->p >= j->end || *j->p++ != '{')
		return jp_fail(j, "not a JSON object");
	jp_ws(j);
	if (j->p < j->end && *j->p == '}')
		j->p++;
	else
		for (;;) {
			*name = NULL;
			if (jp_member(j, val, name) == -1)
				return -1;
			jp_ws(j);
			if (j->p < j->end && *j->p == '}') {
				j->p++;
				break;
			}
			if (j->p >= j->end || *j->p++ != ',')
				return jp_fail(j, "expected ',' or the end "
				    "of a list");
			jp_ws(j);
		}
	*name = NULL;
	jp_ws(j);
	return j->p == j->end ? 0 : jp_fail(j, "text after the object");
}

static void
wipe(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Fields present, kept values fit for a header, Expiration a time. */
static const char *
check_fields(char *val[F_N], struct s3_cred_set *out, const char **name)
{
	for (int f = F_KEY; f <= F_TOKEN; f++) {
		*name = field_names[f];
		if (f != F_TOKEN && val[f] == NULL)
			return "missing";
		if (val[f] != NULL && (*val[f] == '\0' || !printable(val[f])))
			return "is empty or not printable ASCII";
	}
	*name = field_names[F_EXPIRES];
	if (val[F_EXPIRES] != NULL &&
	    s3_parse_iso8601(val[F_EXPIRES], &out->expires) == -1)
		return "is not an ISO 8601 time";
	*name = NULL;
	return NULL;
}

int
s3_parse_container_json(const char *text, size_t len, struct s3_cred_set *out,
    struct err *e)
{
	struct jp j = { text, text + len, NULL };
	char *val[F_N] = { NULL, NULL, NULL, NULL };
	const char *why, *name, *at = NULL;

	memset(out, 0, sizeof *out);
	if (jp_object(&j, val, &at) == -1) {
		if (at != NULL)
			err_set(e, ERR_REPO, "%s: %s", at, j.why);
		else
			err_set(e, ERR_REPO, "%s", j.why);
		goto fail;
	}
	if ((why = check_fields(val, out, &name)) != NULL) {
		err_set(e, ERR_REPO, "%s %s", name, why);
		goto fail;
	}
	out->key_id = val[F_KEY];
	out->secret = val[F_SECRET];
	out->token = val[F_TOKEN];
	free(val[F_EXPIRES]);
	return 0;
fail:
	for (int f = 0; f < F_N; f++)
		wipe(val[f]);
	memset(out, 0, sizeof *out);
	return -1;
}

static int
num(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : md[m - 1];
}

int
s3_parse_iso8601(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;

	if (num(&s, 4, &y) || *s++ != '-' || num(&s, 2, &mo) || *s++ != '-' ||
	    num(&s, 2, &d) || (*s != 'T' && *s != 't' && *s != ' '))
		return -1;
	s++;
	if (num(&s, 2, &h) || *s++ != ':' || num(&s, 2, &mi) || *s++ != ':' ||
	    num(&s, 2, &sec))
		return -1;
	if (*s == '.' || *s == ',') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (num(&s, 2, &oh) || (*s == ':' && *++s == '\0') ||
		    num(&s, 2, &om) || oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h > 23 || mi > 59 || sec > 60)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return 0;
}

void
s3_cred_set_clear(struct s3_cred_set *s)
{
	free(s->key_id);
	wipe(s->secret);
	wipe(s->token);
	memset(s, 0, sizeof *s);
}
