/* Policy parsing: every error names file, line and key; secrets survive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util/config.h"

static int
load(const char *text, struct config *cfg, struct err *e)
{
	err_clear(e);
	return config_load_string(text, "t.ini", cfg, e);
}

static void
test_good(void)
{
	struct config cfg;
	struct err e;

	CHECK_INT(load("[global]\nrepository = /srv/b\n"
	    "[backup]\ndatabases = shop.* crm\nchunk_size = 8M\n"
	    "compression_level = 5\n"
	    "[retention]\nkeep_daily = 7\nmax_age = 36h\n"
	    "[host db1]\nhost = 10.0.0.1\nport = 3307\nuser = backup\n"
	    "password = a;b#c\nkeep_daily = 3\n"
	    "[host db2]\nsocket = /run/mysqld/mysqld.sock\nuser = root\n",
	    &cfg, &e), 0);
	CHECK_STR(cfg.repository, "/srv/b");
	CHECK_INT(cfg.databases.n, 2);
	CHECK_STR(cfg.databases.v[1], "crm");
	CHECK_INT(cfg.chunk_size, 8 << 20);
	CHECK_INT(cfg.compression_level, 5);
	CHECK_INT(cfg.nhosts, 2);
	CHECK_STR(cfg.hosts[0].password, "a;b#c");
	CHECK_INT(cfg.hosts[0].port, 3307);
	CHECK_INT(cfg.hosts[0].retention.keep_daily, 3);
	CHECK_INT(cfg.hosts[1].retention.keep_daily, 7);
	CHECK_INT(cfg.hosts[1].retention.max_age, 36 * 3600);
	CHECK_INT(cfg.hosts[1].port, 3306);
	CHECK_INT(cfg.retention.incomplete_grace, 86400);
	CHECK_INT(cfg.hosts[1].optimize.threads_per_host, 2);
	CHECK(cfg.hosts[1].optimize.min_free_ratio > 0.09 &&
	    cfg.hosts[1].optimize.min_free_ratio < 0.11);
	CHECK(config_host(&cfg, "db2") == &cfg.hosts[1]);
	CHECK(config_host(&cfg, "db3") == NULL);
	config_free(&cfg);
}

static void
test_long_value(void)
{
	char text[4096], longv[600];
	struct config cfg;
	struct err e;

	memset(longv, 'x', 150);
	longv[150] = '\0';
	/* Too long on one line: a clear error naming the line. */
	snprintf(text, sizeof text, "[global]\nrepository = /%s%s\n", longv,
	    longv);
	CHECK_INT(load(text, &cfg, &e), -1);
	CHECK(strstr(e.msg, "t.ini:2: line longer") != NULL);
	/* The same value continued on an indented line is accepted. */
	snprintf(text, sizeof text, "[global]\nrepository = /%s\n  %s\n", longv,
	    longv);
	CHECK_INT(load(text, &cfg, &e), 0);
	CHECK_INT(strlen(cfg.repository), 301);
	config_free(&cfg);
}

static void
expect_error(const char *text, const char *want)
{
	struct config cfg;
	struct err e;

	CHECK_INT(load(text, &cfg, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
	if (!CHECK(strstr(e.msg, want) != NULL))
		printf("#   message: %s\n#   wanted: %s\n", e.msg, want);
}

static void
test_errors(void)
{
	expect_error("[global]\nrepositry = /x\n",
	    "t.ini:2: unknown key \"repositry\" in [global]");
	expect_error("[global]\n[bogus]\n", "t.ini:2: unknown section [bogus]");
	expect_error("[backup]\nchunk_size = 12Q\n",
	    "t.ini:2: chunk_size: \"12Q\" is not a size");
	expect_error("[retention]\nmax_age = 7x\n",
	    "t.ini:2: max_age: \"7x\" is not a duration");
	expect_error("[backup]\ndatabases = ok (unclosed\n",
	    "t.ini:2: databases: regular expression \"(unclosed\" does not compile");
	expect_error("[host a]\nuser = r\n", "t.ini:1: [host a]: one of host or socket");
	expect_error("[host a]\nhost = h\n", "[host a]: user is required");
	expect_error("[host a/b]\n", "t.ini:1: [host a/b]: host name");
	expect_error("[host a]\nhost=x\nuser=y\n[host a]\n",
	    "t.ini:4: duplicate section [host a]");
	expect_error("this is not ini\n", "t.ini:1: syntax error");
	expect_error("port = 3\n", "t.ini:1: key port outside of any section");
	expect_error("[global]\nrepository = s3\n", "needs an [s3] section");
	expect_error("[global]\nrepository = relative/dir\n",
	    "is neither an absolute directory path nor s3");
	expect_error("[host a]\nhost=x\nuser=y\nport = 70000\n",
	    "t.ini:4: port: \"70000\" is not a port number");
	expect_error("[host a]\nhost=x\nuser=y\nrole = replica\n",
	    "role = replica needs source");
}

static void
test_secret_file(void)
{
	char path[] = "/tmp/myship-secret-XXXXXX";
	struct err e;
	char *s;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, "p a;ss #x\nignored\n", 18) == 18);
	close(fd);
	chmod(path, 0600);
	s = config_read_secret_file(path, &e);
	CHECK_STR(s, "p a;ss #x");
	free(s);
	chmod(path, 0644);
	s = config_read_secret_file(path, &e);
	CHECK(s == NULL);
	CHECK(strstr(e.msg, "accessible by group or others") != NULL);
	/* The message names the file, never the content. */
	CHECK(strstr(e.msg, "a;ss") == NULL);
	unlink(path);
}

/* The shipped example must stay a valid policy. */
static void
test_example(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096], *text;
	struct config cfg;
	struct err e;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/etc/myship.ini", top ? top : ".");
	f = fopen(path, "r");
	if (!CHECK(f != NULL))
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	CHECK(fread(text, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	if (!CHECK(load(text, &cfg, &e) == 0))
		printf("#   %s\n", e.msg);
	else
		config_free(&cfg);
	free(text);
}

int
main(void)
{
	test_example();
	test_good();
	test_long_value();
	test_errors();
	test_secret_file();
	return tap_done();
}
