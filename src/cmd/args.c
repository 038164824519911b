/* The command-line parser and host selection of every command. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "db/replica.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/xmalloc.h"

/* getopt_long's val for the long-only options: above every char. */
#define LONG_BASE	256

int
cmd_args_mention(int argc, char **argv, const char *flag, const char *alias)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], flag) == 0 ||
		    (alias != NULL && strcmp(argv[i], alias) == 0))
			return 1;
	}
	return 0;
}

static size_t
noptions(const struct cmd_entry *ent)
{
	size_t n = 0;

	while (ent->options != NULL && ent->options[n].name != NULL)
		n++;
	return n;
}

static int
usage_error(const struct cmd_entry *ent, struct err *e)
{
	return err_set(e, ERR_USAGE, "%s", ent->usage);
}

static int
print_help(const struct cmd_entry *ent)
{
	printf("%s\n", ent->usage);
	if (ent->help != NULL)
		printf("\n%s", ent->help);
	return 1;
}

/* The entry's options as getopt_long wants them; -h is always --help. */
static struct option *
getopt_tables(const struct cmd_entry *ent, size_t n, char *shorts)
{
	struct option *lo = xcalloc(n + 2, sizeof *lo);
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		const struct cmd_option *o = &ent->options[i];

		lo[i].name = o->name;
		lo[i].has_arg = o->has_arg == 2 ? optional_argument :
		    o->has_arg ? required_argument : no_argument;
		lo[i].val = LONG_BASE + (int)i;
		if (o->letter != 0) {
			shorts[k++] = (char)o->letter;
			if (o->has_arg)
				shorts[k++] = ':';
		}
	}
	lo[n].name = "help";
	lo[n].val = 'h';
	shorts[k++] = 'h';
	shorts[k] = '\0';
	return lo;
}

/* The option getopt returned, by its val; -1 for none of the entry's. */
static long
option_index(const struct cmd_entry *ent, size_t n, int val)
{
	size_t i;

	if (val >= LONG_BASE && (size_t)(val - LONG_BASE) < n)
		return val - LONG_BASE;
	for (i = 0; i < n; i++)
		if (ent->options[i].letter != 0 && ent->options[i].letter == val)
			return (long)i;
	return -1;
}

static int
take_value(const struct cmd_option *o, struct cmd_value *v, const char *arg,
    struct err *e)
{
	v->count++;
	if (arg == NULL)
		return 0;
	v->last = arg;
	strlist_add(&v->all, arg);
	if (o->parse != NULL && o->parse(arg, &v->num, e) == -1)
		return -1;
	return 0;
}

/* getopt over argv: 1 for --help, 0 when done, -1 on a usage error. */
static int
read_options(const struct cmd_entry *ent, int argc, char **argv,
    struct cmd_args *a, struct err *e)
{
	size_t n = noptions(ent);
	char *shorts = xcalloc(2 * n + 2, 1);
	struct option *lo = getopt_tables(ent, n, shorts);
	long i;
	int c, rc = 0;

	/* 0, not 1: glibc then forgets main's "+" and permutes again, so
	 * the operands may come before the options. */
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == 'h')
			rc = print_help(ent);
		else if ((i = option_index(ent, n, c)) < 0)
			rc = usage_error(ent, e);
		else
			rc = take_value(&ent->options[i], &a->values[i],
			    optarg, e);
	}
	a->argv = argv + optind;
	a->argc = argc - optind;
	free(lo);
	free(shorts);
	return rc;
}

static int
check_counts(const struct cmd_entry *ent, const struct cmd_args *a,
    struct err *e)
{
	size_t i, n = noptions(ent);

	if (a->argc < ent->min_args ||
	    (ent->max_args >= 0 && a->argc > ent->max_args))
		return usage_error(ent, e);
	for (i = 0; i < n; i++)
		if ((ent->options[i].flags & CMD_OPT_REQUIRED) &&
		    a->values[i].count == 0)
			return usage_error(ent, e);
	return 0;
}

const struct host_cfg *
cmd_host_find(const struct config *cfg, const char *name, const char *hint,
    struct err *e)
{
	const struct host_cfg *h = config_host(cfg, name);

	if (h == NULL)
		err_set(e, ERR_NOT_FOUND, "no [host %s] in %s%s", name,
		    cfg->path != NULL ? cfg->path : "policy", hint);
	return h;
}

/* The hosts named by --host, else the entry's default: all or primaries. */
static int
select_hosts(const struct cmd_entry *ent, const struct config *cfg,
    struct cmd_args *a, struct err *e)
{
	const struct strlist *names = args_list(a, "host");
	size_t i, from = 0;

	if (ent->hosts == CMD_HOSTS_ONE && names->n > 0)
		from = names->n - 1;
	a->hosts = xcalloc(cfg->nhosts + names->n + 1, sizeof *a->hosts);
	for (i = from; i < names->n; i++) {
		a->hosts_named = 1;
		if ((a->hosts[a->nhosts++] = cmd_host_find(cfg, names->v[i], "",
		    e)) == NULL)
			return -1;
	}
	for (i = 0; !a->hosts_named && i < cfg->nhosts; i++)
		if (!(ent->flags & CMD_PRIMARIES) || !replica_is(&cfg->hosts[i]))
			a->hosts[a->nhosts++] = &cfg->hosts[i];
	return 0;
}

int
cmd_args_parse(const struct cmd_entry *ent, struct cmd_ctx *ctx, int argc,
    char **argv, struct cmd_args *a, struct err *e)
{
	int help = cmd_args_mention(argc, argv, "--help", "-h"), rc;

	memset(a, 0, sizeof *a);
	a->entry = ent;
	a->values = xcalloc(noptions(ent) + 1, sizeof *a->values);
	if (help && (ent->flags & CMD_HELP_ANYWHERE))
		return print_help(ent);
	if ((rc = read_options(ent, argc, argv, a, e)) != 0)
		return rc;
	/* main loaded no policy for this --help: it was an option's value. */
	if (help)
		return print_help(ent);
	if (check_counts(ent, a, e) == -1)
		return -1;
	if (ent->check != NULL && ent->check(ctx, a, e) == -1)
		return -1;
	if (ent->hosts != CMD_HOSTS_NONE &&
	    select_hosts(ent, ctx->cfg, a, e) == -1)
		return -1;
	return 0;
}

void
cmd_args_free(struct cmd_args *a)
{
	size_t i, n;

	if (a->entry != NULL && a->values != NULL) {
		n = noptions(a->entry);
		for (i = 0; i < n; i++)
			strlist_free(&a->values[i].all);
	}
	free(a->values);
	free(a->hosts);
	memset(a, 0, sizeof *a);
}

static const struct cmd_value *
value(const struct cmd_args *a, const char *name)
{
	size_t i, n = noptions(a->entry);

	for (i = 0; i < n; i++)
		if (strcmp(a->entry->options[i].name, name) == 0)
			return &a->values[i];
	/* A command asking for an option it does not declare is a bug. */
	log_error("command %s has no option --%s", a->entry->name, name);
	abort();
}

size_t
args_count(const struct cmd_args *a, const char *name)
{
	return value(a, name)->count;
}

const char *
args_get(const struct cmd_args *a, const char *name)
{
	return value(a, name)->last;
}

const struct strlist *
args_list(const struct cmd_args *a, const char *name)
{
	return &value(a, name)->all;
}

long long
args_num(const struct cmd_args *a, const char *name, long long dflt)
{
	const struct cmd_value *v = value(a, name);

	return v->count > 0 ? v->num : dflt;
}

void
cmd_fail(struct cmd_fails *f, const struct err *one, struct err *e)
{
	if (f->say_each || f->n > 0)
		log_error("%s", one->msg);
	if (f->n++ == 0)
		*e = *one;
}

int
cmd_each_host(struct cmd_ctx *ctx, const struct cmd_args *a,
    cmd_host_fn *fn, void *arg, struct err *e)
{
	struct cmd_fails f = { 0, a->nhosts > 1 };
	struct err one;
	size_t i;

	for (i = 0; i < a->nhosts && !signals_interrupted(); i++)
		if (fn(ctx, a->hosts[i], arg, &one) == -1)
			cmd_fail(&f, &one, e);
	/*
	 * A signal after the last host's work interrupted nothing: only
	 * hosts left undone make it an interruption.
	 */
	if (signals_interrupted() && i < a->nhosts &&
	    (f.n == 0 || e->kind != ERR_INTERRUPTED))
		return err_set(e, ERR_INTERRUPTED, "interrupted before host %s",
		    a->hosts[i]->name);
	return f.n > 0 ? -1 : 0;
}
