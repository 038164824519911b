/*
 * Shared by manifest.c (the key table, elements, the writer) and
 * manifest_read.c (the parser): one inifile key table for all four kinds
 * of section, in the order the writer writes them.  A key's tag is its
 * manifest type, which decides how it is written and how the parser's
 * setter checks it; the section bit says which kind of section holds it.
 */
#ifndef MYSHIP_MANIFEST_INT_H
#define MYSHIP_MANIFEST_INT_H

#include <stddef.h>

#include "policy/manifest.h"
#include "util/inifile.h"

/*
 * Every line must fit inih's 200-byte buffer (INI_MAX_LINE in Debian's
 * build): values are cut into pieces of MF_PIECE encoded bytes, every piece
 * but the last ending in '\', which encoding never produces otherwise.
 */
#define MF_PIECE 120
#define MF_LINE_MAX 198

enum mf_type {
	MF_STR,		/* required string, may be empty */
	MF_OPTSTR,	/* may be absent (NULL) */
	MF_U64,
	MF_U64_OPT,	/* may be absent (0): added after format 1 shipped */
	MF_INT,		/* int within [min, max] */
	MF_LONG,	/* long within [min, max] */
	MF_DOUBLE,	/* finite, >= 0 */
	MF_SHA,		/* 64 lowercase hex digits */
	MF_SHA_OPT,	/* the same, or empty */
	MF_SHA_OMIT,	/* the same, or absent; not written when empty */
	MF_SIZE,	/* size_t */
	MF_COUNT	/* [backup] element counts: checked, not stored */
};

enum mf_section { MF_NONE, MF_BACKUP, MF_DB, MF_TABLE, MF_CHUNK };
#define MF_BIT(kind)	(1u << (kind))

/* "backup", or the word before the number of "table N". */
extern const char *const mf_section_names[MF_CHUNK + 1];

/* Every key of every section. */
#define MF_NKEYS 69
extern const struct inifile_key mf_keys[MF_NKEYS];

/* The bytes a value may hold as they are; everything else is %XX. */
int mf_plain(unsigned char c);

/* The setter of every key but strings (manifest_read.c): checks the
 * value strictly, as the writer writes it, and stores it. */
int mf_set(struct inifile *ip, const struct inifile_key *k, void *field,
    const char *v);

#endif
