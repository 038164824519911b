/*
 * The policy file's keys.  One table (config_keys) lists every key: its
 * sections, type, bounds, where it lands in struct config, its default
 * and a line of help; inifile stores the values and the defaults alike
 * and words the errors.  What is left here is what only the policy has:
 * [host NAME] sections, values that must be regular expressions, the sse
 * spelling, and the messages for unknown keys.
 */
#include "util/config_keys.h"

#include <ctype.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	S_HOST = 1 << 6,
	S_VERIFY = 1 << 7
};

static const char *const section_names[] = {
	"global", "backup", "restore", "s3", "retention", "optimize", "host",
	"verify"
};

/* Which struct a key's offset is relative to. */
enum key_base { B_CONFIG, B_S3, B_HOST, B_RETENTION, B_OPTIMIZE };

static int set_regexes(struct inifile *ip, const struct inifile_key *k,
    void *field, const char *v);
static int set_sse(struct inifile *ip, const struct inifile_key *k,
    void *field, const char *v);

static const char *const log_levels[] = { "error", "warn", "info", "debug",
    NULL };	/* in enum log_level's order */
static const char *const tls_modes[] = { "preferred", "disabled", "required",
    "verify", "verify_ca", "verify_identity", NULL };	/* enum tls_mode's order */
static const char *const when_modes[] = { "never", "after-backup", NULL };
static const char *const roles[] = { "primary", "replica", NULL };
static const char *const on_errors[] = { "skip", "fail", NULL };
static const char *const verify_modes[] = { "never", "after-backup", "weekly",
    NULL };	/* enum verify_when's order */
static const char *const lock_modes[] = { "compliance", "governance", NULL };

/*
 * Each entry ends with its default, as the file would write it (NULL:
 * none, the field stays unset), and one line of help.  A default belongs
 * to the key's first section; [host NAME] inherits the rest from
 * [retention] and [optimize] (config.c).
 */
#define AT(b, st, f) .base = b, .offset = offsetof(struct st, f), \
	.size = sizeof(((struct st *)0)->f)
#define DH(d, h) .def = d, .help = h
#define K_CFG(n, s, t, f, d, h) { .name = n, .sections = s, .type = t, \
	AT(B_CONFIG, config, f), DH(d, h) }
#define K_INT(n, s, f, lo, hi, d, h) { .name = n, .sections = s, \
	.type = IK_INT, AT(B_CONFIG, config, f), .min = lo, .max = hi, \
	DH(d, h) }
#define K_RE(n, s, b, st, f, h) { .name = n, .sections = s, .type = IK_LIST, \
	AT(b, st, f), .set = set_regexes, DH(NULL, h) }
#define K_S3(n, t, f, d, h) { .name = n, .sections = S_S3, .type = t, \
	AT(B_S3, s3_cfg, f), DH(d, h) }
#define K_S3INT(n, f, lo, hi, d, h) { .name = n, .sections = S_S3, \
	.type = IK_INT, AT(B_S3, s3_cfg, f), .min = lo, .max = hi, DH(d, h) }
#define K_HOST(n, t, f, h) { .name = n, .sections = S_HOST, .type = t, \
	AT(B_HOST, host_cfg, f), DH(NULL, h) }
#define K_RET(n, t, f, d, h) { .name = n, .sections = S_RETENTION | S_HOST, \
	.type = t, AT(B_RETENTION, retention_cfg, f), .min = 0, \
	.max = 1000000, DH(d, h) }
#define K_OPT(n, t, f, d, h) { .name = n, .sections = S_OPTIMIZE | S_HOST, \
	.type = t, AT(B_OPTIMIZE, optimize_cfg, f), DH(d, h) }

static const struct inifile_key config_keys[] = {
	K_CFG("repository", S_GLOBAL, IK_STR, repository,
	    "/var/backups/myship", "an absolute directory, or s3"),
	{ .name = "log_level", .sections = S_GLOBAL, .type = IK_ENUM,
	  AT(B_CONFIG, config, log_level), .choices = log_levels,
	  DH("info", "error, warn, info or debug") },
	K_CFG("log_file", S_GLOBAL, IK_STR, log_file, NULL,
	    "the file the log is appended to (else stderr or syslog)"),
	K_CFG("lock_file", S_GLOBAL, IK_STR, lock_file,
	    "/run/lock/myship.lock", "one run, backup or prune at a time"),
	K_CFG("metrics_file", S_GLOBAL, IK_STR, metrics_file, NULL,
	    "Prometheus textfile written after every run"),
	K_CFG("notify_url", S_GLOBAL, IK_STR, notify_url, NULL,
	    "healthchecks-style pings: URL/start, URL, URL/fail"),
	K_CFG("on_failure", S_GLOBAL, IK_STR, on_failure, NULL,
	    "command run by /bin/sh -c when a run fails, summary on stdin"),
	K_INT("parallel_hosts", S_GLOBAL, parallel_hosts, 1, 256, "2",
	    "hosts worked on at once by run and optimize"),
	K_CFG("alert_age", S_GLOBAL, IK_DURATION, alert_age, "8d",
	    "status fails when a host's last complete backup is older"),

	K_RE("databases", S_BACKUP, B_CONFIG, config, databases,
	    "regular expressions of databases dumped (empty: all user ones)"),
	K_RE("exclude", S_BACKUP, B_CONFIG, config, exclude,
	    "regular expressions of databases never dumped"),
	K_INT("compression_level", S_BACKUP, compression_level, 0, 19, "1",
	    "zstd level 1-19; 0 stores members uncompressed"),
	K_CFG("chunk_size", S_BACKUP, IK_SIZE, chunk_size, "16M",
	    "raw SQL bytes per archive member"),
	K_CFG("max_rate", S_BACKUP, IK_SIZE, max_rate, "0",
	    "bytes per second read from the server, all dump threads together; 0: no limit"),
	K_INT("nice", S_BACKUP, nice, 0, 19, "10",
	    "CPU priority of backup, run and verify (nice value); 0: as started"),
	/* "0" stands for the number of cores, counted when a backup starts. */
	K_INT("threads", S_BACKUP, threads, 0, 64, "0",
	    "dump connections sharing one snapshot; 0: one per core"),
	{ .name = "backup_from", .sections = S_BACKUP, .type = IK_ENUM_STR,
	  AT(B_CONFIG, config, backup_from), .choices = roles,
	  .expect = "primary or replica",
	  DH("primary", "primary, or replica: back up each host from its "
	  "replica") },
	K_CFG("max_replica_lag", S_BACKUP, IK_DURATION, max_replica_lag, "5m",
	    "a replica lagging more is refused"),
	{ .name = "on_error", .sections = S_BACKUP, .type = IK_ENUM,
	  AT(B_CONFIG, config, on_error_fail), .choices = on_errors,
	  .expect = "skip or fail",
	  DH("skip", "skip: an object SHOW CREATE refuses is left out (exit "
	  "14); fail") },
	K_CFG("lock_wait_timeout", S_BACKUP, IK_DURATION, lock_wait_timeout,
	    "30s", "bound on every lock wait of a backup or optimize"),
	K_CFG("encrypt_to", S_BACKUP, IK_STR, encrypt_to, NULL,
	    "file of public keys every member is encrypted to (keygen)"),
	K_CFG("users", S_BACKUP, IK_BOOL, users, "no",
	    "yes: store accounts, roles and grants (restore --users)"),
	K_RE("users_include", S_BACKUP, B_CONFIG, config, users_include,
	    "regular expressions of user@host (or user) stored"),
	K_RE("users_exclude", S_BACKUP, B_CONFIG, config, users_exclude,
	    "regular expressions of user@host (or user) never stored"),
	K_CFG("checksums", S_BACKUP, IK_BOOL, backup_checksums, "no",
	    "record CHECKSUM TABLE of every table inside the snapshot"),

	K_INT("threads", S_RESTORE, restore_threads, 1, 64, "2",
	    "connections loading data in parallel"),
	K_CFG("analyze", S_RESTORE, IK_BOOL, restore_analyze, "no",
	    "ANALYZE TABLE every restored table after loading"),
	K_CFG("identity_file", S_RESTORE, IK_STR, identity_file, NULL,
	    "secret key that decrypts encrypted backups (keygen)"),
	K_CFG("swap_lock_users", S_RESTORE, IK_LIST, swap_lock_users, NULL,
	    "accounts restore --swap locks (empty: those with privileges on "
	    "the database)"),
	K_CFG("swap_grace", S_RESTORE, IK_DURATION, swap_grace, "30s",
	    "restore --swap waits this long for queries before killing them"),

	{ .name = "when", .sections = S_VERIFY, .type = IK_ENUM,
	  AT(B_CONFIG, config, verify_when), .choices = verify_modes,
	  .expect = "never, after-backup or weekly",
	  DH("never", "after-backup: run verifies each backup it made; "
	  "weekly: when none of the last 7 days is") },

	/* Unset: https://s3.REGION.amazonaws.com, from region. */
	K_S3("endpoint", IK_STR, endpoint, NULL,
	    "S3 endpoint URL (https:// when no scheme)"),
	K_S3("region", IK_STR, region, "us-east-1", "SigV4 signing region"),
	K_S3("bucket", IK_STR, bucket, NULL, "the bucket (required)"),
	/* The S3 client takes "" for no prefix. */
	K_S3("prefix", IK_STR, prefix, "",
	    "keys are PREFIX/HOST/ID/...; none by default"),
	/* Unset (-1, config_defaults): decided by endpoint and bucket. */
	K_S3("path_style", IK_BOOL, path_style, NULL,
	    "path-style URLs instead of virtual-host ones"),
	K_S3("access_key_id", IK_STR, access_key_id, NULL,
	    "access key (else credentials_file, then the environment)"),
	{ .name = "secret_access_key", .sections = S_S3, .type = IK_STR,
	  AT(B_S3, s3_cfg, secret_access_key), .flags = IK_SECRET,
	  DH(NULL, "secret key of access_key_id (file mode 0600)") },
	{ .name = "session_token", .sections = S_S3, .type = IK_STR,
	  AT(B_S3, s3_cfg, session_token), .flags = IK_SECRET,
	  DH(NULL, "STS session token (file mode 0600)") },
	K_S3("credentials_file", IK_STR, credentials_file, NULL,
	    "an AWS-style credentials file; its [default] is used"),
	K_S3("storage_class", IK_STR, storage_class, NULL,
	    "x-amz-storage-class of new objects"),
	/* Unset: no encryption header, as "none". */
	{ .name = "sse", .sections = S_S3, .type = IK_CUSTOM,
	  AT(B_S3, s3_cfg, sse), .set = set_sse,
	  DH(NULL, "server-side encryption: AES256, aws:kms or none") },
	K_S3("sse_kms_key_id", IK_STR, sse_kms_key_id, NULL,
	    "the KMS key with sse = aws:kms"),
	K_S3("part_size", IK_SIZE, part_size, "16M",
	    "first multipart part size, at least 5M"),
	K_S3INT("max_parts", max_parts, 1, 10000, "10000",
	    "parts per upload; sizes double to fit"),
	K_S3INT("parallel_uploads", parallel_uploads, 1, 64, "4",
	    "parts in flight at once"),
	K_S3("request_timeout", IK_DURATION, request_timeout, "5m",
	    "a request making no progress this long fails"),
	K_S3("ca_file", IK_STR, ca_file, NULL, "CA bundle for https"),
	K_S3("verify_tls", IK_BOOL, verify_tls, "yes",
	    "no: certificates are not checked (tests only)"),
	K_S3INT("retries", retries, 0, 100, "5",
	    "retries of a failed request, with backoff"),
	K_S3("payload_sha256", IK_BOOL, payload_sha256, "no",
	    "sign each part's SHA-256 over https too"),
	K_S3INT("object_lock_days", object_lock_days, 0, 36500, "0",
	    "Object Lock retention of new objects in days; 0: none"),
	{ .name = "object_lock_mode", .sections = S_S3, .type = IK_ENUM,
	  AT(B_S3, s3_cfg, object_lock_mode), .choices = lock_modes,
	  .expect = "compliance or governance",
	  DH("compliance", "compliance: nobody can delete before the date; "
	  "governance") },

	K_RET("keep_last", IK_INT, keep_last, "0",
	    "keep the newest N backups"),
	K_RET("keep_daily", IK_INT, keep_daily, "0",
	    "keep the newest backup of each of the last N days"),
	K_RET("keep_weekly", IK_INT, keep_weekly, "0",
	    "keep the newest backup of each of the last N ISO weeks"),
	K_RET("keep_monthly", IK_INT, keep_monthly, "0",
	    "keep the newest backup of each of the last N months"),
	K_RET("keep_yearly", IK_INT, keep_yearly, "0",
	    "keep the newest backup of each of the last N years"),
	K_RET("max_age", IK_DURATION, max_age, "0",
	    "keep every backup younger than this; 0: off"),
	K_RET("incomplete_grace", IK_DURATION, incomplete_grace, "24h",
	    "incomplete backups younger than this are not touched"),

	K_RE("databases", S_OPTIMIZE, B_OPTIMIZE, optimize_cfg, databases,
	    "regular expressions of databases optimized (empty: all user ones)"),
	K_OPT("min_free_ratio", IK_RATIO, min_free_ratio, "10%",
	    "skip a table with a smaller share of free space"),
	K_OPT("min_free_bytes", IK_SIZE, min_free_bytes, "0",
	    "skip a table with less free space"),
	K_OPT("max_table_size", IK_SIZE, max_table_size, "0",
	    "in runs, skip larger tables; 0: no limit"),
	K_OPT("max_duration", IK_DURATION, max_duration, "0",
	    "no new table starts after this long; 0: no window"),
	K_OPT("binlog", IK_BOOL, binlog, "yes",
	    "no: NO_WRITE_TO_BINLOG, replicas do not repeat it"),
	{ .name = "when", .sections = S_OPTIMIZE | S_HOST, .type = IK_ENUM,
	  AT(B_OPTIMIZE, optimize_cfg, when), .choices = when_modes,
	  .expect = "after-backup or never",
	  DH("never", "after-backup: run optimizes each host after its "
	  "backup") },
	{ .name = "threads_per_host", .sections = S_OPTIMIZE | S_HOST,
	  .type = IK_INT, AT(B_OPTIMIZE, optimize_cfg, threads_per_host),
	  .min = 1, .max = 64, DH("2", "workers per host, each on its own "
	  "connection") },

	/* Unset: socket, which one of the two must be. */
	K_HOST("host", IK_STR, host, "the server's address"),
	{ .name = "port", .sections = S_HOST, .type = IK_INT,
	  AT(B_HOST, host_cfg, port), .min = 1, .max = 65535,
	  .expect = "a port number", DH("3306", "the server's TCP port") },
	K_HOST("socket", IK_STR, socket, "the server's Unix socket"),
	K_HOST("user", IK_STR, user, "the account backups use (required)"),
	{ .name = "password", .sections = S_HOST, .type = IK_STR,
	  AT(B_HOST, host_cfg, password), .flags = IK_SECRET,
	  DH(NULL, "the password inline (file mode 0600)") },
	K_HOST("password_file", IK_STR, password_file,
	    "a file holding only the password, mode 0600"),
	{ .name = "tls", .sections = S_HOST, .type = IK_ENUM,
	  AT(B_HOST, host_cfg, tls), .choices = tls_modes,
	  DH("preferred", "preferred, disabled, required, verify_ca or "
	  "verify_identity") },
	K_HOST("tls_ca", IK_STR, tls_ca, "CA certificate file"),
	K_HOST("tls_cert", IK_STR, tls_cert, "client certificate file"),
	K_HOST("tls_key", IK_STR, tls_key, "client key file"),
	{ .name = "role", .sections = S_HOST, .type = IK_ENUM_STR,
	  AT(B_HOST, host_cfg, role), .choices = roles,
	  .expect = "primary or replica",
	  DH("primary", "primary, or replica of source") },
	K_HOST("source", IK_STR, source, "a replica's primary: its section "
	    "name"),
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

int
config_defaults(struct config *cfg, struct err *e)
{
	struct config_parse p;
	unsigned bit;

	memset(cfg, 0, sizeof *cfg);
	cfg->s3.path_style = -1;	/* unset: endpoint and bucket decide */
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	/* p.section tells config_base which [retention] or [optimize]. */
	for (bit = S_GLOBAL; bit <= S_VERIFY; bit <<= 1) {
		if (bit == S_HOST)
			continue;	/* each [host NAME] gets them as it starts */
		p.section = bit;
		if (inifile_defaults(&config_spec, &p, bit, e) == -1)
			return -1;
	}
	return 0;
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
	struct err e;
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
	/* Unset, to inherit [retention] and [optimize] (config.c). */
	retention_unset(&h->retention);
	optimize_unset(&h->optimize);
	p->host = h;
	if (inifile_defaults(&config_spec, p, S_HOST, &e) == -1) {
		inifile_fail(ip, "%s", e.msg);
		return S_NONE;
	}
	return S_HOST;
}

static unsigned
config_section(void *ctx, struct inifile *ip, const char *name)
{
	struct config_parse *p = ctx;
	unsigned bit;

	p->host = NULL;
	p->section = S_NONE;
	for (bit = S_GLOBAL; bit <= S_VERIFY; bit <<= 1) {
		if (bit != S_HOST && strcmp(name, section_name(bit)) == 0) {
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

const struct inifile_key *
config_key_doc(size_t i, const char **section)
{
	if (i >= NKEYS)
		return NULL;
	*section = section_name(config_keys[i].sections);
	return &config_keys[i];
}
