/* The local backend: its table of operations, opening and closing. */
#include "repo/local_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xmalloc.h"

int
local_fsync_dir(const char *path, struct err *e)
{
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_setsys(e, ERR_REPO, "%s", path);
	if (fsync(fd) == -1)
		rc = err_setsys(e, ERR_REPO, "fsync %s", path);
	close(fd);
	return rc;
}

static void
local_close(struct repo *r)
{
	struct repo_local *l = (struct repo_local *)r;

	free(l->root);
	free(l->desc);
	free(l);
}

static const char *
local_describe(const struct repo *r)
{
	return ((const struct repo_local *)r)->desc;
}

static const struct repo_ops local_ops = {
	local_archive_create,
	local_archive_open,
	local_archive_range,
	local_put,
	local_get,
	local_list,
	local_remove,
	local_clean_stale,
	local_check_writable,
	local_close,
	local_describe,
	NULL,		/* no retention locks */
};

struct repo *
repo_local_open_path(const char *path, struct err *e)
{
	struct repo_local *l;
	size_t len;

	if (path == NULL || *path == '\0') {
		err_set(e, ERR_CONFIG, "repository: no directory given");
		return NULL;
	}
	l = xcalloc(1, sizeof *l);
	l->base.ops = &local_ops;
	l->root = xstrdup(path);
	/* "/srv/backup/" and "/srv/backup" are the same place. */
	for (len = strlen(l->root); len > 1 && l->root[len - 1] == '/'; len--)
		l->root[len - 1] = '\0';
	l->desc = xasprintf("local:%s", l->root);
	return &l->base;
}

static struct repo *
repo_local_open(const struct config *cfg, struct err *e)
{
	struct repo *r = repo_local_open_path(cfg->repository, e);

	if (r != NULL)
		r->cfg = cfg;
	return r;
}

/* A directory: any repository value no other kind claims. */
static int
local_wants(const struct config *cfg)
{
	(void)cfg;
	return 1;
}

const struct repo_backend repo_local_backend = {
	.name = "local",
	.wants = local_wants,
	.open = repo_local_open,
};
