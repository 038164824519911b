/*
 * The CPU priority of the jobs that run beside the application ([backup]
 * nice): backup, run and verify.  On a host that also serves the
 * application, the backup's own CPU (row formatting, zstd, hashing) takes
 * the cores the server's sessions need; at a higher nice value it gets
 * what they leave, and since the dump pulls rows only as fast as it
 * formats them, the server's work for the dump slows with it.  On an idle
 * host nothing changes.  Linux's I/O schedulers that weigh priorities
 * derive the I/O priority from the nice value too.
 *
 * Only ever lowers the priority: a job started under `nice -n 15` stays
 * at 15, and nice = 0 leaves the process as it was started.  Linux sets
 * the calling thread's value and threads started later inherit it: call
 * it before the command starts any thread.  A refusal is a warning, never
 * a failure: the backup matters more than its priority.
 */
#ifndef MYSHIP_PRIO_H
#define MYSHIP_PRIO_H

/* Raises the process's nice value to at least nice (0-19). */
void prio_background(long long nice);

#endif
