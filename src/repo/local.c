#include "repo/local.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xmalloc.h"

struct repo_local {
	struct repo base;	/* first: a struct repo * points here */
	char *root;
	char *desc;
};

struct local_sink {
	int fd;
	char *dir, *partial, *final;
};

struct local_source {
	int fd;
	char *path;
};

/* What a backup directory holds, from one scan. */
struct local_scan {
	int complete;
	int64_t archive_bytes;
	time_t modified;
};

static const struct repo_ops local_ops;

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
fsync_dir(const char *path, struct err *e)
{
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_setsys(e, ERR_REPO, "%s", path);
	if (fsync(fd) == -1)
		rc = err_setsys(e, ERR_REPO, "fsync %s", path);
	close(fd);
	return rc;
}

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

	if (mkdir_p(dir, e) == -1 || fsync_dir(hostdir, e) == -1 ||
	    fsync_dir(l->root, e) == -1) {
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
	rc = fsync_dir(s->dir, e);
out:
	if (rc == -1)
		unlink(s->partial);
	local_sink_free(s);
	return rc;
}

static int
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

static ssize_t
local_source_read(void *ctx, void *p, size_t n, struct err *e)
{
	struct local_source *s = ctx;
	ssize_t got;

	do
		got = read(s->fd, p, n);
	while (got == -1 && errno == EINTR);
	if (got == -1)
		return err_setsys(e, ERR_REPO, "read %s", s->path);
	return got;
}

static void
local_source_close(void *ctx)
{
	struct local_source *s = ctx;

	close(s->fd);
	free(s->path);
	free(s);
}

/* Opens a regular file of a backup; ERR_NOT_FOUND when it is absent. */
static int
local_open_file(struct repo_local *l, const char *host, const char *id,
    const char *name, char **pathp, struct err *e)
{
	char *path = xasprintf("%s/%s/%s/%s", l->root, host, id, name);
	struct stat sb;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		if (errno == ENOENT)
			err_set(e, ERR_NOT_FOUND, "%s: no such file", path);
		else
			err_setsys(e, ERR_REPO, "%s", path);
		free(path);
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		err_set(e, ERR_REPO, "%s is not a regular file", path);
		close(fd);
		free(path);
		return -1;
	}
	*pathp = path;
	return fd;
}

static int
local_archive_open(struct repo *r, const char *host, const char *id,
    struct source *in, struct err *e)
{
	struct local_source *s = xcalloc(1, sizeof *s);

	s->fd = local_open_file((struct repo_local *)r, host, id, REPO_ARCHIVE,
	    &s->path, e);
	if (s->fd == -1) {
		free(s);
		return -1;
	}
	in->read = local_source_read;
	in->close = local_source_close;
	in->ctx = s;
	return 0;
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
	rc = fsync_dir(dir, e);
out:
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

static int
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

static int
local_get(struct repo *r, const char *host, const char *id, const char *name,
    struct buf *out, struct err *e)
{
	char *path, tmp[65536];
	ssize_t got;
	int fd;

	fd = local_open_file((struct repo_local *)r, host, id, name, &path, e);
	if (fd == -1)
		return -1;
	for (;;) {
		got = read(fd, tmp, sizeof tmp);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		buf_append(out, tmp, (size_t)got);
	}
	if (got == -1)
		err_setsys(e, ERR_REPO, "read %s", path);
	close(fd);
	free(path);
	return got == -1 ? -1 : 0;
}

/* Reads one backup directory: which files, the newest time. */
static int
local_scan_dir(const char *dir, struct local_scan *sc, struct err *e)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;

	sc->complete = 0;
	sc->archive_bytes = -1;
	sc->modified = 0;
	if ((d = opendir(dir)) == NULL)
		return err_setsys(e, ERR_REPO, "%s", dir);
	if (fstat(dirfd(d), &sb) == 0)
		sc->modified = sb.st_mtime;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(sb.st_mode))
			continue;
		if (sb.st_mtime > sc->modified)
			sc->modified = sb.st_mtime;
		if (strcmp(de->d_name, REPO_MANIFEST) == 0)
			sc->complete = 1;
		else if (strcmp(de->d_name, REPO_ARCHIVE) == 0)
			sc->archive_bytes = sb.st_size;
	}
	closedir(d);
	return 0;
}

/* Calls fn for each valid-named subdirectory of dir; ENOENT: none. */
static int
local_each_dir(const char *dir, int (*valid)(const char *),
    int (*fn)(const char *, const char *, void *, struct err *), void *arg,
    struct err *e)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_setsys(e, ERR_REPO, "%s", dir);
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!valid(de->d_name) || fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISDIR(sb.st_mode))
			continue;
		rc = fn(dir, de->d_name, arg, e);
	}
	closedir(d);
	return rc;
}

struct local_list {
	const char *host;
	struct repo_entry *v;
	size_t n, cap;
};

static int
local_list_id(const char *hostdir, const char *id, void *arg, struct err *e)
{
	struct local_list *ll = arg;
	struct repo_entry *ent;
	struct local_scan sc;
	char *dir = xasprintf("%s/%s", hostdir, id);
	int rc;

	/* A directory removed meanwhile (prune) just drops out. */
	rc = local_scan_dir(dir, &sc, e);
	free(dir);
	if (rc == -1)
		return errno == ENOENT ? 0 : -1;
	if (ll->n == ll->cap) {
		ll->cap = ll->cap ? ll->cap * 2 : 16;
		ll->v = xreallocarray(ll->v, ll->cap, sizeof *ll->v);
	}
	ent = &ll->v[ll->n++];
	ent->host = xstrdup(ll->host);
	ent->id = xstrdup(id);
	ent->complete = sc.complete;
	ent->archive_bytes = sc.archive_bytes;
	ent->modified = sc.modified;
	return 0;
}

static int
local_list_host(const char *root, const char *host, void *arg, struct err *e)
{
	struct local_list *ll = arg;
	char *hostdir = xasprintf("%s/%s", root, host);
	int rc;

	ll->host = host;
	rc = local_each_dir(hostdir, repo_id_is_valid, local_list_id, ll, e);
	free(hostdir);
	return rc;
}

static int
local_list(struct repo *r, const char *host, struct repo_entry **out,
    size_t *n, struct err *e)
{
	struct repo_local *l = (struct repo_local *)r;
	struct local_list ll = { NULL, NULL, 0, 0 };
	int rc;

	if (host != NULL)
		rc = local_list_host(l->root, host, &ll, e);
	else
		rc = local_each_dir(l->root, repo_host_is_valid,
		    local_list_host, &ll, e);
	if (rc == -1) {
		repo_entries_free(ll.v, ll.n);
		return -1;
	}
	*out = ll.v;
	*n = ll.n;
	return 0;
}

/* The files myship itself puts in a backup directory. */
static int
local_known_file(const char *name)
{
	return strcmp(name, REPO_ARCHIVE) == 0 ||
	    strcmp(name, REPO_MANIFEST) == 0 ||
	    strcmp(name, REPO_ARCHIVE LOCAL_PARTIAL_SUFFIX) == 0 ||
	    (name[0] != '.' && has_suffix(name, LOCAL_TMP_SUFFIX));
}

/*
 * The manifest goes first and that is made durable: a crash halfway
 * leaves an incomplete backup, never a "complete" one without its archive.
 */
static int
local_remove_dir(const char *dir, struct err *e)
{
	char *manifest = xasprintf("%s/%s", dir, REPO_MANIFEST);
	struct dirent *de;
	DIR *d;
	int rc = -1;

	if (unlink(manifest) == -1 && errno != ENOENT) {
		err_setsys(e, ERR_REPO, "unlink %s", manifest);
		free(manifest);
		return -1;
	}
	free(manifest);
	if (fsync_dir(dir, e) == -1)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return err_setsys(e, ERR_REPO, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		if (!local_known_file(de->d_name))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == -1 &&
		    errno != ENOENT) {
			err_setsys(e, ERR_REPO, "unlink %s/%s", dir,
			    de->d_name);
			goto out;
		}
	}
	if (rmdir(dir) == -1) {
		err_setsys(e, ERR_REPO, "rmdir %s", dir);
		goto out;
	}
	rc = 0;
out:
	closedir(d);
	return rc;
}

static int
local_remove(struct repo *r, const char *host, const char *id, struct err *e)
{
	struct repo_local *l = (struct repo_local *)r;
	char *dir = xasprintf("%s/%s/%s", l->root, host, id);
	char *hostdir = xasprintf("%s/%s", l->root, host);
	struct stat sb;
	int rc = -1;

	if (lstat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		err_set(e, ERR_NOT_FOUND, "backup %s/%s not found in %s", host,
		    id, l->desc);
		goto out;
	}
	if (local_remove_dir(dir, e) == -1)
		goto out;
	rc = fsync_dir(hostdir, e);
out:
	free(dir);
	free(hostdir);
	return rc;
}

struct local_clean {
	int64_t grace;
	time_t now;
	int dry_run;
	size_t removed;
	int failed;		/* first error kept in first_err */
	struct err first_err;
};

static int
local_clean_old(const struct local_clean *lc, time_t t)
{
	return (int64_t)lc->now - (int64_t)t > lc->grace;
}

/* In a complete backup only forgotten temporary files can be stale. */
static int
local_clean_strays(struct local_clean *lc, const char *dir, struct err *e)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : err_setsys(e, ERR_REPO, "%s", dir);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || (!has_suffix(de->d_name,
		    LOCAL_TMP_SUFFIX) && !has_suffix(de->d_name,
		    LOCAL_PARTIAL_SUFFIX)))
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) ==
		    -1 || !S_ISREG(sb.st_mode) || !local_clean_old(lc,
		    sb.st_mtime))
			continue;
		log_info("%s %s/%s", lc->dry_run ? "would remove" : "removing",
		    dir, de->d_name);
		lc->removed++;
		if (!lc->dry_run && unlinkat(dirfd(d), de->d_name, 0) == -1 &&
		    errno != ENOENT)
			rc = err_setsys(e, ERR_REPO, "unlink %s/%s", dir,
			    de->d_name);
	}
	closedir(d);
	return rc;
}

static int
local_clean_id(const char *hostdir, const char *id, void *arg, struct err *e)
{
	struct local_clean *lc = arg;
	struct local_scan sc;
	char *dir = xasprintf("%s/%s", hostdir, id);
	int rc = 0;

	if (local_scan_dir(dir, &sc, e) == -1) {
		rc = errno == ENOENT ? 0 : -1;
		goto out;
	}
	if (sc.complete) {
		rc = local_clean_strays(lc, dir, e);
		goto out;
	}
	/* Young: perhaps another run is writing it right now. */
	if (!local_clean_old(lc, sc.modified))
		goto out;
	log_info("%s incomplete backup %s", lc->dry_run ? "would remove" :
	    "removing", dir);
	if (lc->dry_run) {
		lc->removed++;
		goto out;
	}
	/* One directory that will not go must not stop the others. */
	if (local_remove_dir(dir, e) == -1) {
		log_warn("%s", e->msg);
		if (!lc->failed)
			lc->first_err = *e;
		lc->failed = 1;
	} else
		lc->removed++;
out:
	free(dir);
	return rc;
}

static int
local_clean_host(const char *root, const char *host, void *arg,
    struct err *e)
{
	char *hostdir = xasprintf("%s/%s", root, host);
	int rc;

	rc = local_each_dir(hostdir, repo_id_is_valid, local_clean_id, arg, e);
	free(hostdir);
	return rc;
}

/* Write tests left behind by a crash, in the root. */
static int
local_clean_root(struct local_clean *lc, const char *root, struct err *e)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int rc = 0;

	if ((d = opendir(root)) == NULL)
		return errno == ENOENT ? 0 : err_setsys(e, ERR_REPO, "%s",
		    root);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, LOCAL_WRITE_TEST,
		    strlen(LOCAL_WRITE_TEST)) != 0 || fstatat(dirfd(d),
		    de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(sb.st_mode) || !local_clean_old(lc, sb.st_mtime))
			continue;
		lc->removed++;
		if (!lc->dry_run && unlinkat(dirfd(d), de->d_name, 0) == -1 &&
		    errno != ENOENT)
			rc = err_setsys(e, ERR_REPO, "unlink %s/%s", root,
			    de->d_name);
	}
	closedir(d);
	return rc;
}

static int
local_clean_stale(struct repo *r, int64_t grace_seconds, time_t now,
    int dry_run, size_t *removed, struct err *e)
{
	struct repo_local *l = (struct repo_local *)r;
	struct local_clean lc;
	int rc;

	memset(&lc, 0, sizeof lc);
	lc.grace = grace_seconds;
	lc.now = now;
	lc.dry_run = dry_run;
	rc = local_each_dir(l->root, repo_host_is_valid, local_clean_host, &lc,
	    e);
	if (rc == 0)
		rc = local_clean_root(&lc, l->root, e);
	*removed = lc.removed;
	if (rc == 0 && lc.failed) {
		*e = lc.first_err;
		rc = -1;
	}
	return rc;
}

static int
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

static void
local_close(struct repo *r)
{
	struct repo_local *l = (struct repo_local *)r;

	free(l->root);
	free(l->desc);
	free(l);
}

static const char *
local_describe(const struct repo *r)
{
	return ((const struct repo_local *)r)->desc;
}

static const struct repo_ops local_ops = {
	local_archive_create,
	local_archive_open,
	local_put,
	local_get,
	local_list,
	local_remove,
	local_clean_stale,
	local_check_writable,
	local_close,
	local_describe,
};

struct repo *
repo_local_open_path(const char *path, struct err *e)
{
	struct repo_local *l;
	size_t len;

	if (path == NULL || *path == '\0') {
		err_set(e, ERR_CONFIG, "repository: no directory given");
		return NULL;
	}
	l = xcalloc(1, sizeof *l);
	l->base.ops = &local_ops;
	l->root = xstrdup(path);
	/* "/srv/backup/" and "/srv/backup" are the same place. */
	for (len = strlen(l->root); len > 1 && l->root[len - 1] == '/'; len--)
		l->root[len - 1] = '\0';
	l->desc = xasprintf("local:%s", l->root);
	return &l->base;
}

static struct repo *
repo_local_open(const struct config *cfg, struct err *e)
{
	struct repo *r = repo_local_open_path(cfg->repository, e);

	if (r != NULL)
		r->cfg = cfg;
	return r;
}

/* A directory: any repository value no other kind claims. */
static int
local_wants(const struct config *cfg)
{
	(void)cfg;
	return 1;
}

const struct repo_backend repo_local_backend = {
	.name = "local",
	.wants = local_wants,
	.open = repo_local_open,
};
