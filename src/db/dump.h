/*
 * The dump engine: one consistent copy of a host's selected databases as
 * the archive of FORMAT.md.  N workers, each on its own connection inside
 * the shared snapshot, take work items (a table, or one key range of a big
 * table; unsplittable big tables first, then biggest first) from a list.
 * A worker is two threads so that reading never waits for compressing: one
 * reads rows with mysql_use_result and formats them as multi-row INSERTs
 * into a ring of 3 blocks of about 1 MiB, the other compresses and hashes
 * them into the member and adds each finished member to the archive under
 * a lock.  The member encoding (codec, hashes) and the container are the
 * archive writer's (stream/archive.h), built by the caller.  The calling thread waits, shows progress and handles signals.
 *
 * Memory is bounded by threads x (3 x (1 MiB statement + largest row) +
 * one compressed member + zstd context), where a member holds at most
 * chunk_size raw bytes (plus one row); the stream sink adds its own buffer
 * (an S3 part).  With max_rate, the fetch threads share one token bucket
 * (util/rate.h) and pause before reading past it.
 */
#ifndef MYSHIP_DUMP_H
#define MYSHIP_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "db/catalog.h"
#include "policy/manifest.h"
#include "stream/archive.h"
#include "util/config.h"
#include "util/err.h"

struct dump_opts {
	uint64_t chunk_size;		/* raw SQL bytes per data member */
	size_t threads;			/* >= 1 */
	int64_t lock_wait_timeout;	/* seconds, for BACKUP STAGE */
	int verbose;			/* log each table at info level */
	int skip_broken;		/* [backup] on_error = skip */
	uint64_t max_rate;		/* row bytes/s from the server, 0: no cap */
	/* [backup] users: the accounts member (db/users.h), chosen so */
	int users;
	const struct strlist *users_include, *users_exclude;
	int checksums;			/* CHECKSUM TABLE each, in the snapshot */
};

/*
 * Writes the members of h's archive into aw (left open: the caller
 * finishes or aborts it) and fills m with what it holds: databases, tables,
 * chunks, snapshot method and binlog coordinates, server version, rows and
 * raw bytes.  With o->checksums, after the rows, every copied table's
 * CHECKSUM TABLE in the same snapshot (manifest_table.checksum; one it
 * cannot take is warned about and left out).  Stops with ERR_INTERRUPTED
 * on SIGINT/SIGTERM.
 */
int dump_host(const struct host_cfg *h, const struct db_filter *f,
    const struct dump_opts *o, struct archive_writer *aw, struct manifest *m,
    struct err *e);

#endif
