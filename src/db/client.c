/* db/client.h: what differs between libmariadb and libmysqlclient. */
#include <sys/socket.h>

#include "db/client.h"

/*
 * A connection dropped mid-result must be reset, not closed: the server's
 * thread is blocked sending rows into our full receive window, and after
 * a plain close (FIN) the window stays shut, so its SELECT goes on
 * "Sending to client", holding its tables, until the kernel forgets the
 * orphaned socket (a minute) or net_write_timeout.  A later FLUSH TABLES
 * WITH READ LOCK then waits behind it.  Linger 0 makes close() send RST:
 * the server's write fails at once and the session ends.
 */
static void
db_reset_on_close(int fd)
{
	struct linger lg;

	if (fd < 0)
		return;
	lg.l_onoff = 1;
	lg.l_linger = 0;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

#ifdef MYSHIP_LIBMYSQLCLIENT

void
db_tls(MYSQL *c, const struct host_cfg *h)
{
	unsigned int mode = SSL_MODE_PREFERRED;

	switch (h->tls) {
	case TLS_DISABLED: mode = SSL_MODE_DISABLED; break;
	case TLS_REQUIRED: mode = SSL_MODE_REQUIRED; break;
	case TLS_VERIFY_CA: mode = SSL_MODE_VERIFY_CA; break;
	case TLS_VERIFY:
	case TLS_VERIFY_IDENTITY: mode = SSL_MODE_VERIFY_IDENTITY; break;
	case TLS_PREFERRED: break;
	}
	mysql_options(c, MYSQL_OPT_SSL_MODE, &mode);
	if (h->tls == TLS_DISABLED)
		return;
	if (h->tls_ca != NULL)
		mysql_options(c, MYSQL_OPT_SSL_CA, h->tls_ca);
	if (h->tls_cert != NULL)
		mysql_options(c, MYSQL_OPT_SSL_CERT, h->tls_cert);
	if (h->tls_key != NULL)
		mysql_options(c, MYSQL_OPT_SSL_KEY, h->tls_key);
}

void
db_cancel(MYSQL *c)
{
	/* NET keeps the socket for exactly this kind of caller. */
	db_reset_on_close(c->net.fd);
	shutdown(c->net.fd, SHUT_RDWR);
}

#else

void
db_tls(MYSQL *c, const struct host_cfg *h)
{
	my_bool on = 1;

	if (h->tls == TLS_DISABLED)
		return;
	if (h->tls_ca != NULL || h->tls_cert != NULL || h->tls_key != NULL)
		mysql_ssl_set(c, h->tls_key, h->tls_cert, h->tls_ca, NULL,
		    NULL);
	if (h->tls != TLS_PREFERRED)
		mysql_optionsv(c, MYSQL_OPT_SSL_ENFORCE, &on);
	/*
	 * Connector/C has no check of the CA alone: its server certificate
	 * check includes the name, so verify_ca is verify_identity here.
	 */
	if (h->tls == TLS_VERIFY || h->tls == TLS_VERIFY_CA ||
	    h->tls == TLS_VERIFY_IDENTITY)
		mysql_optionsv(c, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
}

void
db_cancel(MYSQL *c)
{
	db_reset_on_close((int)mysql_get_socket(c));
	mariadb_cancel(c);
}

#endif
