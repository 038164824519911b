/*
 * A key range as SQL that the optimizers scan as a range.  MariaDB reads
 * "(a,b) >= (1,'x') AND (a,b) <= (9,'y')" with no range access at all (a
 * whole scan for every chunk of a table with a key of several columns),
 * so a range of such a key is written column by column, as the same
 * condition (SQL defines the row comparison so):
 *
 *   (`a` >= 1 AND `a` <= 9 AND (`a` > 1 OR (`a` = 1 AND `b` >= 'x'))
 *    AND (`a` < 9 OR (`a` = 9 AND `b` <= 'y')))
 *
 * which MariaDB and MySQL scan as one range of the index.  The bounds are
 * the manifest's SQL literals of a key, as the dump writes them ("5", or
 * "(1,'a')" for several columns; db/rowfmt.h), split at their top-level
 * commas: a quoted string ('..', with backslash or doubled-quote escapes,
 * after an introducer such as _binary or X) is one piece.  A bound that
 * does not split into one literal per column is written as the row
 * comparison, which is right, only slower.  Pure.
 */
#ifndef MYSHIP_KEYRANGE_H
#define MYSHIP_KEYRANGE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/strutil.h"

/*
 * The n literals of key literal lit into out (appended): lit itself when
 * n is 1.  -1, out unchanged, when lit is not a tuple of n.
 */
int keyrange_split(const char *lit, size_t n, struct strlist *out);

/*
 * Appends the condition "cols from first to last", both included (first
 * excluded when !incl), in parentheses, the columns quoted.
 */
void keyrange_sql(struct buf *q, const struct strlist *cols,
    const char *first, int incl, const char *last);

#endif
