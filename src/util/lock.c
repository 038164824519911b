/* The run lock: flock(2) plus the holder's PID in the file. */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/lock.h"
#include "util/signals.h"
#include "util/xmalloc.h"
#include "util/clock.h"

struct lock {
	int fd;
	char *path;
};

/* Interval between two tries while waiting; short enough for tests. */
#define LOCK_POLL_NSEC (100 * 1000 * 1000L)

/* Reads the PID the holder wrote; 0 when it has not written it yet. */
static long
lock_read_pid(int fd)
{
	char buf[32];
	ssize_t n;
	char *end;
	long pid;

	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || pid <= 0 || (*end != '\n' && *end != '\0'))
		return 0;
	return pid;
}

static int
lock_write_pid(int fd, const char *path, struct err *e)
{
	char buf[32];
	int len;

	len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1)
		return err_setsys(e, ERR_LOCK, "lock %s", path);
	if (pwrite(fd, buf, (size_t)len, 0) != len)
		return err_setsys(e, ERR_LOCK, "lock %s: writing pid", path);
	return 0;
}


static int
lock_busy(int fd, const char *path, struct err *e)
{
	long pid;

	pid = lock_read_pid(fd);
	if (pid == 0) {
		/* The holder may be between flock and writing its PID. */
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000L }, NULL);
		pid = lock_read_pid(fd);
	}
	if (pid == 0)
		return err_set(e, ERR_LOCK, "lock %s is held by another process",
		    path);
	return err_set(e, ERR_LOCK, "lock %s is held by pid %ld", path, pid);
}

int
lock_acquire(const char *path, int64_t wait_seconds, struct lock **out,
    struct err *e)
{
	struct timespec poll = { 0, LOCK_POLL_NSEC };
	struct lock *l;
	double deadline;
	int fd;

	*out = NULL;
	if (path == NULL || *path == '\0')
		return err_set(e, ERR_CONFIG, "no lock_file configured");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd == -1)
		return err_setsys(e, ERR_LOCK, "lock %s", path);
	deadline = clock_seconds() + (double)(wait_seconds > 0 ? wait_seconds : 0);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			err_setsys(e, ERR_LOCK, "lock %s", path);
			goto fail;
		}
		if (wait_seconds <= 0 || clock_seconds() >= deadline) {
			lock_busy(fd, path, e);
			goto fail;
		}
		if (signals_interrupted()) {
			err_set(e, ERR_INTERRUPTED, "interrupted waiting for "
			    "lock %s", path);
			goto fail;
		}
		nanosleep(&poll, NULL);
	}
	if (lock_write_pid(fd, path, e) == -1)
		goto fail;
	l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->path = xstrdup(path);
	*out = l;
	return 0;
fail:
	close(fd);
	return -1;
}

void
lock_release(struct lock *l)
{
	if (l == NULL)
		return;
	/*
	 * Emptied, not unlinked: unlinking would let a waiter lock the old
	 * inode while a newcomer locks a fresh file.
	 */
	if (ftruncate(l->fd, 0) == -1) {
		/* Harmless: a stale PID is only a hint. */
	}
	close(l->fd);
	free(l->path);
	free(l);
}
