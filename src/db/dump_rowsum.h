/*
 * A chunk's values fingerprint (FORMAT.md, [chunk] values_sha256), built
 * so that both myship and the server can compute it.  A row's values text
 * is, for each column the dump reads, "N" for NULL, else the value's
 * bytes exactly as the dump's SELECT returns them on a SET NAMES binary
 * session: a number's (rowsum_numeric) followed by ",", anything else's
 * after its byte length in decimal and ":".  A keyed chunk is cut into
 * pieces of about a quarter of chunk_size, at most ROWSUM_PIECE bytes of
 * that text, each ending at a key the manifest records (piece_keys); the chunk's digest is the SHA-256 of
 * the lowercase hex SHA-256 of each piece's text, in key order.
 *
 * The dump builds it as it formats rows (rowsum_acc_*).  restore --diff
 * asks the target's server for each piece (SHA2 of a GROUP_CONCAT of the
 * same text over the piece's key range: no row leaves the server), and
 * reads the rows through the dump's SELECT only where the server's answer
 * is not exact (GROUP_CONCAT cut at max_allowed_packet).  The server is
 * not asked to sort: a range scan of the key reads in its order, and rows
 * read in another would only reload their chunk.  A table without a key is
 * fingerprinted in any order instead ([table] values_sum: the sum of each
 * row text's SHA-256, util/sum256.h), read through the dump's SELECT.
 * Ranges are the manifest's SQL literals, run as SQL as the archive's
 * statements are, written so that the server scans them as ranges of the
 * key (util/keyrange.h).  ERR_DB with the server's message.
 */
#ifndef MYSHIP_DUMP_ROWSUM_H
#define MYSHIP_DUMP_ROWSUM_H

#include <stddef.h>
#include <stdint.h>

#include <mysql.h>

#include "db/rowfmt.h"
#include "stream/hash.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/strutil.h"

/*
 * Bytes of values text after which the dump ends a piece at most: well
 * under the smallest max_allowed_packet a server has by default (16M), as
 * the server's GROUP_CONCAT of a piece must fit in one.
 */
#define ROWSUM_PIECE	(4 * 1024 * 1024)

/* Whether a column of that kind is a number, whose text has no ','. */
int rowsum_numeric(enum col_kind kind);
/* Appends one row's values text. */
void rowsum_values(struct buf *b, const enum col_kind *kinds, size_t ncols,
    char **row, const unsigned long *lens);

/* A member's fingerprints as the dump builds them. */
struct rowsum_acc {
	struct hash *piece, *chunk, *row;
	struct buf text;		/* values text not yet hashed */
	uint64_t piece_bytes, piece_max;
	struct buf keys;		/* the pieces' end keys so far */
	unsigned char sum[32];		/* keyless: values_sum of its rows */
};

/* chunk_size: the dump's, which pieces are a quarter of. */
void rowsum_acc_init(struct rowsum_acc *a, uint64_t chunk_size);
void rowsum_acc_free(struct rowsum_acc *a);
/* Before each row but a member's first of a keyed table: prev_key is the
 * previous row's, where the piece ends when it is full. */
void rowsum_acc_next(struct rowsum_acc *a, const char *prev_key);
void rowsum_acc_row(struct rowsum_acc *a, int keyless,
    const enum col_kind *kinds, size_t ncols, char **row,
    const unsigned long *lens);
/* The member ends: values_sha256, piece_keys (NULL: one piece) and sum;
 * a starts over. */
void rowsum_acc_end(struct rowsum_acc *a, char hex[65], char **keys,
    unsigned char sum[32]);

struct rowsum_table;

/*
 * db.table of c's server read as the dump reads it (db/catalog.h).  c
 * must be SET NAMES binary.
 */
int rowsum_open(MYSQL *c, const char *db, const char *table,
    struct rowsum_table **out, struct err *e);
void rowsum_free(struct rowsum_table *t);
/* The columns of the key that orders its rows; none: scan order. */
const struct strlist *rowsum_key(const struct rowsum_table *t);
/*
 * Pieces the server fingerprinted, and those read row by row; the rows in
 * the chunks compared (each counted once).
 */
struct rowsum_count {
	uint64_t server, read, rows;
};
/*
 * The values_sha256 of the rows with key from first to last, both
 * included, in the pieces that keys ("\n" between end keys; NULL: one
 * piece) cut.  Counts into *n.
 */
int rowsum_chunk(MYSQL *c, const struct rowsum_table *t, const char *first,
    const char *keys, const char *last, char hex[65],
    struct rowsum_count *n, struct err *e);
/*
 * Every row in the dump's order, cut after rows[0], then rows[1] more...:
 * n values_sha256 into hex (each chunk one piece); *extra gets the rows
 * past the last cut.
 */
int rowsum_split(MYSQL *c, const struct rowsum_table *t,
    const uint64_t *rows, size_t n, char (*hex)[65], uint64_t *extra,
    struct err *e);
/* The values_sum of every row of t, in whatever order the server gives. */
int rowsum_multiset(MYSQL *c, const struct rowsum_table *t, char hex[65],
    struct err *e);
/* Its rows: *rows. */
int rowsum_rows(MYSQL *c, const struct rowsum_table *t, uint64_t *rows,
    struct err *e);
/* Deletes the rows whose key is in none of the n ranges (all if n == 0). */
int rowsum_delete_outside(MYSQL *c, const struct rowsum_table *t,
    char *const *first, char *const *last, size_t n, struct err *e);

#endif
