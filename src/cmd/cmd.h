/*
 * The commands.  main parses the global options, loads the policy and
 * calls one of these with the command's own argv (argv[0] is the command
 * name; parse with getopt_long after setting optind = 0, which makes glibc
 * forget the "+" ordering main used).  A command
 * returns 0, or -1 with e filled: e->kind decides the exit status.
 */
#ifndef MYSHIP_CMD_H
#define MYSHIP_CMD_H

#include <time.h>

#include "util/config.h"
#include "util/err.h"

struct cmd_ctx {
	const struct config *cfg;
	int verbose;		/* -v given */
	int quiet;		/* -q given */
	time_t now;		/* wall clock, or --now for tests */
};

typedef int cmd_fn(struct cmd_ctx *ctx, int argc, char **argv, struct err *e);

cmd_fn cmd_backup, cmd_restore, cmd_list, cmd_check, cmd_optimize, cmd_prune,
    cmd_run, cmd_status;

#endif
