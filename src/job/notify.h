/*
 * Telling someone how a run went: healthchecks-style pings to [global]
 * notify_url (URL/start, URL, URL/fail with a short summary) over libcurl,
 * and the on_failure command run through /bin/sh -c with the summary on
 * its stdin.  Both are best effort with a time limit: a notification that
 * fails is logged as a warning and never makes a backup fail.
 */
#ifndef MYSHIP_JOB_NOTIFY_H
#define MYSHIP_JOB_NOTIFY_H

/* GET url+suffix, or POST body when body is not NULL.  url NULL: nothing. */
void notify_ping(const char *url, const char *suffix, const char *body);
/* Runs command (NULL: nothing), summary on stdin, secrets not in its env. */
void notify_command(const char *command, const char *summary);

#endif
