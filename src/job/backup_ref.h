/*
 * One backup of a host in the repository, named as users name it: by its
 * id, or "latest" (the newest complete one), and its manifest read and
 * parsed.  Shared by every command that reads a backup back (restore,
 * verify), so they find, refuse and describe backups in the same words.
 */
#ifndef MYSHIP_JOB_BACKUP_REF_H
#define MYSHIP_JOB_BACKUP_REF_H

#include "policy/manifest.h"
#include "repo/repo.h"
#include "util/err.h"

/*
 * The id of host's backup id_arg (an id or "latest") in *id (free it).
 * ERR_NOT_FOUND when there is none, ERR_CORRUPT when it is incomplete (no
 * manifest).
 */
int backup_ref_find(struct repo *r, const char *host, const char *id_arg,
    char **id, struct err *e);
/*
 * Reads and parses the manifest of host/id into m (manifest_init'ed by the
 * caller, freed by it whatever the result).  ERR_CORRUPT when it is
 * missing, unreadable or describes another backup.
 */
int backup_ref_manifest(struct repo *r, const char *host, const char *id,
    struct manifest *m, struct err *e);

#endif
