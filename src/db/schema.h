/*
 * The DDL of one database, as the text of two archive members (FORMAT.md):
 * the schema member (CREATE DATABASE, sequences with their state, base
 * tables) replayed before the data, and the post-data member (functions,
 * procedures, packages, views in dependency order, triggers, events)
 * replayed after it.  Both are plain SQL the stock mariadb client can run.
 * The dump engine also gets the list of base tables it must copy rows of.
 */
#ifndef MYSHIP_SCHEMA_H
#define MYSHIP_SCHEMA_H

#include <stddef.h>

#include <mysql.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/strutil.h"

/* A base table whose rows the dump engine copies (not views, not sequences). */
struct schema_table {
	char *name;
	char *engine;		/* NULL when the server reports none */
	int versioned;		/* WITH SYSTEM VERSIONING: copy FOR SYSTEM_TIME ALL */
};

struct schema_out {
	struct buf schema_sql;	/* 0-schema member text, always non-empty */
	struct buf post_sql;	/* 2-post member text; len 0 = write no member */
	char *charset, *collation, *comment;	/* of the database */
	size_t ntables, nviews, nroutines, ntriggers, nevents, nsequences;
	struct schema_table *tables;	/* ntables entries, in name order */
	int skip_broken;	/* in: skip what SHOW CREATE refuses */
	struct buf skipped;	/* "kind name: error\n" per skipped object */
	size_t nskipped;
	/* its views and their information_schema definitions (schema_order.h) */
	struct strlist view_names, view_defs;
};

void schema_out_init(struct schema_out *out);
void schema_out_free(struct schema_out *out);

/*
 * Fills out for database db.  c is the backup's snapshot connection
 * (session charset utf8mb4); this runs `USE db` on it and leaves it there,
 * and changes no other session state.  ERR_DB names db and the object.
 * With out->skip_broken, an object whose SHOW CREATE fails with a server
 * error is left out (a table with its rows) and listed in out->skipped.
 * out is filled as far as it got: free it with schema_out_free either way.
 */
int schema_dump_database(MYSQL *c, const char *db, struct schema_out *out,
    struct err *e);

/*
 * Text helpers, exposed for the unit tests.
 *
 * schema_unqualify_sequences: a copy of a CREATE TABLE with
 * nextval/lastval/setval(`db`.`s`) turned into nextval(`s`).
 * schema_unqualify_view: a copy of a CREATE VIEW with every `db`.`x`
 * written `x`: SHOW CREATE VIEW qualifies same-database tables as soon as
 * the view also reads another database, and they must follow a rename.
 * schema_view_reads: true when a view definition (as information_schema
 * prints it, tables fully qualified) reads `db`.`name`.
 * schema_unqualify_using: a copy of a routine's SHOW CREATE with every
 * `db`.`lib` of its USING clause (MySQL 9's JavaScript libraries) written
 * `lib`, so that it follows a rename.
 * schema_delimiter: a DELIMITER that does not occur in text: ";;" unless
 * the text holds it; tmp backs a generated one.
 */
char *schema_unqualify_sequences(const char *sql, const char *db);
/*
 * schema_inherit_collation: a copy of a CREATE TABLE without the column
 * clauses "COLLATE x" that name the table's own COLLATE=x and come without
 * a CHARACTER SET: MySQL prints them for a column that inherits a
 * non-default collation, and a column created with them would be printed
 * back with "CHARACTER SET" too (it became explicit).  The columns'
 * collations are the same either way.
 */
char *schema_inherit_collation(const char *sql);
char *schema_unqualify_view(const char *sql, const char *db);
char *schema_unqualify_using(const char *sql, const char *db);
int schema_view_reads(const char *def, const char *db, const char *name);

/*
 * schema_program_recode: a copy of a routine's, trigger's or event's SHOW
 * CREATE text with the parts the server printed in UTF-8 put back into the
 * program's own character_set_client, so that the statement replays under
 * it whole.  The server prints the name (MySQL; MariaDB for events), a
 * trigger's table (MySQL) and the COMMENT (both) in UTF-8 but the body in
 * the client's bytes.  After the word `word` (FUNCTION, TRIGGER, ...) the
 * first quoted identifier equal to name_from becomes name_to; for a
 * trigger, the identifier after the first ON equal to table_from becomes
 * table_to; the first COMMENT whose string (unescaped) equals comment_from
 * is written again from comment_to, quoted for the program's sql_mode:
 * under NO_BACKSLASH_ESCAPES (nbe) only quotes are doubled, as SHOW
 * CREATE's backslash escapes would be kept there as two characters.
 * Under ANSI_QUOTES (ansi) names may be in double quotes.  A NULL pair is
 * left alone.
 */
struct program_recode {
	const char *word;
	const char *name_from, *name_to;
	const char *table_from, *table_to;
	const char *comment_from, *comment_to;
	int nbe, ansi;
};
char *schema_program_recode(const char *sql, const struct program_recode *f);
const char *schema_delimiter(const char *text, char *tmp, size_t tmplen);
/*
 * schema_sequence_restart: true when a restored sequence must be RESTARTed
 * at next (its next_not_cached_value) before its SETVAL: SETVAL never
 * moves a sequence back, and one RESTARTed or cycled below its START
 * (above it, descending) resumes behind where CREATE SEQUENCE puts it.
 * The arguments are the server's decimal text.
 */
int schema_sequence_restart(const char *next, const char *start,
    const char *increment);

#endif
