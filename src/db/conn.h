/*
 * Connections to a [host] of the policy over the client library
 * (libmariadb or libmysqlclient, db/client.h).  Every session is set up
 * the same way: utf8mb4, UTC (time_zone '+00:00'), bounded timeouts; TLS
 * as the host section says.
 * Error messages name the host section and never carry the password.
 */
#ifndef MYSHIP_CONN_H
#define MYSHIP_CONN_H

#include "db/client.h"

#include "util/config.h"
#include "util/err.h"

struct db_server {
	char *version;		/* SELECT VERSION() */
	int is_mariadb;
	unsigned major, minor, patch;
};

/*
 * Connects; ERR_CONNECT on network or login failure ("host db1
 * (127.0.0.1:3306): Access denied for user ..."), never retried here.
 */
MYSQL *db_connect(const struct host_cfg *h, struct err *e);
void db_close(MYSQL *c);
int db_server_info(MYSQL *c, struct db_server *out, struct err *e);
void db_server_free(struct db_server *s);

/* Runs a statement and discards any result; ERR_DB with the server's message. */
int db_exec(MYSQL *c, const char *sql, struct err *e);
int db_execf(MYSQL *c, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* First column of the first row as a new string; *out = NULL when no row or NULL. */
int db_query_value(MYSQL *c, const char *sql, char **out, struct err *e);
/* Runs a query and stores the whole (small) result. */
MYSQL_RES *db_query_store(MYSQL *c, const char *sql, struct err *e);
/* The first column of every row of a query (NULLs left out), added to out. */
int db_query_column(MYSQL *c, const char *sql, struct strlist *out,
    struct err *e);

#endif
