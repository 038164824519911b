/*
 * The local backend's read side: an archive as a source, small files
 * (the manifest) into a buffer, and the listing of backups.
 */
#include "repo/local_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xmalloc.h"

struct local_source {
	int fd;
	char *path;
	int ranged;		/* pread from off, left bytes at most */
	uint64_t off, left;
};

static ssize_t
local_source_read(void *ctx, void *p, size_t n, struct err *e)
{
	struct local_source *s = ctx;
	ssize_t got;

	if (s->ranged && n > s->left)
		n = (size_t)s->left;
	do
		got = s->ranged ? pread(s->fd, p, n, (off_t)s->off) :
		    read(s->fd, p, n);
	while (got == -1 && errno == EINTR);
	if (got == -1)
		return err_setsys(e, ERR_REPO, "read %s", s->path);
	if (s->ranged) {
		s->off += (uint64_t)got;
		s->left -= (uint64_t)got;
	}
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

int
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

int
local_archive_range(struct repo *r, const char *host, const char *id,
    uint64_t offset, uint64_t length, struct source *in, struct err *e)
{
	struct local_source *s;

	if (local_archive_open(r, host, id, in, e) == -1)
		return -1;
	s = in->ctx;
	s->ranged = 1;
	s->off = offset;
	s->left = length;
	return 0;
}

int
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
int
local_scan_dir(const char *dir, struct local_scan *sc, struct err *e)
{
	struct dirent *de;
	struct stat sb;
	DIR *d;

	sc->complete = 0;
	sc->verified = 0;
	sc->drilled = 0;
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
		else if (strcmp(de->d_name, REPO_VERIFIED) == 0)
			sc->verified = 1;
		else if (strcmp(de->d_name, REPO_DRILLED) == 0)
			sc->drilled = 1;
		else if (strcmp(de->d_name, REPO_ARCHIVE) == 0)
			sc->archive_bytes = sb.st_size;
	}
	closedir(d);
	return 0;
}

/* Calls fn for each valid-named subdirectory of dir; ENOENT: none. */
int
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
	ent->verified = sc.verified;
	ent->drilled = sc.drilled;
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

int
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
