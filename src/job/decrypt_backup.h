/*
 * An encrypted backup as the plain archive the stock tools read (myship(8),
 * ARCHIVE FORMAT): the backup is verified as job/verify_backup.h does it,
 * with the identity, and every member that holds is written decrypted but
 * still compressed, under its name without ".enc", into a pax tar on out.
 * A member that is not encrypted is copied as it is.  A damaged member is
 * left out and named in the report (the caller's exit status is then 7).
 */
#ifndef MYSHIP_JOB_DECRYPT_BACKUP_H
#define MYSHIP_JOB_DECRYPT_BACKUP_H

#include "job/verify_backup.h"
#include "repo/repo.h"
#include "stream/crypt_keys.h"
#include "stream/io.h"
#include "util/err.h"

/*
 * Writes host's backup id_arg decrypted with ident into out (finished on
 * success, aborted otherwise); v as verify_backup fills it.
 */
int decrypt_backup(struct repo *r, const char *host, const char *id_arg,
    const struct crypt_identity *ident, struct sink *out,
    struct verify_report *v, struct err *e);

#endif
