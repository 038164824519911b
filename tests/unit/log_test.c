/*
 * The log sinks: which stderr is the journal's (JOURNAL_STREAM), and the
 * journal sink's lines (each once, with its sd-daemon priority prefix).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "tap.h"

/* Points stderr at a fresh file; returns its path (static storage). */
static const char *
stderr_to_file(void)
{
	static char path[] = "/tmp/log_test.XXXXXX";
	int fd;

	strcpy(path + strlen(path) - 6, "XXXXXX");
	if ((fd = mkstemp(path)) == -1 || dup2(fd, STDERR_FILENO) == -1)
		abort();
	close(fd);
	return path;
}

static void
set_stream_of(const char *path, long long ino_delta)
{
	struct stat st;
	char v[64];

	if (stat(path, &st) == -1)
		abort();
	snprintf(v, sizeof v, "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino + (unsigned long long)ino_delta);
	setenv("JOURNAL_STREAM", v, 1);
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		abort();
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_detect(const char *path)
{
	unsetenv("JOURNAL_STREAM");
	CHECK(!log_stderr_is_journal());
	set_stream_of(path, 0);
	CHECK(log_stderr_is_journal());
	set_stream_of(path, 1);		/* another file: not ours */
	CHECK(!log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "12:", 1);
	CHECK(!log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "x:y", 1);
	CHECK(!log_stderr_is_journal());
	set_stream_of(path, 0);
	{
		char v[80];
		snprintf(v, sizeof v, "%sjunk", getenv("JOURNAL_STREAM"));
		setenv("JOURNAL_STREAM", v, 1);
	}
	CHECK(!log_stderr_is_journal());
}

static void
test_journal_lines(const char *path)
{
	CHECK_INT(log_open(LOG_LVL_INFO, "journal"), 0);
	log_error("no server %s", "A");
	log_warn("skipped view v");
	log_info("backed up A");
	log_debug("not shown at info");
	CHECK(!log_progress_enabled());
	log_close();
	CHECK_STR(slurp(path), "<3>error: no server A\n"
	    "<4>warning: skipped view v\n"
	    "<6>info: backed up A\n");
}

int
main(void)
{
	const char *path = stderr_to_file();

	test_detect(path);
	test_journal_lines(path);
	unlink(path);
	return tap_done();
}
