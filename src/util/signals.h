/*
 * SIGINT/SIGTERM set a flag the long loops poll; nothing is done inside the
 * handler.  The flag is the only global that is not configuration or log.
 */
#ifndef MYSHIP_SIGNALS_H
#define MYSHIP_SIGNALS_H

void signals_install(void);
/* Non-zero once SIGINT or SIGTERM arrived; returns the signal number. */
int signals_interrupted(void);

#endif
