/*
 * myship: the command line.  main only parses the global options, finds
 * the command in cmd/cmd.h's table, loads the policy and takes the run
 * lock as its entry says, hands it its arguments, and turns the returned
 * error kind into the exit status documented in myship(8).  Nothing below
 * main calls exit().
 */
#include "config.h"

#include <curl/curl.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "util/config.h"
#include "util/err.h"
#include "util/lock.h"
#include "util/log.h"
#include "util/prio.h"
#include "util/signals.h"
#include "util/strutil.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_POLICY SYSCONFDIR "/myship/myship.ini"

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: myship [-c FILE] [-v|-q] [--log-file FILE] "
	    "[--wait-lock DURATION] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(f, "  %-10s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fprintf(f, "\n`myship COMMAND --help` shows a command's options; "
	    "see myship(8) and myship.ini(5).\n"
	    "default policy file: %s\n", DEFAULT_POLICY);
}

/* --now accepts epoch seconds or YYYY-MM-DDTHH:MM:SSZ (UTC). */
static int
parse_now(const char *s, time_t *out)
{
	struct tm tm;
	long long v;
	const char *end;

	if (parse_int(s, 0, 4102444800LL, &v) == 0) {
		*out = (time_t)v;
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}

/*
 * Under cron (stderr not a terminal) progress and info go to syslog, or to
 * the log file; warnings and errors also reach stderr so cron mails them.
 * Under a systemd unit stderr is the journal: every line goes there once,
 * with its priority, and nothing to syslog (which would copy it back).
 */
static int
open_log(const struct config *cfg, const char *log_file, int verbose,
    int quiet, struct err *e)
{
	enum log_level level = (enum log_level)cfg->log_level;
	const char *target = log_file ? log_file : cfg->log_file;

	if (verbose > 1)
		level = LOG_LVL_DEBUG;
	else if (verbose && level < LOG_LVL_INFO)
		level = LOG_LVL_INFO;
	if (quiet)
		level = LOG_LVL_WARN;
	if (target == NULL && log_stderr_is_journal())
		target = "journal";
	else if (target == NULL && !isatty(STDERR_FILENO) &&
	    getenv("MYSHIP_LOG_STDERR") == NULL)
		target = "syslog";
	if (log_open(level, target) == -1)
		return err_setsys(e, ERR_CONFIG, "log file %s", target);
	return 0;
}

/* What the options before the command name ask for. */
struct globals {
	const char *policy, *log_file;
	int64_t wait_lock;
	int verbose, quiet;
};

/* parse_globals returns -1 (error in e), GLOBALS_RUN or GLOBALS_DONE. */
enum { GLOBALS_RUN = 0, GLOBALS_DONE = 1 };

/*
 * Parses the options before the command name.  GLOBALS_DONE means main
 * has nothing more to do (--help, --version, usage), with *rc its status.
 */
static int
parse_globals(int argc, char **argv, struct globals *g, struct cmd_ctx *ctx,
    int *rc, struct err *e)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "wait-lock", required_argument, NULL, 'W' },
		{ "now", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	*rc = 0;
	/* "+" stops at the command name: the rest is the command's. */
	while ((ch = getopt_long(argc, argv, "+c:vqhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': g->policy = optarg; break;
		case 'v': g->verbose++; break;
		case 'q': g->quiet = 1; break;
		case 'h': usage(stdout); return GLOBALS_DONE;
		case 'V': printf("myship %s\n", PACKAGE_VERSION); return GLOBALS_DONE;
		case 'L': g->log_file = optarg; break;
		case 'W':
			if (parse_duration(optarg, &g->wait_lock) == -1)
				return err_set(e, ERR_USAGE, "--wait-lock: \"%s\" "
				    "is not a duration (e.g. 30m, 2h)", optarg);
			break;
		case 'N':
			if (parse_now(optarg, &ctx->now) == -1)
				return err_set(e, ERR_USAGE, "--now: \"%s\" is not "
				    "YYYY-MM-DDTHH:MM:SSZ or epoch seconds",
				    optarg);
			break;
		default:
			usage(stderr);
			*rc = err_exit_code(ERR_USAGE);
			return GLOBALS_DONE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		*rc = err_exit_code(ERR_USAGE);
		return GLOBALS_DONE;
	}
	return GLOBALS_RUN;
}

int
main(int argc, char **argv)
{
	struct globals g = { DEFAULT_POLICY, NULL, 0, 0, 0 };
	const struct cmd_entry *cmd;
	struct cmd_ctx ctx;
	struct config cfg;
	struct lock *lock = NULL;
	struct err e;
	int rc, loaded = 0;

	setlocale(LC_ALL, "C");
	err_clear(&e);
	memset(&ctx, 0, sizeof ctx);
	memset(&cfg, 0, sizeof cfg);
	ctx.now = time(NULL);
	switch (parse_globals(argc, argv, &g, &ctx, &rc, &e)) {
	case GLOBALS_DONE: return rc;
	case GLOBALS_RUN: break;
	default: goto out;
	}
	if ((cmd = cmd_find(argv[optind])) == NULL) {
		err_set(&e, ERR_USAGE, "unknown command \"%s\" (see myship "
		    "--help)", argv[optind]);
		goto out;
	}
	argc -= optind;
	argv += optind;
	ctx.verbose = g.verbose;
	ctx.quiet = g.quiet;
	signals_install();
	if (cmd_args_mention(argc, argv, "--version", NULL)) {
		printf("myship %s\n", PACKAGE_VERSION);
		return 0;
	}
	/*
	 * Neither library may initialise itself lazily in two threads at
	 * once, and run, optimize, backup and restore all start threads.
	 */
	mysql_library_init(0, NULL, NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* A command's --help must work without a policy file. */
	if ((cmd->flags & CMD_POLICY) &&
	    !cmd_args_mention(argc, argv, "--help", "-h")) {
		if (config_load(g.policy, &cfg, &e) == -1)
			goto out;
		loaded = 1;
		if (open_log(&cfg, g.log_file, g.verbose, g.quiet, &e) == -1)
			goto out;
		if ((cmd->flags & CMD_LOCK) &&
		    lock_acquire(cfg.lock_file, g.wait_lock, &lock, &e) == -1)
			goto out;
		/* Before the command starts a thread: they inherit it. */
		if (cmd->flags & CMD_BACKGROUND)
			prio_background(cfg.nice);
	}
	ctx.cfg = &cfg;
	if (cmd_exec(cmd, &ctx, argc, argv, &e) == -1 && e.kind == ERR_OK)
		err_set(&e, ERR_INTERNAL, "%s failed without a reason", cmd->name);
out:
	lock_release(lock);
	rc = err_exit_code(e.kind);
	if (e.kind != ERR_OK)	/* in the journal, as an error */
		fprintf(stderr, "%smyship: %s\n",
		    log_stderr_is_journal() ? "<3>" : "", e.msg);
	if (loaded)
		config_free(&cfg);
	log_close();
	curl_global_cleanup();
	mysql_library_end();
	return rc;
}
