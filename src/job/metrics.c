/* Prometheus textfile of the last run. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job/metrics.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define LAST_SUCCESS "myship_host_last_success_timestamp_seconds"
#define DRILL "myship_drill_"

/* The drill's families: name, help. */
static const char *const drills[][2] = {
	{ DRILL "last_timestamp_seconds", "End of the host's last drill." },
	{ DRILL "last_success", "1 when the host's last drill passed, else 0." },
	{ DRILL "last_restore_seconds",
	    "Restore time of the host's last drill (the measured RTO)." },
};

static void
label(struct buf *b, const char *metric, const char *host)
{
	buf_printf(b, "%s{host=\"", metric);
	for (; *host != '\0'; host++) {
		if (*host == '\\' || *host == '"')
			buf_append_char(b, '\\');
		if (*host == '\n')
			buf_append_str(b, "\\n");
		else
			buf_append_char(b, *host);
	}
	buf_append_str(b, "\"} ");
}

static void
help(struct buf *b, const char *metric, const char *text)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", metric, text, metric);
}

/*
 * The last success of host in the previous file, so a failure does not
 * wipe it; 0 when there is none.
 */
static double
previous_success(const char *old, const char *host)
{
	const char *p;
	char *key;
	double v = 0;

	if (old == NULL)
		return 0;
	key = xasprintf("\n" LAST_SUCCESS "{host=\"%s\"} ", host);
	if ((p = strstr(old, key)) != NULL)
		v = strtod(p + strlen(key), NULL);
	free(key);
	return v;
}

static char *
read_old(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	buf_init(&b);
	buf_append_char(&b, '\n');
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1 << 20)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_cstr(&b);
}

/*
 * The lines of old (each after a '\n') that are (keep 0) or are not (keep
 * 1) of the drill's families, but for host's samples when host is given.
 */
static void
carry(struct buf *b, const char *old, int keep, const char *host)
{
	const char *p, *nl;
	char *mine = NULL;
	int drill;

	if (host != NULL)
		mine = xasprintf("{host=\"%s\"} ", host);
	for (p = old; p != NULL && *p != '\0'; p = nl) {
		p++;
		if ((nl = strchr(p, '\n')) == NULL || nl == p)
			continue;
		drill = strncmp(p, DRILL, strlen(DRILL)) == 0 ||
		    strncmp(p, "# HELP " DRILL, 7 + strlen(DRILL)) == 0 ||
		    strncmp(p, "# TYPE " DRILL, 7 + strlen(DRILL)) == 0;
		if (drill == keep || (mine != NULL && (p[0] == '#' ||
		    strstr(p, mine) != NULL)))
			continue;
		buf_append(b, p, (size_t)(nl - p + 1));
	}
	free(mine);
}

static void
render(struct buf *b, const struct run_result *rr, const char *old)
{
	const struct host_result *h;
	size_t i;

	help(b, "myship_run_start_timestamp_seconds", "Start of the last run.");
	buf_printf(b, "myship_run_start_timestamp_seconds %.3f\n", rr->started);
	help(b, "myship_run_end_timestamp_seconds", "End of the last run.");
	buf_printf(b, "myship_run_end_timestamp_seconds %.3f\n", rr->finished);
	help(b, LAST_SUCCESS, "End of the last successful backup of a host.");
	for (i = 0; i < rr->nhosts; i++) {
		h = &rr->hosts[i];
		label(b, LAST_SUCCESS, h->host);
		buf_printf(b, "%.3f\n", h->ok ? h->finished :
		    previous_success(old, h->host));
	}
	help(b, "myship_host_last_run_duration_seconds",
	    "Duration of the host's work in the last run.");
	for (i = 0; i < rr->nhosts; i++) {
		h = &rr->hosts[i];
		label(b, "myship_host_last_run_duration_seconds", h->host);
		buf_printf(b, "%.3f\n", h->done ? h->finished - h->started : 0);
	}
	help(b, "myship_host_last_run_bytes", "Archive bytes of the last run.");
	for (i = 0; i < rr->nhosts; i++) {
		label(b, "myship_host_last_run_bytes", rr->hosts[i].host);
		buf_printf(b, "%llu\n", (unsigned long long)rr->hosts[i].bytes);
	}
	help(b, "myship_host_last_run_rows", "Rows dumped in the last run.");
	for (i = 0; i < rr->nhosts; i++) {
		label(b, "myship_host_last_run_rows", rr->hosts[i].host);
		buf_printf(b, "%llu\n", (unsigned long long)rr->hosts[i].rows);
	}
	help(b, "myship_host_last_run_skipped_objects",
	    "Objects the last run's backup skipped (> 0: partial).");
	for (i = 0; i < rr->nhosts; i++) {
		label(b, "myship_host_last_run_skipped_objects",
		    rr->hosts[i].host);
		buf_printf(b, "%zu\n", rr->hosts[i].skipped);
	}
	help(b, "myship_host_last_run_verified",
	    "1: the last run verified its backup whole, 0: damaged, "
	    "-1: not verified ([verify] when).");
	for (i = 0; i < rr->nhosts; i++) {
		label(b, "myship_host_last_run_verified", rr->hosts[i].host);
		buf_printf(b, "%d\n", rr->hosts[i].verified);
	}
	help(b, "myship_host_last_run_success",
	    "1 when the host's last run succeeded, else 0.");
	for (i = 0; i < rr->nhosts; i++) {
		label(b, "myship_host_last_run_success", rr->hosts[i].host);
		buf_printf(b, "%d\n", rr->hosts[i].ok);
	}
	carry(b, old, 0, NULL);
}

static void
render_drill(struct buf *b, const struct drill_metric *d, const char *old)
{
	struct buf fam;
	size_t i;

	carry(b, old, 1, NULL);
	for (i = 0; i < sizeof drills / sizeof drills[0]; i++) {
		help(b, drills[i][0], drills[i][1]);
		buf_init(&fam);
		carry(&fam, old, 0, d->host);
		/* this family's samples of the other hosts */
		for (const char *p = buf_cstr(&fam), *nl; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (strncmp(p, drills[i][0], strlen(drills[i][0])) == 0 &&
			    p[strlen(drills[i][0])] == '{')
				buf_append(b, p, (size_t)(nl - p + 1));
		}
		buf_free(&fam);
		label(b, drills[i][0], d->host);
		buf_printf(b, "%.3f\n", i == 0 ? d->finished : i == 1 ?
		    (double)d->ok : d->restore_secs);
	}
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
replace(const char *path, const struct buf b, struct err *e);

int
metrics_write(const char *path, const struct run_result *rr, struct err *e)
{
	char *old = read_old(path);
	struct buf b;
	int rc;

	buf_init(&b);
	render(&b, rr, old);
	rc = replace(path, b, e);
	free(old);
	buf_free(&b);
	return rc;
}

int
metrics_drill(const char *path, const struct drill_metric *d, struct err *e)
{
	char *old = read_old(path);
	struct buf b;
	int rc;

	buf_init(&b);
	render_drill(&b, d, old);
	rc = replace(path, b, e);
	free(old);
	buf_free(&b);
	return rc;
}

static int
replace(const char *path, const struct buf b, struct err *e)
{
	char *tmp;
	int fd, rc = -1;

	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd == -1) {
		err_setsys(e, ERR_FAILED, "metrics file %s", tmp);
		goto out;
	}
	/* The umask must not hide the file from node_exporter. */
	if (fchmod(fd, 0644) == -1 || write_all(fd, b.data, b.len) == -1 ||
	    fsync(fd) == -1) {
		err_setsys(e, ERR_FAILED, "metrics file %s", tmp);
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		err_setsys(e, ERR_FAILED, "metrics file %s", path);
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}
