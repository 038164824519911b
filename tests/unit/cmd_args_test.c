/*
 * The shared command-line parser (cmd/args.h) on a made-up entry and an
 * in-memory policy, and the command table held against its own usage
 * lines and myship(8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "tap.h"

static int
parse_small(const char *arg, long long *out, struct err *e)
{
	if (strcmp(arg, "1") == 0 || strcmp(arg, "2") == 0) {
		*out = arg[0] - '0';
		return 0;
	}
	return err_set(e, ERR_USAGE, "--level: \"%s\" is not 1 or 2", arg);
}

static int execs;

static int
fake_exec(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	(void)ctx;
	(void)a;
	(void)e;
	execs++;
	return 0;
}

static const struct cmd_option fake_options[] = {
	{ "host", 'H', 1, CMD_OPT_REPEAT, "hosts", NULL },
	{ "level", 'l', 1, 0, "a number", parse_small },
	{ "flag", 0, 0, 0, "a flag", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static struct cmd_entry fake = {
	.name = "fake",
	.summary = "a test",
	.usage = "usage: myship fake [--host NAME]... [--level N] [--flag] [X]",
	.options = fake_options,
	.max_args = 1,
	.hosts = CMD_HOSTS_MANY,
	.flags = CMD_POLICY | CMD_PRIMARIES,
	.exec = fake_exec,
};

static struct host_cfg hosts[3];
static struct config cfg;
static struct cmd_ctx ctx;

/* Parses a command line given as one string of space-separated words. */
static int
parse(const char *line, struct cmd_args *a, struct err *e)
{
	static char buf[512];
	static char *argv[32];
	int argc = 0;
	char *w;

	snprintf(buf, sizeof buf, "fake %s", line);
	for (w = strtok(buf, " "); w != NULL && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	err_clear(e);
	return cmd_args_parse(&fake, &ctx, argc, argv, a, e);
}

static void
test_options(void)
{
	struct cmd_args a;
	struct err e;

	CHECK_INT(parse("--level 2 --flag -l 1 op", &a, &e), 0);
	CHECK_INT(args_count(&a, "level"), 2);
	CHECK_INT(args_num(&a, "level", 9), 1);
	CHECK_STR(args_get(&a, "level"), "1");
	CHECK_INT(args_count(&a, "flag"), 1);
	CHECK_INT(a.argc, 1);
	CHECK_STR(a.argv[0], "op");
	cmd_args_free(&a);

	/* Operands may come before the options. */
	CHECK_INT(parse("op --flag", &a, &e), 0);
	CHECK_STR(a.argv[0], "op");
	CHECK_INT(args_num(&a, "level", 9), 9);
	CHECK(args_get(&a, "level") == NULL);
	cmd_args_free(&a);

	CHECK_INT(parse("op op2", &a, &e), -1);
	CHECK_INT(e.kind, ERR_USAGE);
	CHECK_STR(e.msg, fake.usage);
	cmd_args_free(&a);
	CHECK_INT(parse("--bogus", &a, &e), -1);
	CHECK_STR(e.msg, fake.usage);
	cmd_args_free(&a);
	CHECK_INT(parse("--level 3", &a, &e), -1);
	CHECK_STR(e.msg, "--level: \"3\" is not 1 or 2");
	cmd_args_free(&a);
	/* The first mistake on the line is the one reported. */
	CHECK_INT(parse("--level 3 --bogus", &a, &e), -1);
	CHECK_STR(e.msg, "--level: \"3\" is not 1 or 2");
	cmd_args_free(&a);
}

static void
test_help(void)
{
	struct cmd_args a;
	struct err e;

	CHECK_INT(parse("--help", &a, &e), 1);
	cmd_args_free(&a);
	CHECK_INT(parse("-h --bogus", &a, &e), 1);
	cmd_args_free(&a);
	/* In order: the mistake came first. */
	CHECK_INT(parse("--bogus --help", &a, &e), -1);
	cmd_args_free(&a);
	/* --help taken as a value still means help: main loaded no policy. */
	CHECK_INT(parse("--host --help", &a, &e), 1);
	cmd_args_free(&a);
	CHECK_INT(parse("-- --help", &a, &e), 0);
	CHECK_STR(a.argv[0], "--help");
	cmd_args_free(&a);
	fake.flags |= CMD_HELP_ANYWHERE;
	CHECK_INT(parse("--bogus --help", &a, &e), 1);
	cmd_args_free(&a);
	CHECK_INT(parse("--level 3 --help", &a, &e), 1);
	cmd_args_free(&a);
	fake.flags &= ~CMD_HELP_ANYWHERE;
}

static void
test_hosts(void)
{
	struct cmd_args a;
	struct err e;

	/* Without --host: every host but the replica, in policy order. */
	CHECK_INT(parse("", &a, &e), 0);
	CHECK_INT(a.nhosts, 2);
	CHECK(a.hosts[0] == &hosts[0] && a.hosts[1] == &hosts[2]);
	CHECK_INT(a.hosts_named, 0);
	cmd_args_free(&a);
	fake.flags &= ~CMD_PRIMARIES;
	CHECK_INT(parse("", &a, &e), 0);
	CHECK_INT(a.nhosts, 3);
	cmd_args_free(&a);
	fake.flags |= CMD_PRIMARIES;

	/* Named: in the order given, a replica too, twice if named twice. */
	CHECK_INT(parse("--host c -H rep --host c", &a, &e), 0);
	CHECK_INT(a.nhosts, 3);
	CHECK(a.hosts[0] == &hosts[2] && a.hosts[1] == &hosts[1] &&
	    a.hosts[2] == &hosts[2]);
	CHECK_INT(a.hosts_named, 1);
	cmd_args_free(&a);

	CHECK_INT(parse("--host a --host nope --host zz", &a, &e), -1);
	CHECK_INT(e.kind, ERR_NOT_FOUND);
	CHECK_STR(e.msg, "no [host nope] in /etc/p.ini");
	cmd_args_free(&a);

	/* One host: the last --host given. */
	fake.hosts = CMD_HOSTS_ONE;
	CHECK_INT(parse("--host nope --host rep", &a, &e), 0);
	CHECK_INT(a.nhosts, 1);
	CHECK(a.hosts[0] == &hosts[1]);
	cmd_args_free(&a);
	fake.hosts = CMD_HOSTS_NONE;
	CHECK_INT(parse("--host nope", &a, &e), 0);
	CHECK_INT(a.nhosts, 0);
	CHECK_STR(args_get(&a, "host"), "nope");
	cmd_args_free(&a);
	fake.hosts = CMD_HOSTS_MANY;

	CHECK(cmd_host_find(&cfg, "b", "", &e) == NULL);
	CHECK_STR(e.msg, "no [host b] in /etc/p.ini");
	CHECK(cmd_host_find(&cfg, "rep", "", &e) == &hosts[1]);
}

static int calls;

static int
each(struct cmd_ctx *c, const struct host_cfg *h, void *arg, struct err *e)
{
	(void)c;
	(void)arg;
	calls++;
	if (strcmp(h->name, "a") == 0)
		return err_set(e, ERR_CONNECT, "host a: down");
	if (strcmp(h->name, "c") == 0)
		return err_set(e, ERR_DB, "host c: broken");
	return 0;
}

static void
test_each(void)
{
	struct cmd_args a;
	struct err e;

	CHECK_INT(parse("--host c --host rep --host a", &a, &e), 0);
	CHECK_INT(cmd_each_host(&ctx, &a, each, NULL, &e), -1);
	CHECK_INT(calls, 3);
	CHECK_INT(e.kind, ERR_DB);
	CHECK_STR(e.msg, "host c: broken");
	cmd_args_free(&a);
	CHECK_INT(parse("--host rep", &a, &e), 0);
	CHECK_INT(cmd_each_host(&ctx, &a, each, NULL, &e), 0);
	cmd_args_free(&a);
}

/* The line of myship(8) that documents the command. */
static char *
man_item(const char *man, const char *name)
{
	char want[64];
	const char *p, *end;
	size_t n;

	n = (size_t)snprintf(want, sizeof want, "\n.It Cm %s", name);
	for (p = strstr(man, want); p != NULL; p = strstr(p + n, want)) {
		if (p[n] != ' ' && p[n] != '\n')
			continue;
		end = strchr(p + 1, '\n');
		return strndup(p + 1, end ? (size_t)(end - p - 1) : strlen(p));
	}
	return NULL;
}

static char *
read_man(void)
{
	const char *top = getenv("top_srcdir");
	char path[1024], *s;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "%s/man/myship.8.in", top ? top : "..");
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	s = calloc(1, 1 << 20);
	n = fread(s, 1, (1 << 20) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void
test_table(void)
{
	const struct cmd_entry *ent;
	char *man = read_man(), *item, want[96];
	size_t i, j, k;

	CHECK(man != NULL);
	for (i = 0; (ent = cmd_table[i]) != NULL; i++) {
		snprintf(want, sizeof want, "usage: myship %s", ent->name);
		CHECK(strncmp(ent->usage, want, strlen(want)) == 0);
		CHECK(cmd_find(ent->name) == ent);
		CHECK(ent->summary != NULL && ent->exec != NULL);
		item = man ? man_item(man, ent->name) : NULL;
		if (!CHECK(item != NULL))
			printf("#   no .It Cm %s in myship.8.in\n", ent->name);
		for (j = 0; ent->options[j].name != NULL; j++) {
			const struct cmd_option *o = &ent->options[j];

			CHECK(o->help != NULL && o->letter != 'h' &&
			    strcmp(o->name, "help") != 0);
			for (k = 0; k < j; k++)
				CHECK(o->letter == 0 ||
				    o->letter != ent->options[k].letter);
			snprintf(want, sizeof want, "--%s", o->name);
			if (!CHECK(strstr(ent->usage, want) != NULL))
				printf("#   %s: %s not in its usage\n", ent->name,
				    want);
			snprintf(want, sizeof want, "Fl -%s", o->name);
			if (item != NULL && strstr(item, want) == NULL &&
			    o->letter != 0)
				snprintf(want, sizeof want, "Fl %c", o->letter);
			if (!CHECK(item != NULL && strstr(item, want) != NULL))
				printf("#   %s: --%s not in myship(8)\n",
				    ent->name, o->name);
		}
		free(item);
	}
	CHECK(cmd_find("frobnicate") == NULL);
	free(man);
}

int
main(void)
{
	hosts[0].name = "a";
	hosts[1].name = "rep";
	hosts[1].role = "replica";
	hosts[2].name = "c";
	cfg.path = "/etc/p.ini";
	cfg.hosts = hosts;
	cfg.nhosts = 3;
	ctx.cfg = &cfg;
	test_options();
	test_help();
	test_hosts();
	test_each();
	test_table();
	CHECK_INT(execs, 0);
	return tap_done();
}
