/*
 * The local backend's write side: the archive sink (backup.tar.partial,
 * renamed when finished), atomic small files (the manifest) and the
 * write test.
 */
#include "repo/local_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xmalloc.h"

struct local_sink {
	int fd;
	char *dir, *partial, *final;
};

/* Creates every missing directory of path, 0700; the last one may exist. */
static int
mkdir_p(const char *path, struct err *e)
{
	char *p = xstrdup(path), *s, c;
	struct stat sb;
	int rc = -1;

	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			err_setsys(e, ERR_REPO, "mkdir %s", p);
			goto out;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (stat(path, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		err_set(e, ERR_REPO, "%s is not a directory", path);
		goto out;
	}
	rc = 0;
out:
	free(p);
	return rc;
}

static int
write_all(int fd, const void *p, size_t n, const char *path, struct err *e)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return err_setsys(e, ERR_REPO, "write %s", path);
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Makes ROOT/HOST/ID and syncs the parents so the new entry is durable. */
static char *
local_backup_dir(struct repo_local *l, const char *host, const char *id,
    struct err *e)
{
	char *hostdir = xasprintf("%s/%s", l->root, host);
	char *dir = xasprintf("%s/%s", hostdir, id);

	if (mkdir_p(dir, e) == -1 || local_fsync_dir(hostdir, e) == -1 ||
	    local_fsync_dir(l->root, e) == -1) {
		free(dir);
		dir = NULL;
	}
	free(hostdir);
	return dir;
}

static int
local_sink_write(void *ctx, const void *p, size_t n, struct err *e)
{
	struct local_sink *s = ctx;

	return write_all(s->fd, p, n, s->partial, e);
}

static void
local_sink_free(struct local_sink *s)
{
	if (s->fd != -1)
		close(s->fd);
	free(s->dir);
	free(s->partial);
	free(s->final);
	free(s);
}

static void
local_sink_abort(void *ctx)
{
	struct local_sink *s = ctx;

	close(s->fd);
	s->fd = -1;
	if (unlink(s->partial) == -1 && errno != ENOENT)
		log_warn("cannot remove %s: %s", s->partial, strerror(errno));
	/* Leaves the directory if anything else is in it. */
	rmdir(s->dir);
	local_sink_free(s);
}

static int
local_sink_finish(void *ctx, struct err *e)
{
	struct local_sink *s = ctx;
	int rc = -1;

	if (fsync(s->fd) == -1) {
		err_setsys(e, ERR_REPO, "fsync %s", s->partial);
		goto out;
	}
	if (close(s->fd) == -1) {
		s->fd = -1;
		err_setsys(e, ERR_REPO, "close %s", s->partial);
		goto out;
	}
	s->fd = -1;
	if (rename(s->partial, s->final) == -1) {
		err_setsys(e, ERR_REPO, "rename %s", s->partial);
		goto out;
	}
	rc = local_fsync_dir(s->dir, e);
out:
	if (rc == -1)
		unlink(s->partial);
	local_sink_free(s);
	return rc;
}

int
local_archive_create(struct repo *r, const char *host, const char *id,
    struct sink *out, struct err *e)
{
	struct repo_local *l = (struct repo_local *)r;
	struct local_sink *s;
	struct stat sb;
	char *dir, *manifest;
	int exists;

	if ((dir = local_backup_dir(l, host, id, e)) == NULL)
		return -1;
	s = xcalloc(1, sizeof *s);
	s->fd = -1;
	s->dir = dir;
	s->partial = xasprintf("%s/%s%s", dir, REPO_ARCHIVE,
	    LOCAL_PARTIAL_SUFFIX);
	s->final = xasprintf("%s/%s", dir, REPO_ARCHIVE);
	manifest = xasprintf("%s/%s", dir, REPO_MANIFEST);
	exists = lstat(s->final, &sb) == 0 || lstat(manifest, &sb) == 0;
	free(manifest);
	if (exists) {
		err_set(e, ERR_REFUSED, "backup %s/%s already exists in %s",
		    host, id, l->desc);
		goto fail;
	}
	s->fd = open(s->partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (s->fd == -1) {
		if (errno == EEXIST)
			err_set(e, ERR_REPO, "%s exists: another run is writing "
			    "this backup", s->partial);
		else
			err_setsys(e, ERR_REPO, "%s", s->partial);
		goto fail;
	}
	memset(out, 0, sizeof *out);
	out->write = local_sink_write;
	out->finish = local_sink_finish;
	out->abort = local_sink_abort;
	out->ctx = s;
	return 0;
fail:
	local_sink_free(s);
	return -1;
}

/* Writes path atomically: a temporary file, fsync, rename, fsync dir. */
static int
local_write_atomic(const char *dir, const char *name, const void *data,
    size_t len, struct err *e)
{
	char *tmp = xasprintf("%s/%s%s", dir, name, LOCAL_TMP_SUFFIX);
	char *path = xasprintf("%s/%s", dir, name);
	int fd = -1, rc = -1;

	if (unlink(tmp) == -1 && errno != ENOENT) {
		err_setsys(e, ERR_REPO, "unlink %s", tmp);
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		err_setsys(e, ERR_REPO, "%s", tmp);
		goto out;
	}
	if (write_all(fd, data, len, tmp, e) == -1)
		goto out;
	if (fsync(fd) == -1) {
		err_setsys(e, ERR_REPO, "fsync %s", tmp);
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_setsys(e, ERR_REPO, "close %s", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		err_setsys(e, ERR_REPO, "rename %s", tmp);
		goto out;
	}
	rc = local_fsync_dir(dir, e);
out:
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

int
local_put(struct repo *r, const char *host, const char *id, const char *name,
    const void *data, size_t len, struct err *e)
{
	struct repo_local *l = (struct repo_local *)r;
	char *dir, *archive;
	struct stat sb;
	int rc;

	/* A manifest says the archive is complete: it must be there. */
	if (strcmp(name, REPO_MANIFEST) == 0) {
		archive = xasprintf("%s/%s/%s/%s", l->root, host, id,
		    REPO_ARCHIVE);
		rc = lstat(archive, &sb) == 0 && S_ISREG(sb.st_mode) ? 0 :
		    err_set(e, ERR_REPO, "%s: no complete archive for this "
		    "manifest", archive);
		free(archive);
		if (rc == -1)
			return -1;
	}
	if ((dir = local_backup_dir(l, host, id, e)) == NULL)
		return -1;
	rc = local_write_atomic(dir, name, data, len, e);
	free(dir);
	return rc;
}

int
local_check_writable(struct repo *r, struct err *e)
{
	struct repo_local *l = (struct repo_local *)r;
	static const char probe[] = "myship write test\n";
	char *path = NULL, back[sizeof probe];
	ssize_t got;
	int fd = -1, rc = -1;

	if (mkdir_p(l->root, e) == -1)
		return -1;
	path = xasprintf("%s/%s%ld", l->root, LOCAL_WRITE_TEST, (long)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		err_setsys(e, ERR_REPO, "%s", path);
		goto out;
	}
	if (write_all(fd, probe, sizeof probe - 1, path, e) == -1)
		goto out;
	if (fsync(fd) == -1) {
		err_setsys(e, ERR_REPO, "fsync %s", path);
		goto out;
	}
	got = pread(fd, back, sizeof back, 0);
	if (got != (ssize_t)sizeof probe - 1 ||
	    memcmp(back, probe, sizeof probe - 1) != 0) {
		err_set(e, ERR_REPO, "%s: read back differs", path);
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (path != NULL && unlink(path) == -1 && errno != ENOENT && rc == 0)
		rc = err_setsys(e, ERR_REPO, "unlink %s", path);
	free(path);
	return rc;
}
