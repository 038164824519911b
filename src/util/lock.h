/*
 * The run lock: one run, backup or prune at a time per policy.  An
 * exclusive flock(2) on [global] lock_file, so a holder that dies (even by
 * SIGKILL) releases it with its last descriptor and never blocks the next
 * run.  The file carries the holder's PID only so a refused run can name it.
 */
#ifndef MYSHIP_LOCK_H
#define MYSHIP_LOCK_H

#include <stdint.h>

#include "util/err.h"

struct lock;

/*
 * Takes the lock at path, creating the file (0644) when missing.  When it
 * is held, fails at once with ERR_LOCK "lock PATH is held by pid N", or
 * with wait_seconds > 0 retries until that many seconds have passed.  A
 * SIGINT/SIGTERM during the wait fails with ERR_INTERRUPTED.
 */
int lock_acquire(const char *path, int64_t wait_seconds, struct lock **out,
    struct err *e);
/* Releases and frees; NULL is allowed. */
void lock_release(struct lock *l);

#endif
