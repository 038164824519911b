/*
 * Inside the local backend (repo/local.h): what its four files share.
 * local.c holds the operations table and opens the repository;
 * local_write.c creates (the archive sink, atomic files, the write test);
 * local_read.c reads and lists; local_remove.c removes a backup and cleans
 * stale leftovers.  Nothing outside repo/local*.c includes this.
 */
#ifndef MYSHIP_REPO_LOCAL_INT_H
#define MYSHIP_REPO_LOCAL_INT_H

#include <stdint.h>
#include <time.h>

#include "repo/local.h"

struct repo_local {
	struct repo base;	/* first: a struct repo * points here */
	char *root;
	char *desc;
};

/* What a backup directory holds, from one scan. */
struct local_scan {
	int complete;
	int verified;
	int drilled;
	int64_t archive_bytes;
	time_t modified;
};

/* fsyncs the directory itself, so that an entry made in it is durable. */
int local_fsync_dir(const char *path, struct err *e);

/* Reads one backup directory: which files, the newest time. */
int local_scan_dir(const char *dir, struct local_scan *sc, struct err *e);
/* Calls fn for each valid-named subdirectory of dir; ENOENT: none. */
int local_each_dir(const char *dir, int (*valid)(const char *),
    int (*fn)(const char *, const char *, void *, struct err *), void *arg,
    struct err *e);

/* The repo_ops entries (repo/repo_impl.h), by file. */
int local_archive_create(struct repo *r, const char *host, const char *id,
    struct sink *out, struct err *e);
int local_put(struct repo *r, const char *host, const char *id,
    const char *name, const void *data, size_t len, struct err *e);
int local_check_writable(struct repo *r, struct err *e);

int local_archive_open(struct repo *r, const char *host, const char *id,
    struct source *in, struct err *e);
int local_archive_range(struct repo *r, const char *host, const char *id,
    uint64_t offset, uint64_t length, struct source *in, struct err *e);
int local_get(struct repo *r, const char *host, const char *id,
    const char *name, struct buf *out, struct err *e);
int local_list(struct repo *r, const char *host, struct repo_entry **out,
    size_t *n, struct err *e);

int local_remove(struct repo *r, const char *host, const char *id,
    struct err *e);
int local_clean_stale(struct repo *r, int64_t grace_seconds, time_t now,
    int dry_run, size_t *removed, struct err *e);

#endif
