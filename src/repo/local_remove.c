/*
 * The local backend's removals: one backup (prune), and the leftovers of
 * interrupted runs once their grace has passed (clean_stale).
 */
#include "repo/local_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/xmalloc.h"

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The files myship itself puts in a backup directory. */
static int
local_known_file(const char *name)
{
	return strcmp(name, REPO_ARCHIVE) == 0 ||
	    strcmp(name, REPO_MANIFEST) == 0 ||
	    strcmp(name, REPO_VERIFIED) == 0 ||
	    strcmp(name, REPO_DRILLED) == 0 ||
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
	if (local_fsync_dir(dir, e) == -1)
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

int
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
	rc = local_fsync_dir(hostdir, e);
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

int
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
