#include "repo/s3_xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static int
xml_namechar(char c)
{
	return c != '\0' && c != '>' && c != '/' && c != ' ' && c != '\t' &&
	    c != '\r' && c != '\n';
}

/*
 * Reads the tag name at p (just after '<' or "</") up to end; sets the
 * local name (after any "prefix:") and returns the end of the name.
 */
static const char *
xml_name(const char *p, const char *end, const char **local, size_t *llen)
{
	const char *s = p;

	while (p < end && xml_namechar(*p))
		p++;
	*local = s;
	for (const char *q = s; q < p; q++)
		if (*q == ':')
			*local = q + 1;
	*llen = p - *local;
	return p;
}

static int
xml_is(const char *local, size_t llen, const char *tag)
{
	return llen == strlen(tag) && memcmp(local, tag, llen) == 0;
}

/* Position of the '>' ending the tag that starts at p, or NULL. */
static const char *
xml_tag_end(const char *p, const char *end)
{
	const char *q = memchr(p, '>', end - p);

	return q;
}

/* Finds the closing tag of tag from p, counting nested same-name opens. */
static const char *
xml_close(const char *p, const char *end, const char *tag,
    const char **after)
{
	const char *local, *q, *gt;
	size_t llen;
	int depth = 0;

	while (p < end && (p = memchr(p, '<', end - p)) != NULL) {
		int closing = p + 1 < end && p[1] == '/';

		q = xml_name(p + 1 + closing, end, &local, &llen);
		if ((gt = xml_tag_end(q, end)) == NULL)
			return NULL;
		if (xml_is(local, llen, tag)) {
			if (closing && depth-- == 0) {
				*after = gt + 1;
				return p;
			}
			if (!closing && gt[-1] != '/')
				depth++;
		}
		p = gt + 1;
	}
	return NULL;
}

int
s3_xml_next(const char *xml, size_t len, const char *tag, size_t *pos,
    const char **val, size_t *vlen)
{
	const char *end = xml + len, *p, *q, *gt, *local, *close, *after;
	size_t llen;

	if (*pos >= len)
		return -1;
	p = xml + *pos;
	while (p < end && (p = memchr(p, '<', end - p)) != NULL) {
		if (p + 1 < end && (p[1] == '/' || p[1] == '?' || p[1] == '!')) {
			p++;
			continue;
		}
		q = xml_name(p + 1, end, &local, &llen);
		if ((gt = xml_tag_end(q, end)) == NULL)
			return -1;
		if (!xml_is(local, llen, tag)) {
			p = gt + 1;
			continue;
		}
		if (gt[-1] == '/') {
			*val = gt;
			*vlen = 0;
			*pos = gt + 1 - xml;
			return 0;
		}
		if ((close = xml_close(gt + 1, end, tag, &after)) == NULL)
			return -1;
		*val = gt + 1;
		*vlen = close - (gt + 1);
		*pos = after - xml;
		return 0;
	}
	return -1;
}

int
s3_xml_has(const char *xml, size_t len, const char *tag)
{
	size_t pos = 0, vlen;
	const char *val;

	return s3_xml_next(xml, len, tag, &pos, &val, &vlen) == 0;
}

char *
s3_xml_get(const char *xml, size_t len, const char *tag)
{
	size_t pos = 0, vlen;
	const char *val;

	if (s3_xml_next(xml, len, tag, &pos, &val, &vlen) == -1)
		return NULL;
	return s3_xml_unescape(val, vlen);
}

/* Decodes one "&...;" at s (n bytes left); returns bytes consumed or 0. */
static size_t
xml_entity(const char *s, size_t n, struct buf *b)
{
	static const struct { const char *name; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	const char *semi;
	unsigned long cp = 0;
	size_t i, elen;

	for (i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		elen = strlen(ents[i].name);
		if (n >= elen && memcmp(s, ents[i].name, elen) == 0) {
			buf_append_char(b, ents[i].c);
			return elen;
		}
	}
	if (n < 4 || s[1] != '#' || (semi = memchr(s, ';', n > 12 ? 12 : n))
	    == NULL)
		return 0;
	for (const char *p = s + 2 + (s[2] == 'x'); p < semi; p++) {
		int hex = s[2] == 'x', d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (hex && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (hex && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return 0;
		cp = cp * (hex ? 16 : 10) + d;
		if (cp > 0x10ffff)
			return 0;
	}
	if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
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
	return semi + 1 - s;
}

char *
s3_xml_unescape(const char *s, size_t n)
{
	struct buf b;
	size_t i = 0, used;

	buf_init(&b);
	buf_reserve(&b, n);
	while (i < n) {
		if (s[i] == '&' && (used = xml_entity(s + i, n - i, &b)) > 0) {
			i += used;
			continue;
		}
		buf_append_char(&b, s[i++]);
	}
	return buf_cstr(&b);
}

void
s3_xml_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_append_str(b, "&amp;");
			break;
		case '<':
			buf_append_str(b, "&lt;");
			break;
		case '>':
			buf_append_str(b, "&gt;");
			break;
		case '"':
			buf_append_str(b, "&quot;");
			break;
		case '\'':
			buf_append_str(b, "&apos;");
			break;
		default:
			buf_append_char(b, *s);
		}
	}
}

/* Appends the entries named tag (Version or DeleteMarker). */
static void
xml_versions_of(const char *xml, size_t len, const char *tag, int marker,
    struct s3_versions_page *out)
{
	size_t pos = 0, vlen;
	const char *val;

	while (s3_xml_next(xml, len, tag, &pos, &val, &vlen) == 0) {
		char *k = s3_xml_get(val, vlen, "Key");
		char *id = s3_xml_get(val, vlen, "VersionId");

		if (k == NULL || id == NULL || *k == '\0' || *id == '\0') {
			free(k);
			free(id);
			continue;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		out->v[out->n].key = k;
		out->v[out->n].version_id = id;
		out->v[out->n++].delete_marker = marker;
	}
}

int
s3_xml_versions(const char *xml, size_t len, struct s3_versions_page *out)
{
	char *t;

	memset(out, 0, sizeof *out);
	if (!s3_xml_has(xml, len, "ListVersionsResult"))
		return -1;
	xml_versions_of(xml, len, "Version", 0, out);
	xml_versions_of(xml, len, "DeleteMarker", 1, out);
	t = s3_xml_get(xml, len, "IsTruncated");
	out->truncated = t != NULL && strcmp(t, "true") == 0;
	free(t);
	out->next_key_marker = s3_xml_get(xml, len, "NextKeyMarker");
	out->next_version_id_marker = s3_xml_get(xml, len,
	    "NextVersionIdMarker");
	if (out->truncated && (out->next_key_marker == NULL ||
	    *out->next_key_marker == '\0')) {
		s3_versions_page_free(out);
		return -1;
	}
	return 0;
}

void
s3_versions_page_free(struct s3_versions_page *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].version_id);
	}
	free(p->v);
	free(p->next_key_marker);
	free(p->next_version_id_marker);
	memset(p, 0, sizeof *p);
}

void
s3_xml_delete_doc(struct buf *b, const char *const *keys,
    const char *const *versions, size_t n)
{
	size_t i;

	buf_append_str(b, "<Delete><Quiet>true</Quiet>");
	for (i = 0; i < n; i++) {
		buf_append_str(b, "<Object><Key>");
		s3_xml_escape(b, keys[i]);
		buf_append_str(b, "</Key>");
		if (versions != NULL) {
			buf_append_str(b, "<VersionId>");
			s3_xml_escape(b, versions[i]);
			buf_append_str(b, "</VersionId>");
		}
		buf_append_str(b, "</Object>");
	}
	buf_append_str(b, "</Delete>");
}
