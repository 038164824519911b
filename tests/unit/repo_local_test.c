#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repo/local.h"
#include "tap.h"
#include "util/xmalloc.h"

static char root[256];

static int
exists(const char *rel)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	return lstat(path, &sb) == 0;
}

static int
mode_of(const char *rel)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	return lstat(path, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
}

/* Sets a file's or directory's times to t. */
static void
age(const char *rel, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	char path[512];

	snprintf(path, sizeof path, "%s/%s", root, rel);
	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) == -1)
		printf("# utimensat %s: %s\n", path, strerror(errno));
}

static void
touch(const char *rel)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0600)) != -1)
		close(fd);
}

static void
unlink_rel(const char *rel)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", root, rel);
	unlink(path);
}

static int
write_backup(struct repo *r, const char *host, const char *id, int finish,
    int manifest)
{
	struct sink s;
	struct err e;
	char block[4096];

	memset(block, 'x', sizeof block);
	if (repo_archive_create(r, host, id, &s, &e) == -1) {
		printf("# %s\n", e.msg);
		return -1;
	}
	if (sink_write(&s, block, sizeof block, &e) == -1 ||
	    sink_write(&s, block, 100, &e) == -1)
		return -1;
	if (!finish) {
		sink_abort(&s);
		return 0;
	}
	if (sink_finish(&s, &e) == -1)
		return -1;
	if (manifest && repo_put(r, host, id, REPO_MANIFEST, "[backup]\n", 9,
	    &e) == -1)
		return -1;
	return 0;
}

static void
test_write_read(struct repo *r)
{
	struct sink s;
	struct source src;
	struct buf b;
	struct err e;
	char tmp[1000];
	ssize_t got;
	size_t total = 0;

	CHECK(repo_check_writable(r, &e) == 0);
	CHECK(!exists(".myship-write-test.1"));
	CHECK(write_backup(r, "db1", "20240101T000000Z", 1, 1) == 0);
	CHECK(exists("db1/20240101T000000Z/backup.tar"));
	CHECK(!exists("db1/20240101T000000Z/backup.tar.partial"));
	CHECK(!exists("db1/20240101T000000Z/manifest.ini.tmp"));
	CHECK_INT(mode_of("db1"), 0700);
	CHECK_INT(mode_of("db1/20240101T000000Z"), 0700);
	CHECK_INT(mode_of("db1/20240101T000000Z/backup.tar"), 0600);
	CHECK_INT(mode_of("db1/20240101T000000Z/manifest.ini"), 0600);

	CHECK(repo_archive_open(r, "db1", "20240101T000000Z", &src, &e) == 0);
	while ((got = source_read(&src, tmp, sizeof tmp, &e)) > 0)
		total += (size_t)got;
	source_close(&src);
	CHECK_INT(total, 4196);

	/* A range: as many bytes as asked, fewer past the end. */
	CHECK(repo_archive_range(r, "db1", "20240101T000000Z", 10, 100, &src,
	    &e) == 0);
	for (total = 0; (got = source_read(&src, tmp, 7, &e)) > 0;)
		total += (size_t)got;
	source_close(&src);
	CHECK_INT(total, 100);
	CHECK(repo_archive_range(r, "db1", "20240101T000000Z", 4000, 1000,
	    &src, &e) == 0);
	for (total = 0; (got = source_read(&src, tmp, sizeof tmp, &e)) > 0;)
		total += (size_t)got;
	source_close(&src);
	CHECK_INT(total, 196);
	CHECK(repo_archive_range(r, "db1", "20240101T000000Z", 0, 0, &src,
	    &e) == -1);

	buf_init(&b);
	CHECK(repo_get(r, "db1", "20240101T000000Z", REPO_MANIFEST, &b, &e) ==
	    0);
	CHECK(b.len == 9 && memcmp(b.data, "[backup]\n", 9) == 0);
	CHECK(repo_get(r, "db1", "20240102T000000Z", REPO_MANIFEST, &b, &e) ==
	    -1);
	CHECK_INT(e.kind, ERR_NOT_FOUND);
	CHECK(repo_archive_open(r, "db1", "20240102T000000Z", &src, &e) == -1);
	CHECK_INT(e.kind, ERR_NOT_FOUND);
	buf_free(&b);

	/* A second archive for the same backup is refused. */
	CHECK(repo_archive_create(r, "db1", "20240101T000000Z", &s, &e) == -1);
	CHECK_INT(e.kind, ERR_REFUSED);

	/* Names are checked before any path is built. */
	CHECK(repo_archive_create(r, "../x", "20240101T000000Z", &s, &e) == -1);
	CHECK(repo_archive_create(r, "db1", "../../etc", &s, &e) == -1);
	CHECK(repo_put(r, "db1", "20240101T000000Z", "../m", "", 0, &e) == -1);
	CHECK(repo_put(r, "db1", "20240101T000000Z", ".hidden", "", 0, &e) ==
	    -1);
}

static void
test_abort_and_list(struct repo *r, time_t now)
{
	struct repo_entry *v;
	struct sink s;
	struct err e;
	size_t n;

	CHECK(write_backup(r, "db1", "20240103T000000Z", 0, 0) == 0);
	CHECK(!exists("db1/20240103T000000Z"));

	/* Finished archive, no manifest: incomplete. */
	CHECK(write_backup(r, "db1", "20240104T000000Z", 1, 0) == 0);
	/* A run in progress: a partial archive still open. */
	CHECK(repo_archive_create(r, "db2", "20240105T000000Z", &s, &e) == 0);
	CHECK(sink_write(&s, "abc", 3, &e) == 0);
	CHECK(write_backup(r, "db2", "20231231T235959Z", 1, 1) == 0);
	/* Junk is ignored. */
	touch("README");
	{
		char p[512];

		snprintf(p, sizeof p, "%s/db1/not-an-id", root);
		mkdir(p, 0700);
		snprintf(p, sizeof p, "%s/.hidden", root);
		mkdir(p, 0700);
		snprintf(p, sizeof p, "%s/bad host", root);
		mkdir(p, 0700);
	}

	CHECK(repo_list(r, NULL, &v, &n, &e) == 0);
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_STR(v[0].host, "db1");
		CHECK_STR(v[0].id, "20240101T000000Z");
		CHECK(v[0].complete);
		CHECK_INT(v[0].archive_bytes, 4196);
		CHECK(v[0].modified > now - 600);
		CHECK_STR(v[1].id, "20240104T000000Z");
		CHECK(!v[1].complete);
		CHECK_STR(v[2].host, "db2");
		CHECK_STR(v[2].id, "20231231T235959Z");
		CHECK(v[2].complete);
		CHECK_STR(v[3].id, "20240105T000000Z");
		CHECK(!v[3].complete);
		CHECK_INT(v[3].archive_bytes, -1);
	}
	repo_entries_free(v, n);
	CHECK(repo_list(r, "db2", &v, &n, &e) == 0);
	CHECK_INT(n, 2);
	repo_entries_free(v, n);
	CHECK(repo_list(r, "nohost", &v, &n, &e) == 0);
	CHECK_INT(n, 0);
	repo_entries_free(v, n);

	/* Listing touched nothing of the run in progress. */
	CHECK(exists("db2/20240105T000000Z/backup.tar.partial"));
	CHECK(sink_write(&s, "def", 3, &e) == 0);
	sink_abort(&s);
	CHECK(!exists("db2/20240105T000000Z"));
}

static void
test_clean_remove(struct repo *r, time_t now)
{
	struct repo_entry *v;
	struct sink s;
	struct err e;
	size_t n, removed;
	time_t old = now - 3 * 86400;

	/* Young incomplete (a run in progress) and an old one. */
	CHECK(repo_archive_create(r, "db3", "20240106T000000Z", &s, &e) == 0);
	CHECK(sink_write(&s, "abc", 3, &e) == 0);
	age("db1/20240104T000000Z/backup.tar", old);
	age("db1/20240104T000000Z", old);
	/* A stray temporary file in a complete backup. */
	touch("db1/20240101T000000Z/manifest.ini.tmp");
	age("db1/20240101T000000Z/manifest.ini.tmp", old);
	touch("db2/20231231T235959Z/manifest.ini.tmp");	/* young */
	touch(".myship-write-test.99999");
	age(".myship-write-test.99999", old);

	CHECK(repo_clean_stale(r, 86400, now, 1, &removed, &e) == 0);
	CHECK_INT(removed, 3);
	CHECK(exists("db1/20240104T000000Z/backup.tar"));
	CHECK(exists("db1/20240101T000000Z/manifest.ini.tmp"));

	CHECK(repo_clean_stale(r, 86400, now, 0, &removed, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK_INT(removed, 3);
	CHECK(!exists("db1/20240104T000000Z"));
	CHECK(!exists("db1/20240101T000000Z/manifest.ini.tmp"));
	CHECK(exists("db1/20240101T000000Z/manifest.ini"));
	CHECK(exists("db2/20231231T235959Z/manifest.ini.tmp"));
	CHECK(!exists(".myship-write-test.99999"));
	CHECK(exists("db3/20240106T000000Z/backup.tar.partial"));
	CHECK(exists("README"));

	/* The run in progress finishes fine after the clean. */
	CHECK(sink_write(&s, "def", 3, &e) == 0);
	CHECK(sink_finish(&s, &e) == 0);
	CHECK(exists("db3/20240106T000000Z/backup.tar"));

	/* Even an old incomplete backup survives a clean with a longer grace. */
	age("db3/20240106T000000Z/backup.tar", old);
	age("db3/20240106T000000Z", old);
	CHECK(repo_clean_stale(r, 4 * 86400, now, 0, &removed, &e) == 0);
	CHECK_INT(removed, 0);
	CHECK(exists("db3/20240106T000000Z/backup.tar"));

	CHECK(repo_remove(r, "db3", "20240106T000000Z", &e) == 0);
	CHECK(!exists("db3/20240106T000000Z"));
	CHECK(repo_remove(r, "db1", "20240101T000000Z", &e) == 0);
	CHECK(!exists("db1/20240101T000000Z"));
	CHECK(repo_remove(r, "db1", "20240101T000000Z", &e) == -1);
	CHECK_INT(e.kind, ERR_NOT_FOUND);

	/* A manifest without its archive is refused. */
	CHECK(repo_put(r, "db4", "20240107T000000Z", REPO_MANIFEST, "x", 1,
	    &e) == -1);
	CHECK(!exists("db4/20240107T000000Z"));
	{
		char p[512];

		snprintf(p, sizeof p, "%s/db4", root);
		mkdir(p, 0700);
		snprintf(p, sizeof p, "%s/db4/20240107T000000Z", root);
		mkdir(p, 0700);
	}

	/* An old incomplete directory with a stranger's file in it is kept
	 * and reported, and the clean still does the rest. */
	touch("db4/20240107T000000Z/notes.txt");
	age("db4/20240107T000000Z/notes.txt", old);
	age("db4/20240107T000000Z", old);
	CHECK(write_backup(r, "db5", "20240108T000000Z", 1, 0) == 0);
	age("db5/20240108T000000Z/backup.tar", old);
	age("db5/20240108T000000Z", old);
	CHECK(repo_clean_stale(r, 86400, now, 0, &removed, &e) == -1);
	CHECK(strstr(e.msg, "db4/20240107T000000Z") != NULL);
	CHECK_INT(removed, 1);
	CHECK(!exists("db5/20240108T000000Z"));
	CHECK(exists("db4/20240107T000000Z/notes.txt"));
	unlink_rel("db4/20240107T000000Z/notes.txt");

	/* Unknown files keep a directory: reported, not deleted. */
	touch("db2/20231231T235959Z/notes.txt");
	CHECK(repo_remove(r, "db2", "20231231T235959Z", &e) == -1);
	CHECK(exists("db2/20231231T235959Z/notes.txt"));
	CHECK(!exists("db2/20231231T235959Z/manifest.ini"));

	CHECK(repo_list(r, NULL, &v, &n, &e) == 0);
	CHECK_INT(n, 2);
	if (n == 2)
		CHECK(!v[0].complete && !v[1].complete);
	repo_entries_free(v, n);
}

int
main(void)
{
	struct repo *r;
	struct err e;
	time_t now = time(NULL);
	char cmd[300];

	snprintf(root, sizeof root, "%s/myship-repo-test.%ld/repo",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	r = repo_local_open_path(root, &e);
	CHECK(r != NULL);
	CHECK(strncmp(repo_describe(r), "local:", 6) == 0);
	test_write_read(r);
	test_abort_and_list(r, now);
	test_clean_remove(r, now);
	repo_close(r);
	snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strlen(root) - 5),
	    root);
	if (tap_failed == 0 && system(cmd) != 0)
		printf("# cleanup failed\n");
	return tap_done();
}
