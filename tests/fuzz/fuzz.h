/*
 * The fuzz target interface (libFuzzer's): each tests/fuzz/NAME_fuzz.c
 * defines LLVMFuzzerTestOneInput and aborts on a broken invariant.  Built
 * with driver.c it is a `make check` test that replays the seed corpus in
 * tests/fuzz/corpus/NAME/ and thousands of deterministic mutations of it;
 * built by `make fuzz` with clang -fsanitize=fuzzer it is a real fuzzer.
 */
#ifndef MYSHIP_FUZZ_H
#define MYSHIP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message: an invariant the target checks does not hold. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

#endif
