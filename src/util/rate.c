#include "util/rate.h"

#define RATE_MIN_BURST	(64.0 * 1024)

void
rate_init(struct rate *r, uint64_t bytes_per_sec, double now)
{
	r->rate = (double)bytes_per_sec;
	r->burst = r->rate / 10;
	if (r->burst < RATE_MIN_BURST)
		r->burst = RATE_MIN_BURST;
	r->tokens = 0;
	r->last = now;
}

double
rate_take(struct rate *r, uint64_t n, double now)
{
	if (r->rate <= 0)
		return 0;
	/* A clock that went back (it should not: monotonic) adds nothing. */
	if (now > r->last) {
		r->tokens += (now - r->last) * r->rate;
		if (r->tokens > r->burst)
			r->tokens = r->burst;
		r->last = now;
	}
	r->tokens -= (double)n;
	return r->tokens >= 0 ? 0 : -r->tokens / r->rate;
}
