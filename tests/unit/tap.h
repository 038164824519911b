/*
 * A minimal TAP producer for unit tests: each CHECK is one "ok"/"not ok"
 * line; tap_done() prints the plan and returns the exit status.
 */
#ifndef MYSHIP_TAP_H
#define MYSHIP_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define CHECK(cond) tap_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
	if (!tap_check(a_ == b_, #a " == " #b, __FILE__, __LINE__)) \
		printf("#   got %lld, want %lld\n", a_, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!tap_check(a_ != NULL && b_ != NULL && strcmp(a_, b_) == 0, #a " == " #b, __FILE__, __LINE__)) \
		printf("#   got \"%s\", want \"%s\"\n", a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)

static inline int
tap_check(int ok, const char *what, const char *file, int line)
{
	tap_n++;
	if (!ok)
		tap_failed++;
	printf("%s %d - %s (%s:%d)\n", ok ? "ok" : "not ok", tap_n, what, file, line);
	return ok;
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
