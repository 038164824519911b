/*
 * Accounts, roles and grants on a server: read for the accounts member of
 * a backup, and created again by restore --users (FORMAT.md, myship.8).
 * The decisions and the text are policy/users_rules.h's; this file only
 * asks the server and runs the statements.  A password hash or
 * authentication string is never logged: what is shown goes through
 * users_mask, and a server error that may quote a CREATE USER (a syntax
 * error) is withheld.
 */
#ifndef MYSHIP_USERS_H
#define MYSHIP_USERS_H

#include <stdio.h>

#include <mysql.h>

#include "util/buf.h"
#include "util/config.h"
#include "util/err.h"
#include "util/strutil.h"

/*
 * Appends the accounts member of the server c is connected to (inside the
 * backup's snapshot session) to out: every account and role but the
 * system ones (users_is_system) and the one c runs as, chosen by inc and
 * exc (users_rules.h patterns).  *n gets the number of accounts.  Sets
 * print_identified_with_as_hex on MySQL.  ERR_DB naming the account.
 */
int users_dump(MYSQL *c, int is_mariadb, const struct strlist *inc,
    const struct strlist *exc, struct buf *out, size_t *n, struct err *e);

struct users_restore_opts {
	const struct strlist *patterns;	/* none: every account of the member */
	int force;			/* drop and create what exists */
	int dry_run;			/* show, masked; change nothing */
	FILE *out;			/* the listing: one line per account */
};

struct users_report {
	size_t created, replaced, skipped, refused, failed;
};

/*
 * Creates the accounts of a member (text, len; name for messages) on
 * target: every create first, then the grants of what was created, then
 * its default roles.  An account that exists is skipped unless o->force;
 * one whose authentication plugin the target lacks, the one the restore
 * runs as, or one the server refuses, is refused; a grant the server
 * refuses is counted in failed.  -1 only when the member is damaged or
 * the target cannot be reached.
 */
int users_restore(const struct host_cfg *target, const char *text,
    size_t len, const char *name, const struct users_restore_opts *o,
    struct users_report *r, struct err *e);

#endif
