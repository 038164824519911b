/*
 * Logging.  One process-wide sink set up once by main: stderr when on a
 * terminal or asked, syslog (LOG_DAEMON) under cron, the journal under a
 * systemd unit (stderr once, each line with its <N> priority prefix), or
 * a --log-file.  Callers never pass secrets; messages are single lines.
 */
#ifndef MYSHIP_LOG_H
#define MYSHIP_LOG_H

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/*
 * target: NULL = stderr, "syslog", "journal" or a file path.  Returns -1
 * if the file cannot be opened.
 */
int log_open(enum log_level level, const char *target);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
void log_close(void);
/*
 * True when stderr is the journal's stream of a systemd unit: JOURNAL_STREAM
 * ("DEV:INODE", set by systemd) names the very file stderr is.
 */
int log_stderr_is_journal(void);
/* Parses "error|warn|info|debug". Returns -1 on an unknown name. */
int log_level_parse(const char *s, enum log_level *out);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when progress lines may be drawn (stderr is a terminal, not quiet). */
int log_progress_enabled(void);
/* Overwrites the current progress line on stderr; "" clears it. */
void log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
