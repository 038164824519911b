/*
 * Client-side encryption: key files (keygen, parsing, the identity's
 * mode), and the member filters: round trips of every size around the
 * 64 KiB message boundary fed in odd pieces, two recipients, another
 * identity refused naming the key ids, and every kind of damage (a byte
 * changed anywhere, cut short, bytes appended) refused with nothing
 * decrypted passed on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream/crypt_filter.h"
#include "stream/crypt_keys.h"
#include "tap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static char dir[64];

static void
keypair(const char *name, struct crypt_identity *id,
    struct crypt_recipients *pub)
{
	char path[128], pubpath[160];
	struct err e;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(pubpath, sizeof pubpath, "%s.pub", path);
	CHECK_INT(crypt_keygen(path, &e), 0);
	CHECK_INT(crypt_identity_load(path, id, &e), 0);
	CHECK_INT(crypt_recipients_load(pubpath, pub, &e), 0);
	CHECK(pub->n == 1 && memcmp(pub->pk[0], id->pk, 32) == 0);
}

/* Runs f over in, fed in pieces of step bytes; 0 or -1 (e). */
static int
run(struct filter *f, const struct buf *in, size_t step, struct buf *out,
    struct err *e)
{
	size_t off, n;

	buf_reset(out);
	for (off = 0; off < in->len; off += n) {
		n = in->len - off < step ? in->len - off : step;
		if (filter_process(f, in->data + off, n, out, e) == -1)
			return -1;
	}
	return filter_finish(f, out, e);
}

static void
test_keys(void)
{
	struct crypt_recipients r;
	struct crypt_identity id;
	char path[128];
	struct err e;
	static const char two[] = "# two keys\n"
	    "myship-pub1 MOGQmOIk3V3gSK2BGxhopN5vN7roeBwV27dLB6yOEFc= a\n\n"
	    "  myship-pub1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";
	static const char bad[] = "myship-pub1 AAECAwQF\n";
	static const char secret[] = "MYSHIP-SECRET1 "
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";

	CHECK_INT(crypt_recipients_parse(two, sizeof two - 1, "f", &r, &e), 0);
	CHECK_INT(r.n, 2);
	CHECK_INT(crypt_recipients_parse(bad, sizeof bad - 1, "f", &r, &e), -1);
	CHECK_STR(e.msg, "f:1: not a public key line (myship-pub1 BASE64)");
	CHECK_INT(crypt_recipients_parse("#\n", 2, "f", &r, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
	/* A secret key line in a recipients file is refused, never quoted. */
	CHECK_INT(crypt_recipients_parse(secret, sizeof secret - 1, "f", &r,
	    &e), -1);
	CHECK(strstr(e.msg, "AAEC") == NULL);
	CHECK_INT(crypt_identity_parse(secret, sizeof secret - 1, "f", &id,
	    &e), 0);
	CHECK_INT(crypt_identity_parse(two, sizeof two - 1, "f", &id, &e), -1);
	CHECK(strstr(e.msg, "MOGQ") == NULL);
	snprintf(path, sizeof path, "%s/k", dir);
	CHECK_INT(crypt_keygen(path, &e), 0);
	CHECK_INT(crypt_keygen(path, &e), -1);	/* never over a key */
	CHECK(chmod(path, 0640) == 0);
	CHECK_INT(crypt_identity_load(path, &id, &e), -1);
	CHECK(strstr(e.msg, "group or others") != NULL);
}

static void
test_round_trips(const struct crypt_identity *a, const struct crypt_identity *b,
    const struct crypt_recipients *both)
{
	static const size_t sizes[] = { 0, 1, 65535, 65536, 65537, 200000 };
	static const size_t steps[] = { 1000000, 4096, 65553, 7 };
	struct filter *enc = crypt_encrypt_filter_new(both, NULL);
	struct filter *da = crypt_decrypt_filter_new(a, NULL);
	struct filter *db = crypt_decrypt_filter_new(b, NULL);
	struct buf plain, sealed, back, again;
	struct err e;
	size_t i, j, ok = 0, total = 0;

	buf_init(&plain);
	buf_init(&sealed);
	buf_init(&back);
	buf_init(&again);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		buf_reset(&plain);
		for (j = 0; j < sizes[i]; j++)
			buf_append_char(&plain, (char)(j * 7 + i));
		for (j = 0; j < sizeof steps / sizeof steps[0]; j++, total++) {
			if (run(enc, &plain, steps[j], &sealed, &e) == 0 &&
			    run(da, &sealed, steps[3 - j], &back, &e) == 0 &&
			    back.len == plain.len && (plain.len == 0 ||
			    memcmp(back.data, plain.data, plain.len) == 0) &&
			    run(db, &sealed, steps[j], &back, &e) == 0 &&
			    back.len == plain.len)
				ok++;
		}
	}
	CHECK_INT(ok, total);
	/* A fresh data key per member: the same text seals differently. */
	run(enc, &plain, 4096, &sealed, &e);
	run(enc, &plain, 4096, &again, &e);
	CHECK(sealed.len == again.len &&
	    memcmp(sealed.data, again.data, sealed.len) != 0);
	filter_free(enc);
	filter_free(da);
	filter_free(db);
	buf_free(&plain);
	buf_free(&sealed);
	buf_free(&back);
	buf_free(&again);
}

/* Every kind of damage fails, and nothing of the member comes out. */
static void
test_damage(const struct crypt_identity *a, const struct crypt_identity *other,
    const struct crypt_recipients *to_a)
{
	struct filter *enc = crypt_encrypt_filter_new(to_a, NULL);
	struct filter *dec = crypt_decrypt_filter_new(a, NULL);
	struct filter *wrong = crypt_decrypt_filter_new(other, NULL);
	struct buf plain, sealed, bad, out;
	size_t offs[8], i, refused = 0, leaked = 0;
	struct err e;
	char hex[17];

	buf_init(&plain);
	buf_init(&sealed);
	buf_init(&bad);
	buf_init(&out);
	for (i = 0; i < 150000; i++)
		buf_append_char(&plain, (char)i);
	run(enc, &plain, 65536, &sealed, &e);
	CHECK_INT(run(wrong, &sealed, 65536, &out, &e), -1);
	crypt_key_id_hex(to_a->pk[0], hex);
	CHECK(e.kind == ERR_CONFIG && strstr(e.msg, hex) != NULL);
	offs[0] = 0;			/* magic */
	offs[1] = 8;			/* count */
	offs[2] = 12;			/* key id */
	offs[3] = 50;			/* sealed key */
	offs[4] = 9 + 88 + 5;		/* stream header */
	offs[5] = sealed.len / 2;	/* a middle message */
	offs[6] = sealed.len - 1;	/* the final tag */
	offs[7] = 9 + 88 + 24 + 65536 + 17 + 3;	/* the second message */
	for (i = 0; i < 8; i++) {
		buf_reset(&bad);
		buf_append(&bad, sealed.data, sealed.len);
		bad.data[offs[i]] ^= 0x10;
		if (run(dec, &bad, 65536, &out, &e) == -1)
			refused++;
		else
			printf("# damage at %zu passed\n", offs[i]);
		filter_reset(dec);
	}
	CHECK_INT(refused, 8);
	/* Cut at the end of a whole message, or inside one; extended. */
	for (i = 0; i < 3; i++) {
		size_t cut = i == 0 ? 9 + 88 + 24 + 65553 :
		    i == 1 ? sealed.len - 5 : 20;
		buf_reset(&bad);
		buf_append(&bad, sealed.data, cut);
		CHECK_INT(run(dec, &bad, 65536, &out, &e), -1);
		CHECK_INT(e.kind, ERR_CORRUPT);
		leaked += out.len > 65536 * 2;
		filter_reset(dec);
	}
	buf_reset(&bad);
	buf_append(&bad, sealed.data, sealed.len);
	buf_append(&bad, "x", 1);
	CHECK_INT(run(dec, &bad, 65536, &out, &e), -1);
	CHECK_INT(leaked, 0);
	filter_free(enc);
	filter_free(dec);
	filter_free(wrong);
	buf_free(&plain);
	buf_free(&sealed);
	buf_free(&bad);
	buf_free(&out);
}

static void
test_check(const struct crypt_identity *a)
{
	char hex[17], ids[64];
	struct err e;

	crypt_key_id_hex(a->pk, hex);
	snprintf(ids, sizeof ids, "0000000000000000 %s", hex);
	CHECK_INT(crypt_identity_check(a, ids, &e), 0);
	CHECK_INT(crypt_identity_check(a, NULL, &e), 0);
	CHECK_INT(crypt_identity_check(a, "0000000000000000", &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
}

int
main(void)
{
	struct crypt_identity a, b;
	struct crypt_recipients pa, pb, both;
	char cmd[128];

	snprintf(dir, sizeof dir, "/tmp/crypt_test.%ld", (long)getpid());
	if (mkdir(dir, 0700) == -1)
		return 1;
	test_keys();
	keypair("a", &a, &pa);
	keypair("b", &b, &pb);
	both = pa;
	memcpy(both.pk[1], pb.pk[0], CRYPT_KEY_BYTES);
	both.n = 2;
	test_round_trips(&a, &b, &both);
	test_damage(&a, &b, &pa);
	test_check(&a);
	crypt_identity_wipe(&a);
	crypt_identity_wipe(&b);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}
