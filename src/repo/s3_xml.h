/*
 * A small tolerant reader for the XML S3 answers with (errors, upload ids,
 * listings).  It finds elements by local name, ignoring namespaces and
 * attributes, because servers disagree on both; it never builds a tree and
 * never trusts the input to be well formed.  Also escapes text for the few
 * request bodies we send.
 */
#ifndef MYSHIP_S3_XML_H
#define MYSHIP_S3_XML_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Finds the next element with local name tag starting at *pos.  On success
 * sets *val and *vlen to its raw content (empty for <tag/>), moves *pos past
 * the element and returns 0; returns -1 when there is none.
 */
int s3_xml_next(const char *xml, size_t len, const char *tag, size_t *pos,
    const char **val, size_t *vlen);
/* True when an element named tag is present. */
int s3_xml_has(const char *xml, size_t len, const char *tag);
/* Decoded text of the first element named tag, or NULL. */
char *s3_xml_get(const char *xml, size_t len, const char *tag);
/*
 * One page of a ListObjectVersions answer (ListVersionsResult): every
 * <Version> and <DeleteMarker> with a Key and a VersionId (others are
 * skipped), and where the next page starts.
 */
struct s3_version {
	char *key;
	char *version_id;	/* "null" for an object older than versioning */
	int delete_marker;
};
struct s3_versions_page {
	struct s3_version *v;
	size_t n;
	int truncated;
	char *next_key_marker;		/* NULL when absent */
	char *next_version_id_marker;
};
/*
 * Parses one page into out (which the caller frees).  -1 when the answer
 * is not a ListVersionsResult, or is truncated without a NextKeyMarker.
 */
int s3_xml_versions(const char *xml, size_t len,
    struct s3_versions_page *out);
void s3_versions_page_free(struct s3_versions_page *p);

/* Decodes the five entities and numeric references; always a new string. */
char *s3_xml_unescape(const char *s, size_t n);
/* Appends s with & < > " ' escaped. */
void s3_xml_escape(struct buf *b, const char *s);
/*
 * Appends the <Delete> document of DeleteObjects (Quiet) for keys[0..n),
 * each with its version id when versions is not NULL.
 */
void s3_xml_delete_doc(struct buf *b, const char *const *keys,
    const char *const *versions, size_t n);

#endif
