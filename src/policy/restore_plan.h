/*
 * The restore plan: what restoring one backup does, decided from its
 * manifest and the command line alone, so that every selection, rename and
 * ordering case is unit-tested on manifests built in memory.  No server,
 * no repository, no I/O beyond the FILE restore_plan_print is given.
 *
 * The plan lists every member the manifest promises, selected or not (the
 * archive is checked whole), each with its kind, its database and table
 * and what the manifest records of it: stored size and SHA-256, SQL bytes,
 * rows.  Per database: the name it is restored as and its members in run
 * order (schema, data chunks in manifest order, post-data).  Per table: its
 * chunks and whether its secondary indexes may be built after its rows
 * (db/defer.h); a foreign key naming the table, seen only while the schema
 * runs, still keeps them, and that is the apply step's to track.
 *
 * While the archive is read, restore_plan_accept holds each member against
 * the plan: listed, met once, and in kind order (every schema member, then
 * every data member, then every post-data member); restore_plan_check_seen
 * then finds what never came.  Each member read is held against what the
 * manifest records of it (restore_plan_check_size before its bytes are
 * read, restore_plan_check_sha256 after), and the whole file against the
 * manifest's size and archive digest, or the SHA-256 of the whole file in
 * older manifests (restore_plan_check_archive); the caller computes the
 * hashes.  Messages are the command's own.
 *
 * Which members a restore needs is the plan's decision too: those of the
 * selected databases, and with --table DB.T (shell patterns, fnmatch, on
 * both parts) only the schema member and the data of the tables named; a
 * member not needed is never fetched.  When the manifest records where
 * every needed member lies in the archive, the caller reads only those
 * byte ranges (restore_plan_fetch_order, restore_plan_ranges); else it
 * streams the archive and skips the rest.
 *
 * The plan borrows the manifest and the option strings: both must outlive it.
 */
#ifndef MYSHIP_RESTORE_PLAN_H
#define MYSHIP_RESTORE_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy/manifest.h"
#include "util/err.h"

/* Kinds in the order the archive holds them. */
/* PLAN_USERS: the accounts member, of no database (its db is 0). */
enum plan_kind { PLAN_SCHEMA, PLAN_DATA, PLAN_POST, PLAN_USERS };

enum plan_defer { PLAN_DEFER_AUTO, PLAN_DEFER_ALWAYS, PLAN_DEFER_NEVER };

/*
 * --defer-indexes auto defers a table's secondary indexes when it has at
 * least this much SQL: below it the ALTER costs more than it saves.
 */
#define PLAN_DEFER_MIN	(8ULL * 1024 * 1024)
/* Members the manifest gives no size for are held whole: cap them. */
#define PLAN_MEMBER_MAX	(256LL * 1024 * 1024)

struct restore_opts {
	const char *host, *id;		/* the backup, for messages */
	const char *archive;		/* its archive's name, for messages */
	const char *target;		/* the host restored into */
	char *const *dbs;		/* --database SRC[:DST] as given */
	size_t ndbs;			/* 0: every database */
	char *const *tabs;		/* --table DB.T patterns as given */
	size_t ntabs;			/* 0: every table */
	enum plan_defer defer;
	int force;			/* a non-empty target is replaced */
	int stop_on_error;		/* the first failed statement stops all */
	int resume;			/* into what an interrupted restore left */
	int users;			/* --users: the accounts member too */
	int users_only;			/* --users alone: no database */
	int diff;			/* reload what differs (restore_diff.h) */
	long long threads;		/* loaders, for restore_plan_print */
};

struct plan_member {
	const char *name;		/* archive member */
	enum plan_kind kind;
	size_t db;			/* in plan.dbs */
	long table;			/* data: in plan.tables; -1: none */
	const struct manifest_chunk *chunk;	/* its [chunk], or NULL */
	const char *sha256;		/* NULL: not in an old manifest */
	uint64_t bytes;			/* stored size, with sha256 */
	uint64_t raw_bytes;		/* SQL it decodes to; 0: unknown */
	int64_t rows;			/* rows it inserts; -1: unknown */
	uint64_t offset;		/* of its data in the archive; 0: unknown */
	int needed;			/* the restore runs it: fetch it */
	int seen;			/* restore_plan_accept met it */
	int skip;			/* not needed: read past, never loaded */
};

struct plan_db {
	const struct manifest_db *md;	/* md->name: the source name */
	const char *dst;		/* restored as: md->name, or renamed */
	int selected;
	int partial;			/* --table: only its selected tables */
	size_t ntables;
	uint64_t rows, bytes, raw_bytes;	/* of its tables */
	size_t *run;			/* its members (in plan.members) */
	size_t nrun;			/* in run order */
	/* On the target, filled by the caller's probe (db/target.h). */
	int exists, nonempty;
};

struct plan_table {
	const struct manifest_table *mt;
	size_t db;			/* in plan.dbs */
	size_t nchunks;			/* data members listed */
	int selected;			/* restored (its database's, --table) */
	int defer;			/* its secondary keys may wait */
};

struct plan_key;

struct restore_plan {
	const struct manifest *m;
	struct restore_opts o;
	struct plan_db *dbs;		/* as m->dbs */
	size_t ndbs;
	struct plan_table *tables;	/* as m->tables */
	size_t ntables;
	/* schema and post of each database, then the chunks in order */
	struct plan_member *members;
	size_t nmembers;
	const char *last;		/* the member accepted last, or NULL */
	/* private */
	enum plan_kind phase;
	struct plan_key *db_order, *tab_order, *by_name;
	char **args;			/* copies of o.dbs, holding dst */
};

void restore_plan_init(struct restore_plan *p);
/* Also after a failed restore_plan_build. */
void restore_plan_free(struct restore_plan *p);
/*
 * Builds the plan of restoring m with o.  ERR_NOT_FOUND for a database
 * not in the backup, or a --table pattern that names no table of the
 * databases it may look in; ERR_USAGE for one named twice, an empty new name or
 * two restored under one name; ERR_CORRUPT when m contradicts itself (a
 * table or member of no database, a member listed twice).  ERR_USAGE for
 * --resume with --force or --diff.  --diff holds no index back.
 */
int restore_plan_build(struct restore_plan *p, const struct manifest *m,
    const struct restore_opts *o, struct err *e);

/*
 * Whether the schema statement creating or setting object name (a table or
 * sequence) of database db (in p->dbs) runs: every one of a database
 * restored whole, only the selected tables' of a partial one.
 */
int restore_plan_object_wanted(const struct restore_plan *p, size_t db,
    const char *name);
/*
 * Whether the needed members are read by ranges: every one of them has an
 * offset (and size and SHA-256) in the manifest, and some member is not
 * needed or whole is set.  A whole restore from a local repository streams
 * the archive and checks it whole; from S3 (whole = 1) its ranges are read
 * in parallel, each member checked against its SHA-256; --diff (whole = 1)
 * reads the schema first.
 */
int restore_plan_ranged(const struct restore_plan *p, int whole);
/*
 * The needed members in archive order (by offset, a valid run order):
 * their indexes in p->members into idx (room for p->nmembers); the count.
 */
size_t restore_plan_fetch_order(const struct restore_plan *p, size_t *idx);
/* Members read by one request: idx[first..first+n), bytes from offset. */
struct plan_range {
	uint64_t offset, length;
	size_t first, n;
};
/*
 * Groups the members idx[0..n) (in archive order) into ranges: the next
 * member joins the range when the bytes between them (tar headers, members
 * not needed) are at most gap and the range stays within span bytes.
 * out has room for n; returns the number of ranges.
 */
size_t restore_plan_ranges(const struct restore_plan *p, const size_t *idx,
    size_t n, uint64_t gap, uint64_t span, struct plan_range *out);

/* The index in p->tables of db.name (source names); -1 if not there. */
long restore_plan_table(const struct restore_plan *p, const char *db,
    const char *name);
/* The member of that name, or NULL. */
struct plan_member *restore_plan_member(const struct restore_plan *p,
    const char *name);
/*
 * The archive's next member is name: *out gets it.  ERR_CORRUPT when the
 * manifest does not list it, it came before, or it comes after a member of
 * a later kind.  The caller skips the bytes of unselected databases.
 */
int restore_plan_accept(struct restore_plan *p, const char *name,
    struct plan_member **out, struct err *e);
/* After the last member: ERR_CORRUPT naming the first (by name) never met. */
int restore_plan_check_seen(const struct restore_plan *p, struct err *e);
/*
 * The archive holds size bytes of pm: ERR_CORRUPT when the manifest records
 * another size, or records none and size is over PLAN_MEMBER_MAX.
 */
int restore_plan_check_size(const struct plan_member *pm, int64_t size,
    struct err *e);
/* pm's bytes hash to hex (SHA-256): ERR_CORRUPT when the manifest differs. */
int restore_plan_check_sha256(const struct plan_member *pm, const char *hex,
    struct err *e);
/*
 * True when the manifest checks the archive by the SHA-256 of the whole
 * file (written before archive_digest), false by the digest or by nothing.
 */
int restore_plan_whole_sha256(const struct restore_plan *p);
/*
 * The whole archive file is bytes long and hashes to hex (its archive
 * digest, or its SHA-256 when restore_plan_whole_sha256): ERR_CORRUPT when
 * the manifest records another size or hash (an old manifest records none).
 */
int restore_plan_check_archive(const struct restore_plan *p, uint64_t bytes,
    const char *hex, struct err *e);
/*
 * ERR_REFUSED for a target database that exists, is not empty, without
 * --force, --resume or --diff.
 */
int restore_plan_refuse(const struct restore_plan *p, struct err *e);

/*
 * ERR_REFUSED, without --force, for a backup of MariaDB into MySQL or the
 * reverse (the manifest's server_version against the target's VERSION()):
 * nothing has been created when this is asked.  Accounts alone are not
 * refused (their plugins decide, account by account).
 */
int restore_plan_refuse_flavour(const struct restore_plan *p,
    const char *target_version, struct err *e);

/*
 * --resume: a data member of a table the target already holds, whose key
 * range (or, for a chunk without keys, whole table) holds found rows where
 * the manifest records want (-1: unknown).  SKIP: exactly its rows are
 * there; LOAD: none are; CLEAR: some are, delete them and load it.
 */
enum plan_resume { PLAN_RESUME_LOAD, PLAN_RESUME_SKIP, PLAN_RESUME_CLEAR };
enum plan_resume restore_plan_resume(int64_t want, long long found);
/*
 * Whether pm can be probed by its own key range (its [chunk] has a first
 * and last key); else its table is probed and decided whole.
 */
int restore_plan_chunk_keyed(const struct plan_member *pm);

/* "db.table" for a data member naming its table, else "database db". */
void restore_plan_what(const struct restore_plan *p,
    const struct plan_member *pm, char *out, size_t len);
/* "db.table" of p->tables[t], source names, shown. */
void restore_plan_table_what(const struct restore_plan *p, size_t t,
    char *out, size_t len);
/* Selected databases and their tables and rows. */
void restore_plan_totals(const struct restore_plan *p, size_t *ndbs,
    size_t *ntables, uint64_t *rows);
/* What --dry-run and -v show: databases, renames, tables, the target. */
void restore_plan_print(const struct restore_plan *p, FILE *f);

#endif
