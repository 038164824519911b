/*
 * The INI engine on a made-up file: typed stores and their messages, enum
 * tables, continuation rules, section hooks, the first error winning with
 * its line, CRLF and a byte-order mark, long lines, and a secret value
 * never quoted even when it is of the wrong form.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/inifile.h"
#include "util/strutil.h"

struct thing {
	char *name;
	struct strlist tags;
	long long count;
	int small;
	int on;
	int64_t size, wait;
	double share;
	int color;
	char *mode;
	int pin;		/* secret, an integer */
	int sections_seen;
};

static const char *const colors[] = { "red", "green", "blue", NULL };
static const char *const modes[] = { "fast", "safe", NULL };

#define AT(f) .offset = offsetof(struct thing, f), \
	.size = sizeof(((struct thing *)0)->f)
static const struct inifile_key keys[] = {
	{ .name = "name", .sections = 1, .type = IK_STR, AT(name) },
	{ .name = "tags", .sections = 1, .type = IK_LIST, AT(tags) },
	{ .name = "count", .sections = 1, .type = IK_INT, AT(count),
	  .min = 1, .max = 10 },
	{ .name = "small", .sections = 1, .type = IK_INT, AT(small),
	  .min = -5, .max = 5 },
	{ .name = "on", .sections = 1, .type = IK_BOOL, AT(on) },
	{ .name = "size", .sections = 1, .type = IK_SIZE, AT(size) },
	{ .name = "wait", .sections = 1, .type = IK_DURATION, AT(wait) },
	{ .name = "share", .sections = 1, .type = IK_RATIO, AT(share) },
	{ .name = "color", .sections = 1, .type = IK_ENUM, AT(color),
	  .choices = colors },
	{ .name = "mode", .sections = 1, .type = IK_ENUM_STR, AT(mode),
	  .choices = modes, .expect = "fast or safe" },
	{ .name = "pin", .sections = 2, .type = IK_INT, AT(pin), .min = 0,
	  .max = 9999, .flags = IK_SECRET },
};

static unsigned
section(void *ctx, struct inifile *ip, const char *name)
{
	struct thing *t = ctx;

	t->sections_seen++;
	if (strcmp(name, "thing") == 0)
		return 1;
	if (strcmp(name, "vault") == 0)
		return 2;
	if (strcmp(name, "ignored") == 0)
		return 0;
	inifile_fail(ip, "no section [%s] here", name);
	return 0;
}

static const struct inifile_spec spec = {
	.kind = ERR_CONFIG,
	.max_line = 1000,
	.keys = keys,
	.nkeys = sizeof keys / sizeof keys[0],
	.section = section,
};

static void
thing_free(struct thing *t)
{
	free(t->name);
	free(t->mode);
	strlist_free(&t->tags);
	memset(t, 0, sizeof *t);
}

static int
parse(const char *text, struct thing *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	err_clear(e);
	return inifile_parse(&spec, t, text, strlen(text), "f.ini", e);
}

static void
test_stores(void)
{
	struct thing t;
	struct err e;

	CHECK_INT(parse("\xEF\xBB\xBF; comment\r\n[thing]\r\n"
	    "name = one ;inline\r\n  two\r\n"
	    "tags = a b\n\tc\ncount : 7\nsmall = -3\non = yes\nsize = 64M\n"
	    "wait = 1d12h\nshare = 10%\ncolor = blue\nmode = safe\n"
	    "[ignored]\nanything = goes\n", &t, &e), -1);
	/* Unknown keys fail without an unknown hook, even where ignored. */
	CHECK(strstr(e.msg, "f.ini:16: unknown key \"anything\"") != NULL);
	thing_free(&t);
	CHECK_INT(parse("\xEF\xBB\xBF; comment\r\n[thing]\r\n"
	    "name = one ;inline\r\n  two\r\n"
	    "tags = a b\n\tc\ncount : 7\nsmall = -3\non = yes\nsize = 64M\n"
	    "wait = 1d12h\nshare = 10%\ncolor = blue\nmode = safe\n", &t, &e),
	    0);
	CHECK_STR(t.name, "onetwo");
	CHECK_INT(t.tags.n, 3);
	CHECK_INT(t.count, 7);
	CHECK_INT(t.small, -3);
	CHECK_INT(t.on, 1);
	CHECK_INT(t.size, 64 << 20);
	CHECK_INT(t.wait, 36 * 3600);
	CHECK(t.share > 0.099 && t.share < 0.101);
	CHECK_INT(t.color, 2);
	CHECK_STR(t.mode, "safe");
	CHECK_INT(t.sections_seen, 1);
	thing_free(&t);
	/* A secret key seen makes the result 1. */
	CHECK_INT(parse("[vault]\npin = 1234\n", &t, &e), 1);
	CHECK_INT(t.pin, 1234);
}

static void
expect_error(const char *text, const char *want)
{
	struct thing t;
	struct err e;

	CHECK_INT(parse(text, &t, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
	if (!CHECK(strstr(e.msg, want) != NULL))
		printf("#   message: %s\n#   wanted: %s\n", e.msg, want);
	thing_free(&t);
}

static void
test_errors(void)
{
	char longline[1100];

	expect_error("[thing]\ncount = 11\n",
	    "f.ini:2: count: \"11\" is not an integer from 1 to 10");
	expect_error("[thing]\non = maybe\n", "on: \"maybe\" is not yes or no");
	expect_error("[thing]\nsize = 1Q\n", "size: \"1Q\" is not a size");
	expect_error("[thing]\nwait = soon\n", "wait: \"soon\" is not a duration");
	expect_error("[thing]\nshare = 2\n", "share: \"2\" is not a ratio");
	expect_error("[thing]\ncolor = pink\n",
	    "color: \"pink\" is not one of red, green, blue");
	expect_error("[thing]\nmode = slow\n", "mode: \"slow\" is not fast or safe");
	expect_error("[thing]\ncount = 2\n  3\n",
	    "f.ini:3: count: only text values and lists may continue");
	expect_error("[bogus]\n", "f.ini:1: no section [bogus] here");
	expect_error("[thing\n", "f.ini:1: syntax error");
	expect_error("name = x\n", "f.ini:1: unknown key \"name\"");
	/* The first error in the file wins, not the first one inih meets. */
	expect_error("[thing]\nno equals sign\ncount = 99\n",
	    "f.ini:2: syntax error");
	expect_error("[thing]\ncount = 99\nno equals sign\n",
	    "f.ini:2: count:");
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	memcpy(longline, "[thing]\nname=", 13);
	expect_error(longline, "f.ini:2: line longer than 1000 characters");
	/* A secret of the wrong form is named, never quoted. */
	expect_error("[vault]\npin = 12345\n", "f.ini:2: pin: the value is not "
	    "an integer from 0 to 9999");
	{
		struct thing t;
		struct err e;

		CHECK_INT(parse("[vault]\npin = 12345\n", &t, &e), -1);
		CHECK(strstr(e.msg, "12345") == NULL);
		thing_free(&t);
	}
}

/* A value past inih's 200-byte buffer reads as it would on a short line. */
static void
test_long_value(void)
{
	char text[1000], value[600];
	struct thing t;
	struct err e;

	memset(value, 'v', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	value[300] = ' ';
	value[301] = ';';		/* " ;" ends the value here */
	snprintf(text, sizeof text, "[thing]\nname = %s\n", value);
	CHECK_INT(parse(text, &t, &e), 0);
	CHECK(t.name != NULL && strlen(t.name) == 300);
	thing_free(&t);
	value[301] = 'w';		/* now it does not */
	snprintf(text, sizeof text, "[thing]\ntags = %s\n", value);
	CHECK_INT(parse(text, &t, &e), 0);
	CHECK_INT(t.tags.n, 2);
	CHECK(t.tags.n == 2 && strlen(t.tags.v[0]) == 300 &&
	    strlen(t.tags.v[1]) == 298);
	thing_free(&t);
}

int
main(void)
{
	test_stores();
	test_errors();
	test_long_value();
	return tap_done();
}
