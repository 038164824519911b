/*
 * The archive digest (the manifest's archive_digest, which replaces the
 * SHA-256 of the whole file, archive_sha256, of older backups): SHA-256 over the tar stream in which the body
 * of every member is replaced by the 32 bytes of that body's own SHA-256
 * (the member hash the manifest records).  Every byte of the archive is
 * thus hashed once, yet the digest changes with any byte of it: a header,
 * padding or end byte is hashed as it is, a body byte changes its member's
 * SHA-256.  Collision resistance is that of SHA-256, as for a SHA-256 of
 * the whole file; only the value differs from `sha256sum backup.tar`.
 *
 * A result-only filter over the archive stream, told where the bodies are
 * (offsets in the stream, as libarchive counts them) by digest_member:
 *   writing, with the member's SHA-256 (the encoder computed it): the body
 *     bytes are not hashed again; a member is always announced before its
 *     body reaches the filter, so nothing is held;
 *   reading, without: the filter hashes the body itself and gives its hex
 *     (digest_member_hex) once the body has passed; a member is announced
 *     after libarchive read its header, by when the source may already have
 *     passed part of the body (one read, 64 KiB): bytes past the last
 *     announced body are held until the next announcement or the end.
 * filter_finish ends the stream: digest_hex is then the result.
 */
#ifndef MYSHIP_DIGEST_H
#define MYSHIP_DIGEST_H

#include <stdint.h>

#include "stream/filter.h"

struct filter *digest_filter_new(int reading);
/*
 * The body of the next member spans [offset, offset + len) of the
 * stream; sha256_hex is its SHA-256 (writing) or NULL (reading).
 */
void digest_member(struct filter *f, uint64_t offset, uint64_t len,
    const char *sha256_hex);
/* Reading: the SHA-256 hex of the last member whose body has passed. */
const char *digest_member_hex(const struct filter *f);
/* After filter_finish: the digest's hex, and the bytes of the stream. */
const char *digest_hex(const struct filter *f);
uint64_t digest_bytes(const struct filter *f);

#endif
