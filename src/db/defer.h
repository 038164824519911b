/*
 * Secondary indexes built after the data.  A CREATE TABLE as SHOW CREATE
 * TABLE writes it is cut into its definitions; the plain and unique
 * secondary keys come out and become the list of an ALTER TABLE ... ADD
 * ..., ADD ... to run once the rows are in, so InnoDB builds each index
 * by one sort instead of inserting into it row by row.  The server orders
 * keys by kind (primary, unique, plain, fulltext) and then by position, so
 * keys cut out and added back last, in their order, give back the same
 * SHOW CREATE TABLE.  Whatever is not plainly safe is left alone: tables
 * with foreign keys, spatial, hash or unknown keys, system versioning, an
 * AUTO_INCREMENT column whose only key would go, unparsable text.
 */
#ifndef MYSHIP_DEFER_H
#define MYSHIP_DEFER_H

#include <stddef.h>

#include "util/buf.h"
#include "util/config.h"

struct defer_split {
	char *table;		/* the table's name as created */
	struct buf create;	/* the CREATE TABLE without the cut keys */
	struct buf adds;	/* "ADD KEY ..., ADD UNIQUE KEY ..." */
	int has_fk;		/* the table has FOREIGN KEY clauses */
	/*
	 * Its rows read the same from LOAD DATA as from INSERT: no BIT
	 * column (dumped as b'' or X'' literals), no system versioning.
	 */
	int plain_rows;
	/* the tables they reference; the database is "" when not named */
	struct strlist ref_dbs, ref_tables;
};

void defer_split_init(struct defer_split *d);
void defer_split_free(struct defer_split *d);
/*
 * Looks at one statement.  1: a CREATE TABLE whose keys were cut (every
 * field is set); 0: nothing to cut (table, has_fk, plain_rows and refs are
 * set when it is a CREATE TABLE that could be parsed, table is NULL
 * otherwise).
 * Unique keys stay when there is no primary key: InnoDB may cluster on one.
 */
int defer_split_create(const char *q, size_t n, struct defer_split *d);
/*
 * The name of the first key of adds ("ADD KEY `k` (...), ..."), unquoted,
 * as a new string; NULL when there is none.  restore --resume asks the
 * target for it: the keys of adds are added by one ALTER TABLE, so all or
 * none of them are there.
 */
char *defer_first_key(const char *adds);

#endif
