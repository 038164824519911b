/*
 * job/verify_backup on the format1 fixture's two backups (levels 3 and 0), copied
 * into a scratch local repository: good backups verify whole; one changed
 * byte is one damage line naming its member; a member missing from the
 * tar, a truncated archive, a missing archive and an unknown id are each
 * reported as the header says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job/verify_backup.h"
#include "repo/local.h"
#include "tap.h"
#include "util/xmalloc.h"

#define OLD3	"20261202T091810Z"	/* zstd level 3 */
#define OLD0	"20261202T091811Z"	/* level 0 */

static char root[256];

static char cmd[1024];

static void
sh(void)
{
	if (system(cmd) != 0)
		printf("# failed: %s\n", cmd);
}

/* A fresh copy of the fixture's repository at root. */
static void
fresh(void)
{
	const char *top = getenv("top_srcdir");

	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && cp -r "
	    "'%s/tests/fixtures/format1/repo/A' '%s/'", root, root,
	    top ? top : ".", root);
	sh();
}

static int
run(const char *id, struct verify_report *v, struct err *e)
{
	struct repo *r = repo_local_open_path(root, e);
	struct verify_opts o = { NULL, NULL, NULL, VERIFY_WORKERS };
	int rc;

	memset(v, 0, sizeof *v);
	if (r == NULL)
		return -2;
	rc = verify_backup(r, "A", id, &o, v, e);
	repo_close(r);
	return rc;
}

/* Changes one byte at off of id's archive. */
static void
flip(const char *id, long off)
{
	char path[512];
	FILE *f;
	int c;

	snprintf(path, sizeof path, "%s/A/%s/backup.tar", root, id);
	if ((f = fopen(path, "r+b")) == NULL || fseek(f, off, SEEK_SET) != 0 ||
	    (c = fgetc(f)) == EOF || fseek(f, off, SEEK_SET) != 0) {
		printf("# cannot change %s\n", path);
		return;
	}
	fputc(c ^ 0x20, f);
	fclose(f);
}

static void
test_good(void)
{
	struct verify_report v;
	struct err e;

	fresh();
	CHECK_INT(run("latest", &v, &e), 0);
	CHECK_STR(v.id, OLD0);
	CHECK_INT(v.damage.n, 0);
	CHECK(v.members == v.expected && v.members > 5);
	CHECK(v.raw_bytes > 0 && v.bytes > 0);
	verify_report_free(&v);
	CHECK_INT(run(OLD3, &v, &e), 0);
	CHECK_INT(v.damage.n, 0);
	verify_report_free(&v);
}

static void
test_damaged_member(void)
{
	struct verify_report v;
	struct err e;

	fresh();
	flip(OLD0, 100000);	/* inside a data member of the stored backup */
	CHECK_INT(run(OLD0, &v, &e), 0);
	CHECK_INT(v.damage.n, 1);
	CHECK(v.damage.n == 1 && strstr(v.damage.v[0], "member 1-data/") &&
	    strstr(v.damage.v[0], "SHA-256 mismatch"));
	CHECK(v.members == v.expected);		/* the rest was read */
	verify_report_free(&v);
}

static void
test_truncated_and_missing(void)
{
	struct verify_report v;
	char path[512];
	struct err e;

	fresh();
	snprintf(path, sizeof path, "%s/A/%s/backup.tar", root, OLD0);
	CHECK(truncate(path, 300000) == 0);
	CHECK_INT(run(OLD0, &v, &e), 0);
	CHECK_INT(v.damage.n, 1);
	CHECK(v.damage.n == 1 && strstr(v.damage.v[0], "Truncated"));
	CHECK(v.members < v.expected);
	verify_report_free(&v);
	CHECK(unlink(path) == 0);
	CHECK_INT(run(OLD0, &v, &e), -1);
	CHECK_INT(e.kind, ERR_CORRUPT);
	CHECK(strstr(e.msg, "archive backup.tar is missing") != NULL);
	verify_report_free(&v);
	CHECK_INT(run("20200101T000000Z", &v, &e), -1);
	CHECK_INT(e.kind, ERR_NOT_FOUND);
	verify_report_free(&v);
}

/* The manifest promises a member the tar lacks: named as missing. */
static void
test_member_missing(void)
{
	struct verify_report v;
	char dir[512];
	struct err e;

	fresh();
	snprintf(dir, sizeof dir, "%s/A/%s", root, OLD3);
	snprintf(cmd, sizeof cmd, "cd '%s' && mkdir x && cd x && tar -xf "
	    "../backup.tar && tar --format=pax -cf ../backup.tar $(find "
	    "0-schema 1-data -type f | LC_ALL=C sort) && cd .. && rm -rf x",
	    dir);
	sh();
	CHECK_INT(run(OLD3, &v, &e), 0);
	CHECK(v.damage.n >= 1);
	if (v.damage.n >= 1)
		printf("# %s\n", v.damage.v[0]);
	CHECK(v.damage.n >= 1 && strstr(v.damage.v[0], "member 2-post/") &&
	    strstr(v.damage.v[0], "is missing from the archive"));
	verify_report_free(&v);
}

int
main(void)
{
	snprintf(root, sizeof root, "/tmp/verify_test.%ld", (long)getpid());
	test_good();
	test_damaged_member();
	test_truncated_and_missing();
	test_member_missing();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	sh();
	return tap_done();
}
