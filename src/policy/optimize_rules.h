/*
 * The decisions of table maintenance, kept free of I/O so they can be
 * tested alone: which databases a selection names, whether a table is
 * worth an OPTIMIZE TABLE under the policy, and whether the rows OPTIMIZE
 * answered with mean it worked (its return code does not tell: a lock
 * wait timeout comes back as an "Error" row of a successful statement).
 */
#ifndef MYSHIP_OPTIMIZE_RULES_H
#define MYSHIP_OPTIMIZE_RULES_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "util/config.h"
#include "util/err.h"

/*
 * Database selection: each pattern is a name or a POSIX extended regular
 * expression matched against the whole name.  No pattern selects every
 * user database.  The system schemas (mysql, sys, information_schema,
 * performance_schema) are selected only by a pattern equal to their name.
 */
struct opt_selector {
	char **pat;
	regex_t *re;
	size_t n;
};

/* ERR_USAGE naming the pattern when one does not compile. */
int opt_selector_init(struct opt_selector *s, char *const *pat, size_t n,
    struct err *e);
int opt_selector_match(const struct opt_selector *s, const char *db);
void opt_selector_free(struct opt_selector *s);
int opt_is_system_db(const char *db);

/* What information_schema.TABLES says about one table. */
struct opt_table_stats {
	const char *engine;	/* NULL when the server gives none */
	int64_t data_length, index_length, data_free;
};

enum opt_verdict {
	OPT_RUN = 0,
	OPT_SKIP_NO_ENGINE,	/* broken table, or one the server cannot open */
	OPT_SKIP_FEW_BYTES,	/* data_free < min_free_bytes */
	OPT_SKIP_LOW_RATIO,	/* free share < min_free_ratio */
	OPT_SKIP_TOO_BIG,	/* scheduled run and size > max_table_size */
	OPT_SKIP_DEADLINE	/* max_duration passed: no new table starts */
};

/* data_free over everything the table occupies (data + index + free). */
double opt_free_ratio(const struct opt_table_stats *t);
/*
 * The verdict for one table; why gets a one-line reason for a skip ("" for
 * OPT_RUN).  past_deadline is the caller's clock against max_duration.
 */
enum opt_verdict opt_decide(const struct opt_table_stats *t,
    const struct optimize_cfg *p, int scheduled, int past_deadline,
    char *why, size_t whylen);

/* One row of OPTIMIZE TABLE's result: Msg_type and Msg_text. */
struct opt_msg {
	const char *type;
	const char *text;
};

/*
 * 1 when the rows say the table was optimized (status OK, "already up to
 * date", or InnoDB's "doing recreate + analyze instead" note without an
 * error), 0 otherwise with why set to the server's first error text.
 */
int opt_result_ok(const struct opt_msg *rows, size_t n, char *why,
    size_t whylen);

#endif
