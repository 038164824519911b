/*
 * The repository as a local directory (repository = /path in [global]):
 * ROOT/HOST/ID/{backup.tar,manifest.ini}.  The archive is written as
 * backup.tar.partial and renamed when complete; the manifest through a
 * temporary file and a rename; everything is fsynced, directories too.
 * Directories are created 0700 and files 0600: backups hold all the data.
 */
#ifndef MYSHIP_REPO_LOCAL_H
#define MYSHIP_REPO_LOCAL_H

#include "repo/repo_impl.h"

#define LOCAL_PARTIAL_SUFFIX ".partial"
#define LOCAL_TMP_SUFFIX ".tmp"
#define LOCAL_WRITE_TEST ".myship-write-test."

/* Opens the directory at path (it need not exist yet). */
struct repo *repo_local_open_path(const char *path, struct err *e);

#endif
