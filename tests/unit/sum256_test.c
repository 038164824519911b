#include <string.h>

#include "stream/hash.h"
#include "tap.h"
#include "util/sum256.h"

/* An order-free sum of n rows, as [table N] rows_sum was: SHA-256(row "\n"). */
static void
rows_sum(const char *const *rows, size_t n, char hex[65])
{
	struct hash *h = hash_new(HASH_SHA256);
	unsigned char acc[32], d[32];
	size_t i;

	memset(acc, 0, sizeof acc);
	for (i = 0; i < n; i++) {
		hash_update(h, rows[i], strlen(rows[i]));
		hash_update(h, "\n", 1);
		hash_final(h, d);
		sum256_add(acc, d);
	}
	hash_free(h);
	sum256_hex(acc, hex);
}

int
main(void)
{
	const char *abc[] = { "(1,'a')", "(2,'b')", "(3,NULL)" };
	const char *cab[] = { "(3,NULL)", "(1,'a')", "(2,'b')" };
	const char *aab[] = { "(1,'a')", "(1,'a')", "(2,'b')" };
	const char *ab[] = { "(1,'a')", "(2,'b')" };
	const char *abd[] = { "(1,'a')", "(2,'c')", "(3,NULL)" };
	const char *aa[] = { "(1,'a')", "(1,'a')" };
	unsigned char acc[32], d[32];
	char h1[65], h2[65];

	/* Carries ripple across bytes and wrap modulo 2^256. */
	memset(acc, 0xff, sizeof acc);
	memset(d, 0, sizeof d);
	d[31] = 1;
	sum256_add(acc, d);
	sum256_hex(acc, h1);
	CHECK_STR(h1, "0000000000000000000000000000000000000000000000000000000000000000");
	acc[31] = 0xff;
	acc[30] = 0x01;
	sum256_add(acc, d);
	sum256_hex(acc, h1);
	CHECK_STR(h1, "0000000000000000000000000000000000000000000000000000000000000200");

	/* The empty multiset is all zeros; one row is its own SHA-256. */
	rows_sum(abc, 0, h1);
	CHECK_STR(h1, "0000000000000000000000000000000000000000000000000000000000000000");
	rows_sum((const char *[]){ "ab" }, 1, h1);
	hash_hex(HASH_SHA256, "ab\n", 3, h2);
	CHECK_STR(h1, h2);

	/* Order does not matter. */
	rows_sum(abc, 3, h1);
	rows_sum(cab, 3, h2);
	CHECK_STR(h1, h2);

	/* Duplicates count: {a,a,b} is neither {a,b} nor {a,b,b}; {a,a} is
	 * not empty (XOR would give 0). */
	rows_sum(aab, 3, h1);
	rows_sum(ab, 2, h2);
	CHECK(strcmp(h1, h2) != 0);
	rows_sum((const char *[]){ "(1,'a')", "(2,'b')", "(2,'b')" }, 3, h2);
	CHECK(strcmp(h1, h2) != 0);
	rows_sum(aa, 2, h1);
	CHECK(strcmp(h1, "0000000000000000000000000000000000000000000000000000000000000000") != 0);

	/* One changed byte changes it. */
	rows_sum(abc, 3, h1);
	rows_sum(abd, 3, h2);
	CHECK(strcmp(h1, h2) != 0);
	return tap_done();
}
