#include "util/signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t signals_caught;

static void
signals_handler(int sig)
{
	signals_caught = sig;
}

void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signals_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
signals_interrupted(void)
{
	return signals_caught;
}
