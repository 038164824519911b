/*
 * myship's own SigV4 against the examples of the S3 documentation
 * ("Signature Calculations for the Authorization Header": GET Object with
 * a Range, PUT Object with a storage class and an encoded key), and the
 * header order libcurl before 8.10 gets wrong: by name, so
 * x-amz-server-side-encryption precedes its -aws-kms-key-id.
 */
#include <stdlib.h>
#include <string.h>

#include "repo/s3_sigv4.h"
#include "tap.h"

#define AK "AKIAIOSFODNN7EXAMPLE"
#define SK "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char *
sign(const char *method, const char *path, const char *sha,
    struct curl_slist *h)
{
	struct s3_sigv4_req r = { method, path, "", "examplebucket.s3."
	    "amazonaws.com", "20130524T000000Z", "us-east-1", sha, h };
	char *a = s3_sigv4_authorization(&r, AK, SK);

	curl_slist_free_all(h);
	return a;
}

int
main(void)
{
	struct curl_slist *h = NULL;
	const char *put_sha = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e4"
	    "2034a8b803f8b072";
	char *a;

	h = curl_slist_append(h, "Range: bytes=0-9");
	h = curl_slist_append(h, "x-amz-content-sha256: " EMPTY);
	h = curl_slist_append(h, "x-amz-date: 20130524T000000Z");
	a = sign("GET", "/test.txt", EMPTY, h);
	CHECK_STR(a, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
	    "20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;"
	    "x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857"
	    "bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
	free(a);

	h = NULL;
	h = curl_slist_append(h, "Date: Fri, 24 May 2013 00:00:00 GMT");
	h = curl_slist_append(h, "x-amz-date: 20130524T000000Z");
	h = curl_slist_append(h, "X-Amz-Storage-Class:  REDUCED_REDUNDANCY ");
	h = curl_slist_append(h, "x-amz-content-sha256: 44ce7dd67c959e0d3524"
	    "ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
	a = sign("PUT", "/test%24file.text", put_sha, h);
	CHECK_STR(a, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
	    "20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;"
	    "x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature="
	    "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
	free(a);

	h = NULL;
	h = curl_slist_append(h, "x-amz-server-side-encryption-aws-kms-key-id:"
	    " k1");
	h = curl_slist_append(h, "x-amz-server-side-encryption: aws:kms");
	h = curl_slist_append(h, "x-amz-date: 20130524T000000Z");
	a = sign("POST", "/k", EMPTY, h);
	CHECK(a != NULL && strstr(a, "SignedHeaders=host;"
	    "x-amz-date;x-amz-server-side-encryption;"
	    "x-amz-server-side-encryption-aws-kms-key-id, ") != NULL);
	free(a);

	/* Only a request with the key id header needs it, only before 8.10. */
	h = curl_slist_append(NULL, "x-amz-server-side-encryption: aws:kms");
	CHECK(!s3_sigv4_needed(h));
	h = curl_slist_append(h, "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id: "
	    "k1");
	CHECK_INT(s3_sigv4_needed(h),
	    curl_version_info(CURLVERSION_NOW)->version_num < 0x080a00);
	curl_slist_free_all(h);
	return tap_done();
}
