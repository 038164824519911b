/*
 * inifile: the one INI engine behind every file myship reads (the policy,
 * manifests, the AWS credentials file).  A reader describes its file with
 * a spec: a declarative key table (name, sections, type, bounds, where the
 * value lands or which setter takes it) and hooks for section headers and
 * unknown keys.  The engine reads lines of any length up to the spec's
 * limit (at most INIFILE_LINE_LIMIT; a key's name, at most 197 characters),
 * lets inih tokenise them, counts lines, and stores each value through the
 * table.  The table also holds each key's default, written as the file
 * would write it, and a line of help: inifile_defaults stores the defaults
 * through the same setters, so a default reads exactly as the same text in
 * the file would.  Accepted syntax is inih's as Debian builds it (libinih
 * 55): ";" and "#" comments, " ;" inline comments on key lines, "=" or
 * ":", indented lines continuing the previous key (kept whole, " ;"
 * included).
 *
 * The first error wins and stops the parse; it is one line,
 * "NAME:LINE: message", of the spec's error kind.  The value of a key
 * flagged IK_SECRET never appears in a message, and the engine's own
 * messages never quote a line.
 */
#ifndef MYSHIP_INIFILE_H
#define MYSHIP_INIFILE_H

#include <stddef.h>

#include "util/err.h"

/* The longest line any reader may allow (characters, newline excluded). */
#define INIFILE_LINE_LIMIT	65536
/* Files are read whole; anything larger is refused. */
#define INIFILE_FILE_LIMIT	(1 << 20)

struct inifile;		/* a parse in progress */

enum ik_type {
	IK_STR,		/* char *, replaced; continuation lines are appended */
	IK_LIST,	/* struct strlist: words split on blanks, appended */
	IK_INT,		/* int or long long (by size) within [min, max] */
	IK_BOOL,	/* int 0/1: yes/no/true/false/on/off/1/0 */
	IK_SIZE,	/* int64_t bytes: 512K, 64M, 1G */
	IK_DURATION,	/* int64_t seconds: 30s, 90m, 1d12h */
	IK_RATIO,	/* double within [0, 1]: 10% or 0.1 */
	IK_ENUM,	/* int: the index of the value in choices */
	IK_ENUM_STR,	/* char *: the value, one of choices */
	IK_CUSTOM	/* set() stores it */
};

/* Key flags. */
#define IK_SECRET	0x1	/* never quoted; the parse reports it was seen */
#define IK_OPTIONAL	0x2	/* for readers that require the other keys */

struct inifile_key {
	const char *name;
	unsigned sections;	/* the reader's section bits it is valid in */
	enum ik_type type;
	int base;		/* which object offset is into: spec->base */
	size_t offset;
	size_t size;		/* sizeof the field (IK_INT) */
	long long min, max;	/* IK_INT bounds; setters may use them too */
	const char *const *choices;	/* IK_ENUM*: NULL-terminated */
	const char *expect;	/* "\"v\" is not EXPECT", else the type's own */
	/* Stores v into field (IK_CUSTOM, or overriding the type's store;
	 * for an IK_LIST it is called for each line and appends).  Returns 1,
	 * or 0 after inifile_fail. */
	int (*set)(struct inifile *p, const struct inifile_key *k, void *field,
	    const char *v);
	unsigned flags;
	int tag;		/* the reader's own (the manifest's writer) */
	/* The default as the file would write it ("16M", "yes"); NULL: none,
	 * the field stays as the reader left it (for IK_STR, "" stores ""). */
	const char *def;
	const char *help;	/* one line, for documentation and its test */
};

struct inifile_spec {
	enum err_kind kind;	/* of every error */
	size_t max_line;	/* <= INIFILE_LINE_LIMIT */
	const struct inifile_key *keys;
	size_t nkeys;
	/* Messages replacing the engine's defaults (NULL: default). */
	const char *msg_syntax;		/* "syntax error" */
	const char *msg_long;		/* "line longer than %zu characters" */
	const char *msg_nul;		/* "NUL byte in line" */
	const char *msg_bracket;	/* "syntax error" (header without ']') */
	/* Every header: returns the section's bits, 0 for a section whose keys
	 * are all unknown, or 0 after inifile_fail.  NULL: bits are 1. */
	unsigned (*section)(void *ctx, struct inifile *p, const char *name);
	/* Where a key's offset points into (NULL: ctx itself). */
	void *(*base)(void *ctx, const struct inifile_key *k);
	/* A key not in the table for the current section (also before any
	 * header): returns 1 to ignore it, or 0 after inifile_fail.  NULL:
	 * "unknown key". */
	int (*unknown)(void *ctx, struct inifile *p, const char *name);
	/* When set, sees every line of a known key first (cont: an indented
	 * continuation) and returns 1 with *out, the complete value to store
	 * (malloc'd, freed by the engine), 0 when the value continues, or -1
	 * after inifile_fail.  Without it, continuation lines append to
	 * IK_STR and IK_LIST values and are refused for other types. */
	int (*value)(void *ctx, struct inifile *p, const struct inifile_key *k,
	    const char *v, int cont, char **out);
};

/*
 * Parses len bytes of text; name stands for the file in messages.
 * Returns -1 (e set), 0, or 1 when a key flagged IK_SECRET was set.
 */
int inifile_parse(const struct inifile_spec *s, void *ctx, const char *text,
    size_t len, const char *name, struct err *e);
/* Reads path whole (at most INIFILE_FILE_LIMIT), then as inifile_parse. */
int inifile_read(const struct inifile_spec *s, void *ctx, const char *path,
    struct err *e);
/*
 * Stores the default of every key that has one and whose first section
 * (its lowest bit) is in sections, through the table as a parse would,
 * into where the spec's base hook points for ctx.  In the key's other
 * sections the reader decides (the policy's [host NAME] inherits from
 * [retention] and [optimize]).  Returns -1 (e set, "defaults:0: ...") if
 * a default does not read, else 0.
 */
int inifile_defaults(const struct inifile_spec *s, void *ctx,
    unsigned sections, struct err *e);
/* Reads a whole file into a NUL-terminated buffer (for callers that check
 * the file before parsing it). */
char *inifile_slurp(const char *path, size_t *len, enum err_kind kind,
    struct err *e);

/* For hooks and setters: records the first error at the current line. */
int inifile_fail(struct inifile *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The reader's ctx and the line being parsed (1-based). */
void *inifile_ctx(const struct inifile *p);
int inifile_line(const struct inifile *p);

/* The table entry for name in a section with bits sections, or NULL. */
const struct inifile_key *inifile_find(const struct inifile_key *keys,
    size_t nkeys, unsigned sections, const char *name);

#endif
