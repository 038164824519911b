/*
 * What a drill (and a backup with [backup] checksums) asks of one table:
 * CHECKSUM TABLE, which scans every row (for InnoDB in the session's
 * snapshot when one is open), and COUNT(*).  One statement each on the
 * caller's session; names are quoted, so any bytes are safe.  ERR_DB with
 * the server's message.
 */
#ifndef MYSHIP_TABLESUM_H
#define MYSHIP_TABLESUM_H

#include <stdint.h>

#include <mysql.h>

#include "util/err.h"

/* CHECKSUM TABLE db.table: *out the decimal value, NULL when the server gives none. */
int tablesum_checksum(MYSQL *c, const char *db, const char *table, char **out,
    struct err *e);
/* SELECT COUNT(*) FROM db.table. */
int tablesum_count(MYSQL *c, const char *db, const char *table,
    uint64_t *out, struct err *e);

#endif
