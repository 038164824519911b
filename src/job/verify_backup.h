/*
 * Verifying one backup without any server.  Its manifest is parsed and held
 * to itself (the restore plan of every database: no member or table of no
 * database, nothing listed twice), then its archive is read once from the
 * repository and every member held against the manifest as a restore
 * would (listed, met once, in kind order, its size and SHA-256), then
 * decoded without running anything (zstd's frame checksums, and the SQL
 * size the manifest records), and at the end the whole file's size and
 * SHA-256.  Encrypted members are decrypted too when ident is given (an
 * identity they are sealed to); without it their size and SHA-256, which
 * cover the encrypted bytes, are all that is checked (counted as sealed).
 * A damaged member costs only itself: each is one line of the
 * report and the reading goes on; only a tar stream that cannot be
 * followed ends it early.  One member is in memory at a time (at most the
 * backup's chunk size, or PLAN_MEMBER_MAX).  On S3, when the manifest
 * records member offsets, the archive is read instead by ranges in
 * parallel (job/verify_ranged.h): opts.workers members at a time.
 */
#ifndef MYSHIP_JOB_VERIFY_BACKUP_H
#define MYSHIP_JOB_VERIFY_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "repo/repo.h"
#include "stream/crypt_keys.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/strutil.h"

struct verify_report {
	char *id;		/* the backup verified (id_arg resolved) */
	size_t expected;	/* members the manifest lists */
	size_t members;		/* members read and checked */
	uint64_t bytes;		/* archive bytes read, tar headers included */
	uint64_t raw_bytes;	/* SQL the members decode to */
	double secs;
	size_t sealed;		/* encrypted members checked without the key */
	struct strlist damage;	/* one line each, naming the member */
	size_t ranges;		/* ranged reads (S3, job/verify_ranged.h); 0: one stream */
	size_t workers;		/* threads that read them */
};

void verify_report_free(struct verify_report *v);

/*
 * Verifies host's backup id_arg (an id or "latest") as o says into v
 * (zeroed by the caller, freed with verify_report_free).  Returns 0 once the archive was
 * read as far as it could be: v->damage.n > 0 means it is damaged.
 * Returns -1 when it could not be verified at all: no such backup
 * (ERR_NOT_FOUND), a repository failure (ERR_REPO), a missing or
 * contradictory manifest (ERR_CORRUPT), a signal (ERR_INTERRUPTED).
 */
/*
 * What a caller does with each member that holds (checked and decoded):
 * its name and stored bytes.  -1 stops the reading (a write failed).
 */
typedef int verify_member_fn(void *arg, const char *member,
    const struct buf *stored, struct err *e);

/* Parallel ranged reads verify and run use on S3. */
#define VERIFY_WORKERS	4

struct verify_opts {
	const struct crypt_identity *ident;	/* NULL: none */
	verify_member_fn *each;			/* NULL: nothing more */
	void *arg;
	/* S3 and a manifest with member offsets: this many parallel ranged
	 * reads (job/verify_ranged.h) when each is NULL; 0: one stream. */
	size_t workers;
};

int verify_backup(struct repo *r, const char *host, const char *id_arg,
    const struct verify_opts *o, struct verify_report *v, struct err *e);

/*
 * Marks host's backup v->id verified (REPO_VERIFIED, one line saying when
 * and what was read), after a verify that found no damage.
 */
int verify_record(struct repo *r, const char *host,
    const struct verify_report *v, time_t now, struct err *e);

/*
 * Whether run verifies host's new backup under [verify] when: the host's
 * backups are listed for the ones already verified (policy/verify_due.h).
 */
int verify_wanted(struct repo *r, const char *host, int when, time_t now,
    struct err *e);

#endif
