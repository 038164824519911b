/* Pings and the on_failure command. */
#include "config.h"

#include <sys/wait.h>

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "job/notify.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define NOTIFY_TIMEOUT		10	/* seconds per ping */
#define NOTIFY_TRIES		2
#define COMMAND_TIMEOUT		120	/* seconds for on_failure */

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* One request; 0 on a 2xx answer.  The URL is not logged: it is a key. */
static int
ping_once(const char *url, const char *body, char *why, size_t whylen)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	long code = 0;
	CURL *c;

	if ((c = curl_easy_init()) == NULL) {
		snprintf(why, whylen, "curl_easy_init failed");
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)NOTIFY_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)NOTIFY_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "myship/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, body);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		snprintf(why, whylen, "%s", errbuf[0] ? errbuf :
		    curl_easy_strerror(rc));
		return -1;
	}
	if (code < 200 || code > 299) {
		snprintf(why, whylen, "HTTP status %ld", code);
		return -1;
	}
	return 0;
}

void
notify_ping(const char *url, const char *suffix, const char *body)
{
	char why[CURL_ERROR_SIZE + 32];
	char *full;
	size_t len;
	int i;

	if (url == NULL || *url == '\0')
		return;
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	full = xasprintf("%.*s%s", (int)len, url, suffix);
	for (i = 0; i < NOTIFY_TRIES; i++) {
		if (ping_once(full, body, why, sizeof why) == 0)
			break;
		if (i + 1 == NOTIFY_TRIES)
			log_warn("notify_url ping%s failed: %s", suffix, why);
	}
	free(full);
}

static void
child(int in, int out, const char *command)
{
	static const char *const secrets[] = {
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN", "MYSQL_PWD",
		"MARIADB_PWD"
	};
	size_t i;

	/* Holding the write end would keep its own stdin from ever ending. */
	close(out);
	if (dup2(in, STDIN_FILENO) == -1)
		_exit(127);
	if (in != STDIN_FILENO)
		close(in);
	for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		unsetenv(secrets[i]);
	signal(SIGPIPE, SIG_DFL);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

/* Waits up to COMMAND_TIMEOUT, then kills the command's process group. */
static void
reap(pid_t pid)
{
	struct timespec tick = { 0, 50 * 1000 * 1000L };
	time_t deadline = time(NULL) + COMMAND_TIMEOUT;
	int status;
	pid_t w;

	while ((w = waitpid(pid, &status, WNOHANG)) == 0 ||
	    (w == -1 && errno == EINTR)) {
		if (time(NULL) >= deadline) {
			log_warn("on_failure command still running after %ds: "
			    "killed", COMMAND_TIMEOUT);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return;
		}
		nanosleep(&tick, NULL);
	}
	if (w == -1)
		log_warn("on_failure command: waitpid: %s", strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_warn("on_failure command exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warn("on_failure command killed by signal %d",
		    WTERMSIG(status));
}

void
notify_command(const char *command, const char *summary)
{
	size_t off = 0, len = strlen(summary);
	int p[2];
	pid_t pid;
	ssize_t n;

	if (command == NULL || *command == '\0')
		return;
	if (pipe(p) == -1) {
		log_warn("on_failure command: pipe: %s", strerror(errno));
		return;
	}
	if ((pid = fork()) == -1) {
		log_warn("on_failure command: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);
		child(p[0], p[1], command);
	}
	setpgid(pid, pid);
	close(p[0]);
	/* SIGPIPE is ignored: a command that does not read gives EPIPE. */
	while (off < len && ((n = write(p[1], summary + off, len - off)) > 0 ||
	    (n == -1 && errno == EINTR)))
		off += n > 0 ? (size_t)n : 0;
	close(p[1]);
	reap(pid);
}
