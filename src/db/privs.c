#include "db/privs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

enum grant_scope { SCOPE_GLOBAL, SCOPE_DB, SCOPE_TABLE };

struct grant {
	enum grant_scope scope;
	char *db;		/* SCOPE_DB: a LIKE pattern */
	char *table;
	int all;		/* ALL PRIVILEGES */
	struct strlist privs;	/* upper case */
};

struct grants {
	struct grant *v;
	size_t n;
};

/* Databases named in one "missing" entry before it says "...". */
#define PRIVS_MAX_NAMED 5

struct grants *
grants_new(void)
{
	return xcalloc(1, sizeof(struct grants));
}

void
grants_free(struct grants *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++) {
		free(g->v[i].db);
		free(g->v[i].table);
		strlist_free(&g->v[i].privs);
	}
	free(g->v);
	free(g);
}

/* Past a `quoted` identifier, a 'string' or a (group) starting at p. */
static const char *
skip_group(const char *p)
{
	char q = *p;
	int depth = 0;

	if (q == '(') {
		for (; *p != '\0'; p++) {
			if (*p == '`' || *p == '\'') {
				p = skip_group(p) - 1;
				continue;
			}
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				return p + 1;
		}
		return p;
	}
	for (p++; *p != '\0'; p++) {
		if (*p == q && p[1] == q)
			p++;
		else if (*p == q)
			return p + 1;
	}
	return p;
}

/* The first top-level " WORD " in s at or after p, or NULL. */
static const char *
find_keyword(const char *p, const char *word)
{
	size_t n = strlen(word);

	while (*p != '\0') {
		if (*p == '`' || *p == '\'' || *p == '(') {
			p = skip_group(p);
			continue;
		}
		if (*p == ' ' && strncmp(p + 1, word, n) == 0 && p[n + 1] == ' ')
			return p;
		p++;
	}
	return NULL;
}

/* Reads a `quoted` or bare identifier at *pp into out; -1 when none. */
static int
read_ident(const char **pp, struct buf *out)
{
	const char *p = *pp;

	buf_reset(out);
	if (*p == '`') {
		for (p++; *p != '\0'; p++) {
			if (*p == '`' && p[1] == '`')
				p++;
			else if (*p == '`')
				break;
			buf_append_char(out, *p);
		}
		if (*p != '`')
			return -1;
		p++;
	} else {
		while (*p != '\0' && *p != '.' && *p != ' ')
			buf_append_char(out, *p++);
		if (out->len == 0)
			return -1;
	}
	buf_cstr(out);
	*pp = p;
	return 0;
}

/* Splits "SELECT, SHOW VIEW, UPDATE (`c`)" into gr; column grants dropped. */
static void
parse_privs(const char *p, const char *end, struct grant *gr)
{
	struct buf one;
	const char *start;

	buf_init(&one);
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		start = p;
		while (p < end && *p != ',' && *p != '(')
			p++;
		buf_reset(&one);
		buf_append(&one, start, (size_t)(p - start));
		while (one.len > 0 && one.data[one.len - 1] == ' ')
			one.len--;
		buf_cstr(&one);
		if (p < end && *p == '(') {
			p = skip_group(p);	/* column-level: not counted */
			one.len = 0;
		}
		for (size_t i = 0; i < one.len; i++)
			one.data[i] = (char)toupper((unsigned char)one.data[i]);
		if (one.len > 0 && (strcmp(buf_cstr(&one), "ALL PRIVILEGES") == 0 ||
		    strcmp(one.data, "ALL") == 0))
			gr->all = 1;
		else if (one.len > 0)
			strlist_add(&gr->privs, one.data);
		while (p < end && *p != ',')
			p++;
		if (p < end)
			p++;
	}
	buf_free(&one);
}

/* ON target: *.*, `db`.*, `db`.`table`; routines and PROXY are not counted. */
static int
parse_target(const char *p, struct grant *gr)
{
	struct buf id;
	int rc = 1;

	if (strncmp(p, "FUNCTION ", 9) == 0 || strncmp(p, "PROCEDURE ", 10) == 0
	    || strncmp(p, "PACKAGE ", 8) == 0)
		return 1;
	if (strncmp(p, "*.* ", 4) == 0 || strcmp(p, "*.*") == 0) {
		gr->scope = SCOPE_GLOBAL;
		return 0;
	}
	buf_init(&id);
	if (read_ident(&p, &id) == -1 || *p++ != '.')
		goto out;
	gr->db = xstrdup(id.data);
	if (*p == '*') {
		gr->scope = SCOPE_DB;
		rc = 0;
	} else if (read_ident(&p, &id) == 0) {
		gr->scope = SCOPE_TABLE;
		gr->table = xstrdup(id.data);
		rc = 0;
	}
out:
	buf_free(&id);
	return rc;
}

int
grants_add_line(struct grants *g, const char *line)
{
	struct grant gr;
	const char *on, *to;

	if (strncmp(line, "GRANT ", 6) != 0)
		return 1;
	on = find_keyword(line + 5, "ON");
	to = find_keyword(line + 5, "TO");
	if (on == NULL || (to != NULL && to < on))
		return 1;	/* GRANT role TO user */
	memset(&gr, 0, sizeof gr);
	parse_privs(line + 6, on, &gr);
	if (parse_target(on + 4, &gr) != 0 ||
	    (!gr.all && gr.privs.n == 0)) {
		free(gr.db);
		free(gr.table);
		strlist_free(&gr.privs);
		return 1;
	}
	g->v = xreallocarray(g->v, g->n + 1, sizeof *g->v);
	g->v[g->n++] = gr;
	return 0;
}

int
grants_read(MYSQL *c, struct grants *g, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	if ((r = db_query_store(c, "SHOW GRANTS", e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL)
		if (row[0] != NULL)
			grants_add_line(g, row[0]);
	mysql_free_result(r);
	return 0;
}

/* LIKE as database grants use it: % any run, _ one character, \ escapes. */
static int
like_match(const char *pat, const char *s)
{
	for (; *pat != '\0'; pat++) {
		if (*pat == '%') {
			for (;; s++) {
				if (like_match(pat + 1, s))
					return 1;
				if (*s == '\0')
					return 0;
			}
		}
		if (*s == '\0')
			return 0;
		if (*pat == '_') {
			s++;
			while (((unsigned char)*s & 0xc0) == 0x80)
				s++;
			continue;
		}
		if (*pat == '\\' && pat[1] != '\0')
			pat++;
		if (*pat != *s++)
			return 0;
	}
	return *s == '\0';
}

static int
grant_gives(const struct grant *gr, const char *priv)
{
	size_t i;

	if (gr->all)
		return 1;
	for (i = 0; i < gr->privs.n; i++)
		if (strcmp(gr->privs.v[i], priv) == 0)
			return 1;
	return 0;
}

int
grants_have(const struct grants *g, const char *priv, const char *db,
    const char *table)
{
	const struct grant *gr;
	size_t i;

	for (i = 0; i < g->n; i++) {
		gr = &g->v[i];
		if (!grant_gives(gr, priv))
			continue;
		if (gr->scope == SCOPE_GLOBAL)
			return 1;
		if (db == NULL)
			continue;
		if (gr->scope == SCOPE_DB && like_match(gr->db, db))
			return 1;
		if (gr->scope == SCOPE_TABLE && table != NULL &&
		    strcmp(gr->db, db) == 0 && strcmp(gr->table, table) == 0)
			return 1;
	}
	return 0;
}

/* A database name fit for a one-line message. */
static void
append_name(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_append_char(b, (unsigned char)*s < 0x20 ? '?' : *s);
}

/* Adds "PRIV" or "PRIV (on a, b)" for the databases of dbs that lack priv. */
static void
need_on_databases(const struct grants *g, const char *priv,
    const struct strlist *dbs, struct strlist *missing)
{
	struct buf b;
	size_t i, lacking = 0;

	if (dbs->n == 0) {
		if (!grants_have(g, priv, NULL, NULL))
			strlist_add(missing, priv);
		return;
	}
	buf_init(&b);
	for (i = 0; i < dbs->n; i++) {
		if (grants_have(g, priv, dbs->v[i], NULL))
			continue;
		if (lacking < PRIVS_MAX_NAMED) {
			buf_append_str(&b, lacking ? ", " : " (on ");
			append_name(&b, dbs->v[i]);
		} else if (lacking == PRIVS_MAX_NAMED)
			buf_append_str(&b, ", ...");
		lacking++;
	}
	if (lacking == dbs->n)
		strlist_add(missing, priv);
	else if (lacking > 0) {
		char *s = xasprintf("%s%s)", priv, buf_cstr(&b));

		strlist_add(missing, s);
		free(s);
	}
	buf_free(&b);
}

static int
version_at_least(const struct db_server *s, unsigned ma, unsigned mi,
    unsigned pa)
{
	if (s->major != ma)
		return s->major > ma;
	if (s->minor != mi)
		return s->minor > mi;
	return s->patch >= pa;
}

/*
 * Routine bodies: SHOW CREATE FUNCTION returns NULL for a routine the
 * account did not define unless it may read mysql.proc (MariaDB before
 * 11.3) or holds SHOW CREATE ROUTINE (11.3) / SHOW_ROUTINE (MySQL 8).
 */
static int
can_read_routines(const struct grants *g, const struct db_server *srv)
{
	if (grants_have(g, "SELECT", "mysql", "proc"))
		return 1;
	if (srv->is_mariadb)
		return grants_have(g, "SHOW CREATE ROUTINE", NULL, NULL);
	return grants_have(g, "SHOW_ROUTINE", NULL, NULL);
}

static int
can_monitor_replica(const struct grants *g, const struct db_server *srv)
{
	static const char *const any[] = { "SLAVE MONITOR", "REPLICA MONITOR",
	    "SUPER", "REPLICATION CLIENT" };
	size_t i, n = sizeof any / sizeof any[0];

	/* MariaDB 10.5.9 moved SHOW SLAVE STATUS off REPLICATION CLIENT. */
	if (srv->is_mariadb && version_at_least(srv, 10, 5, 9))
		n--;
	for (i = 0; i < n; i++)
		if (grants_have(g, any[i], NULL, NULL))
			return 1;
	return 0;
}

/* What the snapshot methods of db/snapshot.h need beyond reading. */
static void
snapshot_notes(const struct grants *g, const struct db_server *srv,
    struct strlist *notes)
{
	int reload = grants_have(g, "RELOAD", NULL, NULL);

	if (srv->is_mariadb) {
		if (version_at_least(srv, 10, 4, 1) && !reload)
			strlist_add(notes, "without RELOAD (BACKUP STAGE) a "
			    "parallel snapshot falls back to a position check "
			    "or one connection");
		return;
	}
	if (!reload || !grants_have(g, "PROCESS", NULL, NULL))
		strlist_add(notes, "without RELOAD and PROCESS (FLUSH TABLES "
		    "WITH READ LOCK, never behind a running statement) a "
		    "parallel snapshot falls back to a position check or one "
		    "connection");
	if (!grants_have(g, "BACKUP_ADMIN", NULL, NULL))
		strlist_add(notes, "without BACKUP_ADMIN (LOCK INSTANCE FOR "
		    "BACKUP) DDL during a dump can make it fail");
}

void
privs_backup_missing(const struct grants *g, const struct host_cfg *h,
    const struct db_server *srv, const struct strlist *dbs,
    int all_databases, struct strlist *missing, struct strlist *notes)
{
	static const char *const per_db[] = { "SELECT", "SHOW VIEW",
	    "TRIGGER", "EVENT" };
	size_t i;

	if (all_databases && !grants_have(g, "SHOW DATABASES", NULL, NULL) &&
	    !grants_have(g, "SELECT", NULL, NULL))
		strlist_add(missing, "SHOW DATABASES");
	for (i = 0; i < sizeof per_db / sizeof per_db[0]; i++)
		need_on_databases(g, per_db[i], dbs, missing);
	if (!can_read_routines(g, srv))
		strlist_add(missing, "SELECT on mysql.proc");
	if (h->role != NULL && strcmp(h->role, "replica") == 0 &&
	    !can_monitor_replica(g, srv))
		strlist_add(missing, srv->is_mariadb &&
		    version_at_least(srv, 10, 5, 9) ? "SLAVE MONITOR" :
		    "REPLICATION CLIENT");
	snapshot_notes(g, srv, notes);
}
