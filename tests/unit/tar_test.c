#include <stdlib.h>
#include <string.h>

#include "stream/tar.h"
#include "tap.h"
#include "memio.h"
#include "util/xmalloc.h"

/* Writes n members "d/iN" of growing sizes; returns the archive in b. */
static int
make_archive(struct buf *b, int n)
{
	struct sink s;
	struct err e;
	struct tar_writer *w;
	char name[64], *data;
	int i, rc = 0;

	memsink_init(&s, b);
	if ((w = tar_writer_new(&s, &e)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		size_t len = (size_t)i * 1000 + 1;
		data = xmalloc(len);
		memset(data, 'a' + i % 26, len);
		snprintf(name, sizeof name, "1-data/db%%2E/t/%06d.sql.zst", i);
		rc = tar_writer_add(w, name, data, len, 1700000000, &e);
		free(data);
	}
	if (rc == 0)
		rc = tar_writer_close(w, &e);
	tar_writer_free(w);
	return rc;
}

/* Reads everything; returns members read, or -1 with e set. */
static int
read_archive(const void *p, size_t len, size_t piece, struct err *e)
{
	struct source src;
	struct memsrc m;
	struct tar_reader *r;
	const char *name;
	int64_t size, total;
	char buf[777];
	ssize_t got;
	int n = 0, rc;

	memsrc_init(&src, &m, p, len);
	m.piece = piece;
	if ((r = tar_reader_new(&src, e)) == NULL)
		return -1;
	while ((rc = tar_reader_next(r, &name, &size, e)) == 1) {
		total = 0;
		/* Read only every other member, to exercise skipping. */
		if (n % 2 == 0) {
			while ((got = tar_reader_read(r, buf, sizeof buf, e)) > 0)
				total += got;
			if (got < 0) {
				rc = -1;
				break;
			}
			if (total != size) {
				err_set(e, ERR_CORRUPT, "size mismatch");
				rc = -1;
				break;
			}
		}
		n++;
	}
	tar_reader_free(r);
	return rc == -1 ? -1 : n;
}

static void
test_names(void)
{
	CHECK(tar_name_is_safe("0-schema/db.sql.zst"));
	CHECK(tar_name_is_safe("a"));
	CHECK(tar_name_is_safe("..a/b.."));
	CHECK(!tar_name_is_safe("../x"));
	CHECK(!tar_name_is_safe("a/../x"));
	CHECK(!tar_name_is_safe("a/.."));
	CHECK(!tar_name_is_safe("/abs"));
	CHECK(!tar_name_is_safe("./a"));
	CHECK(!tar_name_is_safe("a/./b"));
	CHECK(!tar_name_is_safe("a//b"));
	CHECK(!tar_name_is_safe("a/"));
	CHECK(!tar_name_is_safe(""));
	CHECK(!tar_name_is_safe("a\\b"));
	CHECK(!tar_name_is_safe("a\nb"));
	CHECK(!tar_name_is_safe("a\x7f"));
}

static void
test_roundtrip(void)
{
	struct buf b;
	struct err e;
	size_t cut, end;

	buf_init(&b);
	CHECK(make_archive(&b, 7) == 0);
	/* The end marker follows the last member's padded data. */
	for (end = b.len; end > 0 && b.data[end - 1] == '\0'; end--)
		;
	end = (end + 511) / 512 * 512 + 1024;
	CHECK(b.len % 10240 == 0);
	CHECK_INT(read_archive(b.data, b.len, 0, &e), 7);
	CHECK_INT(read_archive(b.data, b.len, 1, &e), 7);
	CHECK_INT(read_archive(b.data, b.len, 513, &e), 7);

	/* Cut at every block boundary and in between: never a clean end. */
	for (cut = 0; cut < end; cut += 256) {
		int n = read_archive(b.data, cut, 0, &e);
		if (n != -1) {
			CHECK(!"truncated archive read cleanly");
			printf("#   cut at %zu of %zu gave %d members\n", cut,
			    b.len, n);
			break;
		}
		if (e.kind != ERR_CORRUPT) {
			CHECK(!"truncation not ERR_CORRUPT");
			printf("#   %s\n", e.msg);
			break;
		}
	}
	CHECK(cut >= end);
	/* Cut anywhere in the padding after the marker: still whole. */
	CHECK_INT(read_archive(b.data, end, 0, &e), 7);
	CHECK_INT(read_archive(b.data, end + 512, 0, &e), 7);
	buf_free(&b);

	/* An empty archive is just the end marker. */
	buf_init(&b);
	CHECK(make_archive(&b, 0) == 0);
	CHECK_INT(read_archive(b.data, b.len, 0, &e), 0);
	CHECK_INT(read_archive(b.data, 512, 0, &e), -1);
	CHECK_INT(read_archive(b.data, 0, 0, &e), -1);
	buf_free(&b);
}

static void
test_source_error(void)
{
	struct buf b;
	struct err e;
	struct source src;
	struct memsrc m;
	struct tar_reader *r;
	const char *name;
	int64_t size;
	int rc;

	buf_init(&b);
	make_archive(&b, 3);
	memsrc_init(&src, &m, b.data, 3000);
	m.fail_at_end = 1;
	r = tar_reader_new(&src, &e);
	CHECK(r != NULL);
	while ((rc = tar_reader_next(r, &name, &size, &e)) == 1)
		;
	CHECK_INT(rc, -1);
	CHECK_INT(e.kind, ERR_REPO);
	CHECK(strstr(e.msg, "injected") != NULL);
	tar_reader_free(r);
	buf_free(&b);
}

/* Patches a ustar header's name and type and fixes its checksum. */
static void
patch_header(char *h, const char *name, char type)
{
	unsigned sum = 0;
	int i;

	memset(h, 0, 100);
	memcpy(h, name, strlen(name));
	h[156] = type;
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
}

static void
test_unsafe(void)
{
	static const char *bad[] = { "../x", "/abs", "a/../../etc/passwd",
	    "./a", "a//b" };
	struct buf b;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_init(&b);
		make_archive(&b, 1);
		patch_header(b.data, bad[i], '0');
		CHECK_INT(read_archive(b.data, b.len, 0, &e), -1);
		CHECK_INT(e.kind, ERR_CORRUPT);
		if (i == 0)
			CHECK_STR(e.msg, "tar: unsafe member name \"../x\"");
		buf_free(&b);
	}
	/* A symlink, a directory, a hard link. */
	for (i = 0; i < 3; i++) {
		buf_init(&b);
		make_archive(&b, 1);
		patch_header(b.data, "x", "251"[i]);
		CHECK_INT(read_archive(b.data, b.len, 0, &e), -1);
		CHECK_INT(e.kind, ERR_CORRUPT);
		buf_free(&b);
	}
	/* The writer refuses unsafe names too. */
	{
		struct sink s;
		struct tar_writer *w;

		buf_init(&b);
		memsink_init(&s, &b);
		w = tar_writer_new(&s, &e);
		CHECK(tar_writer_add(w, "../x", "a", 1, 0, &e) == -1);
		tar_writer_free(w);
		buf_free(&b);
	}
}

static void
test_long_name(void)
{
	struct buf b;
	struct sink s;
	struct err e;
	struct tar_writer *w;
	struct source src;
	struct memsrc m;
	struct tar_reader *r;
	char name[400];
	const char *got = NULL;
	int64_t size;

	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	name[100] = '/';
	name[250] = '/';
	buf_init(&b);
	memsink_init(&s, &b);
	w = tar_writer_new(&s, &e);
	CHECK(tar_writer_add(w, name, "hello", 5, 0, &e) == 0);
	CHECK(tar_writer_close(w, &e) == 0);
	tar_writer_free(w);
	memsrc_init(&src, &m, b.data, b.len);
	r = tar_reader_new(&src, &e);
	if (!CHECK(tar_reader_next(r, &got, &size, &e) == 1))
		printf("#   %s\n", e.msg);
	CHECK_STR(got, name);
	CHECK_INT(size, 5);
	CHECK_INT(tar_reader_next(r, &got, &size, &e), 0);
	tar_reader_free(r);
	buf_free(&b);
}

/*
 * Each member's data is where tar_writer_data_offset says, past plain and
 * pax headers alike (a long name), in the bytes the sink
 * got.
 */
static void
test_offsets(void)
{
	static const char *names[] = { "0-schema/a.sql", NULL,
	    "1-data/db%2E/t/000001.sql", "2-post/a.sql" };
	char longname[300], data[4][3000];
	uint64_t off[4];
	struct buf b;
	struct sink s;
	struct err e;
	struct tar_writer *w;
	size_t i, len[4] = { 10, 700, 2999, 1 };

	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	longname[150] = '/';
	names[1] = longname;
	buf_init(&b);
	memsink_init(&s, &b);
	w = tar_writer_new(&s, &e);
	for (i = 0; i < 4; i++) {
		memset(data[i], 'A' + (int)i, len[i]);
		data[i][0] = 'x';
		CHECK(tar_writer_add(w, names[i], data[i], len[i], 0, &e) == 0);
		off[i] = tar_writer_data_offset(w);
	}
	CHECK(tar_writer_close(w, &e) == 0);
	tar_writer_free(w);
	CHECK(off[0] == 512);
	CHECK(off[1] > off[0] + 512 + 512);	/* a pax header before it */
	for (i = 0; i < 4; i++)
		CHECK(off[i] + len[i] <= b.len &&
		    memcmp(b.data + off[i], data[i], len[i]) == 0);
	buf_free(&b);
}

int
main(void)
{
	test_offsets();
	test_names();
	test_roundtrip();
	test_source_error();
	test_unsafe();
	test_long_name();
	return tap_done();
}
