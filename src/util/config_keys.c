/*
 * The policy file's keys.  One table (config_keys) lists every key: its
 * sections, type, bounds and where it lands in struct config; inifile
 * stores the values and words the errors.  What is left here is what only
 * the policy has: [host NAME] sections, values that must be regular
 * expressions, the sse spelling, and the messages for unknown keys.
 */
#include "util/config_keys.h"

#include <ctype.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/xmalloc.h"

/* Debian's libinih holds 200 bytes, newline and NUL included. */
#define CONFIG_MAX_LINE 198

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

static const char *const section_names[] = {
	"global", "backup", "restore", "s3", "retention", "optimize", "host"
};

/* Which struct a key's offset is relative to. */
enum key_base { B_CONFIG, B_S3, B_HOST, B_RETENTION, B_OPTIMIZE };

static int set_regexes(struct inifile *ip, const struct inifile_key *k,
    void *field, const char *v);
static int set_sse(struct inifile *ip, const struct inifile_key *k,
    void *field, const char *v);

static const char *const log_levels[] = { "error", "warn", "info", "debug",
    NULL };
static const char *const tls_modes[] = { "preferred", "disabled", "required",
    "verify", "verify_ca", "verify_identity", NULL };	/* enum tls_mode's order */
static const char *const when_modes[] = { "never", "after-backup", NULL };
static const char *const roles[] = { "primary", "replica", NULL };

#define AT(b, st, f) .base = b, .offset = offsetof(struct st, f), \
	.size = sizeof(((struct st *)0)->f)
#define K_CFG(n, s, t, f) { .name = n, .sections = s, .type = t, \
	AT(B_CONFIG, config, f) }
#define K_INT(n, s, f, lo, hi) { .name = n, .sections = s, .type = IK_INT, \
	AT(B_CONFIG, config, f), .min = lo, .max = hi }
#define K_RE(n, s, b, st, f) { .name = n, .sections = s, .type = IK_LIST, \
	AT(b, st, f), .set = set_regexes }
#define K_S3(n, t, f) { .name = n, .sections = S_S3, .type = t, \
	AT(B_S3, s3_cfg, f) }
#define K_S3INT(n, f, lo, hi) { .name = n, .sections = S_S3, .type = IK_INT, \
	AT(B_S3, s3_cfg, f), .min = lo, .max = hi }
#define K_HOST(n, t, f) { .name = n, .sections = S_HOST, .type = t, \
	AT(B_HOST, host_cfg, f) }
#define K_RET(n, t, f) { .name = n, .sections = S_RETENTION | S_HOST, \
	.type = t, AT(B_RETENTION, retention_cfg, f), .min = 0, .max = 1000000 }
#define K_OPT(n, t, f) { .name = n, .sections = S_OPTIMIZE | S_HOST, \
	.type = t, AT(B_OPTIMIZE, optimize_cfg, f) }

static const struct inifile_key config_keys[] = {
	K_CFG("repository", S_GLOBAL, IK_STR, repository),
	{ .name = "log_level", .sections = S_GLOBAL, .type = IK_ENUM,
	  AT(B_CONFIG, config, log_level), .choices = log_levels },
	K_CFG("log_file", S_GLOBAL, IK_STR, log_file),
	K_CFG("lock_file", S_GLOBAL, IK_STR, lock_file),
	K_CFG("metrics_file", S_GLOBAL, IK_STR, metrics_file),
	K_CFG("notify_url", S_GLOBAL, IK_STR, notify_url),
	K_CFG("on_failure", S_GLOBAL, IK_STR, on_failure),
	K_INT("parallel_hosts", S_GLOBAL, parallel_hosts, 1, 256),
	K_CFG("alert_age", S_GLOBAL, IK_DURATION, alert_age),

	K_RE("databases", S_BACKUP, B_CONFIG, config, databases),
	K_RE("exclude", S_BACKUP, B_CONFIG, config, exclude),
	K_INT("compression_level", S_BACKUP, compression_level, 0, 19),
	K_CFG("chunk_size", S_BACKUP, IK_SIZE, chunk_size),
	K_INT("threads", S_BACKUP, threads, 0, 64),
	{ .name = "backup_from", .sections = S_BACKUP, .type = IK_ENUM_STR,
	  AT(B_CONFIG, config, backup_from), .choices = roles,
	  .expect = "primary or replica" },
	K_CFG("max_replica_lag", S_BACKUP, IK_DURATION, max_replica_lag),
	K_CFG("lock_wait_timeout", S_BACKUP, IK_DURATION, lock_wait_timeout),

	K_INT("threads", S_RESTORE, restore_threads, 1, 64),
	K_CFG("analyze", S_RESTORE, IK_BOOL, restore_analyze),

	K_S3("endpoint", IK_STR, endpoint),
	K_S3("region", IK_STR, region),
	K_S3("bucket", IK_STR, bucket),
	K_S3("prefix", IK_STR, prefix),
	K_S3("path_style", IK_BOOL, path_style),
	K_S3("access_key_id", IK_STR, access_key_id),
	{ .name = "secret_access_key", .sections = S_S3, .type = IK_STR,
	  AT(B_S3, s3_cfg, secret_access_key), .flags = IK_SECRET },
	{ .name = "session_token", .sections = S_S3, .type = IK_STR,
	  AT(B_S3, s3_cfg, session_token), .flags = IK_SECRET },
	K_S3("credentials_file", IK_STR, credentials_file),
	K_S3("storage_class", IK_STR, storage_class),
	{ .name = "sse", .sections = S_S3, .type = IK_CUSTOM,
	  AT(B_S3, s3_cfg, sse), .set = set_sse },
	K_S3("sse_kms_key_id", IK_STR, sse_kms_key_id),
	K_S3("part_size", IK_SIZE, part_size),
	K_S3INT("max_parts", max_parts, 1, 10000),
	K_S3INT("parallel_uploads", parallel_uploads, 1, 64),
	K_S3("request_timeout", IK_DURATION, request_timeout),
	K_S3("ca_file", IK_STR, ca_file),
	K_S3("verify_tls", IK_BOOL, verify_tls),
	K_S3INT("retries", retries, 0, 100),
	K_S3("payload_sha256", IK_BOOL, payload_sha256),

	K_RET("keep_last", IK_INT, keep_last),
	K_RET("keep_daily", IK_INT, keep_daily),
	K_RET("keep_weekly", IK_INT, keep_weekly),
	K_RET("keep_monthly", IK_INT, keep_monthly),
	K_RET("keep_yearly", IK_INT, keep_yearly),
	K_RET("max_age", IK_DURATION, max_age),
	K_RET("incomplete_grace", IK_DURATION, incomplete_grace),

	K_RE("databases", S_OPTIMIZE, B_OPTIMIZE, optimize_cfg, databases),
	K_OPT("min_free_ratio", IK_RATIO, min_free_ratio),
	K_OPT("min_free_bytes", IK_SIZE, min_free_bytes),
	K_OPT("max_table_size", IK_SIZE, max_table_size),
	K_OPT("max_duration", IK_DURATION, max_duration),
	K_OPT("binlog", IK_BOOL, binlog),
	{ .name = "when", .sections = S_OPTIMIZE | S_HOST, .type = IK_ENUM,
	  AT(B_OPTIMIZE, optimize_cfg, when), .choices = when_modes,
	  .expect = "after-backup or never" },
	{ .name = "threads_per_host", .sections = S_OPTIMIZE | S_HOST,
	  .type = IK_INT, AT(B_OPTIMIZE, optimize_cfg, threads_per_host),
	  .min = 1, .max = 64 },

	K_HOST("host", IK_STR, host),
	{ .name = "port", .sections = S_HOST, .type = IK_INT,
	  AT(B_HOST, host_cfg, port), .min = 1, .max = 65535,
	  .expect = "a port number" },
	K_HOST("socket", IK_STR, socket),
	K_HOST("user", IK_STR, user),
	{ .name = "password", .sections = S_HOST, .type = IK_STR,
	  AT(B_HOST, host_cfg, password), .flags = IK_SECRET },
	K_HOST("password_file", IK_STR, password_file),
	{ .name = "tls", .sections = S_HOST, .type = IK_ENUM,
	  AT(B_HOST, host_cfg, tls), .choices = tls_modes },
	K_HOST("tls_ca", IK_STR, tls_ca),
	K_HOST("tls_cert", IK_STR, tls_cert),
	K_HOST("tls_key", IK_STR, tls_key),
	{ .name = "role", .sections = S_HOST, .type = IK_ENUM_STR,
	  AT(B_HOST, host_cfg, role), .choices = roles,
	  .expect = "primary or replica" },
	K_HOST("source", IK_STR, source),
};

#define NKEYS (sizeof config_keys / sizeof config_keys[0])

/* Each word must compile as a POSIX extended regular expression. */
static int
set_regexes(struct inifile *ip, const struct inifile_key *k, void *field,
    const char *v)
{
	char *copy = xstrdup(v), *tok, *save = NULL, errbuf[256];
	regex_t re;
	int rc;

	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if ((rc = regcomp(&re, tok, REG_EXTENDED | REG_NOSUB)) != 0) {
			regerror(rc, &re, errbuf, sizeof errbuf);
			inifile_fail(ip, "%s: regular expression \"%s\" does "
			    "not compile: %s", k->name, tok, errbuf);
			free(copy);
			return 0;
		}
		regfree(&re);
		strlist_add(field, tok);
	}
	free(copy);
	return 1;
}

/* "none" is stored as "", what the S3 client takes for no header. */
static int
set_sse(struct inifile *ip, const struct inifile_key *k, void *field,
    const char *v)
{
	char **t = field;

	if (strcmp(v, "AES256") != 0 && strcmp(v, "aws:kms") != 0 &&
	    strcmp(v, "none") != 0)
		return inifile_fail(ip, "%s: \"%s\" is not AES256, aws:kms or "
		    "none", k->name, v);
	free(*t);
	*t = xstrdup(strcmp(v, "none") == 0 ? "" : v);
	return 1;
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

void
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
section_name(unsigned s)
{
	size_t i;

	for (i = 0; i < sizeof section_names / sizeof section_names[0]; i++)
		if (s & (1u << i))
			return section_names[i];
	return "";
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

static unsigned
host_section(struct config_parse *p, struct inifile *ip, const char *name)
{
	struct host_cfg *h;
	size_t i;

	if (!host_name_valid(name + 5)) {
		inifile_fail(ip, "[%s]: host name must be 1-64 characters of "
		    "[A-Za-z0-9_.-], not starting with '.'", name);
		return S_NONE;
	}
	for (i = 0; i < p->cfg->nhosts; i++) {
		if (strcmp(p->cfg->hosts[i].name, name + 5) == 0) {
			inifile_fail(ip, "duplicate section [%s]", name);
			return S_NONE;
		}
	}
	p->cfg->hosts = xreallocarray(p->cfg->hosts, p->cfg->nhosts + 1,
	    sizeof *p->cfg->hosts);
	h = &p->cfg->hosts[p->cfg->nhosts++];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name + 5);
	h->line = inifile_line(ip);
	retention_unset(&h->retention);
	optimize_unset(&h->optimize);
	p->host = h;
	return S_HOST;
}

static unsigned
config_section(void *ctx, struct inifile *ip, const char *name)
{
	struct config_parse *p = ctx;
	unsigned bit;

	p->host = NULL;
	p->section = S_NONE;
	for (bit = S_GLOBAL; bit < S_HOST; bit <<= 1) {
		if (strcmp(name, section_name(bit)) == 0) {
			if (bit == S_S3)
				p->cfg->have_s3 = 1;
			return p->section = bit;
		}
	}
	if (strncmp(name, "host ", 5) == 0)
		return p->section = host_section(p, ip, name);
	inifile_fail(ip, "unknown section [%s]", name);
	return S_NONE;
}

static void *
config_base(void *ctx, const struct inifile_key *k)
{
	struct config_parse *p = ctx;

	switch ((enum key_base)k->base) {
	case B_CONFIG:
		return p->cfg;
	case B_S3:
		return &p->cfg->s3;
	case B_HOST:
		return p->host;
	case B_RETENTION:
		return p->section == S_HOST ? &p->host->retention :
		    &p->cfg->retention;
	case B_OPTIMIZE:
		return p->section == S_HOST ? &p->host->optimize :
		    &p->cfg->optimize;
	}
	return NULL;
}

static int
config_unknown(void *ctx, struct inifile *ip, const char *name)
{
	struct config_parse *p = ctx;

	if (p->section == S_NONE)
		return inifile_fail(ip, "key %s outside of any section", name);
	if (p->section == S_HOST)
		return inifile_fail(ip, "unknown key \"%s\" in [host %s]", name,
		    p->host->name);
	return inifile_fail(ip, "unknown key \"%s\" in [%s]", name,
	    section_name(p->section));
}

const struct inifile_spec config_spec = {
	.kind = ERR_CONFIG,
	.max_line = CONFIG_MAX_LINE,
	.keys = config_keys,
	.nkeys = NKEYS,
	.msg_syntax = "syntax error (expected [section], key = value or a "
	    "comment)",
	.msg_long = "line longer than 198 characters (continue a long value "
	    "on indented lines)",
	.msg_bracket = "section header without ']'",
	.section = config_section,
	.base = config_base,
	.unknown = config_unknown,
};

const char *
config_key_doc(size_t i, const char **section)
{
	if (i >= NKEYS)
		return NULL;
	*section = section_name(config_keys[i].sections);
	return config_keys[i].name;
}
