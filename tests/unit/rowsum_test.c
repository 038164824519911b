#include <stdlib.h>
#include <string.h>

#include "db/dump_rowsum.h"
#include "stream/hash.h"
#include "tap.h"
#include "util/sum256.h"

static const enum col_kind str2[] = { COL_STRING, COL_STRING };

/*
 * A row's values text: a number and ',', anything else's length ':'
 * bytes, or N; binary bytes as they are.
 */
static void
test_values(void)
{
	static const enum col_kind kinds[] = { COL_NUMBER, COL_STRING,
	    COL_STRING, COL_BIT, COL_FLOAT, COL_ENUM_INDEX, COL_JSON };
	char *row[] = { "12", NULL, "", "a\0:N", "-1e-5", NULL, "[]" };
	unsigned long lens[] = { 2, 0, 0, 4, 5, 0, 2 };
	static const char want[] = "12,N0:4:a\0:N-1e-5,N2:[]";
	struct buf b;

	buf_init(&b);
	rowsum_values(&b, kinds, 7, row, lens);
	CHECK_INT((long)b.len, (long)sizeof want - 1);
	CHECK(b.len == sizeof want - 1 && memcmp(b.data, want, b.len) == 0);
	CHECK(rowsum_numeric(COL_NUMBER) && !rowsum_numeric(COL_STRING) &&
	    !rowsum_numeric(COL_BIT) && !rowsum_numeric(COL_JSON));
	/* no two rows give one text: "1:a" + NULL differs from NULL + "1:a" */
	buf_reset(&b);
	rowsum_values(&b, str2, 2, (char *[]){ "a", NULL },
	    (unsigned long[]){ 1, 0 });
	CHECK_INT(b.len == 4 && memcmp(b.data, "1:aN", 4) == 0, 1);
	buf_reset(&b);
	rowsum_values(&b, str2, 2, (char *[]){ NULL, "a" },
	    (unsigned long[]){ 0, 1 });
	CHECK_INT(b.len == 4 && memcmp(b.data, "N1:a", 4) == 0, 1);
	buf_free(&b);
}

/* The hex SHA-256 of s, appended to all (which is then hashed). */
static void
piece(struct buf *all, const char *s, size_t n)
{
	char hex[65];

	hash_hex(HASH_SHA256, s, n, hex);
	buf_append(all, hex, 64);
}

/*
 * A keyed member of three rows of 30 bytes of text each, pieces of a
 * quarter of chunk_size 200 (50 bytes): a piece ends once it holds 50
 * bytes, at the previous row's key; the digest is the SHA-256 of the
 * pieces' hex digests.
 */
static void
test_pieces(void)
{
	struct rowsum_acc a;
	char v[3][27], hex[65], want[65], *keys;
	char *row[1];
	unsigned long len = 26;
	unsigned char sum[32], zero[32];
	struct buf text, all;
	int i;

	rowsum_acc_init(&a, 200);
	buf_init(&text);
	buf_init(&all);
	for (i = 0; i < 3; i++) {
		memset(v[i], 'a' + i, 26);
		v[i][26] = '\0';
		if (i > 0)
			rowsum_acc_next(&a, i == 1 ? "k0" : "k1");
		row[0] = v[i];
		rowsum_acc_row(&a, 0, str2, 1, row, &len);
		buf_append_str(&text, "26:");
		buf_append(&text, v[i], 26);
	}
	rowsum_acc_end(&a, hex, &keys, sum);
	/* 29 bytes, then 58 (>= 50): the piece ends after the second row,
	 * at its key */
	CHECK(keys != NULL && strcmp(keys, "k1") == 0);
	piece(&all, text.data, 58);
	piece(&all, text.data + 58, 29);
	hash_hex(HASH_SHA256, all.data, all.len, want);
	CHECK_STR(hex, want);
	memset(zero, 0, sizeof zero);
	CHECK(memcmp(sum, zero, 32) == 0);	/* keyed: no sum */
	free(keys);

	/* the accumulator starts over: one row, one piece, no keys */
	row[0] = v[0];
	rowsum_acc_row(&a, 0, str2, 1, row, &len);
	rowsum_acc_end(&a, hex, &keys, sum);
	CHECK(keys == NULL);
	buf_reset(&all);
	piece(&all, text.data, 29);
	hash_hex(HASH_SHA256, all.data, all.len, want);
	CHECK_STR(hex, want);
	rowsum_acc_free(&a);
	buf_free(&text);
	buf_free(&all);
}

/* Keyless: values_sum is the sum of each row text's SHA-256, any order. */
static void
test_sum(void)
{
	struct rowsum_acc a;
	unsigned char s1[32], s2[32], d[32];
	char *r1[] = { "x" }, *r2[] = { NULL }, hex[65], *keys;
	unsigned long l = 1;
	struct hash *h = hash_new(HASH_SHA256);

	rowsum_acc_init(&a, 1 << 20);
	rowsum_acc_row(&a, 1, str2, 1, r1, &l);
	rowsum_acc_row(&a, 1, str2, 1, r2, &l);
	rowsum_acc_end(&a, hex, &keys, s1);
	rowsum_acc_row(&a, 1, str2, 1, r2, &l);
	rowsum_acc_row(&a, 1, str2, 1, r1, &l);
	rowsum_acc_end(&a, hex, &keys, s2);
	CHECK(memcmp(s1, s2, 32) == 0);
	memset(s2, 0, sizeof s2);
	hash_update(h, "1:x", 3);
	hash_final(h, d);
	sum256_add(s2, d);
	hash_update(h, "N", 1);
	hash_final(h, d);
	sum256_add(s2, d);
	CHECK(memcmp(s1, s2, 32) == 0);
	hash_free(h);
	rowsum_acc_free(&a);
}

int
main(void)
{
	test_values();
	test_pieces();
	test_sum();
	return tap_done();
}
