/*
 * myship check [--host NAME]: policy, logins, privileges, repository; unlocks
 * the accounts a killed restore --swap left locked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "db/catalog.h"
#include "db/conn.h"
#include "db/privs.h"
#include "db/swap.h"
#include "repo/repo.h"
#include "util/buf.h"
#include "util/xmalloc.h"

enum check_result { CHECK_OK, CHECK_CONNECT, CHECK_DB };

/* The databases a backup of h would read, as the backup selects them. */
static int
selected_databases(MYSQL *c, const struct config *cfg, struct strlist *sel,
    struct err *e)
{
	struct strlist names = { NULL, 0 };
	struct db_filter *f;
	int rc = -1;

	if ((f = db_filter_new(NULL, &cfg->databases, &cfg->exclude, e)) ==
	    NULL)
		return -1;
	if (catalog_databases(c, &names, e) == 0 &&
	    db_filter_apply(f, names.v, names.n, sel, e) == 0)
		rc = 0;
	strlist_free(&names);
	db_filter_free(f);
	return rc;
}

/* db_connect says "host NAME (addr): why"; the line already names it. */
static const char *
without_host(const char *msg, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(msg, "host ", 5) == 0 && strncmp(msg + 5, name, n) == 0 &&
	    msg[5 + n] == ' ')
		return msg + 5 + n;
	return msg;
}

static void
print_list(FILE *out, const struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		fprintf(out, "%s%s", i ? ", " : "", l->v[i]);
}

/*
 * Unlocks the accounts a killed restore --swap left locked (db/swap.h
 * logs each), saying how many on the host's line; -1 with e.
 */
static int
check_swap(const struct host_cfg *h, FILE *out, struct err *e)
{
	size_t n;

	if (swap_recover(h, &n, e) == -1)
		return -1;
	if (n > 0)
		fprintf(out, "; %zu account%s left locked by a killed restore "
		    "--swap unlocked", n, n == 1 ? "" : "s");
	return 0;
}

/* Checks one host and prints its line; never fails itself. */
static enum check_result
check_host(const struct config *cfg, const struct host_cfg *h, FILE *out)
{
	struct strlist dbs = { NULL, 0 }, missing = { NULL, 0 };
	struct strlist notes = { NULL, 0 };
	struct db_server srv;
	struct grants *g = grants_new();
	struct err e;
	enum check_result res = CHECK_DB;
	MYSQL *c;

	memset(&srv, 0, sizeof srv);
	if ((c = db_connect(h, &e)) == NULL) {
		const char *why = without_host(e.msg, h->name);

		fprintf(out, "%s: cannot connect%s%s\n", h->name,
		    why == e.msg ? ": " : "", why);
		res = CHECK_CONNECT;
		goto out;
	}
	if (db_server_info(c, &srv, &e) == -1 ||
	    db_exec(c, "SET SESSION sql_mode = ''", &e) == -1 ||
	    grants_read(c, g, &e) == -1 ||
	    selected_databases(c, cfg, &dbs, &e) == -1) {
		fprintf(out, "%s: %s\n", h->name, e.msg);
		goto out;
	}
	privs_backup_missing(g, h, &srv, &dbs, cfg->databases.n == 0,
	    &missing, &notes);
	if (missing.n > 0) {
		fprintf(out, "%s: missing privileges: ", h->name);
		print_list(out, &missing);
		fprintf(out, " (%s %u.%u.%u)\n", srv.is_mariadb ? "MariaDB" :
		    "MySQL", srv.major, srv.minor, srv.patch);
		goto out;
	}
	fprintf(out, "%s: ok (%s %u.%u.%u, %zu database%s)", h->name,
	    srv.is_mariadb ? "MariaDB" : "MySQL", srv.major, srv.minor,
	    srv.patch, dbs.n, dbs.n == 1 ? "" : "s");
	if (notes.n > 0) {
		fprintf(out, "; note: ");
		print_list(out, &notes);
	}
	if (check_swap(h, out, &e) == -1) {
		fprintf(out, "; %s\n", e.msg);
		goto out;
	}
	fprintf(out, "\n");
	res = CHECK_OK;
out:
	fflush(out);
	strlist_free(&dbs);
	strlist_free(&missing);
	strlist_free(&notes);
	grants_free(g);
	db_server_free(&srv);
	db_close(c);
	return res;
}

static int
check_repo(const struct config *cfg, FILE *out)
{
	struct repo *r;
	struct err e;
	int rc = -1;

	if ((r = repo_open(cfg, &e)) == NULL) {
		fprintf(out, "repository: %s\n", e.msg);
		return -1;
	}
	if (repo_check_writable(r, &e) == -1)
		fprintf(out, "repository %s: %s\n", repo_describe(r), e.msg);
	else {
		fprintf(out, "repository %s: ok (writable)\n", repo_describe(r));
		rc = 0;
	}
	repo_close(r);
	return rc;
}

static int
cmd_check(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const struct config *cfg = ctx->cfg;
	size_t i, down = 0, bad = 0;
	int repo_bad;

	printf("policy %s: ok (%zu host%s)\n", cfg->path, cfg->nhosts,
	    cfg->nhosts == 1 ? "" : "s");
	for (i = 0; i < a->nhosts; i++) {
		switch (check_host(cfg, a->hosts[i], stdout)) {
		case CHECK_CONNECT:
			down++;
			break;
		case CHECK_DB:
			bad++;
			break;
		case CHECK_OK:
			break;
		}
	}
	repo_bad = check_repo(cfg, stdout) == -1;
	if (down > 0)
		return err_set(e, ERR_CONNECT, "check: %zu of %zu hosts "
		    "unreachable", down, a->nhosts);
	if (bad > 0)
		return err_set(e, ERR_DB, "check: %zu of %zu hosts lack "
		    "privileges or failed", bad, a->nhosts);
	if (repo_bad)
		return err_set(e, ERR_REPO, "check: repository not writable");
	return 0;
}

static const struct cmd_option check_options[] = {
	{ "host", 'H', 1, 0, "check only this [host]", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.summary = "check the policy, hosts, privileges and repository",
	.usage = "usage: myship check [--host NAME]",
	.help =
	    "Checks the policy, then for each [host] (or only NAME) that it can log\n"
	    "in and holds the privileges a backup needs, then that the repository\n"
	    "is writable.  Unlocks the accounts a killed restore --swap left\n"
	    "locked.  One line per host; exits 4 when a host is unreachable,\n"
	    "5 when privileges are missing, 6 when the repository fails.\n",
	.options = check_options,
	.hosts = CMD_HOSTS_ONE,
	.flags = CMD_POLICY,
	.exec = cmd_check,
};
