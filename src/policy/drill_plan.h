/*
 * What a restore drill (myship drill) decides without a server: the names
 * of its scratch databases, whether the checksums a backup recorded can be
 * held against the target's, each table's verdict, and the one-line record
 * of a drill kept next to the backup in the repository (REPO_DRILLED) for
 * status.  Pure.
 *
 * A scratch database is named DRILL_PREFIX, 6 hex digits of the SHA-256 of
 * the source host's name, '_', the backup id, '_', 8 hex digits of the
 * SHA-256 of host and database, '_', then as much of the database's name
 * (only [a-z0-9_], lowercased) as fits in 64 characters: all lowercase,
 * so lower_case_table_names cannot fold two into one, unique per database,
 * and the next drill of that host finds a killed drill's leftovers by
 * their prefix.
 */
#ifndef MYSHIP_DRILL_PLAN_H
#define MYSHIP_DRILL_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "util/err.h"

#define DRILL_PREFIX	"myship_drill_"
#define DRILL_NAME_MAX	64	/* a database name's limit */

/* The scratch name of db of host's backup id (out: DRILL_NAME_MAX + 1). */
void drill_scratch_name(const char *host, const char *id, const char *db,
    char *out);
/* Whether name is the scratch database of a drill of host (any backup). */
int drill_is_scratch(const char *host, const char *name);

/*
 * Whether CHECKSUM TABLE values of a server whose VERSION() was from can
 * be held against those of one that says to: the same flavour (MariaDB or
 * MySQL) and release series (major.minor: 10.11, 11.8, 8.4, 9.7).
 */
int drill_comparable(const char *from, const char *to);

enum drill_verdict { DRILL_OK, DRILL_ROWS, DRILL_CHECKSUM };
/*
 * One restored table: its rows against the manifest's, then (when
 * compare, and the backup recorded one) its checksum against the recorded.
 */
enum drill_verdict drill_table(uint64_t want_rows, uint64_t rows,
    const char *want_sum, const char *sum, int compare);

/* How the checksums went, as the record and status say it. */
enum drill_sums { DRILL_SUMS_COMPARED, DRILL_SUMS_NOT_COMPARABLE,
    DRILL_SUMS_NOT_RECORDED };
extern const char *const drill_sums_names[];

struct drill_record {
	int ok;
	time_t finished;
	double restore_secs;		/* the restore: the measured RTO */
	size_t tables, failed;		/* tables checked, and wrong */
	enum drill_sums sums;
	char target[64];		/* the [host] restored into */
};

/* One line, ending in a newline. */
void drill_record_format(const struct drill_record *r, struct buf *out);
/* The line back (from the repository: anything); ERR_CORRUPT if it is not one. */
int drill_record_parse(const char *text, size_t len, struct drill_record *r,
    struct err *e);

#endif
