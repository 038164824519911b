#include "db/conn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

/*
 * Timeouts bound how long a dead server or network can stall a run.  The
 * read timeout is long because a dump SELECT may legitimately take minutes
 * before its first row (a filesort on a big keyless table).
 */
#define DB_CONNECT_TIMEOUT	10
#define DB_READ_TIMEOUT		3600
#define DB_WRITE_TIMEOUT	600

static void
db_addr(const struct host_cfg *h, char *out, size_t len)
{
	if (h->socket != NULL && *h->socket != '\0')
		snprintf(out, len, "%s", h->socket);
	else
		snprintf(out, len, "%s:%u", h->host ? h->host : "127.0.0.1",
		    h->port ? h->port : 3306);
}

MYSQL *
db_connect(const struct host_cfg *h, struct err *e)
{
	MYSQL *c;
	unsigned int ct = DB_CONNECT_TIMEOUT, rt = DB_READ_TIMEOUT;
	unsigned int wt = DB_WRITE_TIMEOUT;
	const char *host = NULL, *sock = NULL;
	char addr[512];

	db_addr(h, addr, sizeof addr);
	if ((c = mysql_init(NULL)) == NULL) {
		err_set(e, ERR_INTERNAL, "host %s: mysql_init failed",
		    h->name);
		return NULL;
	}
	db_option(c, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	db_option(c, MYSQL_OPT_READ_TIMEOUT, &rt);
	db_option(c, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	db_option(c, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	db_tls(c, h);
	if (h->socket != NULL && *h->socket != '\0') {
		host = "localhost";
		sock = h->socket;
	} else
		host = h->host ? h->host : "127.0.0.1";
	if (mysql_real_connect(c, host, h->user, h->password, NULL,
	    sock ? 0 : (h->port ? h->port : 3306), sock, 0) == NULL) {
		err_set(e, ERR_CONNECT, "host %s (%s): %s", h->name, addr,
		    mysql_error(c));
		mysql_close(c);
		return NULL;
	}
	if (db_exec(c, "SET time_zone='+00:00'", e) == -1) {
		err_prefix(e, "host %s (%s)", h->name, addr);
		mysql_close(c);
		return NULL;
	}
	return c;
}

void
db_close(MYSQL *c)
{
	if (c != NULL)
		mysql_close(c);
}

static void
db_parse_version(struct db_server *s)
{
	const char *p = s->version;
	unsigned v[3] = { 0, 0, 0 };
	int i;

	for (i = 0; i < 3 && *p >= '0' && *p <= '9'; i++) {
		v[i] = (unsigned)strtoul(p, (char **)&p, 10);
		if (*p == '.')
			p++;
	}
	s->major = v[0];
	s->minor = v[1];
	s->patch = v[2];
	s->is_mariadb = strstr(s->version, "MariaDB") != NULL;
}

int
db_server_info(MYSQL *c, struct db_server *out, struct err *e)
{
	char *v = NULL;

	memset(out, 0, sizeof *out);
	if (db_query_value(c, "SELECT VERSION()", &v, e) == -1)
		return -1;
	out->version = v != NULL ? v : xstrdup("");
	db_parse_version(out);
	return 0;
}

void
db_server_free(struct db_server *s)
{
	free(s->version);
	s->version = NULL;
}

static int
db_drain(MYSQL *c, const char *sql, struct err *e)
{
	MYSQL_RES *r;
	int st;

	do {
		if ((r = mysql_store_result(c)) != NULL)
			mysql_free_result(r);
		else if (mysql_field_count(c) != 0)
			return err_set(e, ERR_DB, "%s: %s", sql,
			    mysql_error(c));
		if ((st = mysql_next_result(c)) > 0)
			return err_set(e, ERR_DB, "%s: %s", sql,
			    mysql_error(c));
	} while (st == 0);
	return 0;
}

int
db_exec(MYSQL *c, const char *sql, struct err *e)
{
	if (mysql_real_query(c, sql, strlen(sql)) != 0)
		return err_set(e, ERR_DB, "%s: %s", sql, mysql_error(c));
	return db_drain(c, sql, e);
}

int
db_execf(MYSQL *c, struct err *e, const char *fmt, ...)
{
	va_list ap, ap2;
	char *sql;
	int n, rc;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return err_set(e, ERR_INTERNAL, "bad statement format");
	}
	sql = xmalloc((size_t)n + 1);
	vsnprintf(sql, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	rc = db_exec(c, sql, e);
	free(sql);
	return rc;
}

int
db_query_value(MYSQL *c, const char *sql, char **out, struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	unsigned long *len;

	*out = NULL;
	if ((r = db_query_store(c, sql, e)) == NULL)
		return -1;
	if (mysql_num_fields(r) > 0 && (row = mysql_fetch_row(r)) != NULL &&
	    row[0] != NULL) {
		len = mysql_fetch_lengths(r);
		*out = xstrndup(row[0], len[0]);
	}
	mysql_free_result(r);
	return 0;
}

MYSQL_RES *
db_query_store(MYSQL *c, const char *sql, struct err *e)
{
	MYSQL_RES *r;

	if (mysql_real_query(c, sql, strlen(sql)) != 0) {
		err_set(e, ERR_DB, "%s: %s", sql, mysql_error(c));
		return NULL;
	}
	if ((r = mysql_store_result(c)) == NULL) {
		if (mysql_field_count(c) != 0)
			err_set(e, ERR_DB, "%s: %s", sql, mysql_error(c));
		else
			err_set(e, ERR_DB, "%s: statement returned no result",
			    sql);
		return NULL;
	}
	return r;
}

int
db_query_column(MYSQL *c, const char *sql, struct strlist *out,
    struct err *e)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	if ((r = db_query_store(c, sql, e)) == NULL)
		return -1;
	while ((row = mysql_fetch_row(r)) != NULL)
		if (row[0] != NULL)
			strlist_add(out, row[0]);
	mysql_free_result(r);
	return 0;
}
