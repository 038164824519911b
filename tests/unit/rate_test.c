/* [backup] max_rate's token bucket: waits that hold the rate, no more. */
#include <math.h>

#include "util/rate.h"
#include "tap.h"

static int
near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

/* Readers taking blocks as fast as allowed: bytes by time t <= rate x t + burst. */
static void
test_holds_rate(void)
{
	struct rate r;
	double t = 100, w;
	uint64_t taken = 0;
	int i, ok = 1;

	rate_init(&r, 1000000, t);
	for (i = 0; i < 1000; i++) {
		w = rate_take(&r, 65536, t);
		taken += 65536;
		t += w;		/* the reader sleeps, then reads again */
		if ((double)taken > 1000000 * (t - 100) + r.burst + 65536)
			ok = 0;
	}
	CHECK(ok);
	/* 65.5 MB at 1 MB/s: 65.5 s, less the one burst the bucket started without */
	CHECK(t - 100 >= 65.5 - 0.2);
	CHECK(t - 100 <= 65.6);
}

static void
test_decisions(void)
{
	struct rate r;

	rate_init(&r, 0, 0);
	CHECK(near(rate_take(&r, 1u << 30, 0), 0));	/* unlimited */

	rate_init(&r, 1000000, 10);
	CHECK(near(r.burst, 100000));
	/* Empty at the start: 500 kB wait half a second. */
	CHECK(near(rate_take(&r, 500000, 10), 0.5));
	/* Half a second later the debt is paid; 0.1 s more buys 100 kB. */
	CHECK(near(rate_take(&r, 100000, 10.6), 0));
	/* An idle minute fills the bucket to its burst only. */
	CHECK(near(rate_take(&r, 100000, 70.6), 0));
	CHECK(near(rate_take(&r, 100000, 70.6), 0.1));
	/* Time going back adds nothing. */
	CHECK(near(rate_take(&r, 0, 60), 0.1));

	rate_init(&r, 1000, 0);
	CHECK(near(r.burst, 65536));	/* small rates: a 64 KiB burst */
	CHECK(near(rate_take(&r, 2000, 0), 2));
}

int
main(void)
{
	test_decisions();
	test_holds_rate();
	return tap_done();
}
