#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/conn.h"
#include "db/swap.h"
#include "db/swap_int.h"
#include "policy/swap_plan.h"
#include "util/show.h"
#include "util/xmalloc.h"

/* "'user'@'host'" onto q. */
void
swap_account_sql(struct buf *q, const char *user, const char *host)
{
	sql_quote_string(q, user, strlen(user));
	buf_append_char(q, '@');
	sql_quote_string(q, host, strlen(host));
}

/* Names in information_schema.table whose column equals db, and more. */
int
swap_names_in(MYSQL *c, const char *what, const char *table,
    const char *column, const char *db, const char *more,
    struct strlist *out, struct err *e)
{
	struct buf q;
	int rc;

	buf_init(&q);
	buf_printf(&q, "SELECT %s FROM information_schema.%s WHERE ", what,
	    table);
	sql_name_equals(&q, column, db);
	buf_append_str(&q, more);
	rc = db_query_column(c, buf_cstr(&q), out, e);
	buf_free(&q);
	return rc;
}

int
swap_tables(MYSQL *c, const char *db, struct strlist *out, struct err *e)
{
	return swap_names_in(c, "TABLE_NAME", "TABLES", "TABLE_SCHEMA", db,
	    " AND TABLE_TYPE <> 'VIEW' AND TABLE_NAME NOT IN ('"
	    SWAP_JOURNAL_TABLE "', '" SWAP_MARK_TABLE "')", out, e);
}

int
swap_mark_read(MYSQL *c, const char *archive, char **backup, struct err *e)
{
	struct strlist l = { NULL, 0 };
	struct buf q;
	int rc;

	*backup = NULL;
	rc = swap_names_in(c, "TABLE_NAME", "TABLES", "TABLE_SCHEMA", archive,
	    " AND TABLE_NAME = '" SWAP_MARK_TABLE "'", &l, e);
	if (rc == -1 || l.n == 0) {
		strlist_free(&l);
		return rc;
	}
	buf_init(&q);
	buf_append_str(&q, "SELECT backup FROM ");
	sql_quote_ident(&q, archive);
	buf_append_str(&q, ".`" SWAP_MARK_TABLE "` LIMIT 1");
	rc = db_query_value(c, buf_cstr(&q), backup, e);
	buf_free(&q);
	strlist_free(&l);
	return rc;
}

int
swap_db_exists(MYSQL *c, const char *db, int *exists, struct err *e)
{
	struct strlist l = { NULL, 0 };

	if (swap_names_in(c, "SCHEMA_NAME", "SCHEMATA", "SCHEMA_NAME", db, "",
	    &l, e) == -1)
		return -1;
	*exists = l.n > 0;
	strlist_free(&l);
	return 0;
}

int
swap_journal_exists(MYSQL *c, const char *archive, int *exists,
    struct err *e)
{
	struct strlist l = { NULL, 0 };

	if (swap_names_in(c, "TABLE_NAME", "TABLES", "TABLE_SCHEMA", archive,
	    " AND TABLE_NAME = '" SWAP_JOURNAL_TABLE "'", &l, e) == -1)
		return -1;
	*exists = l.n > 0;
	strlist_free(&l);
	return 0;
}

/* Rows of a two- or three-column query (User, Host[, Db]) into l. */
static int
swap_rows(MYSQL *c, const char *sql, struct strlist *l, int cols,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	int i;

	if ((r = db_query_store(c, sql, e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL)
		for (i = 0; i < cols; i++)
			strlist_add(l, row[i] != NULL ? row[i] : "");
	mysql_free_result(r);
	return 0;
}

/* Whether account u@h (SHOW CREATE USER) is locked already, or no user. */
static int
swap_already_locked(MYSQL *c, const char *u, const char *h)
{
	struct buf q;
	struct err e;
	char *v = NULL;
	int locked;

	buf_init(&q);
	buf_append_str(&q, "SHOW CREATE USER ");
	swap_account_sql(&q, u, h);
	memset(&e, 0, sizeof e);
	locked = db_query_value(c, buf_cstr(&q), &v, &e) == -1 || v == NULL ||
	    strstr(v, " ACCOUNT LOCK") != NULL;
	free(v);
	buf_free(&q);
	return locked;
}

int
swap_accounts(struct swap *s, struct err *e)
{
	struct strlist all = { NULL, 0 }, db = { NULL, 0 }, tp = { NULL, 0 };
	struct swap_account *a = NULL;
	char *self = NULL, *at;
	int *pick = NULL, rc = -1;
	size_t i, j, n;

	if (db_query_value(s->c, "SELECT CURRENT_USER()", &self, e) == -1 ||
	    swap_rows(s->c, "SELECT User, Host FROM mysql.user", &all, 2,
	    e) == -1 || swap_rows(s->c, "SELECT User, Host, Db FROM mysql.db",
	    &db, 3, e) == -1 || swap_rows(s->c, "SELECT User, Host, Db FROM "
	    "mysql.tables_priv", &tp, 3, e) == -1)
		goto out;
	if (self == NULL || (at = strrchr(self, '@')) == NULL) {
		err_set(e, ERR_DB, "host %s: CURRENT_USER() has no @",
		    s->target->name);
		goto out;
	}
	*at = '\0';
	n = all.n / 2;
	a = xcalloc(n + 1, sizeof *a);
	pick = xcalloc(n + 1, sizeof *pick);
	for (i = 0; i < n; i++) {
		a[i].user = all.v[2 * i];
		a[i].host = all.v[2 * i + 1];
		for (j = 0; j + 2 < db.n && !a[i].privileged; j += 3)
			a[i].privileged = strcmp(db.v[j], a[i].user) == 0 &&
			    strcmp(db.v[j + 1], a[i].host) == 0 &&
			    swap_like(db.v[j + 2], s->o.db);
		for (j = 0; j + 2 < tp.n && !a[i].privileged; j += 3)
			a[i].privileged = strcmp(tp.v[j], a[i].user) == 0 &&
			    strcmp(tp.v[j + 1], a[i].host) == 0 &&
			    strcmp(tp.v[j + 2], s->o.db) == 0;
	}
	swap_pick_accounts(a, n, s->o.lock_users, self, at + 1, pick);
	for (i = 0; i < n; i++)
		if (pick[i] && !swap_already_locked(s->c, a[i].user,
		    a[i].host)) {
			strlist_add(&s->users, a[i].user);
			strlist_add(&s->hosts, a[i].host);
		}
	rc = 0;
out:
	free(self);
	free(a);
	free(pick);
	strlist_free(&all);
	strlist_free(&db);
	strlist_free(&tp);
	return rc;
}

int
swap_sessions(struct swap *s, struct strlist *ids, struct err *e)
{
	struct strlist rows = { NULL, 0 };
	size_t i, j;

	if (swap_rows(s->c, "SELECT ID, USER FROM information_schema.PROCESSLIST "
	    "WHERE ID <> CONNECTION_ID()", &rows, 2, e) == -1)
		return -1;
	for (i = 0; i + 1 < rows.n; i += 2)
		for (j = 0; j < s->users.n; j++)
			if (strcmp(rows.v[i + 1], s->users.v[j]) == 0) {
				strlist_add(ids, rows.v[i]);
				break;
			}
	strlist_free(&rows);
	return 0;
}

int
swap_print(struct swap *s, FILE *f, struct err *e)
{
	struct strlist ids = { NULL, 0 }, old = { NULL, 0 };
	char a[SHOW_MAX], b[SHOW_MAX];
	size_t i;

	if (swap_accounts(s, e) == -1 || swap_sessions(s, &ids, e) == -1 ||
	    (!s->finish && swap_tables(s->c, s->o.db, &old, e) == -1))
		return -1;
	if (s->finish) {
		fprintf(f, "swap: finishing a swap killed after its rename: "
		    "%s holds the restored tables, only the post-data is "
		    "replayed into it\n", show_str(s->o.db, a, sizeof a));
	} else
		fprintf(f, "swap: load into database %s, old tables to "
		    "database %s\n", s->shadow, s->archive);
	fprintf(f, "swap: accounts to lock: %zu\n", s->users.n);
	for (i = 0; i < s->users.n; i++)
		fprintf(f, "  %s@%s\n", show_str(s->users.v[i], a, sizeof a),
		    show_str(s->hosts.v[i], b, sizeof b));
	fprintf(f, "swap: sessions that would be killed now (after a grace "
	    "of %.1f s): %zu\n", s->o.grace_ms / 1000.0, ids.n);
	for (i = 0; i < ids.n; i++)
		fprintf(f, "  %s\n", ids.v[i]);
	fprintf(f, "swap: tables of %s renamed to %s: %zu; the backup's "
	    "tables renamed into it from %s\n", s->o.db, s->archive, old.n,
	    s->shadow);
	for (i = 0; i < old.n; i++)
		fprintf(f, "  %s\n", show_str(old.v[i], a, sizeof a));
	strlist_free(&ids);
	strlist_free(&old);
	return 0;
}
