/*
 * The manifest: an INI file (read back with inih) describing one complete
 * backup, written last.  Values are percent-encoded where they could hold
 * anything (names, comments, key ranges) and long values continue on
 * indented lines, so every line stays within inih's 200-byte limit.
 */
#ifndef MYSHIP_MANIFEST_H
#define MYSHIP_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define MANIFEST_FORMAT 1

struct manifest_db {
	char *name;		/* the real name, any bytes but NUL */
	char *charset, *collation, *comment;
	char *schema_member;	/* CREATE DATABASE/TABLE/SEQUENCE... */
	uint64_t schema_bytes;	/* the member's size as stored */
	char schema_sha256[65];	/* and its SHA-256 ("" in older manifests) */
	/* where the member's data starts in the archive; 0: not recorded
	 * (older manifests: a restore then reads the archive whole) */
	uint64_t schema_offset;
	char *post_member;	/* routines, views, triggers, events; may be NULL */
	uint64_t post_bytes, post_offset;
	char post_sha256[65];
	/* objects skipped (could not be described), one a line:
	 * "kind name: server error"; NULL when none (and in older manifests) */
	char *skipped;
};

struct manifest_table {
	char *db, *name;
	char *engine;
	int transactional;
	uint64_t rows;
	uint64_t raw_bytes;	/* SQL bytes before compression */
	uint64_t bytes;		/* compressed bytes of its members */
	size_t nchunks;
	char *checksum;		/* CHECKSUM TABLE in the snapshot; NULL: none */
	/* of a table whose chunks have no key: the sum mod 2^256 of each
	 * row's values text's SHA-256 (db/dump_rowsum.h); "" when not
	 * recorded */
	char values_sum[65];
	char rows_sum[65];	/* older manifests' (formatted rows): unused */
};

struct manifest_chunk {
	char *member;		/* archive member name */
	char *db, *table;
	char *first_key, *last_key;	/* SQL literals, "" when not keyed */
	uint64_t rows;
	uint64_t raw_bytes, bytes;
	uint64_t offset;	/* of its data in the archive; 0: not recorded */
	char sha256[65];	/* of the member's bytes as stored */
	/* of its rows' values text, in pieces (db/dump_rowsum.h); "" in
	 * older manifests */
	char values_sha256[65];
	char *piece_keys;	/* its pieces' end keys, "\n" between; NULL:
				   one piece */
	char rows_sha256[65];	/* older manifests' (formatted rows): unused */
};

struct manifest {
	int format;
	char *id, *host;
	char *tool_version;
	char *server_version;
	char *started, *finished;	/* ISO 8601 UTC */
	double duration;		/* seconds */
	char *snapshot_method;		/* "single", "backup-stage", "gtid-check" */
	long threads;
	char *binlog_file;
	uint64_t binlog_position;
	char *gtid_binlog_pos;
	char *source_binlog_file;	/* when taken from a replica */
	uint64_t source_binlog_position;
	char *source_gtid;
	int compression_level;		/* 0 = none */
	/* key ids (hex, blank-separated) members are encrypted to; NULL:
	 * not encrypted (and in older manifests) */
	char *encrypted_to;
	/* VERSION() of the server the tables' checksums come from; NULL:
	 * [backup] checksums was off (and in older manifests) */
	char *checksum_server;
	uint64_t archive_bytes;
	char archive_sha256[65];	/* of the whole file: older backups */
	char archive_digest[65];	/* stream/digest.h; empty in older ones */
	uint64_t rows, raw_bytes;
	/* accounts member ([backup] users = yes), or NULL; its accounts */
	char *users_member;
	uint64_t users, users_bytes;
	uint64_t users_offset;		/* its data in the archive; 0: unknown */
	char users_sha256[65];
	struct manifest_db *dbs;
	size_t ndbs;
	struct manifest_table *tables;
	size_t ntables;
	struct manifest_chunk *chunks;
	size_t nchunks;
};

void manifest_init(struct manifest *m);
void manifest_free(struct manifest *m);
/*
 * Appends; returns the new element (zeroed) owned by m.  The arrays grow,
 * so the pointer is valid only until the next add of the same kind.
 */
struct manifest_db *manifest_add_db(struct manifest *m);
struct manifest_table *manifest_add_table(struct manifest *m);
struct manifest_chunk *manifest_add_chunk(struct manifest *m);

/* Objects the backup skipped (lines of the databases' skipped): > 0 = partial. */
size_t manifest_skipped(const struct manifest *m);

void manifest_write(const struct manifest *m, struct buf *out);
/* Parses text (not NUL-terminated); name is used in error messages. */
int manifest_parse(const char *text, size_t len, const char *name,
    struct manifest *m, struct err *e);

#endif
