/*
 * What a repository implementation provides: repo.c dispatches every
 * repo.h call through this table, so the local directory and S3 differ
 * only here.  Arguments are checked (names validated) by repo.c before an
 * operation is called; an implementation may trust host and id to be safe
 * path components.
 */
#ifndef MYSHIP_REPO_IMPL_H
#define MYSHIP_REPO_IMPL_H

#include "repo/repo.h"

struct repo_ops {
	int (*archive_create)(struct repo *r, const char *host, const char *id,
	    struct sink *out, struct err *e);
	int (*archive_open)(struct repo *r, const char *host, const char *id,
	    struct source *in, struct err *e);
	int (*archive_range)(struct repo *r, const char *host, const char *id,
	    uint64_t offset, uint64_t length, struct source *in, struct err *e);
	int (*put)(struct repo *r, const char *host, const char *id,
	    const char *name, const void *data, size_t len, struct err *e);
	int (*get)(struct repo *r, const char *host, const char *id,
	    const char *name, struct buf *out, struct err *e);
	/* Unsorted; repo.c sorts.  host NULL: every host. */
	int (*list)(struct repo *r, const char *host, struct repo_entry **out,
	    size_t *n, struct err *e);
	int (*remove)(struct repo *r, const char *host, const char *id,
	    struct err *e);
	int (*clean_stale)(struct repo *r, int64_t grace_seconds, time_t now,
	    int dry_run, size_t *removed, struct err *e);
	int (*check_writable)(struct repo *r, struct err *e);
	/* Frees r and everything it holds. */
	void (*close)(struct repo *r);
	const char *(*describe)(const struct repo *r);
	/* NULL: the store has no retention locks (repo_lock_until). */
	int (*lock_until)(struct repo *r, const char *host, const char *id,
	    time_t *until, struct err *e);
};

/*
 * Every implementation's own struct begins with this one, so a
 * struct repo * can be cast to it.
 */
struct repo {
	const struct repo_ops *ops;
	const struct config *cfg;
};

/*
 * A kind of repository.  repo.c holds the table of them and asks each in
 * turn: the first that wants the policy's repository opens it.
 */
struct repo_backend {
	const char *name;		/* "s3", "local" */
	int (*wants)(const struct config *cfg);
	struct repo *(*open)(const struct config *cfg, struct err *e);
};

extern const struct repo_backend repo_local_backend, repo_s3_backend;

/* Validation shared by the implementations (repo.c).  True when valid. */
int repo_id_is_valid(const char *id);
/* Names of the small objects a backup may hold (manifest.ini). */
int repo_object_name_is_valid(const char *name);
/* Frees one entry's strings (not the entry). */
void repo_entry_clear(struct repo_entry *ent);

#endif
