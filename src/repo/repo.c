#include "repo/repo_impl.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

int
repo_host_is_valid(const char *host)
{
	const char *p;

	if (host == NULL || *host == '\0' || *host == '.' ||
	    strlen(host) > 255)
		return 0;
	for (p = host; *p != '\0'; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-'))
			return 0;
	}
	return 1;
}

/* YYYYMMDDTHHMMSSZ, digits where digits belong. */
int
repo_id_is_valid(const char *id)
{
	static const char shape[] = "DDDDDDDDTDDDDDDZ";
	size_t i;

	if (id == NULL || strlen(id) != sizeof shape - 1)
		return 0;
	for (i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'D' ? (id[i] < '0' || id[i] > '9') :
		    id[i] != shape[i])
			return 0;
	}
	return 1;
}

int
repo_object_name_is_valid(const char *name)
{
	/* Small objects share the host rules: one safe path component. */
	return repo_host_is_valid(name);
}

static int
repo_check(const char *host, const char *id, struct err *e)
{
	if (!repo_host_is_valid(host))
		return err_set(e, ERR_INTERNAL, "invalid host name for "
		    "repository path");
	if (id != NULL && !repo_id_is_valid(id))
		return err_set(e, ERR_USAGE, "host %s: invalid backup id "
		    "(want YYYYMMDDTHHMMSSZ)", host);
	return 0;
}

/* The local directory takes whatever no other kind wants: it is last. */
static const struct repo_backend *const backends[] = {
	&repo_s3_backend,
	&repo_local_backend,
};

struct repo *
repo_open(const struct config *cfg, struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (backends[i]->wants(cfg))
			return backends[i]->open(cfg, e);
	err_set(e, ERR_INTERNAL, "repository: no backend for %s",
	    cfg->repository != NULL ? cfg->repository : "(none)");
	return NULL;
}

void
repo_close(struct repo *r)
{
	if (r != NULL)
		r->ops->close(r);
}

const char *
repo_describe(const struct repo *r)
{
	return r->ops->describe(r);
}

int
repo_is_s3(const struct repo *r)
{
	return strncmp(repo_describe(r), "s3://", 5) == 0;
}

int
repo_archive_create(struct repo *r, const char *host, const char *id,
    struct sink *out, struct err *e)
{
	if (repo_check(host, id, e) == -1)
		return -1;
	return r->ops->archive_create(r, host, id, out, e);
}

int
repo_archive_open(struct repo *r, const char *host, const char *id,
    struct source *in, struct err *e)
{
	if (repo_check(host, id, e) == -1)
		return -1;
	return r->ops->archive_open(r, host, id, in, e);
}

int
repo_archive_range(struct repo *r, const char *host, const char *id,
    uint64_t offset, uint64_t length, struct source *in, struct err *e)
{
	if (repo_check(host, id, e) == -1)
		return -1;
	if (length == 0 || offset > INT64_MAX - length)
		return err_set(e, ERR_INTERNAL, "archive range %llu+%llu",
		    (unsigned long long)offset, (unsigned long long)length);
	return r->ops->archive_range(r, host, id, offset, length, in, e);
}

int
repo_put(struct repo *r, const char *host, const char *id, const char *name,
    const void *data, size_t len, struct err *e)
{
	if (repo_check(host, id, e) == -1)
		return -1;
	if (!repo_object_name_is_valid(name))
		return err_set(e, ERR_INTERNAL, "invalid object name");
	return r->ops->put(r, host, id, name, data, len, e);
}

int
repo_get(struct repo *r, const char *host, const char *id, const char *name,
    struct buf *out, struct err *e)
{
	if (repo_check(host, id, e) == -1)
		return -1;
	if (!repo_object_name_is_valid(name))
		return err_set(e, ERR_INTERNAL, "invalid object name");
	return r->ops->get(r, host, id, name, out, e);
}

static int
repo_entry_cmp(const void *a, const void *b)
{
	const struct repo_entry *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	return c != 0 ? c : strcmp(x->id, y->id);
}

int
repo_list(struct repo *r, const char *host, struct repo_entry **out,
    size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	if (host != NULL && repo_check(host, NULL, e) == -1)
		return -1;
	if (r->ops->list(r, host, out, n, e) == -1)
		return -1;
	if (*n > 1)
		qsort(*out, *n, sizeof **out, repo_entry_cmp);
	return 0;
}

void
repo_entry_clear(struct repo_entry *ent)
{
	free(ent->host);
	free(ent->id);
	ent->host = ent->id = NULL;
}

void
repo_entries_free(struct repo_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		repo_entry_clear(&v[i]);
	free(v);
}

int
repo_remove(struct repo *r, const char *host, const char *id, struct err *e)
{
	if (repo_check(host, id, e) == -1)
		return -1;
	return r->ops->remove(r, host, id, e);
}

int
repo_lock_until(struct repo *r, const char *host, const char *id,
    time_t *until, struct err *e)
{
	*until = 0;
	if (repo_check(host, id, e) == -1)
		return -1;
	if (r->ops->lock_until == NULL)
		return 0;
	return r->ops->lock_until(r, host, id, until, e);
}

int
repo_clean_stale(struct repo *r, int64_t grace_seconds, time_t now,
    int dry_run, size_t *removed, struct err *e)
{
	*removed = 0;
	if (grace_seconds < 0)
		return err_set(e, ERR_INTERNAL, "negative grace period");
	return r->ops->clean_stale(r, grace_seconds, now, dry_run, removed, e);
}

int
repo_check_writable(struct repo *r, struct err *e)
{
	return r->ops->check_writable(r, e);
}
