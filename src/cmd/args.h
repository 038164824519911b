/*
 * The one command-line parser and host selection of every command, by its
 * cmd_entry (cmd/cmd.h).  Options are read with getopt_long in order (the
 * operands may come first); the first of --help or a usage error decides,
 * and --help anywhere before "--" wins when main loaded no policy for it.
 * A usage error is the entry's usage line as ERR_USAGE; an unknown --host
 * is ERR_NOT_FOUND naming the policy file, worded in cmd_host_find only.
 */
#ifndef MYSHIP_CMD_ARGS_H
#define MYSHIP_CMD_ARGS_H

#include <stddef.h>

#include "cmd/cmd.h"
#include "util/config.h"
#include "util/err.h"

struct cmd_value {
	size_t count;			/* times given */
	const char *last;		/* the last value, NULL when not given */
	long long num;			/* the option's parse() of last */
	struct strlist all;		/* every value, in order */
};

struct cmd_args {
	const struct cmd_entry *entry;
	struct cmd_value *values;	/* one per entry option */
	char **argv;			/* operands */
	int argc;
	const struct host_cfg **hosts;	/* the selection, see cmd_hosts */
	size_t nhosts;
	int hosts_named;		/* --host chose them (not the default) */
};

/* True when argv (after argv[0], before "--") holds flag or alias. */
int cmd_args_mention(int argc, char **argv, const char *flag,
    const char *alias);

/*
 * Fills a (free it with cmd_args_free whatever the result).  Returns 1
 * when --help was printed, 0 when the command is to run, -1 on error.
 * The hosts are looked up in ctx->cfg after the entry's check.
 */
int cmd_args_parse(const struct cmd_entry *ent, struct cmd_ctx *ctx,
    int argc, char **argv, struct cmd_args *a, struct err *e);
void cmd_args_free(struct cmd_args *a);

/* The option's use, by its long name (which the entry must have). */
size_t args_count(const struct cmd_args *a, const char *name);
const char *args_get(const struct cmd_args *a, const char *name);
const struct strlist *args_list(const struct cmd_args *a, const char *name);
long long args_num(const struct cmd_args *a, const char *name,
    long long dflt);

/* [host NAME] of the policy, or NULL and ERR_NOT_FOUND; hint ends the message. */
const struct host_cfg *cmd_host_find(const struct config *cfg,
    const char *name, const char *hint, struct err *e);

/*
 * A command's hosts: the first failure becomes its error, and the others
 * are logged; with say_each the first is logged as well (the log then has
 * every host's, main prints the first once more on stderr).
 */
struct cmd_fails {
	size_t n;
	int say_each;
};
void cmd_fail(struct cmd_fails *f, const struct err *one, struct err *e);

/*
 * Calls fn for each selected host in turn until a signal; failures go
 * through cmd_fail, saying each when there are several hosts.  A signal
 * before the last host is ERR_INTERRUPTED, "interrupted before host X",
 * unless a host was itself interrupted.
 */
typedef int cmd_host_fn(struct cmd_ctx *ctx, const struct host_cfg *h,
    void *arg, struct err *e);
int cmd_each_host(struct cmd_ctx *ctx, const struct cmd_args *a,
    cmd_host_fn *fn, void *arg, struct err *e);

#endif
