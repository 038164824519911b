/*
 * Inside restore --swap (db/swap.h): the state swap.c and swap_query.c
 * share.  swap.c runs the steps; swap_query.c reads the target (names in
 * information_schema, the accounts to lock, their sessions) and prints
 * the --dry-run plan.  Nothing else includes this.
 */
#ifndef MYSHIP_SWAP_INT_H
#define MYSHIP_SWAP_INT_H

#include <mysql.h>

#include "db/swap.h"
#include "policy/swap_plan.h"
#include "util/buf.h"
#include "util/strutil.h"

struct swap_post {
	const struct plan_member *pm;
	struct buf data;
};

struct swap {
	const struct host_cfg *target;
	struct swap_opts o;
	MYSQL *c;
	char shadow[SWAP_NAME_MAX], archive[SWAP_NAME_MAX];
	struct strlist users, hosts;	/* the accounts locked (or to be) */
	size_t journalled;		/* the first ones: already in it */
	struct swap_post *post;
	size_t npost;
	int locked;
	int finish;			/* the rename was done by a killed run */
	double locked_at, lockout;
};

/* "'user'@'host'" onto q. */
void swap_account_sql(struct buf *q, const char *user, const char *host);
/* `archive`.`_myship_swap_journal` onto q. */
void swap_journal_name(struct buf *q, const char *archive);
/* SELECT what FROM information_schema.table WHERE column = db more. */
int swap_names_in(MYSQL *c, const char *what, const char *table,
    const char *column, const char *db, const char *more,
    struct strlist *out, struct err *e);
/* The base tables and sequences of db, the journal left out. */
int swap_tables(MYSQL *c, const char *db, struct strlist *out,
    struct err *e);
int swap_db_exists(MYSQL *c, const char *db, int *exists, struct err *e);
/* The backup archive's mark names into *backup (malloc'd); NULL: none. */
int swap_mark_read(MYSQL *c, const char *archive, char **backup,
    struct err *e);
/* Whether archive holds the journal (it is myship's). */
int swap_journal_exists(MYSQL *c, const char *archive, int *exists,
    struct err *e);
/* Which accounts to lock, not locked yet: into s->users, s->hosts. */
int swap_accounts(struct swap *s, struct err *e);
/* IDs of the sessions of s->users, other than ours. */
int swap_sessions(struct swap *s, struct strlist *ids, struct err *e);

#endif
