/*
 * The policy file: parsed through inifile with the key table in
 * config_keys.c over the defaults that table holds, then resolved (what
 * every host inherits from [retention] and [optimize]) and checked as a
 * whole (what no single key can say: a host needs user and host or socket,
 * a replica names its source).  Password files are read last.
 */
#include "util/config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/config_keys.h"
#include "util/inifile.h"
#include "util/xmalloc.h"

/*
 * Fills in what every host inherits from [retention] and [optimize]: the
 * keys a [host NAME] section did not set are -1 (config_keys.c).
 */
static void
config_resolve(struct config *cfg)
{
	struct retention_cfg *g = &cfg->retention;
	struct optimize_cfg *o = &cfg->optimize;
	size_t i;

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
	}
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

	if (config_defaults(cfg, e) == -1)
		return -1;
	cfg->path = xstrdup(name);
	memset(&p, 0, sizeof p);
	p.cfg = cfg;
	if ((rc = inifile_parse(&config_spec, &p, text, len, name, e)) == -1)
		return -1;
	config_resolve(cfg);
	if (config_validate(cfg, name, e) == -1)
		return -1;
	return rc;
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

int
config_load(const char *path, struct config *cfg, struct err *e)
{
	size_t len = 0;
	char *text;
	int rc;

	memset(cfg, 0, sizeof *cfg);
	if ((text = inifile_slurp(path, &len, ERR_CONFIG, e)) == NULL)
		return -1;
	rc = config_parse_text(text, len, path, cfg, e);
	explicit_bzero(text, len);
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
	free(cfg->encrypt_to);
	free(cfg->identity_file);
	free(cfg->metrics_file);
	free(cfg->notify_url);
	free(cfg->on_failure);
	strlist_free(&cfg->databases);
	strlist_free(&cfg->swap_lock_users);
	strlist_free(&cfg->exclude);
	strlist_free(&cfg->users_include);
	strlist_free(&cfg->users_exclude);
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
