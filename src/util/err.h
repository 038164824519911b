/*
 * Errors as values.  A function that can fail takes a struct err * last,
 * returns -1 (or NULL) and fills it; the caller prints err.msg or adds
 * context.  The kind decides the exit status, documented in myship(8).
 */
#ifndef MYSHIP_ERR_H
#define MYSHIP_ERR_H

#include <stdarg.h>

enum err_kind {
	ERR_OK = 0,
	ERR_FAILED,		/* 1: generic failure, some hosts failed */
	ERR_USAGE,		/* 2: bad command line */
	ERR_CONFIG,		/* 3: policy file invalid or unreadable */
	ERR_CONNECT,		/* 4: server unreachable or login refused */
	ERR_DB,			/* 5: a statement failed, unknown database */
	ERR_REPO,		/* 6: local repository or S3 failure */
	ERR_CORRUPT,		/* 7: archive/manifest damaged or incomplete */
	ERR_NOT_FOUND,		/* 8: no such backup/host */
	ERR_LOCK,		/* 9: another run holds the lock */
	ERR_INTERRUPTED,	/* 10: SIGINT/SIGTERM */
	ERR_REFUSED,		/* 11: would overwrite data without --force */
	ERR_STALE,		/* 12: status: a last backup is too old */
	ERR_RESTORE_PARTIAL,	/* 13: restored, some tables/objects failed */
	ERR_BACKUP_PARTIAL,	/* 14: backup complete but objects skipped */
	ERR_DRILL,		/* 15: drill: a table differs or failed */
	ERR_INTERNAL		/* 70: bug or resource exhaustion */
};

#define ERR_MSG_MAX 1024

struct err {
	enum err_kind kind;
	char msg[ERR_MSG_MAX];
};

/* Fills e (when not NULL) and returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As err_set, appending ": strerror(errno)". */
int err_setsys(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with context ("host db1: ..."). */
int err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
int err_exit_code(enum err_kind kind);
const char *err_kind_name(enum err_kind kind);

#endif
