/*
 * Monotonic time for durations, rates and deadlines: immune to the wall
 * clock being set while a backup runs.
 */
#ifndef MYSHIP_CLOCK_H
#define MYSHIP_CLOCK_H

/* Seconds since an arbitrary start, with sub-microsecond resolution. */
double clock_seconds(void);

#endif
