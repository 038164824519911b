#include "util/names.h"
#include "util/xmalloc.h"

#include <string.h>

static const char hexdig[] = "0123456789ABCDEF";

static int
name_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

char *
name_encode(const char *s, size_t len)
{
	char *out = xmalloc(len * 3 + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (name_plain(c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hexdig[c >> 4];
			*o++ = hexdig[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static int
hexval(char c)
{
	const char *p = c ? strchr(hexdig, c) : NULL;

	return p == NULL ? -1 : (int)(p - hexdig);
}

char *
name_decode(const char *enc, size_t *outlen)
{
	size_t len = strlen(enc), n = 0;
	char *out = xmalloc(len + 1);
	const char *p;
	int hi, lo;

	for (p = enc; *p != '\0'; p++) {
		if (name_plain((unsigned char)*p)) {
			out[n++] = *p;
			continue;
		}
		if (*p != '%' || (hi = hexval(p[1])) < 0 ||
		    (lo = hexval(p[2])) < 0)
			goto bad;
		out[n] = (char)(hi << 4 | lo);
		/* Canonical form only: one name, one encoding; no NUL. */
		if (out[n] == '\0' || name_plain((unsigned char)out[n]))
			goto bad;
		n++;
		p += 2;
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return out;
bad:
	free(out);
	return NULL;
}
