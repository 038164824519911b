#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* The only mutable globals besides the signal flag: the log sink. */
static enum log_level log_level = LOG_LVL_INFO;
static FILE *log_file;
static int log_syslog;
static int log_journal;
static int log_progress_shown;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

int
log_open(enum log_level level, const char *target)
{
	log_level = level;
	if (target == NULL)
		return 0;
	if (strcmp(target, "syslog") == 0) {
		openlog("myship", LOG_PID, LOG_DAEMON);
		log_syslog = 1;
		return 0;
	}
	if (strcmp(target, "journal") == 0) {
		log_journal = 1;
		return 0;
	}
	log_file = fopen(target, "a");
	return log_file == NULL ? -1 : 0;
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	if (log_syslog)
		closelog();
	log_syslog = 0;
	log_journal = 0;
}

int
log_stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	int n = 0;

	if (v == NULL || sscanf(v, "%llu:%llu%n", &dev, &ino, &n) != 2 ||
	    v[n] != '\0' || fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

static void
log_emit(enum log_level level, const char *fmt, va_list ap)
{
	static const char *tags[] = { "error", "warning", "info", "debug" };
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char line[2048], stamp[32];
	struct tm tm;
	time_t now;

	if (level > log_level)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_journal) {
		/* sd-daemon(3) prefixes: the journal stores the priority. */
		fprintf(stderr, "<%d>%s: %s\n", prio[level], tags[level], line);
		fflush(stderr);
		pthread_mutex_unlock(&log_lock);
		return;
	}
	if (log_syslog || log_file != NULL) {
		/* Under cron stderr is mailed: keep problems visible there. */
		if (level <= LOG_LVL_WARN)
			fprintf(stderr, "myship: %s: %s\n", tags[level], line);
	}
	if (log_syslog) {
		syslog(prio[level], "%s: %s", tags[level], line);
	} else if (log_file != NULL) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(log_file, "%s myship[%ld] %s: %s\n", stamp,
		    (long)getpid(), tags[level], line);
		fflush(log_file);
	} else {
		if (log_progress_shown) {
			fputs("\r\033[K", stderr);
			log_progress_shown = 0;
		}
		fprintf(stderr, "myship: %s%s%s\n",
		    level == LOG_LVL_INFO ? "" : tags[level],
		    level == LOG_LVL_INFO ? "" : ": ", line);
	}
	pthread_mutex_unlock(&log_lock);
}

#define LOG_FN(name, level)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
	va_start(ap, fmt);				\
	log_emit(level, fmt, ap);			\
	va_end(ap);					\
}
LOG_FN(log_error, LOG_LVL_ERROR)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)

int
log_progress_enabled(void)
{
	return !log_syslog && !log_journal && log_file == NULL &&
	    log_level >= LOG_LVL_INFO &&
	    isatty(STDERR_FILENO);
}

void
log_progress(const char *fmt, ...)
{
	va_list ap;

	if (!log_progress_enabled())
		return;
	pthread_mutex_lock(&log_lock);
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	log_progress_shown = 1;
	pthread_mutex_unlock(&log_lock);
}
