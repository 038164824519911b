/*
 * A repository holds backups as HOST/BACKUP_ID/{backup.tar,manifest.ini}:
 * a local directory or an S3 bucket/prefix, behind one interface.  The
 * archive is streamed in through a sink and out through a source; the
 * manifest is a small object written atomically and only after the archive
 * is complete, so a backup without a manifest is incomplete by definition.
 */
#ifndef MYSHIP_REPO_H
#define MYSHIP_REPO_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "stream/io.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"

#define REPO_ARCHIVE "backup.tar"
#define REPO_MANIFEST "manifest.ini"
/* Put by a verify that found the backup whole (one line of text, for
 * people: myship only asks whether it is there). */
#define REPO_VERIFIED "verified.txt"
/* Put by a drill: its one-line record (policy/drill_plan.h), for status. */
#define REPO_DRILLED "drill.txt"

struct repo;

/* One backup as seen in a listing (the manifest is not read). */
struct repo_entry {
	char *host;
	char *id;		/* YYYYMMDDTHHMMSSZ */
	int complete;		/* has a manifest */
	int verified;		/* has REPO_VERIFIED */
	int drilled;		/* has REPO_DRILLED */
	int64_t archive_bytes;	/* -1 when unknown */
	time_t modified;	/* newest object's time, for grace periods */
};

/*
 * A host name as the repository stores it: [A-Za-z0-9_.-], not starting
 * with '.'.  True when valid.
 */
int repo_host_is_valid(const char *host);

/* Opens the repository the policy names (directory, or [s3]). */
struct repo *repo_open(const struct config *cfg, struct err *e);
void repo_close(struct repo *r);
/* "local:/path" or "s3://bucket/prefix", for messages. */
const char *repo_describe(const struct repo *r);
/* Whether r is an S3 bucket (ranged reads pay off in parallel there). */
int repo_is_s3(const struct repo *r);

/*
 * Starts writing HOST/ID/backup.tar.  sink_finish makes it durable
 * (fsync+rename, or CompleteMultipartUpload); sink_abort removes all of it.
 */
int repo_archive_create(struct repo *r, const char *host, const char *id,
    struct sink *out, struct err *e);
int repo_archive_open(struct repo *r, const char *host, const char *id,
    struct source *in, struct err *e);
/*
 * Only length bytes of HOST/ID/backup.tar from offset (a member's, from
 * the manifest): a seek locally, a GET with a Range on S3, where a dropped
 * transfer resumes from its own next byte.  The source gives at most
 * length bytes; fewer means the archive is shorter (the caller's check).
 */
int repo_archive_range(struct repo *r, const char *host, const char *id,
    uint64_t offset, uint64_t length, struct source *in, struct err *e);
/* Small objects (the manifest): written whole and atomically. */
int repo_put(struct repo *r, const char *host, const char *id,
    const char *name, const void *data, size_t len, struct err *e);
/* ERR_NOT_FOUND when absent. */
int repo_get(struct repo *r, const char *host, const char *id,
    const char *name, struct buf *out, struct err *e);

/* Backups of host (NULL: all hosts), sorted by host then id. */
int repo_list(struct repo *r, const char *host, struct repo_entry **out,
    size_t *n, struct err *e);
void repo_entries_free(struct repo_entry *v, size_t n);
/*
 * Removes everything of one backup (complete or not): on a versioned S3
 * bucket every version and delete marker.  Returns 1 when the store
 * refused because a retention lock protects some of it (e->msg says
 * what); that is not a failure.
 */
int repo_remove(struct repo *r, const char *host, const char *id,
    struct err *e);
/*
 * Until when the store's retention lock (S3 Object Lock) protects the
 * backup: the latest retain-until date of its objects, 0 for none.
 */
int repo_lock_until(struct repo *r, const char *host, const char *id,
    time_t *until, struct err *e);
/*
 * Removes leftovers older than the grace that belong to no backup: S3
 * multipart uploads never completed; local temporary files.  Counts them.
 */
int repo_clean_stale(struct repo *r, int64_t grace_seconds, time_t now,
    int dry_run, size_t *removed, struct err *e);
/* Writes, reads back and deletes a small test object. */
int repo_check_writable(struct repo *r, struct err *e);

#endif
