/*
 * A token bucket for [backup] max_rate: the pure decision of how long a
 * reader must pause so that the bytes taken by all readers together stay
 * within a rate.  No clock and no sleeping here: the caller passes the
 * monotonic time (util/clock.h) and sleeps for what rate_take returns
 * (db/dump_worker.c, under its own lock around the shared bucket).
 *
 * The bucket starts empty and holds at most a tenth of a second's bytes
 * (at least 64 KiB), so after any pause the bytes taken from time t0 to
 * t are at most rate x (t - t0) + that burst + the last take.
 */
#ifndef MYSHIP_RATE_H
#define MYSHIP_RATE_H

#include <stdint.h>

struct rate {
	double rate;		/* bytes per second; 0: unlimited */
	double burst;		/* most tokens the bucket holds */
	double tokens;		/* may go negative: a debt to wait out */
	double last;		/* time of the last refill */
};

/* bytes_per_sec 0 disables the limit; now is the start. */
void rate_init(struct rate *r, uint64_t bytes_per_sec, double now);
/*
 * Takes n bytes at time now: the seconds the caller must wait before it
 * reads more (0 when within the rate, always 0 when unlimited).
 */
double rate_take(struct rate *r, uint64_t n, double now);

#endif
