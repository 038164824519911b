/*
 * The client library, whichever it is: MariaDB Connector/C (libmariadb,
 * the default) or MySQL's libmysqlclient (./configure
 * --with-mysql-client=mysql, which defines MYSHIP_LIBMYSQLCLIENT).  Their
 * APIs differ in a few names only; db/ spells those through here and
 * includes this instead of <mysql.h>.
 *   db_option     mysql_optionsv (MariaDB) or mysql_options (MySQL), one
 *                 pointer argument
 *   db_tls        the [host] tls mode and files as the library takes them
 *   db_cancel     drops a connection mid-result without reading the rest
 *                 (the socket is shut down; mysql_close still frees it,
 *                 and resets it, so that the server ends the statement
 *                 at once)
 */
#ifndef MYSHIP_DB_CLIENT_H
#define MYSHIP_DB_CLIENT_H

#include <mysql.h>

#include "util/config.h"

#ifdef MYSHIP_LIBMYSQLCLIENT
#define db_option(c, opt, arg)	mysql_options((c), (opt), (arg))
#else
#define db_option(c, opt, arg)	mysql_optionsv((c), (opt), (arg))
#endif

void db_tls(MYSQL *c, const struct host_cfg *h);
void db_cancel(MYSQL *c);

#endif
