/*
 * The drill record (policy/drill_plan.h) is read back from the repository
 * by status, which may hold anything.  Beyond not crashing: what it accepts
 * formats to a line that parses and formats to the same line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/drill_plan.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drill_record r, r2;
	struct buf a, b;
	struct err e;

	if (drill_record_parse((const char *)data, size, &r, &e) == -1) {
		FUZZ_ASSERT(e.kind == ERR_CORRUPT);
		return 0;
	}
	buf_init(&a);
	buf_init(&b);
	drill_record_format(&r, &a);
	FUZZ_ASSERT(drill_record_parse(a.data, a.len, &r2, &e) == 0);
	drill_record_format(&r2, &b);
	FUZZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
