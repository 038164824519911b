#include <stdlib.h>
#include <string.h>

#include "policy/manifest.h"
#include "tap.h"
#include "util/xmalloc.h"

static const char sha_a[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static char *long_name;

static void
fill(struct manifest *m)
{
	struct manifest_db *d;
	struct manifest_table *t;
	struct manifest_chunk *c;
	int i;

	manifest_init(m);
	m->id = xstrdup("20240101T000000Z");
	m->host = xstrdup("db1.example-host");
	m->tool_version = xstrdup("myship 0.1.0");
	m->server_version = xstrdup("10.11.6-MariaDB-0+deb12u1-log");
	m->started = xstrdup("2024-01-01T00:00:00Z");
	m->finished = xstrdup("2024-01-01T00:10:00Z");
	m->duration = 600.25;
	m->snapshot_method = xstrdup("single");
	m->threads = 4;
	m->binlog_file = xstrdup("mysql-bin.000003");
	m->binlog_position = 12345;
	m->gtid_binlog_pos = xstrdup("0-1-100,1-2-3");
	m->compression_level = 3;
	m->archive_bytes = 1ULL << 40;
	memcpy(m->archive_sha256, sha_a, 65);
	memcpy(m->archive_digest, sha_a, 65);
	m->rows = UINT64_MAX;
	m->raw_bytes = 7;

	d = manifest_add_db(m);
	d->name = xstrdup("shop\n/../;#%\\ x");
	d->charset = xstrdup("utf8mb4");
	d->collation = xstrdup("utf8mb4_unicode_ci");
	d->comment = xstrdup("  leading and trailing spaces ; # = [x]  ");
	d->schema_member = xstrdup("0-schema/shop%0A.sql.zst");
	d->post_member = NULL;
	d = manifest_add_db(m);
	d->name = xstrdup(long_name);
	d->charset = xstrdup("latin1");
	d->collation = xstrdup("");
	d->comment = xstrdup("\xff\xfe non-UTF8 \x80");
	d->schema_member = xstrdup("0-schema/long.sql.zst");
	d->post_member = xstrdup("2-post/long.sql.zst");
	d->schema_offset = 512;
	d->post_offset = (1ULL << 40) - 1024;

	t = manifest_add_table(m);
	t->db = xstrdup("shop\n/../;#%\\ x");
	t->name = xstrdup("..");
	t->engine = xstrdup("InnoDB");
	t->transactional = 1;
	t->rows = 3;
	t->raw_bytes = 300;
	t->bytes = 100;
	t->nchunks = 3;
	t = manifest_add_table(m);
	t->db = xstrdup(long_name);
	t->name = xstrdup(long_name);
	t->engine = xstrdup("Aria");
	t->nchunks = 0;
	for (i = 0; i < 3; i++) {
		c = manifest_add_chunk(m);
		c->member = xasprintf("1-data/shop/x/%06d.sql.zst", i + 1);
		c->db = xstrdup("shop\n/../;#%\\ x");
		c->table = xstrdup("..");
		c->first_key = xstrdup(i == 0 ? "" : "(1,'a''b')");
		c->last_key = xstrdup(long_name);
		c->rows = 1;
		c->raw_bytes = 100;
		c->bytes = 33;
		c->offset = 1024 + 1024 * (uint64_t)i;
		memcpy(c->sha256, sha_a, 65);
	}
}

static void
test_roundtrip(void)
{
	struct manifest m, m2;
	struct buf a, b;
	struct err e;
	char *line, *nl;
	int maxlen = 0;

	fill(&m);
	buf_init(&a);
	buf_init(&b);
	manifest_write(&m, &a);
	for (line = buf_cstr(&a); *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl - line > maxlen)
			maxlen = (int)(nl - line);
	}
	CHECK(maxlen < 199);
	CHECK(manifest_parse(a.data, a.len, "m.ini", &m2, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK_STR(m2.dbs[0].name, "shop\n/../;#%\\ x");
	CHECK_STR(m2.dbs[0].comment,
	    "  leading and trailing spaces ; # = [x]  ");
	CHECK(m2.dbs[0].post_member == NULL);
	CHECK_STR(m2.dbs[1].name, long_name);
	CHECK_STR(m2.dbs[1].comment, "\xff\xfe non-UTF8 \x80");
	CHECK_STR(m2.dbs[1].collation, "");
	CHECK_STR(m2.dbs[1].post_member, "2-post/long.sql.zst");
	CHECK_STR(m2.tables[0].name, "..");
	CHECK_STR(m2.tables[1].name, long_name);
	CHECK_INT(m2.tables[0].nchunks, 3);
	CHECK_INT(m2.tables[0].transactional, 1);
	CHECK_STR(m2.chunks[1].first_key, "(1,'a''b')");
	CHECK_STR(m2.chunks[0].first_key, "");
	CHECK_STR(m2.chunks[2].sha256, sha_a);
	CHECK_STR(m2.archive_digest, sha_a);
	CHECK(m2.chunks[2].offset == 3072 && m2.dbs[0].schema_offset == 0);
	CHECK(m2.dbs[1].post_offset == (1ULL << 40) - 1024);
	CHECK(m2.rows == UINT64_MAX);
	CHECK(m2.archive_bytes == 1ULL << 40);
	CHECK(m2.duration == 600.25);
	CHECK_INT(m2.threads, 4);
	CHECK(m2.source_binlog_file == NULL);
	CHECK_STR(m2.gtid_binlog_pos, "0-1-100,1-2-3");
	manifest_write(&m2, &b);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	manifest_free(&m);
	manifest_free(&m2);
	buf_free(&a);
	buf_free(&b);

	/* An empty backup (no databases) is a valid manifest too. */
	manifest_init(&m);
	buf_init(&a);
	manifest_write(&m, &a);
	CHECK(manifest_parse(a.data, a.len, "m.ini", &m2, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK_STR(m2.id, "");
	manifest_free(&m2);
	buf_free(&a);
}

/* Replaces the first occurrence of from by to in the written manifest. */
static int
parse_edited(const char *from, const char *to, struct err *e)
{
	struct manifest m, m2;
	struct buf a, b;
	char *p;
	int rc;

	fill(&m);
	buf_init(&a);
	buf_init(&b);
	manifest_write(&m, &a);
	p = strstr(buf_cstr(&a), from);
	if (p == NULL) {
		printf("# edit target not found: %s\n", from);
		rc = 99;
	} else {
		buf_append(&b, a.data, (size_t)(p - a.data));
		buf_append_str(&b, to);
		buf_append_str(&b, p + strlen(from));
		rc = manifest_parse(b.data, b.len, "m.ini", &m2, e);
		if (rc == 0)
			manifest_free(&m2);
	}
	manifest_free(&m);
	buf_free(&a);
	buf_free(&b);
	return rc;
}

#define BAD(from, to, want) do { struct err e_; \
	int rc_ = parse_edited(from, to, &e_); \
	CHECK(rc_ == -1); \
	if (rc_ == -1 && !CHECK(strstr(e_.msg, want) != NULL)) \
		printf("#   %s\n", e_.msg); \
	if (rc_ == -1) CHECK_INT(e_.kind, ERR_CORRUPT); } while (0)

static void
test_errors(void)
{
	struct manifest m;
	struct err e;

	BAD("format = 1", "format = 2", "m.ini:3: unsupported manifest format 2");
	BAD("threads = 4", "threads = 4x", "[backup] threads: invalid value");
	BAD("threads = 4", "threads = -4", "threads: invalid");
	BAD("rows = 18446744073709551615", "rows = 18446744073709551616",
	    "[backup] rows: invalid");
	BAD("duration = 600.250", "duration = nan", "duration: invalid");
	BAD("duration = 600.250", "duration = 1e9", "duration: invalid");
	BAD("threads = 4\n", "threads = 4\nbogus = 1\n", "bogus: unknown key");
	BAD("threads = 4\n", "threads = 4\nthreads = 5\n", "duplicate key");
	BAD("threads = 4\n", "", "[backup] threads: missing");
	BAD("[table 2]", "[table 3]", "want [table 2]");
	BAD("[table 2]", "[tables 2]", "want [table 2]");
	BAD("[table 2]", "[view 2]", "unknown section");
	BAD("chunks = 3\n", "chunks = 4\n", "[backup] chunks = 4, but");
	BAD("databases = 2", "databases = 1", "[backup] databases = 1, but");
	BAD("chunks = 3\n\n[table 2]", "chunks = 2\n\n[table 2]",
	    "declares 2 chunks, manifest has 3");
	BAD("table = ..", "table = ...", "[chunk 1]: table not in");
	BAD("db = shop", "db = shoq", "[table 1]: database not in");
	BAD("\nsha256 = ba", "\nsha256 = BA", "[chunk 1] sha256: invalid");
	BAD("member = 1-data", "member = /1-data", "unsafe name");
	BAD("name = ..", "name = %2E%2E", "bad encoding");
	BAD("name = ..", "name = .%", "bad encoding");
	BAD("name = ..", "name = %00", "bad encoding");
	BAD("name = ..", "name = a b", "bad encoding");
	BAD("chunks = 0\n", "chunks = 0\\\n", "continues past its section");
	BAD("engine = Aria\n", "engine = Aria\\\nrows = 5\n",
	    "m.ini:74: [table 2] engine: continuation line missing");
	BAD("engine = Aria\n", "engine = Aria\nnovalue\n",
	    "m.ini:74: syntax error");
	BAD("[backup]", "[backup", "m.ini:2: syntax error");
	BAD("[table 1]\n", "[table 1]\nfoo\n", "m.ini:57: syntax error");
	BAD("[table 1]\n", "[backup]\n", "[backup]: unexpected section");
	CHECK(manifest_parse("[backup]\n", 9, "x", &m, &e) == -1);
	CHECK(manifest_parse("", 0, "x", &m, &e) == -1);
	CHECK(strstr(e.msg, "no [backup] section") != NULL);
	CHECK(manifest_parse("[backup]\0x", 10, "x", &m, &e) == -1);
	CHECK(strstr(e.msg, "NUL") != NULL);
	{
		char longline[400];

		memset(longline, 'a', sizeof longline);
		memcpy(longline, "[backup]\nid = ", 14);
		CHECK(manifest_parse(longline, sizeof longline, "x", &m, &e) ==
		    -1);
		CHECK(strstr(e.msg, "x:2: line too long") != NULL);
	}
}

/* [database N] skipped: a partial backup's list, optional. */
static void
test_skipped(void)
{
	struct manifest m, m2;
	struct buf a;
	struct err e;

	fill(&m);
	CHECK_INT(manifest_skipped(&m), 0);
	m.dbs[1].skipped = xstrdup("table long.m: SHOW CREATE TABLE `m`: "
	    "Unable to open underlying table which is differently defined or "
	    "of non-MyISAM type or doesn't exist\nview long.v: SHOW CREATE "
	    "VIEW: View 'long.v' references invalid table(s)");
	buf_init(&a);
	manifest_write(&m, &a);
	CHECK(manifest_parse(a.data, a.len, "m.ini", &m2, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK(m2.dbs[0].skipped == NULL);
	CHECK_STR(m2.dbs[1].skipped, m.dbs[1].skipped);
	CHECK_INT(manifest_skipped(&m2), 2);
	manifest_free(&m);
	manifest_free(&m2);
	buf_free(&a);
}

/*
 * [chunk N] values_sha256 and piece_keys, [table N] values_sum: the
 * fingerprints restore --diff compares; piece keys are SQL literals, one
 * a line, whatever bytes they hold.
 */
static void
test_values(void)
{
	static const char keys[] = "5\n'a\\nb=%0A'\n(1,'x y')";
	struct manifest m, m2;
	struct buf a;
	struct err e;

	fill(&m);
	memcpy(m.chunks[0].values_sha256, sha_a, 65);
	m.chunks[0].piece_keys = xstrdup(keys);
	memcpy(m.tables[0].values_sum, sha_a, 65);
	buf_init(&a);
	manifest_write(&m, &a);
	CHECK(manifest_parse(a.data, a.len, "m.ini", &m2, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK_STR(m2.chunks[0].values_sha256, sha_a);
	CHECK(m2.chunks[0].piece_keys != NULL &&
	    strcmp(m2.chunks[0].piece_keys, keys) == 0);
	CHECK(m2.chunks[1].piece_keys == NULL);
	CHECK_STR(m2.chunks[1].values_sha256, "");
	CHECK_STR(m2.tables[0].values_sum, sha_a);
	CHECK_STR(m2.tables[1].values_sum, "");
	manifest_free(&m2);
	manifest_free(&m);
	buf_free(&a);
}

/* [table N] rows_sum: a keyless table's order-free fingerprint, optional. */
static void
test_rows_sum(void)
{
	struct manifest m, m2;
	struct buf a, b;
	struct err e;
	const char *p;

	fill(&m);
	memcpy(m.tables[1].rows_sum, sha_a, 65);
	buf_init(&a);
	buf_init(&b);
	manifest_write(&m, &a);
	CHECK(manifest_parse(a.data, a.len, "m.ini", &m2, &e) == 0 ||
	    (printf("# %s\n", e.msg), 0));
	CHECK_STR(m2.tables[0].rows_sum, "");
	CHECK_STR(m2.tables[1].rows_sum, sha_a);
	manifest_free(&m2);
	p = strstr(buf_cstr(&a), "rows_sum = ");
	CHECK(p != NULL && strstr(p + 1, "rows_sum = ") == NULL);
	if (p != NULL) {
		buf_append(&b, a.data, (size_t)(p - a.data) + 11);
		buf_append_str(&b, "BA");
		buf_append_str(&b, p + 13);
		CHECK_INT(manifest_parse(b.data, b.len, "m.ini", &m2, &e), -1);
		CHECK(strstr(e.msg, "[table 2] rows_sum: invalid") != NULL ||
		    (printf("# %s\n", e.msg), 0));
	}
	manifest_free(&m);
	buf_free(&a);
	buf_free(&b);
}

int
main(void)
{
	long_name = xmalloc(301);
	memset(long_name, 'L', 300);
	long_name[0] = '%';
	long_name[150] = ';';
	long_name[151] = ' ';
	long_name[299] = '\\';
	long_name[300] = '\0';
	test_roundtrip();
	test_errors();
	test_skipped();
	test_rows_sum();
	test_values();
	free(long_name);
	return tap_done();
}
