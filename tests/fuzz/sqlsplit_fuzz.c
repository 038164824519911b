/*
 * Fuzz target for the statement splitter.  The first input byte picks a
 * piece size (its low bits) and the sql_mode flags split under (its two
 * high bits: NO_BACKSLASH_ESCAPES, ANSI_QUOTES); the rest is the script.  The oracle is the splitter itself:
 * fed whole and fed in pieces it must give the same statements (or fail
 * the same way), each a non-empty slice that starts and ends with no
 * blank, and the input must never be read out of bounds (ASan).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/sqlsplit.h"
#include "fuzz.h"
#include "util/buf.h"

static int
fuzz_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Statements joined with their lengths, so any byte may occur in them. */
static int
fuzz_split(const uint8_t *p, size_t n, size_t step, int mode,
    struct buf *out)
{
	struct sqlsplit *s = sqlsplit_new();
	const char *stmt;
	size_t off = 0, k, len;
	struct err e;
	int rc = 0, eof;

	sqlsplit_set_mode(s, mode);
	do {
		k = step == 0 || n - off < step ? n - off : step;
		sqlsplit_feed(s, p + off, k);
		off += k;
		eof = off == n;
		while ((rc = sqlsplit_next(s, eof, &stmt, &len, NULL, &e)) == 1) {
			FUZZ_ASSERT(len > 0 && !fuzz_blank(stmt[0]) &&
			    !fuzz_blank(stmt[len - 1]));
			buf_append(out, &len, sizeof len);
			buf_append(out, stmt, len);
		}
	} while (rc != -1 && !eof);
	sqlsplit_free(s);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf whole, pieces;
	size_t step;
	int a, b, mode;

	if (size < 1)
		return 0;
	step = data[0] % 17 + 1;
	mode = (data[0] & 0x80 ? SQLSPLIT_NO_BACKSLASH_ESCAPES : 0) |
	    (data[0] & 0x40 ? SQLSPLIT_ANSI_QUOTES : 0);
	buf_init(&whole);
	buf_init(&pieces);
	a = fuzz_split(data + 1, size - 1, 0, mode, &whole);
	b = fuzz_split(data + 1, size - 1, step, mode, &pieces);
	/* errors too must come at the same statement */
	FUZZ_ASSERT(a == b);
	FUZZ_ASSERT(whole.len == pieces.len);
	FUZZ_ASSERT(whole.len == 0 ||
	    memcmp(whole.data, pieces.data, whole.len) == 0);
	buf_free(&whole);
	buf_free(&pieces);
	return 0;
}
