#include "util/err.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int code;
} err_table[] = {
	[ERR_OK] = { "ok", 0 },
	[ERR_FAILED] = { "failed", 1 },
	[ERR_USAGE] = { "usage", 2 },
	[ERR_CONFIG] = { "config", 3 },
	[ERR_CONNECT] = { "connect", 4 },
	[ERR_DB] = { "database", 5 },
	[ERR_REPO] = { "repository", 6 },
	[ERR_CORRUPT] = { "corrupt", 7 },
	[ERR_NOT_FOUND] = { "not-found", 8 },
	[ERR_LOCK] = { "locked", 9 },
	[ERR_INTERRUPTED] = { "interrupted", 10 },
	[ERR_REFUSED] = { "refused", 11 },
	[ERR_STALE] = { "stale", 12 },
	[ERR_RESTORE_PARTIAL] = { "restored-with-failures", 13 },
	[ERR_BACKUP_PARTIAL] = { "partial", 14 },
	[ERR_DRILL] = { "drill-failed", 15 },
	[ERR_INTERNAL] = { "internal", 70 },
};

static int
err_vset(struct err *e, enum err_kind kind, int with_errno, const char *fmt,
    va_list ap)
{
	int saved = errno;
	size_t len;

	if (e == NULL)
		return -1;
	e->kind = kind;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	if (with_errno) {
		len = strlen(e->msg);
		snprintf(e->msg + len, sizeof e->msg - len, ": %s",
		    strerror(saved));
	}
	errno = saved;
	return -1;
}

int
err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, kind, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_setsys(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, kind, 1, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_prefix(struct err *e, const char *fmt, ...)
{
	char old[ERR_MSG_MAX];
	size_t len;
	va_list ap;

	if (e == NULL)
		return -1;
	memcpy(old, e->msg, sizeof old);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (len + 3 < sizeof e->msg) {
		size_t room = sizeof e->msg - len - 3, n = strlen(old);

		memcpy(e->msg + len, ": ", 2);
		if (n > room)
			n = room;
		memcpy(e->msg + len + 2, old, n);
		e->msg[len + 2 + n] = '\0';
	}
	return -1;
}

void
err_clear(struct err *e)
{
	if (e != NULL) {
		e->kind = ERR_OK;
		e->msg[0] = '\0';
	}
}

int
err_exit_code(enum err_kind kind)
{
	if ((unsigned)kind >= sizeof err_table / sizeof err_table[0])
		return 70;
	return err_table[kind].code;
}

const char *
err_kind_name(enum err_kind kind)
{
	if ((unsigned)kind >= sizeof err_table / sizeof err_table[0])
		return "internal";
	return err_table[kind].name;
}
