/*
 * The tolerant XML reader on the shapes S3 servers really send: prefixed
 * and default namespaces, attributes, self-closing and nested elements,
 * entities, and truncated or hostile input.
 */
#include <stdlib.h>
#include <string.h>

#include "repo/s3_xml.h"
#include "tap.h"

static char *
get(const char *xml, const char *tag)
{
	return s3_xml_get(xml, strlen(xml), tag);
}

static void
test_error_document(void)
{
	const char *doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Error><Code>SignatureDoesNotMatch</Code><Message>The request "
	    "signature we calculated does not match &amp; so on</Message>"
	    "<StringToSign>AWS4-HMAC-SHA256&#10;x</StringToSign></Error>";
	char *s;

	CHECK_STR(s = get(doc, "Code"), "SignatureDoesNotMatch");
	free(s);
	CHECK_STR(s = get(doc, "Message"), "The request signature we "
	    "calculated does not match & so on");
	free(s);
	CHECK_STR(s = get(doc, "StringToSign"), "AWS4-HMAC-SHA256\nx");
	free(s);
	CHECK(get(doc, "Cod") == NULL);
	CHECK(get(doc, "Error2") == NULL);
	CHECK(s3_xml_has(doc, strlen(doc), "Error"));
}

static void
test_namespaces(void)
{
	const char *doc = "<s3:InitiateMultipartUploadResult xmlns:s3=\"x\">"
	    "<s3:Bucket>b</s3:Bucket><s3:Key>k</s3:Key>"
	    "<s3:UploadId a=\"1\">abc</s3:UploadId>"
	    "</s3:InitiateMultipartUploadResult>";
	const char *doc2 = "<CompleteMultipartUploadResult xmlns=\"http://s3."
	    "amazonaws.com/doc/2006-03-01/\"><ETag>&quot;0123-2&quot;</ETag>"
	    "</CompleteMultipartUploadResult>";
	char *s;

	CHECK_STR(s = get(doc, "UploadId"), "abc");
	free(s);
	CHECK_STR(s = get(doc, "Key"), "k");
	free(s);
	CHECK_STR(s = get(doc2, "ETag"), "\"0123-2\"");
	free(s);
}

static void
test_listing(void)
{
	const char *doc = "<ListBucketResult><KeyCount>2</KeyCount>"
	    "<Contents><Key>p/h/1/a</Key><Size>5</Size></Contents>"
	    "<Contents><Key>p/h/1/b&lt;</Key><Size>7</Size><Owner/>"
	    "</Contents><IsTruncated>false</IsTruncated>"
	    "<EmptyMarker/></ListBucketResult>";
	const char *val;
	size_t pos = 0, vlen, n = 0;
	char *s;

	while (s3_xml_next(doc, strlen(doc), "Contents", &pos, &val,
	    &vlen) == 0) {
		s = s3_xml_get(val, vlen, "Key");
		CHECK_STR(s, n == 0 ? "p/h/1/a" : "p/h/1/b<");
		free(s);
		n++;
	}
	CHECK_INT(n, 2);
	CHECK_STR(s = get(doc, "IsTruncated"), "false");
	free(s);
	CHECK_STR(s = get(doc, "EmptyMarker"), "");
	free(s);
	/* <Key> must not match <KeyCount>. */
	CHECK_STR(s = get(doc, "Key"), "p/h/1/a");
	free(s);
}

static void
test_nested_same_name(void)
{
	const char *doc = "<DeleteResult><Error><Key>a</Key><Code>AccessDenied"
	    "</Code></Error><Error><Key>b</Key><Code>InternalError</Code>"
	    "</Error></DeleteResult>";
	const char *nest = "<a><a>x</a>y</a>";
	char *s;

	CHECK_STR(s = get(doc, "Code"), "AccessDenied");
	free(s);
	CHECK_STR(s = get(nest, "a"), "<a>x</a>y");
	free(s);
}

static void
test_junk(void)
{
	const char *bad[] = { "", "<", "<Code", "<Code>", "<Code>x</Cod",
	    "<Code>x</Code", "&", "<Code>&#xFFFFFFFF;&#0;&#xd800;&#;</Code>",
	    "</Code>", "<<<>>>", NULL };
	char *s;

	for (int i = 0; bad[i] != NULL; i++) {
		s = get(bad[i], "Code");
		if (i == 7)
			CHECK_STR(s, "&#xFFFFFFFF;&#0;&#xd800;&#;");
		else
			CHECK(s == NULL);
		free(s);
	}
	CHECK_STR(s = s3_xml_unescape("&#233;&#x20AC;&#x1F600;", 23),
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	free(s);
}

static void
test_escape(void)
{
	struct buf b;

	buf_init(&b);
	s3_xml_escape(&b, "a&b<c>d\"e'f");
	CHECK_STR(buf_cstr(&b), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
	buf_free(&b);
}

int
main(void)
{
	test_error_document();
	test_namespaces();
	test_listing();
	test_nested_same_name();
	test_junk();
	test_escape();
	return tap_done();
}
