/*
 * Accounts on a server (db/users.h): SHOW CREATE USER and SHOW GRANTS
 * into the accounts member, and the member run again on a target.
 */
#include "db/users.h"

#include <stdlib.h>
#include <string.h>

#include <mysqld_error.h>

#include "db/conn.h"
#include "policy/users_rules.h"
#include "util/names.h"
#include "util/show.h"
#include "util/xmalloc.h"

/* `user`@`host`, or `user` for a MariaDB role. */
static void
account_sql(struct buf *b, const char *user, const char *host, int role)
{
	sql_quote_ident(b, user);
	if (!role) {
		buf_append_char(b, '@');
		sql_quote_ident(b, host);
	}
}

/* CURRENT_USER() as user and host (split at its last '@'). */
static int
current_account(MYSQL *c, char **user, char **host, struct err *e)
{
	char *v = NULL, *at;

	if (db_query_value(c, "SELECT CURRENT_USER()", &v, e) == -1)
		return -1;
	if (v == NULL || (at = strrchr(v, '@')) == NULL) {
		*user = v != NULL ? v : xstrdup("");
		*host = xstrdup("");
		return 0;
	}
	*at = '\0';
	*user = v;
	*host = xstrdup(at + 1);
	return 0;
}

struct dump_acc {
	struct buf creates, grants, defaults;
	int is_mariadb;
};

static void
add_stmt(struct buf *b, enum users_kind kind, int role, const char *user,
    const char *host, const char *plugins, const char *sql)
{
	struct users_stmt s;

	s.kind = kind;
	s.role = role;
	s.user = (char *)user;
	s.host = (char *)host;
	s.plugins = (char *)plugins;
	s.sql = (char *)sql;
	users_text_add(b, &s);
}

/* The CREATE of one account (MySQL: its DEFAULT ROLE set apart). */
static int
dump_create(MYSQL *c, struct dump_acc *d, const char *user, const char *host,
    int role, struct err *e)
{
	struct buf q;
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	char *create, *roles = NULL, *plugins;
	int rc = -1;

	buf_init(&q);
	if (role && d->is_mariadb) {
		buf_append_str(&q, "CREATE ROLE ");
		account_sql(&q, user, host, 1);
		add_stmt(&d->creates, USERS_CREATE, 1, user, host, NULL,
		    buf_cstr(&q));
		buf_free(&q);
		return 0;
	}
	buf_append_str(&q, "SHOW CREATE USER ");
	account_sql(&q, user, host, 0);
	if ((res = db_query_store(c, buf_cstr(&q), e)) == NULL)
		goto out;
	if ((row = mysql_fetch_row(res)) == NULL || row[0] == NULL) {
		err_set(e, ERR_DB, "%s: no row", buf_cstr(&q));
		goto out;
	}
	create = users_split_default_role(row[0], &roles);
	plugins = users_plugins(create);
	add_stmt(&d->creates, USERS_CREATE, role, user, host, plugins, create);
	if (roles != NULL) {
		buf_reset(&q);
		buf_printf(&q, "SET DEFAULT ROLE %s TO ", roles);
		account_sql(&q, user, host, 0);
		add_stmt(&d->defaults, USERS_DEFAULT, role, user, host, NULL,
		    buf_cstr(&q));
	}
	free(create);
	free(plugins);
	free(roles);
	rc = 0;
out:
	if (res != NULL)
		mysql_free_result(res);
	buf_free(&q);
	return rc;
}

/* SHOW GRANTS of one account: grants, partial revokes, default role. */
static int
dump_grants(MYSQL *c, struct dump_acc *d, const char *user, const char *host,
    int role, struct err *e)
{
	struct buf q;
	MYSQL_RES *res;
	MYSQL_ROW row;
	char *g;

	buf_init(&q);
	buf_append_str(&q, "SHOW GRANTS FOR ");
	account_sql(&q, user, host, role && d->is_mariadb);
	res = db_query_store(c, buf_cstr(&q), e);
	buf_free(&q);
	if (res == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL)
			continue;
		if (strncmp(row[0], "SET DEFAULT ROLE ", 17) == 0) {
			add_stmt(&d->defaults, USERS_DEFAULT, role, user, host,
			    NULL, row[0]);
			continue;
		}
		g = users_strip_identified(row[0]);
		add_stmt(&d->grants, USERS_GRANT, role, user, host, NULL, g);
		free(g);
	}
	mysql_free_result(res);
	return 0;
}

static const char *const list_mariadb =
    "SELECT User, Host, is_role = 'Y' FROM mysql.user "
    "ORDER BY 3 DESC, User, Host";
static const char *const list_mysql =
    "SELECT u.User, u.Host, EXISTS (SELECT 1 FROM mysql.role_edges r "
    "WHERE r.FROM_USER = u.User AND r.FROM_HOST = u.Host) "
    "FROM mysql.user u ORDER BY 3 DESC, u.User, u.Host";

static int
dump_one(MYSQL *c, struct dump_acc *d, MYSQL_ROW row, struct err *e)
{
	char shown[SHOW_MAX];
	int role = row[2] != NULL && strcmp(row[2], "1") == 0;

	if (dump_create(c, d, row[0], row[1], role, e) == -1 ||
	    dump_grants(c, d, row[0], row[1], role, e) == -1) {
		char *a = xasprintf("%s@%s", row[0], row[1]);

		err_prefix(e, "account %s", show_str(a, shown, sizeof shown));
		free(a);
		return -1;
	}
	return 0;
}

int
users_dump(MYSQL *c, int is_mariadb, const struct strlist *inc,
    const struct strlist *exc, struct buf *out, size_t *n, struct err *e)
{
	struct users_filter *f;
	struct dump_acc d;
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;
	char *me_user = NULL, *me_host = NULL;
	int rc = -1;

	*n = 0;
	memset(&d, 0, sizeof d);
	d.is_mariadb = is_mariadb;
	if ((f = users_filter_new(inc, exc, e)) == NULL)
		return -1;
	if ((!is_mariadb && db_exec(c, "SET SESSION "
	    "print_identified_with_as_hex = ON", e) == -1) ||
	    current_account(c, &me_user, &me_host, e) == -1 ||
	    (res = db_query_store(c, is_mariadb ? list_mariadb : list_mysql,
	    e)) == NULL)
		goto out;
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[0] == NULL || row[1] == NULL ||
		    users_is_system(row[0], row[1]) ||
		    (strcmp(row[0], me_user) == 0 &&
		    strcmp(row[1], me_host) == 0) ||
		    !users_filter_match(f, row[0], row[1]))
			continue;
		if (dump_one(c, &d, row, e) == -1)
			goto out;
		(*n)++;
	}
	buf_append_str(out, "-- accounts, roles and grants: restore with "
	    "myship restore --users (myship(8))\nSET NAMES utf8mb4;\n");
	buf_append(out, d.creates.data, d.creates.len);
	buf_append(out, d.grants.data, d.grants.len);
	buf_append(out, d.defaults.data, d.defaults.len);
	rc = 0;
out:
	if (res != NULL)
		mysql_free_result(res);
	users_filter_free(f);
	buf_free(&d.creates);
	buf_free(&d.grants);
	buf_free(&d.defaults);
	free(me_user);
	free(me_host);
	return rc;
}

struct acct {
	const struct users_stmt *create;
	enum users_action act;
	char missing[64];
	int created;		/* its grants and default roles run */
};

struct urs {
	MYSQL *c;
	int is_mariadb;
	const struct users_restore_opts *o;
	struct users_report *r;
	struct users_stmt *s;
	size_t n;
	struct acct *a;
	size_t na;
	struct strlist existing, plugins;	/* accounts as user@host encoded */
	char *me_user, *me_host;
};

static char *
acct_key(const char *user, const char *host)
{
	char *u = name_encode(user, strlen(user));
	char *h = name_encode(host, strlen(host));
	char *k = xasprintf("%s@%s", u, h);

	free(u);
	free(h);
	return k;
}

static int
strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/* What the target has: accounts, authentication plugins, who we are. */
static int
urs_probe(struct urs *u, struct err *e)
{
	struct db_server srv;
	MYSQL_RES *res;
	MYSQL_ROW row;

	if (db_server_info(u->c, &srv, e) == -1)
		return -1;
	u->is_mariadb = srv.is_mariadb;
	db_server_free(&srv);
	if (current_account(u->c, &u->me_user, &u->me_host, e) == -1 ||
	    (res = db_query_store(u->c, "SELECT User, Host FROM mysql.user",
	    e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL) {
		char *k = acct_key(row[0] ? row[0] : "", row[1] ? row[1] : "");

		strlist_add(&u->existing, k);
		free(k);
	}
	mysql_free_result(res);
	if ((res = db_query_store(u->c, "SELECT PLUGIN_NAME FROM "
	    "information_schema.PLUGINS WHERE PLUGIN_TYPE = 'AUTHENTICATION' "
	    "AND PLUGIN_STATUS = 'ACTIVE'", e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(res)) != NULL)
		if (row[0] != NULL)
			strlist_add(&u->plugins, row[0]);
	mysql_free_result(res);
	return 0;
}

/* The accounts of the member, chosen by the patterns, and what to do. */
static int
urs_decide(struct urs *u, struct err *e)
{
	struct strlist none = { NULL, 0 };
	struct users_filter *f;
	const struct users_stmt *s;
	struct acct *a;
	const char *miss;
	char *k;
	size_t i;

	if ((f = users_filter_new(u->o->patterns, &none, e)) == NULL)
		return -1;
	u->a = xcalloc(u->n + 1, sizeof *u->a);
	for (i = 0; i < u->n; i++) {
		s = &u->s[i];
		if (s->kind != USERS_CREATE ||
		    !users_filter_match(f, s->user, s->host))
			continue;
		a = &u->a[u->na++];
		a->create = s;
		k = acct_key(s->user, s->host);
		miss = users_plugin_missing(s->plugins, &u->plugins,
		    a->missing, sizeof a->missing);
		a->act = users_decide(strlist_has(&u->existing, k), u->o->force,
		    strcmp(s->user, u->me_user) == 0 &&
		    strcmp(s->host, u->me_host) == 0, miss);
		free(k);
	}
	users_filter_free(f);
	return 0;
}

static const char *
acct_shown(const struct users_stmt *s, char *out, size_t len)
{
	struct buf b;

	buf_init(&b);
	account_sql(&b, s->user, s->host, s->role && *s->host == '\0');
	show_str(buf_cstr(&b), out, len);
	buf_free(&b);
	return out;
}

/* Runs one statement; -1 with the server's error in msg (never a hash). */
static int
urs_exec(struct urs *u, const struct users_stmt *s, char *msg, size_t len)
{
	char *sql = s->kind == USERS_DEFAULT ?
	    users_default_for(s->sql, u->is_mariadb) : xstrdup(s->sql);
	int rc = mysql_real_query(u->c, sql, strlen(sql));

	free(sql);
	if (rc == 0) {
		while (mysql_next_result(u->c) == 0)
			;
		return 0;
	}
	if (mysql_errno(u->c) == ER_PARSE_ERROR)
		snprintf(msg, len, "the target does not take this statement "
		    "(server error %u; its message, which quotes it, withheld)",
		    mysql_errno(u->c));
	else
		show_str(mysql_error(u->c), msg, len);
	return -1;
}

static void
urs_line(struct urs *u, const struct users_stmt *s, const char *what)
{
	char shown[SHOW_MAX];

	fprintf(u->o->out, "%s %s: %s\n", s->role ? "role" : "account",
	    acct_shown(s, shown, sizeof shown), what);
}

/* DROP (with --force) and CREATE one account. */
static void
urs_create(struct urs *u, struct acct *a)
{
	const struct users_stmt *s = a->create;
	struct users_stmt drop = *s;
	struct buf q;
	char msg[256], what[320];

	if (a->act == USERS_DO_REPLACE) {
		buf_init(&q);
		buf_append_str(&q, s->role && *s->host == '\0' ? "DROP ROLE " :
		    "DROP USER ");
		account_sql(&q, s->user, s->host, s->role && *s->host == '\0');
		drop.sql = buf_cstr(&q);
		drop.kind = USERS_GRANT;
		if (urs_exec(u, &drop, msg, sizeof msg) == -1) {
			buf_free(&q);
			goto refused;
		}
		buf_free(&q);
	}
	if (urs_exec(u, s, msg, sizeof msg) == -1)
		goto refused;
	a->created = 1;
	if (a->act == USERS_DO_REPLACE)
		u->r->replaced++;
	else
		u->r->created++;
	urs_line(u, s, a->act == USERS_DO_REPLACE ? "replaced" : "created");
	return;
refused:
	u->r->refused++;
	snprintf(what, sizeof what, "refused: %s", msg);
	urs_line(u, s, what);
}

/* The account's decision, when it is not to create it. */
static int
urs_not_created(struct urs *u, struct acct *a)
{
	char what[160];

	switch (a->act) {
	case USERS_DO_SKIP:
		u->r->skipped++;
		urs_line(u, a->create, "skipped: exists on the target "
		    "(--force replaces it)");
		return 1;
	case USERS_DO_REFUSE_PLUGIN:
		u->r->refused++;
		snprintf(what, sizeof what, "refused: authentication plugin "
		    "%s is not on the target", a->missing);
		urs_line(u, a->create, what);
		return 1;
	case USERS_DO_REFUSE_SELF:
		u->r->refused++;
		urs_line(u, a->create, "refused: the account this restore "
		    "runs as");
		return 1;
	default:
		return 0;
	}
}

static struct acct *
urs_acct(struct urs *u, const struct users_stmt *s)
{
	size_t i;

	for (i = 0; i < u->na; i++)
		if (strcmp(u->a[i].create->user, s->user) == 0 &&
		    strcmp(u->a[i].create->host, s->host) == 0)
			return &u->a[i];
	return NULL;
}

/* --dry-run: what would happen, every statement masked. */
static void
urs_dry_run(struct urs *u)
{
	struct acct *a;
	char *m;
	size_t i;

	for (i = 0; i < u->na; i++) {
		a = &u->a[i];
		if (urs_not_created(u, a))
			continue;
		urs_line(u, a->create, a->act == USERS_DO_REPLACE ?
		    "would be dropped and created" : "would be created");
		a->created = 1;
	}
	for (i = 0; i < u->n; i++) {
		if ((a = urs_acct(u, &u->s[i])) == NULL || !a->created)
			continue;
		m = users_mask(u->s[i].sql);
		fprintf(u->o->out, "  %s;\n", m);
		free(m);
	}
}

/* The grants and default roles of the accounts created. */
static void
urs_grants(struct urs *u)
{
	const struct users_stmt *s;
	struct acct *a;
	char msg[256], what[400], *m;
	size_t i;

	for (i = 0; i < u->n; i++) {
		s = &u->s[i];
		if (s->kind == USERS_CREATE || (a = urs_acct(u, s)) == NULL ||
		    !a->created || urs_exec(u, s, msg, sizeof msg) == 0)
			continue;
		u->r->failed++;
		m = users_mask(s->sql);
		snprintf(what, sizeof what, "%s refused: %s: %s",
		    s->kind == USERS_GRANT ? "grant" : "default role", msg, m);
		free(m);
		urs_line(u, s, what);
	}
}

int
users_restore(const struct host_cfg *target, const char *text, size_t len,
    const char *name, const struct users_restore_opts *o,
    struct users_report *r, struct err *e)
{
	struct urs u;
	size_t i;
	int rc = -1;

	memset(&u, 0, sizeof u);
	memset(r, 0, sizeof *r);
	u.o = o;
	u.r = r;
	if (users_text_parse(text, len, name, &u.s, &u.n, e) == -1 ||
	    (u.c = db_connect(target, e)) == NULL ||
	    urs_probe(&u, e) == -1 || urs_decide(&u, e) == -1)
		goto out;
	if (o->dry_run) {
		urs_dry_run(&u);
	} else {
		for (i = 0; i < u.na; i++)
			if (!urs_not_created(&u, &u.a[i]))
				urs_create(&u, &u.a[i]);
		urs_grants(&u);
	}
	rc = 0;
out:
	if (u.c != NULL)
		db_close(u.c);
	users_stmts_free(u.s, u.n);
	free(u.a);
	strlist_free(&u.existing);
	strlist_free(&u.plugins);
	free(u.me_user);
	free(u.me_host);
	return rc;
}
