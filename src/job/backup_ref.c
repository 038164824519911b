/* Finding a host's backup by id or "latest", and reading its manifest. */
#include <stdlib.h>
#include <string.h>

#include "job/backup_ref.h"
#include "util/buf.h"
#include "util/xmalloc.h"

int
backup_ref_find(struct repo *r, const char *host, const char *id_arg,
    char **id, struct err *e)
{
	struct repo_entry *v = NULL, *hit = NULL;
	size_t n = 0, i;
	int latest = strcmp(id_arg, "latest") == 0, rc = -1;

	if (repo_list(r, host, &v, &n, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (latest ? v[i].complete : strcmp(v[i].id, id_arg) == 0)
			hit = &v[i];	/* sorted: the last match is newest */
	}
	if (hit == NULL) {
		err_set(e, ERR_NOT_FOUND, "no %s backup %s/%s in %s",
		    latest ? "complete" : "such", host, id_arg,
		    repo_describe(r));
		goto out;
	}
	if (!hit->complete) {
		err_set(e, ERR_CORRUPT, "backup %s/%s is incomplete (no "
		    "manifest)", host, hit->id);
		goto out;
	}
	*id = xstrdup(hit->id);
	rc = 0;
out:
	repo_entries_free(v, n);
	return rc;
}

int
backup_ref_manifest(struct repo *r, const char *host, const char *id,
    struct manifest *m, struct err *e)
{
	struct buf b;
	char *name;
	int rc;

	buf_init(&b);
	if (repo_get(r, host, id, REPO_MANIFEST, &b, e) == -1) {
		buf_free(&b);
		if (e->kind == ERR_NOT_FOUND)
			err_set(e, ERR_CORRUPT, "backup %s/%s is incomplete "
			    "(no manifest)", host, id);
		return -1;
	}
	name = xasprintf("%s/%s/%s", host, id, REPO_MANIFEST);
	rc = manifest_parse(b.data, b.len, name, m, e);
	if (rc == 0 && (strcmp(m->host, host) != 0 || strcmp(m->id, id) != 0))
		rc = err_set(e, ERR_CORRUPT, "%s: describes backup %s/%s",
		    name, m->host, m->id);
	free(name);
	buf_free(&b);
	return rc;
}
