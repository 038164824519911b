/*
 * The commands as data (tmux's cmd_entry in spirit).  Each command file
 * defines one struct cmd_entry: its name, summary and usage, its options,
 * how many operands it takes, whether it takes the run lock and needs the
 * policy, and which [host] sections it works on.  main finds the entry,
 * loads the policy and takes the lock as the entry says, and calls
 * cmd_exec: the shared parser (cmd/args.h) then owns --help, usage errors
 * and unknown hosts, and the entry's exec sees only parsed arguments.
 * exec returns 0, or -1 with e filled: e->kind decides the exit status.
 */
#ifndef MYSHIP_CMD_H
#define MYSHIP_CMD_H

#include <time.h>

#include "util/config.h"
#include "util/err.h"

struct cmd_args;

struct cmd_ctx {
	const struct config *cfg;	/* zeroed when only --help runs */
	int verbose;		/* -v given */
	int quiet;		/* -q given */
	time_t now;		/* wall clock, or --now for tests */
};

/* cmd_option.flags */
#define CMD_OPT_REPEAT		0x1	/* "...": every value is kept */
#define CMD_OPT_REQUIRED	0x2	/* missing is a usage error */

struct cmd_option {
	const char *name;	/* long name without "--"; NULL ends a table */
	int letter;		/* short option, 0 for none */
	int has_arg;		/* 1: takes a value; 2: may (--name=VALUE) */
	int flags;
	const char *help;	/* one line; tests hold it against myship(8) */
	/*
	 * Turns the value into a number, or fails with a usage error; called
	 * as the option is read, so its error comes in command-line order.
	 */
	int (*parse)(const char *arg, long long *out, struct err *e);
};

/* Which [host] sections --host selects (cmd_args.hosts). */
enum cmd_hosts {
	CMD_HOSTS_NONE,		/* none: a "host" option is the command's own */
	CMD_HOSTS_ONE,		/* at most one --host (the last given) */
	CMD_HOSTS_MANY		/* --host repeated, in the order given */
};

/* cmd_entry.flags */
#define CMD_LOCK		0x1	/* takes the policy's run lock */
#define CMD_POLICY		0x2	/* loads the policy file */
#define CMD_PRIMARIES		0x4	/* without --host: every host but replicas */
#define CMD_HELP_ANYWHERE	0x8	/* --help wins over any usage error */
#define CMD_BACKGROUND		0x10	/* runs at [backup] nice (util/prio.h) */

struct cmd_entry {
	const char *name;
	const char *summary;		/* the line in `myship --help` */
	const char *usage;		/* "usage: myship NAME ...", one line */
	const char *help;		/* more text for --help, or NULL */
	const struct cmd_option *options;
	int min_args, max_args;		/* operands; max_args -1: any number */
	enum cmd_hosts hosts;
	int flags;
	/* Checks the arguments before any host is looked up; may be NULL. */
	int (*check)(struct cmd_ctx *ctx, const struct cmd_args *a,
	    struct err *e);
	int (*exec)(struct cmd_ctx *ctx, const struct cmd_args *a,
	    struct err *e);
};

/* Every command, in the order `myship --help` lists them; NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

const struct cmd_entry *cmd_find(const char *name);
/*
 * Parses argv (argv[0] is the command name) by the entry, then runs it.
 * --help prints the usage and returns 0 without running anything.
 */
int cmd_exec(const struct cmd_entry *ent, struct cmd_ctx *ctx, int argc,
    char **argv, struct err *e);

#endif
