/*
 * Accounts, roles and grants (`[backup] users`, `restore --users`): the
 * decisions and the text, without a server, so that every case is
 * unit-tested.  db/users.c reads and runs what these decide.
 *
 * The accounts member (FORMAT.md) is SQL the stock client can run, each
 * statement preceded by a comment line the restore reads it by:
 *   -- myship KIND ROLE USER@HOST PLUGINS LEN
 * KIND create, grant or default; ROLE user or role; USER and HOST
 * encoded by util/names.h (so '@' and blanks never occur in them);
 * PLUGINS the authentication plugins the account needs, comma-separated,
 * or "-"; LEN the statement's length in bytes, which follows and ends
 * with ";\n".  Every create comes before every grant, every grant before
 * every default role.  A statement must be of its kind (CREATE USER or
 * ROLE; GRANT or REVOKE; SET DEFAULT ROLE): the parser refuses any other.
 *
 * Statement scanning skips quoted strings and identifiers, so a keyword
 * inside a name or a password hash never counts.
 */
#ifndef MYSHIP_USERS_RULES_H
#define MYSHIP_USERS_RULES_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/strutil.h"

enum users_kind { USERS_CREATE, USERS_GRANT, USERS_DEFAULT };

struct users_stmt {
	enum users_kind kind;
	int role;		/* a role (MariaDB CREATE ROLE, MySQL role edge) */
	char *user, *host;
	char *plugins;		/* "a,b", or NULL: none needed */
	char *sql;		/* without the ";" */
};

/* Appends one statement to the member text. */
void users_text_add(struct buf *out, const struct users_stmt *s);
/*
 * Parses a member (not NUL-terminated); name is for messages.  ERR_CORRUPT
 * naming the line.  *out holds *n statements: free with users_stmts_free.
 */
int users_text_parse(const char *text, size_t len, const char *name,
    struct users_stmt **out, size_t *n, struct err *e);
void users_stmts_free(struct users_stmt *s, size_t n);

/*
 * System accounts, never backed up: mariadb.sys, mysql.sys, mysql.session,
 * mysql.infoschema (any host), MariaDB's PUBLIC and root@localhost.
 */
int users_is_system(const char *user, const char *host);

/*
 * Patterns: POSIX extended regular expressions matched against the whole
 * "user@host", or against the whole user name when the pattern has no
 * '@'.  An account is chosen when no include is given or one matches,
 * and no exclude matches.  ERR_USAGE (ERR_CONFIG from the policy is the
 * caller's) naming a pattern that does not compile.
 */
struct users_filter;
struct users_filter *users_filter_new(const struct strlist *inc,
    const struct strlist *exc, struct err *e);
void users_filter_free(struct users_filter *f);
int users_filter_match(const struct users_filter *f, const char *user,
    const char *host);

/*
 * A copy of a CREATE USER or GRANT with every password, hash or
 * authentication string (the literal after PASSWORD, USING, AS or BY)
 * written '<secret>': what --dry-run and messages show.
 */
char *users_mask(const char *sql);
/*
 * A copy of a MariaDB SHOW GRANTS line without its IDENTIFIED ... clause
 * (it repeats the password hash; the CREATE USER sets it).
 */
char *users_strip_identified(const char *grant);
/*
 * MySQL's SHOW CREATE USER names the default roles (DEFAULT ROLE list),
 * which must exist first: a copy without that clause; *roles gets the list
 * text, or NULL when there is none.
 */
char *users_split_default_role(const char *create, char **roles);
/*
 * The authentication plugins a CREATE USER needs, comma-separated (NULL
 * when none is named): IDENTIFIED VIA/WITH p [OR q ...]; MariaDB's
 * IDENTIFIED BY PASSWORD is mysql_native_password.
 */
char *users_plugins(const char *create);
/* The first of the comma-separated plugins that avail lacks, or NULL. */
const char *users_plugin_missing(const char *plugins,
    const struct strlist *avail, char *tmp, size_t tmplen);
/*
 * SET DEFAULT ROLE r FOR a (MariaDB) and SET DEFAULT ROLE r TO a (MySQL):
 * a copy written the target's way.
 */
char *users_default_for(const char *sql, int target_mariadb);

enum users_action {
	USERS_DO_CREATE,	/* not on the target */
	USERS_DO_REPLACE,	/* there, --force: dropped and created */
	USERS_DO_SKIP,		/* there: left alone */
	USERS_DO_REFUSE_PLUGIN,	/* its plugin is not on the target */
	USERS_DO_REFUSE_SELF	/* the account the restore runs as */
};
enum users_action users_decide(int exists, int force, int is_self,
    const char *missing_plugin);

#endif
