/*
 * Fuzz target for the S3 XML reader: any bytes (servers and proxies send
 * anything).  Invariants: every element found lies inside the input and
 * iteration always moves forward; escaping then unescaping gives the text
 * back; a ListVersionsResult page holds only entries with a key and a
 * version id, and a truncated one a marker; and nothing reads out of
 * bounds (ASan).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "repo/s3_xml.h"

static const char *const tags[] = { "Code", "Message", "Key", "Contents",
    "Error", "UploadId", "ETag", "Upload", "IsTruncated", "Version",
    "DeleteMarker", "VersionId", "a", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data, *val;
	size_t pos, vlen, prev;
	struct s3_versions_page pg;
	struct buf b;
	char *s, *t;

	for (int i = 0; tags[i] != NULL; i++) {
		pos = 0;
		prev = 0;
		while (s3_xml_next(xml, size, tags[i], &pos, &val, &vlen) == 0) {
			FUZZ_ASSERT(pos > prev && pos <= size);
			FUZZ_ASSERT(val >= xml && val + vlen <= xml + size);
			free(s3_xml_get(val, vlen, "Key"));
			prev = pos;
		}
		free(s3_xml_get(xml, size, tags[i]));
	}
	if (s3_xml_versions(xml, size, &pg) == 0) {
		for (size_t i = 0; i < pg.n; i++)
			FUZZ_ASSERT(*pg.v[i].key != '\0' &&
			    *pg.v[i].version_id != '\0');
		FUZZ_ASSERT(!pg.truncated || (pg.next_key_marker != NULL &&
		    *pg.next_key_marker != '\0'));
		s3_versions_page_free(&pg);
	} else
		FUZZ_ASSERT(pg.n == 0 && pg.v == NULL);
	/* Round trip of the text up to the first NUL. */
	t = strndup(xml, size);
	if (t == NULL)
		abort();
	buf_init(&b);
	s3_xml_escape(&b, t);
	s = s3_xml_unescape(b.data ? b.data : "", b.len);
	FUZZ_ASSERT(strcmp(s, t) == 0);
	free(s);
	free(t);
	buf_free(&b);
	return 0;
}
