/*
 * A multi-row INSERT cut into INSERTs that each fit a server's
 * max_allowed_packet.  A backup's statements are
 * INSERT INTO `T` (`a`,...) VALUES\n(...),\n(...) of about 1 MiB plus one
 * row (db/dump_worker.c), mysqldump's INSERT INTO `T` VALUES (...),(...);
 * a target whose max_allowed_packet is smaller gets the same rows, in
 * order, as several INSERTs with the same head.  The rows are found by
 * reading the text as the server does (quotes, backslash escapes,
 * parentheses; backslash escapes unless the session's sql_mode has
 * NO_BACKSLASH_ESCAPES), never by searching for "),(".  Pure: no server,
 * no I/O.
 */
#ifndef MYSHIP_INSERT_CUT_H
#define MYSHIP_INSERT_CUT_H

#include <stddef.h>

#include "util/buf.h"

struct insert_cut {
	const char *q;		/* the statement, not owned */
	size_t n;
	size_t head;		/* length of "INSERT INTO ... VALUES " */
	size_t pos;		/* offset of the next row's '(' */
	size_t limit;		/* the most bytes a statement may have */
	int backslash;		/* backslash escapes in strings */
	struct buf out;		/* the statement next handed out */
};

/*
 * 1: q[0..n) is an INSERT of rows that can be cut (c set up, to be freed
 * with insert_cut_free); 0: a statement of any other shape (c untouched).
 */
int insert_cut_init(struct insert_cut *c, const char *q, size_t n,
    size_t limit, int backslash);
/*
 * The next INSERT of as many whole rows as fit in limit bytes: 1 with *s,
 * *sn (valid until the next call); 0 when every row went out; -1 when the
 * next row alone makes a statement longer than limit (*sn its length).
 */
int insert_cut_next(struct insert_cut *c, const char **s, size_t *sn);
void insert_cut_free(struct insert_cut *c);

#endif
