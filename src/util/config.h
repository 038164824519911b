/*
 * The policy: one INI file read with inifile into a struct config that is
 * built once and then passed down read-only.  Every key is in one table in
 * config_keys.c (section, name, type, bounds, default, help), the only
 * place defaults are written down in code; myship.ini(5) documents
 * them and config_doc_test holds the two together.  Errors name the file,
 * the line and the key.
 */
#ifndef MYSHIP_CONFIG_H
#define MYSHIP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "util/strutil.h"

/* verify is verify_identity: the CA and the server's name. */
enum tls_mode { TLS_PREFERRED = 0, TLS_DISABLED, TLS_REQUIRED, TLS_VERIFY,
    TLS_VERIFY_CA, TLS_VERIFY_IDENTITY };
enum optimize_when { OPTIMIZE_NEVER = 0, OPTIMIZE_AFTER_BACKUP };
enum verify_when { VERIFY_NEVER = 0, VERIFY_AFTER_BACKUP, VERIFY_WEEKLY };

struct retention_cfg {
	/* In [host NAME], -1 = not set until config_load inherits the value. */
	long long keep_last, keep_daily, keep_weekly, keep_monthly, keep_yearly;
	int64_t max_age;		/* seconds, 0 = no age rule */
	int64_t incomplete_grace;	/* seconds */
};

struct optimize_cfg {
	struct strlist databases;	/* regexes; empty = all user databases */
	double min_free_ratio;
	int64_t min_free_bytes;
	int64_t max_table_size;		/* 0 = no limit (scheduled runs only) */
	int64_t max_duration;		/* seconds, 0 = no window */
	int binlog;			/* 0 = NO_WRITE_TO_BINLOG */
	enum optimize_when when;
	long long threads_per_host;
};

struct host_cfg {
	char *name;			/* from [host NAME] */
	char *host;			/* NULL with socket */
	unsigned port;
	char *socket;
	char *user;
	char *password;			/* loaded secret; never logged */
	char *password_file;
	enum tls_mode tls;
	char *tls_ca, *tls_cert, *tls_key;
	char *role;			/* "primary" or "replica" */
	char *source;			/* for role = replica: the primary's host name */
	int line;			/* line of the section header */
	struct retention_cfg retention;
	struct optimize_cfg optimize;
};

/* [s3] object_lock_mode, in the choices' order (config_keys.c). */
enum s3_lock_mode { S3_LOCK_COMPLIANCE = 0, S3_LOCK_GOVERNANCE };

struct s3_cfg {
	char *endpoint;			/* URL; https:// assumed when no scheme */
	char *region;
	char *bucket;
	char *prefix;			/* as written; "" when unset */
	int path_style;			/* -1 unset: decided by endpoint, bucket */
	char *access_key_id;
	char *secret_access_key;	/* secret */
	char *session_token;		/* secret */
	char *credentials_file;
	char *storage_class;
	char *sse;			/* "", "AES256" or "aws:kms" */
	char *sse_kms_key_id;
	int64_t part_size;
	long long max_parts;
	long long parallel_uploads;
	int64_t request_timeout;	/* seconds */
	char *ca_file;
	int verify_tls;
	long long retries;
	int payload_sha256;		/* sign the part SHA-256 over https too */
	long long object_lock_days;	/* 0: no Object Lock headers */
	int object_lock_mode;		/* enum s3_lock_mode */
};

struct config {
	char *path;			/* the file it came from */
	/* [global] */
	char *repository;		/* directory path, or "s3" */
	int log_level;			/* enum log_level */
	char *log_file;
	char *lock_file;
	char *metrics_file;
	char *notify_url;
	char *on_failure;
	long long parallel_hosts;
	int64_t alert_age;		/* seconds */
	/* [backup] */
	struct strlist databases;	/* regexes, whole-name match; empty = all */
	struct strlist exclude;
	long long compression_level;	/* zstd level, 0 = no compression */
	int64_t chunk_size;		/* raw SQL bytes per member */
	int64_t max_rate;		/* bytes/s read from the server, 0: no limit */
	long long threads;		/* 0 = number of cores */
	long long nice;			/* of backup, run, verify; 0: as started */
	char *backup_from;		/* "primary" or "replica" */
	int on_error_fail;		/* [backup] on_error: 0 skip, 1 fail */
	int64_t max_replica_lag;	/* seconds */
	int64_t lock_wait_timeout;	/* seconds */
	char *encrypt_to;		/* recipients file, or NULL */
	int users;			/* accounts and grants member */
	struct strlist users_include;	/* regexes of user@host (or user) */
	struct strlist users_exclude;
	int backup_checksums;		/* CHECKSUM TABLE per table (drill) */
	/* [restore] */
	long long restore_threads;
	int restore_analyze;		/* ANALYZE TABLE after load */
	char *identity_file;		/* secret key file, or NULL */
	struct strlist swap_lock_users;	/* restore --swap; empty: default */
	int64_t swap_grace;		/* seconds */
	/* [verify] */
	int verify_when;		/* enum verify_when */
	/* [s3] */
	int have_s3;
	struct s3_cfg s3;
	/* [retention], [optimize]: defaults for every host */
	struct retention_cfg retention;
	struct optimize_cfg optimize;
	/* [host NAME] ... in file order */
	struct host_cfg *hosts;
	size_t nhosts;
};

/* Reads and validates path; on error *cfg is freed and e names file:line: key. */
int config_load(const char *path, struct config *cfg, struct err *e);
/* Same from a string, for tests and fuzzing ("name" stands for the file). */
int config_load_string(const char *text, const char *name, struct config *cfg,
    struct err *e);
void config_free(struct config *cfg);
const struct host_cfg *config_host(const struct config *cfg, const char *name);
/* True when the repository is S3. */
int config_repo_is_s3(const struct config *cfg);

/*
 * Reads a secret file (first line, without the newline).  Refuses a file
 * that is readable or writable by group or others, as ssh does.
 */
char *config_read_secret_file(const char *path, struct err *e);
/* Refuses a file readable by group/others; for files holding secrets. */
int config_check_private(const char *path, struct err *e);

#endif
