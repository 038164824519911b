/* The run lock between processes: refusal naming the pid, wait, SIGKILL. */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/lock.h"
#include "tap.h"

/* Child: takes the lock, reports on the pipe, holds it for hold_ms. */
static pid_t
holder(const char *path, int hold_ms)
{
	struct lock *l;
	struct err e;
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p) == -1)
		abort();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (lock_acquire(path, 0, &l, &e) == -1)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		usleep(hold_ms * 1000);
		lock_release(l);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		abort();
	close(p[0]);
	return pid;
}

int
main(void)
{
	char tmpl[] = "/tmp/myship-lock-test-XXXXXX", path[64], msg[256];
	char *dir;
	struct lock *l = NULL;
	struct err e;
	pid_t pid;
	int status;

	dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	snprintf(path, sizeof path, "%s/run.lock", tmpl);

	CHECK_INT(lock_acquire(path, 0, &l, &e), 0);
	lock_release(l);
	CHECK_INT(lock_acquire(NULL, 0, &l, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);

	/* Held by another process: refused at once, naming its pid. */
	pid = holder(path, 1500);
	CHECK_INT(lock_acquire(path, 0, &l, &e), -1);
	CHECK_INT(e.kind, ERR_LOCK);
	snprintf(msg, sizeof msg, "lock %s is held by pid %ld", path, (long)pid);
	CHECK_STR(e.msg, msg);
	/* Waiting long enough gets it once the holder lets go. */
	CHECK_INT(lock_acquire(path, 10, &l, &e), 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	lock_release(l);

	/* A short wait is not enough. */
	pid = holder(path, 3000);
	CHECK_INT(lock_acquire(path, 1, &l, &e), -1);
	CHECK_INT(e.kind, ERR_LOCK);
	/* A SIGKILLed holder never blocks the next run. */
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status));
	CHECK_INT(lock_acquire(path, 0, &l, &e), 0);
	lock_release(l);

	unlink(path);
	rmdir(dir);
	return tap_done();
}
