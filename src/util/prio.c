/* A background job's CPU priority ([backup] nice): see prio.h. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "util/log.h"
#include "util/prio.h"

void
prio_background(long long nice)
{
	int now;

	if (nice <= 0)
		return;
	errno = 0;
	now = getpriority(PRIO_PROCESS, 0);
	if (now == -1 && errno != 0) {
		log_warn("cannot read the process's priority (%s): it runs "
		    "at the priority it was started with", strerror(errno));
		return;
	}
	if (now >= nice) {
		log_debug("running at nice %d (started so; [backup] nice = "
		    "%lld)", now, nice);
		return;
	}
	if (setpriority(PRIO_PROCESS, 0, (int)nice) == -1) {
		log_warn("cannot lower the process's priority to nice %lld "
		    "(%s): it runs at nice %d", nice, strerror(errno), now);
		return;
	}
	log_debug("running at nice %lld ([backup] nice)", nice);
}
