/*
 * Fuzz target for cutting an INSERT to a packet size.  The first input
 * byte picks the limit and the escape mode; the rest is the statement.
 * The oracle: every statement handed out fits the limit, starts with the
 * same head, reads again as an INSERT that needs no cut, and their rows
 * joined with "," are the original rows less their separators' blanks;
 * a row refused is one whose statement is longer than the limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/insert_cut.h"
#include "fuzz.h"

/* q without the blanks outside quotes around row separators, roughly:
 * the bytes other than blanks and commas, which both texts must share. */
static size_t
fuzz_skeleton(const char *q, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (q[i] != ' ' && q[i] != '\t' && q[i] != '\n' &&
		    q[i] != '\r' && q[i] != ',')
			out[k++] = q[i];
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct insert_cut c, again;
	const char *q = (const char *)data + 1, *s, *s2;
	size_t n, limit, sn, sn2, head, k0, k1 = 0;
	char *want, *got;
	int rc, bs;

	if (size < 1)
		return 0;
	n = size - 1;
	limit = (size_t)(data[0] >> 1) + 1;
	bs = data[0] & 1;
	if (!insert_cut_init(&c, q, n, limit, bs))
		return 0;
	head = c.head;
	want = malloc(n + 1);
	got = malloc(n + 1);
	k0 = fuzz_skeleton(q + head, n - head, want);
	while ((rc = insert_cut_next(&c, &s, &sn)) == 1) {
		FUZZ_ASSERT(sn <= limit && sn > head);
		FUZZ_ASSERT(memcmp(s, q, head) == 0);
		FUZZ_ASSERT(insert_cut_init(&again, s, sn, sn, bs) == 1);
		/* s2 lives in again: s, in c, is still needed below. */
		FUZZ_ASSERT(insert_cut_next(&again, &s2, &sn2) == 1);
		FUZZ_ASSERT(sn2 == sn && memcmp(s2, s, sn) == 0);
		insert_cut_free(&again);
		k1 += fuzz_skeleton(s + head, sn - head, got + k1);
	}
	if (rc == -1)
		FUZZ_ASSERT(sn > limit);
	else
		FUZZ_ASSERT(k1 == k0 && memcmp(want, got, k0) == 0);
	insert_cut_free(&c);
	free(want);
	free(got);
	return 0;
}
