/*
 * The policy file.  One table (config_keys) lists every key: its sections,
 * type, where it lands in struct config, and whether it is a secret.  inih
 * does the tokenising; our line reader counts lines (Debian's libinih does
 * not pass them to the handler), refuses lines longer than inih can hold
 * instead of letting it split them, and checks section headers, so that
 * even an empty unknown section is reported.
 */
#include "util/config.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Debian's libinih is built with INI_MAX_LINE 200, newline included. */
#define CONFIG_MAX_LINE 200

enum section {
	S_NONE = 0,
	S_GLOBAL = 1 << 0,
	S_BACKUP = 1 << 1,
	S_RESTORE = 1 << 2,
	S_S3 = 1 << 3,
	S_RETENTION = 1 << 4,
	S_OPTIMIZE = 1 << 5,
	S_HOST = 1 << 6
};

enum key_type {
	T_STR, T_INT, T_SIZE, T_DURATION, T_BOOL, T_RATIO, T_LIST, T_LOGLEVEL,
	T_TLS, T_WHEN, T_PORT, T_ROLE, T_BACKUP_FROM, T_SSE
};

/* Which struct the offset is relative to. */
enum key_base { B_CONFIG, B_S3, B_HOST, B_RETENTION, B_OPTIMIZE };

struct config_key {
	const char *name;
	unsigned sections;
	enum key_type type;
	enum key_base base;
	size_t offset;
	long long min, max;	/* T_INT */
	int secret;
};

#define K_CFG(n, s, t, f) { n, s, t, B_CONFIG, offsetof(struct config, f), 0, 0, 0 }
#define K_INT(n, s, f, lo, hi) { n, s, T_INT, B_CONFIG, offsetof(struct config, f), lo, hi, 0 }
#define K_S3(n, t, f, sec) { n, S_S3, t, B_S3, offsetof(struct s3_cfg, f), 0, 0, sec }
#define K_S3INT(n, f, lo, hi) { n, S_S3, T_INT, B_S3, offsetof(struct s3_cfg, f), lo, hi, 0 }
#define K_HOST(n, t, f, sec) { n, S_HOST, t, B_HOST, offsetof(struct host_cfg, f), 0, 0, sec }
#define K_RET(n, t, f) { n, S_RETENTION | S_HOST, t, B_RETENTION, offsetof(struct retention_cfg, f), 0, 1000000, 0 }
#define K_OPT(n, s, t, f, lo, hi) { n, s, t, B_OPTIMIZE, offsetof(struct optimize_cfg, f), lo, hi, 0 }

static const struct config_key config_keys[] = {
	K_CFG("repository", S_GLOBAL, T_STR, repository),
	K_CFG("log_level", S_GLOBAL, T_LOGLEVEL, log_level),
	K_CFG("log_file", S_GLOBAL, T_STR, log_file),
	K_CFG("lock_file", S_GLOBAL, T_STR, lock_file),
	K_CFG("metrics_file", S_GLOBAL, T_STR, metrics_file),
	K_CFG("notify_url", S_GLOBAL, T_STR, notify_url),
	K_CFG("on_failure", S_GLOBAL, T_STR, on_failure),
	K_INT("parallel_hosts", S_GLOBAL, parallel_hosts, 1, 256),
	K_CFG("alert_age", S_GLOBAL, T_DURATION, alert_age),

	K_CFG("databases", S_BACKUP, T_LIST, databases),
	K_CFG("exclude", S_BACKUP, T_LIST, exclude),
	K_INT("compression_level", S_BACKUP, compression_level, 0, 19),
	K_CFG("chunk_size", S_BACKUP, T_SIZE, chunk_size),
	K_INT("threads", S_BACKUP, threads, 0, 64),
	K_CFG("backup_from", S_BACKUP, T_BACKUP_FROM, backup_from),
	K_CFG("max_replica_lag", S_BACKUP, T_DURATION, max_replica_lag),
	K_CFG("lock_wait_timeout", S_BACKUP, T_DURATION, lock_wait_timeout),

	K_INT("threads", S_RESTORE, restore_threads, 1, 64),
	K_CFG("analyze", S_RESTORE, T_BOOL, restore_analyze),

	K_S3("endpoint", T_STR, endpoint, 0),
	K_S3("region", T_STR, region, 0),
	K_S3("bucket", T_STR, bucket, 0),
	K_S3("prefix", T_STR, prefix, 0),
	K_S3("path_style", T_BOOL, path_style, 0),
	K_S3("access_key_id", T_STR, access_key_id, 0),
	K_S3("secret_access_key", T_STR, secret_access_key, 1),
	K_S3("session_token", T_STR, session_token, 1),
	K_S3("credentials_file", T_STR, credentials_file, 0),
	K_S3("storage_class", T_STR, storage_class, 0),
	K_S3("sse", T_SSE, sse, 0),
	K_S3("sse_kms_key_id", T_STR, sse_kms_key_id, 0),
	K_S3("part_size", T_SIZE, part_size, 0),
	K_S3INT("max_parts", max_parts, 1, 10000),
	K_S3INT("parallel_uploads", parallel_uploads, 1, 64),
	K_S3("request_timeout", T_DURATION, request_timeout, 0),
	K_S3("ca_file", T_STR, ca_file, 0),
	K_S3("verify_tls", T_BOOL, verify_tls, 0),
	K_S3INT("retries", retries, 0, 100),
	K_S3("payload_sha256", T_BOOL, payload_sha256, 0),

	K_RET("keep_last", T_INT, keep_last),
	K_RET("keep_daily", T_INT, keep_daily),
	K_RET("keep_weekly", T_INT, keep_weekly),
	K_RET("keep_monthly", T_INT, keep_monthly),
	K_RET("keep_yearly", T_INT, keep_yearly),
	K_RET("max_age", T_DURATION, max_age),
	K_RET("incomplete_grace", T_DURATION, incomplete_grace),

	K_OPT("databases", S_OPTIMIZE, T_LIST, databases, 0, 0),
	K_OPT("min_free_ratio", S_OPTIMIZE | S_HOST, T_RATIO, min_free_ratio, 0, 0),
	K_OPT("min_free_bytes", S_OPTIMIZE | S_HOST, T_SIZE, min_free_bytes, 0, 0),
	K_OPT("max_table_size", S_OPTIMIZE | S_HOST, T_SIZE, max_table_size, 0, 0),
	K_OPT("max_duration", S_OPTIMIZE | S_HOST, T_DURATION, max_duration, 0, 0),
	K_OPT("binlog", S_OPTIMIZE | S_HOST, T_BOOL, binlog, 0, 0),
	K_OPT("when", S_OPTIMIZE | S_HOST, T_WHEN, when, 0, 0),
	K_OPT("threads_per_host", S_OPTIMIZE | S_HOST, T_INT, threads_per_host, 1, 64),

	K_HOST("host", T_STR, host, 0),
	K_HOST("port", T_PORT, port, 0),
	K_HOST("socket", T_STR, socket, 0),
	K_HOST("user", T_STR, user, 0),
	K_HOST("password", T_STR, password, 1),
	K_HOST("password_file", T_STR, password_file, 0),
	K_HOST("tls", T_TLS, tls, 0),
	K_HOST("tls_ca", T_STR, tls_ca, 0),
	K_HOST("tls_cert", T_STR, tls_cert, 0),
	K_HOST("tls_key", T_STR, tls_key, 0),
	K_HOST("role", T_ROLE, role, 0),
	K_HOST("source", T_STR, source, 0),
};

struct config_parse {
	struct config *cfg;
	const char *name;	/* file name for messages */
	const char *text;	/* reader cursor */
	const char *end;
	int line;
	int line_indented;	/* the current line is an inih continuation */
	enum section section;	/* of the current line */
	struct host_cfg *host;	/* when section == S_HOST */
	const char *last_key;	/* for continuation lines */
	int have_secret;
	struct err *e;
	int failed;
};

static int config_fail(struct config_parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
config_fail(struct config_parse *p, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	if (p->failed)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	err_set(p->e, ERR_CONFIG, "%s:%d: %s", p->name, p->line, msg);
	p->failed = 1;
	return 0;
}

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
retention_unset(struct retention_cfg *r)
{
	r->keep_last = r->keep_daily = r->keep_weekly = -1;
	r->keep_monthly = r->keep_yearly = -1;
	r->max_age = -1;
	r->incomplete_grace = -1;
}

static void
optimize_unset(struct optimize_cfg *o)
{
	memset(o, 0, sizeof *o);
	o->min_free_ratio = -1;
	o->min_free_bytes = -1;
	o->max_table_size = -1;
	o->max_duration = -1;
	o->binlog = -1;
	o->when = (enum optimize_when)-1;
	o->threads_per_host = -1;
}

static void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->log_level = LOG_LVL_INFO;
	cfg->parallel_hosts = 2;
	cfg->alert_age = 8 * 86400;
	cfg->compression_level = 1;
	cfg->chunk_size = 16 << 20;
	cfg->threads = 0;
	cfg->max_replica_lag = 300;
	cfg->lock_wait_timeout = 30;
	cfg->restore_threads = 2;
	cfg->s3.region = NULL;
	cfg->s3.part_size = 16 << 20;
	cfg->s3.max_parts = 10000;
	cfg->s3.parallel_uploads = 4;
	cfg->s3.request_timeout = 300;
	cfg->s3.verify_tls = 1;
	cfg->s3.path_style = -1;	/* decided by endpoint and bucket */
	cfg->s3.retries = 5;
	retention_unset(&cfg->retention);
	optimize_unset(&cfg->optimize);
}

static const char *
section_name(enum section s)
{
	switch (s) {
	case S_GLOBAL: return "global";
	case S_BACKUP: return "backup";
	case S_RESTORE: return "restore";
	case S_S3: return "s3";
	case S_RETENTION: return "retention";
	case S_OPTIMIZE: return "optimize";
	case S_HOST: return "host";
	default: return "";
	}
}

static int
host_name_valid(const char *n)
{
	const char *p;

	if (*n == '\0' || *n == '.' || strlen(n) > 64)
		return 0;
	for (p = n; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("_.-", *p) == NULL)
			return 0;
	return 1;
}

/* Called by the reader for every "[...]" line, before inih sees it. */
static int
config_section_line(struct config_parse *p, const char *line, size_t len)
{
	static const enum section plain[] = { S_GLOBAL, S_BACKUP, S_RESTORE,
	    S_S3, S_RETENTION, S_OPTIMIZE };
	char name[CONFIG_MAX_LINE];
	const char *close;
	struct host_cfg *h;
	size_t i;

	close = memchr(line, ']', len);
	if (close == NULL)
		return config_fail(p, "section header without ']'");
	memcpy(name, line + 1, (size_t)(close - line - 1));
	name[close - line - 1] = '\0';
	p->host = NULL;
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		if (strcmp(name, section_name(plain[i])) == 0) {
			p->section = plain[i];
			if (plain[i] == S_S3)
				p->cfg->have_s3 = 1;
			return 1;
		}
	}
	if (strncmp(name, "host ", 5) != 0) {
		p->section = S_NONE;
		return config_fail(p, "unknown section [%s]", name);
	}
	if (!host_name_valid(name + 5)) {
		p->section = S_NONE;
		return config_fail(p, "[%s]: host name must be 1-64 characters "
		    "of [A-Za-z0-9_.-], not starting with '.'", name);
	}
	for (i = 0; i < p->cfg->nhosts; i++)
		if (strcmp(p->cfg->hosts[i].name, name + 5) == 0)
			return config_fail(p, "duplicate section [%s]", name);
	p->cfg->hosts = xreallocarray(p->cfg->hosts, p->cfg->nhosts + 1,
	    sizeof *p->cfg->hosts);
	h = &p->cfg->hosts[p->cfg->nhosts++];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name + 5);
	h->line = p->line;
	retention_unset(&h->retention);
	optimize_unset(&h->optimize);
	p->section = S_HOST;
	p->host = h;
	return 1;
}

/* inih reader: one line per call, counted and length-checked. */
static char *
config_reader(char *str, int num, void *stream)
{
	struct config_parse *p = stream;
	const char *nl, *start;
	size_t len, take;

	if (p->text >= p->end)
		return NULL;
	start = p->text;
	nl = memchr(start, '\n', (size_t)(p->end - start));
	len = nl ? (size_t)(nl - start) + 1 : (size_t)(p->end - start);
	p->text += len;
	p->line++;
	take = len;
	if (take > 0 && start[take - 1] == '\n')
		take--;
	if (take > 0 && start[take - 1] == '\r')
		take--;
	if (take + 2 > (size_t)num || take + 2 > CONFIG_MAX_LINE) {
		config_fail(p, "line longer than %d characters (continue a long "
		    "value on indented lines)", CONFIG_MAX_LINE - 2);
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	if (memchr(start, '\0', take) != NULL) {
		config_fail(p, "NUL byte in line");
		take = 0;
	}
	memcpy(str, start, take);
	str[take] = '\n';
	str[take + 1] = '\0';
	p->line_indented = take > 0 && (start[0] == ' ' || start[0] == '\t');
	if (!p->line_indented) {
		const char *s = start;

		while (s < start + take && isspace((unsigned char)*s))
			s++;
		if (s < start + take && *s == '[')
			config_section_line(p, s, (size_t)(start + take - s));
	}
	return str;
}

static void *
key_target(struct config_parse *p, const struct config_key *k)
{
	char *base = NULL;

	switch (k->base) {
	case B_CONFIG: base = (char *)p->cfg; break;
	case B_S3: base = (char *)&p->cfg->s3; break;
	case B_HOST: base = (char *)p->host; break;
	case B_RETENTION:
		base = p->section == S_HOST ? (char *)&p->host->retention :
		    (char *)&p->cfg->retention;
		break;
	case B_OPTIMIZE:
		base = p->section == S_HOST ? (char *)&p->host->optimize :
		    (char *)&p->cfg->optimize;
		break;
	}
	return base + k->offset;
}

static int
config_set_list(struct config_parse *p, const char *key, struct strlist *l,
    const char *value)
{
	char *copy = xstrdup(value), *tok, *save = NULL, errbuf[256];
	regex_t re;
	int rc;

	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if ((rc = regcomp(&re, tok, REG_EXTENDED | REG_NOSUB)) != 0) {
			regerror(rc, &re, errbuf, sizeof errbuf);
			config_fail(p, "%s: regular expression \"%s\" does not "
			    "compile: %s", key, tok, errbuf);
			free(copy);
			return 0;
		}
		regfree(&re);
		strlist_add(l, tok);
	}
	free(copy);
	return 1;
}

static int
config_set(struct config_parse *p, const struct config_key *k, const char *v)
{
	void *t = key_target(p, k);
	long long n;
	int64_t sz;
	double r;
	int b;
	enum log_level lvl;

	switch (k->type) {
	case T_STR:
		free(*(char **)t);
		*(char **)t = xstrdup(v);
		return 1;
	case T_LIST:
		return config_set_list(p, k->name, t, v);
	case T_INT:
		if (parse_int(v, k->min, k->max, &n) == -1)
			return config_fail(p, "%s: \"%s\" is not an integer "
			    "from %lld to %lld", k->name, v, k->min, k->max);
		*(long long *)t = n;
		return 1;
	case T_PORT:
		if (parse_int(v, 1, 65535, &n) == -1)
			return config_fail(p, "%s: \"%s\" is not a port number",
			    k->name, v);
		*(unsigned *)t = (unsigned)n;
		return 1;
	case T_SIZE:
		if (parse_size(v, &sz) == -1)
			return config_fail(p, "%s: \"%s\" is not a size "
			    "(e.g. 512K, 64M, 1G)", k->name, v);
		*(int64_t *)t = sz;
		return 1;
	case T_DURATION:
		if (parse_duration(v, &sz) == -1)
			return config_fail(p, "%s: \"%s\" is not a duration "
			    "(e.g. 30s, 90m, 36h, 7d, 2w)", k->name, v);
		*(int64_t *)t = sz;
		return 1;
	case T_BOOL:
		if (parse_bool(v, &b) == -1)
			return config_fail(p, "%s: \"%s\" is not yes or no",
			    k->name, v);
		*(int *)t = b;
		return 1;
	case T_RATIO:
		if (parse_ratio(v, &r) == -1)
			return config_fail(p, "%s: \"%s\" is not a ratio "
			    "(e.g. 10%% or 0.1)", k->name, v);
		*(double *)t = r;
		return 1;
	case T_LOGLEVEL:
		if (log_level_parse(v, &lvl) == -1)
			return config_fail(p, "%s: \"%s\" is not one of error, "
			    "warn, info, debug", k->name, v);
		*(int *)t = (int)lvl;
		return 1;
	case T_TLS:
		if (strcmp(v, "preferred") == 0)
			*(enum tls_mode *)t = TLS_PREFERRED;
		else if (strcmp(v, "disabled") == 0)
			*(enum tls_mode *)t = TLS_DISABLED;
		else if (strcmp(v, "required") == 0)
			*(enum tls_mode *)t = TLS_REQUIRED;
		else if (strcmp(v, "verify") == 0)
			*(enum tls_mode *)t = TLS_VERIFY;
		else
			return config_fail(p, "%s: \"%s\" is not one of "
			    "preferred, disabled, required, verify", k->name, v);
		return 1;
	case T_WHEN:
		if (strcmp(v, "never") == 0)
			*(enum optimize_when *)t = OPTIMIZE_NEVER;
		else if (strcmp(v, "after-backup") == 0)
			*(enum optimize_when *)t = OPTIMIZE_AFTER_BACKUP;
		else
			return config_fail(p, "%s: \"%s\" is not after-backup "
			    "or never", k->name, v);
		return 1;
	case T_ROLE:
	case T_BACKUP_FROM:
		if (strcmp(v, "primary") != 0 && strcmp(v, "replica") != 0)
			return config_fail(p, "%s: \"%s\" is not primary or "
			    "replica", k->name, v);
		free(*(char **)t);
		*(char **)t = xstrdup(v);
		return 1;
	case T_SSE:
		if (strcmp(v, "AES256") != 0 && strcmp(v, "aws:kms") != 0 &&
		    strcmp(v, "none") != 0)
			return config_fail(p, "%s: \"%s\" is not AES256, "
			    "aws:kms or none", k->name, v);
		free(*(char **)t);
		*(char **)t = xstrdup(strcmp(v, "none") == 0 ? "" : v);
		return 1;
	}
	return config_fail(p, "%s: internal error", k->name);
}

static int
config_continue(struct config_parse *p, const struct config_key *k,
    const char *v)
{
	void *t = key_target(p, k);
	char *old;

	switch (k->type) {
	case T_STR:
		old = *(char **)t;
		*(char **)t = xasprintf("%s%s", old ? old : "", v);
		free(old);
		return 1;
	case T_LIST:
		return config_set_list(p, k->name, t, v);
	default:
		return config_fail(p, "%s: only text values and lists may "
		    "continue on an indented line", k->name);
	}
}

static int
config_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct config_parse *p = user;
	const struct config_key *k = NULL;
	size_t i;

	(void)section;
	if (p->failed)
		return 0;
	if (p->section == S_NONE)
		return config_fail(p, "key %s outside of any section", name);
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		if (strcmp(config_keys[i].name, name) == 0 &&
		    (config_keys[i].sections & p->section)) {
			k = &config_keys[i];
			break;
		}
	}
	if (k == NULL) {
		if (p->section == S_HOST)
			return config_fail(p, "unknown key \"%s\" in [host %s]",
			    name, p->host->name);
		return config_fail(p, "unknown key \"%s\" in [%s]", name,
		    section_name(p->section));
	}
	if (k->secret)
		p->have_secret = 1;
	if (p->line_indented && p->last_key != NULL &&
	    strcmp(p->last_key, name) == 0)
		return config_continue(p, k, value);
	p->last_key = k->name;
	return config_set(p, k, value);
}

/* Fills in what every host inherits from [retention] and [optimize]. */
static void
config_resolve(struct config *cfg)
{
	struct retention_cfg *g = &cfg->retention;
	struct optimize_cfg *o = &cfg->optimize;
	size_t i;

#define DEF(field, v) if (g->field < 0) g->field = (v)
	DEF(keep_last, 0); DEF(keep_daily, 0); DEF(keep_weekly, 0);
	DEF(keep_monthly, 0); DEF(keep_yearly, 0); DEF(max_age, 0);
	DEF(incomplete_grace, 86400);
#undef DEF
	if (o->min_free_ratio < 0) o->min_free_ratio = 0.10;
	if (o->min_free_bytes < 0) o->min_free_bytes = 0;
	if (o->max_table_size < 0) o->max_table_size = 0;
	if (o->max_duration < 0) o->max_duration = 0;
	if (o->binlog < 0) o->binlog = 1;
	if ((int)o->when < 0) o->when = OPTIMIZE_NEVER;
	if (o->threads_per_host < 0) o->threads_per_host = 2;
	for (i = 0; i < cfg->nhosts; i++) {
		struct retention_cfg *r = &cfg->hosts[i].retention;
		struct optimize_cfg *h = &cfg->hosts[i].optimize;

#define INH(field) if (r->field < 0) r->field = g->field
		INH(keep_last); INH(keep_daily); INH(keep_weekly);
		INH(keep_monthly); INH(keep_yearly); INH(max_age);
		INH(incomplete_grace);
#undef INH
#define INH(field) if (h->field < 0) h->field = o->field
		INH(min_free_ratio); INH(min_free_bytes); INH(max_table_size);
		INH(max_duration); INH(binlog); INH(threads_per_host);
#undef INH
		if ((int)h->when < 0)
			h->when = o->when;
		if (cfg->hosts[i].port == 0)
			cfg->hosts[i].port = 3306;
		if (cfg->hosts[i].role == NULL)
			cfg->hosts[i].role = xstrdup("primary");
	}
	if (cfg->repository == NULL)
		cfg->repository = xstrdup("/var/backups/myship");
	if (cfg->lock_file == NULL)
		cfg->lock_file = xstrdup("/run/lock/myship.lock");
	if (cfg->backup_from == NULL)
		cfg->backup_from = xstrdup("primary");
	if (cfg->s3.region == NULL)
		cfg->s3.region = xstrdup("us-east-1");
	if (cfg->s3.prefix == NULL)
		cfg->s3.prefix = xstrdup("");
}

static int
config_validate(struct config *cfg, const char *name, struct err *e)
{
	size_t i, j;

	if (config_repo_is_s3(cfg)) {
		if (!cfg->have_s3 || cfg->s3.bucket == NULL)
			return err_set(e, ERR_CONFIG, "%s: [global] repository "
			    "= s3 needs an [s3] section with bucket", name);
	} else if (cfg->repository[0] != '/') {
		return err_set(e, ERR_CONFIG, "%s: [global] repository: \"%s\" "
		    "is neither an absolute directory path nor s3", name,
		    cfg->repository);
	}
	if (cfg->s3.part_size != 0 && cfg->s3.part_size < (5 << 20))
		return err_set(e, ERR_CONFIG, "%s: [s3] part_size: at least "
		    "5M (the S3 minimum part size)", name);
	if (cfg->chunk_size < 4096)
		return err_set(e, ERR_CONFIG, "%s: [backup] chunk_size: at "
		    "least 4K", name);
	for (i = 0; i < cfg->nhosts; i++) {
		struct host_cfg *h = &cfg->hosts[i];

		if (h->host == NULL && h->socket == NULL)
			return err_set(e, ERR_CONFIG, "%s:%d: [host %s]: one of "
			    "host or socket is required", name, h->line, h->name);
		if (h->user == NULL)
			return err_set(e, ERR_CONFIG, "%s:%d: [host %s]: user is "
			    "required", name, h->line, h->name);
		if (h->password != NULL && h->password_file != NULL)
			return err_set(e, ERR_CONFIG, "%s:%d: [host %s]: "
			    "password and password_file are exclusive", name,
			    h->line, h->name);
		if (strcmp(h->role, "replica") == 0) {
			for (j = 0; j < cfg->nhosts; j++)
				if (h->source != NULL &&
				    strcmp(cfg->hosts[j].name, h->source) == 0)
					break;
			if (j == cfg->nhosts)
				return err_set(e, ERR_CONFIG, "%s:%d: [host %s]: "
				    "role = replica needs source = the name of "
				    "another [host] section", name, h->line,
				    h->name);
		}
	}
	return 0;
}

static int
config_load_passwords(struct config *cfg, struct err *e)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++) {
		struct host_cfg *h = &cfg->hosts[i];

		if (h->password_file == NULL)
			continue;
		h->password = config_read_secret_file(h->password_file, e);
		if (h->password == NULL)
			return err_prefix(e, "%s:%d: [host %s] password_file",
			    cfg->path, h->line, h->name);
	}
	return 0;
}

static int
config_parse_text(const char *text, size_t len, const char *name,
    struct config *cfg, struct err *e)
{
	struct config_parse p;
	int rc;

	config_defaults(cfg);
	cfg->path = xstrdup(name);
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	p.name = name;
	p.text = text;
	p.end = text + len;
	p.e = e;
	rc = ini_parse_stream(config_reader, &p, config_handler, &p);
	if (p.failed)
		return -1;
	if (rc > 0) {
		p.line = rc;
		config_fail(&p, "syntax error (expected [section], key = value "
		    "or a comment)");
		return -1;
	}
	if (rc < 0)
		return err_set(e, ERR_CONFIG, "%s: cannot parse (error %d)",
		    name, rc);
	config_resolve(cfg);
	if (config_validate(cfg, name, e) == -1)
		return -1;
	return p.have_secret ? 1 : 0;
}

int
config_load_string(const char *text, const char *name, struct config *cfg,
    struct err *e)
{
	if (config_parse_text(text, strlen(text), name, cfg, e) == -1) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

static char *
config_slurp(const char *path, size_t *len, struct err *e)
{
	struct buf b;
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_setsys(e, ERR_CONFIG, "%s", path);
		return NULL;
	}
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		buf_append(&b, chunk, (size_t)n);
		if (b.len > (1 << 20)) {
			close(fd);
			buf_free(&b);
			err_set(e, ERR_CONFIG, "%s: larger than 1 MiB", path);
			return NULL;
		}
	}
	close(fd);
	if (n < 0) {
		buf_free(&b);
		err_setsys(e, ERR_CONFIG, "%s", path);
		return NULL;
	}
	*len = b.len;
	return buf_cstr(&b);
}

int
config_load(const char *path, struct config *cfg, struct err *e)
{
	size_t len = 0;
	char *text;
	int rc;

	memset(cfg, 0, sizeof *cfg);
	if ((text = config_slurp(path, &len, e)) == NULL)
		return -1;
	rc = config_parse_text(text, len, path, cfg, e);
	free(text);
	if (rc == 1 && config_check_private(path, e) == -1)
		rc = -1;
	if (rc != -1 && config_load_passwords(cfg, e) == -1)
		rc = -1;
	if (rc == -1) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

int
config_check_private(const char *path, struct err *e)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return err_setsys(e, ERR_CONFIG, "%s", path);
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return err_set(e, ERR_CONFIG, "%s holds a secret and is "
		    "accessible by group or others (mode %04o); chmod 600 it",
		    path, (unsigned)(st.st_mode & 07777));
	return 0;
}

char *
config_read_secret_file(const char *path, struct err *e)
{
	char buf[4096];
	ssize_t n;
	size_t len;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_setsys(e, ERR_CONFIG, "%s", path);
		return NULL;
	}
	if (config_check_private(path, e) == -1) {
		close(fd);
		return NULL;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		err_setsys(e, ERR_CONFIG, "%s", path);
		return NULL;
	}
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	if (len == 0) {
		err_set(e, ERR_CONFIG, "%s: empty secret", path);
		return NULL;
	}
	return xstrdup(buf);
}

static void
secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
config_free(struct config *cfg)
{
	size_t i;

	free(cfg->path);
	free(cfg->repository);
	free(cfg->log_file);
	free(cfg->lock_file);
	free(cfg->metrics_file);
	free(cfg->notify_url);
	free(cfg->on_failure);
	strlist_free(&cfg->databases);
	strlist_free(&cfg->exclude);
	free(cfg->backup_from);
	free(cfg->s3.endpoint);
	free(cfg->s3.region);
	free(cfg->s3.bucket);
	free(cfg->s3.prefix);
	free(cfg->s3.access_key_id);
	secret_free(cfg->s3.secret_access_key);
	secret_free(cfg->s3.session_token);
	free(cfg->s3.credentials_file);
	free(cfg->s3.storage_class);
	free(cfg->s3.sse);
	free(cfg->s3.sse_kms_key_id);
	free(cfg->s3.ca_file);
	strlist_free(&cfg->optimize.databases);
	for (i = 0; i < cfg->nhosts; i++) {
		struct host_cfg *h = &cfg->hosts[i];

		free(h->name);
		free(h->host);
		free(h->socket);
		free(h->user);
		secret_free(h->password);
		free(h->password_file);
		free(h->tls_ca);
		free(h->tls_cert);
		free(h->tls_key);
		free(h->role);
		free(h->source);
		strlist_free(&h->optimize.databases);
	}
	free(cfg->hosts);
	memset(cfg, 0, sizeof *cfg);
}

const struct host_cfg *
config_host(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++)
		if (strcmp(cfg->hosts[i].name, name) == 0)
			return &cfg->hosts[i];
	return NULL;
}

int
config_repo_is_s3(const struct config *cfg)
{
	return cfg->repository != NULL && strcmp(cfg->repository, "s3") == 0;
}
