/*
 * Splits a stream of SQL script bytes into statements, the way the mariadb
 * client does, so that restore can run an archive member through the C API
 * one statement at a time.  Bytes are fed in pieces of any size (a piece
 * may end inside a quote, a comment or a delimiter); complete statements
 * come out.  It knows '...', "..." and `...` (backslash escapes in the
 * first two, doubled quotes in all three), "-- ", "#" and C-style
 * comments, executable comments opened by slash-star-bang or
 * slash-star-M-bang (kept: statement text, as the client treats them) and
 * `DELIMITER xx` lines between statements.  The sql_mode the statements
 * run under changes where quotes end (sqlsplit_set_mode): under
 * NO_BACKSLASH_ESCAPES a backslash is an ordinary byte, under ANSI_QUOTES
 * (which ANSI and MariaDB's ORACLE, DB2, MSSQL, POSTGRESQL, MAXDB imply)
 * "..." is an identifier (no escapes).  ORACLE's blocks need nothing
 * more: a body with ";" inside comes between DELIMITER lines.  Any
 * bytes are accepted (NUL, invalid UTF-8); nothing is interpreted beyond
 * finding where statements end.
 */
#ifndef MYSHIP_SQLSPLIT_H
#define MYSHIP_SQLSPLIT_H

#include <stddef.h>

#include "util/err.h"

#define SQLSPLIT_DELIM_MAX 16

struct sqlsplit;

struct sqlsplit *sqlsplit_new(void);
void sqlsplit_free(struct sqlsplit *s);
/* Forgets all input and state; the delimiter is ";" again, the mode 0. */
void sqlsplit_reset(struct sqlsplit *s);

/* The sql_mode flags that matter to splitting (an OR of these). */
#define SQLSPLIT_NO_BACKSLASH_ESCAPES	1
#define SQLSPLIT_ANSI_QUOTES		2
/* Statements from now on are split as the server reads them in mode. */
void sqlsplit_set_mode(struct sqlsplit *s, int mode);
/* The flags of a sql_mode value ("ANSI_QUOTES,NO_BACKSLASH_ESCAPES"). */
int sqlsplit_mode_of(const char *sql_mode);

/* Appends input.  Statements returned earlier become invalid. */
void sqlsplit_feed(struct sqlsplit *s, const void *p, size_t n);
/*
 * Next complete statement, without its delimiter and without the blanks
 * and comments before it: 1 with *stmt and *len (valid until the next feed),
 * 0 when more input is needed, -1 on a malformed DELIMITER line.  With eof
 * set no more input will come: a last statement without delimiter is
 * returned, and input ending inside a quote or comment is an error (the
 * script was cut).  Statements made only of blanks and comments are
 * skipped.  *line gets the line the statement starts on (from 1) when line
 * is not NULL.
 */
int sqlsplit_next(struct sqlsplit *s, int eof, const char **stmt,
    size_t *len, unsigned long *line, struct err *e);
/* The current delimiter, for messages and tests. */
const char *sqlsplit_delimiter(const struct sqlsplit *s);

#endif
