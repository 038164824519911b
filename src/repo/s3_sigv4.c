#include "repo/s3_sigv4.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stream/hash.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define KMS_KEY_HEADER "x-amz-server-side-encryption-aws-kms-key-id:"

struct hdr {
	char *name;	/* lower case */
	char *value;	/* trimmed */
};

static int
hdr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hdr *)a)->name,
	    ((const struct hdr *)b)->name);
}

/* "Name: value" -> lower-case name and trimmed value; NULL without ':'. */
static int
hdr_parse(const char *line, struct hdr *h)
{
	const char *colon = strchr(line, ':'), *v, *end;

	if (colon == NULL)
		return -1;
	h->name = xstrndup(line, colon - line);
	for (char *p = h->name; *p; p++)
		*p = tolower((unsigned char)*p);
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (end = v + strlen(v); end > v && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		;
	h->value = xstrndup(v, end - v);
	return 0;
}

/* out may be key: the result goes through a copy. */
static void
hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = sizeof md;

	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
	    strlen(msg), md, &n);
	memcpy(out, md, 32);
	explicit_bzero(md, sizeof md);
}

char *
s3_sigv4_authorization(const struct s3_sigv4_req *r, const char *key_id,
    const char *secret)
{
	struct hdr *v = NULL;
	size_t n = 0, i;
	struct buf canon, sts, signed_h, out;
	unsigned char k[32];
	char date[9], hex[65], *ks;

	for (const struct curl_slist *l = r->headers; l; l = l->next) {
		v = xreallocarray(v, n + 2, sizeof *v);
		if (hdr_parse(l->data, &v[n]) == 0)
			n++;
	}
	v = xreallocarray(v, n + 1, sizeof *v);
	v[n].name = xstrdup("host");
	v[n++].value = xstrdup(r->host);
	qsort(v, n, sizeof *v, hdr_cmp);
	buf_init(&canon);
	buf_init(&signed_h);
	buf_printf(&canon, "%s\n%s\n%s\n", r->method, r->path, r->query);
	for (i = 0; i < n; i++) {
		buf_printf(&canon, "%s:%s\n", v[i].name, v[i].value);
		buf_printf(&signed_h, "%s%s", i ? ";" : "", v[i].name);
	}
	buf_printf(&canon, "\n%s\n%s", buf_cstr(&signed_h), r->payload_sha);
	snprintf(date, sizeof date, "%.8s", r->amz_date);
	hash_hex(HASH_SHA256, canon.data, canon.len, hex);
	buf_init(&sts);
	buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/s3/aws4_request\n%s",
	    r->amz_date, date, r->region, hex);
	ks = xasprintf("AWS4%s", secret);
	hmac(ks, strlen(ks), date, k);
	explicit_bzero(ks, strlen(ks));
	free(ks);
	hmac(k, 32, r->region, k);
	hmac(k, 32, "s3", k);
	hmac(k, 32, "aws4_request", k);
	hmac(k, 32, buf_cstr(&sts), k);
	hash_to_hex(k, 32, hex);
	buf_init(&out);
	buf_printf(&out, "AWS4-HMAC-SHA256 Credential=%s/%s/%s/s3/aws4_request, "
	    "SignedHeaders=%s, Signature=%s", key_id, date, r->region,
	    buf_cstr(&signed_h), hex);
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
	buf_free(&canon);
	buf_free(&sts);
	buf_free(&signed_h);
	return buf_cstr(&out);
}

int
s3_sigv4_needed(const struct curl_slist *headers)
{
	if (curl_version_info(CURLVERSION_NOW)->version_num >= 0x080a00)
		return 0;
	for (const struct curl_slist *l = headers; l; l = l->next)
		if (strncasecmp(l->data, KMS_KEY_HEADER,
		    strlen(KMS_KEY_HEADER)) == 0)
			return 1;
	return 0;
}
