/*
 * The order the post-data members of a backup's databases are written and
 * replayed in: a database after every other database whose views its own
 * views read, so a view reading a view of another database finds it, as
 * tables of every database exist before any post-data member runs.  Only
 * views count (a table read is already there); a cycle among databases
 * (a.v1 reads b.v2, b.v3 reads a.v4) keeps the given order for the edge
 * that closes it.  Pure: the views' definitions as information_schema
 * prints them (other databases' tables fully qualified).
 */
#ifndef MYSHIP_SCHEMA_ORDER_H
#define MYSHIP_SCHEMA_ORDER_H

#include <stddef.h>

#include "util/strutil.h"

struct schema_order_db {
	const char *name;
	const struct strlist *views;	/* its views' names */
	const struct strlist *defs;	/* and their definitions, as views */
};

/* Fills order (n entries) with the indexes of dbs in replay order. */
void schema_order_dbs(const struct schema_order_db *dbs, size_t n,
    size_t *order);

#endif
