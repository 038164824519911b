/*
 * The policy's key table and the hooks that read it through inifile:
 * which keys each section holds, their types and bounds, where each value
 * lands in struct config, its default and a line of help.  config.c
 * starts from config_defaults, parses with config_spec and then resolves
 * and checks the whole; the key table is also listed for the test that
 * holds it against etc/myship.ini and myship.ini(5).
 */
#ifndef MYSHIP_CONFIG_KEYS_H
#define MYSHIP_CONFIG_KEYS_H

#include <stddef.h>

#include "util/config.h"
#include "util/inifile.h"

/* The ctx of config_spec: the policy being filled and where the parse is. */
struct config_parse {
	struct config *cfg;
	unsigned section;	/* bit of the current section, 0 before any */
	struct host_cfg *host;	/* in a [host NAME] section */
};

extern const struct inifile_spec config_spec;

/*
 * Every field of cfg at the default its table entry writes, stored as the
 * file's value would be (-1 when error); [host NAME] sections get theirs
 * when they open.
 */
int config_defaults(struct config *cfg, struct err *e);

/*
 * Entry i of the key table (NULL past the end), with its default and help,
 * and the section it is documented under: the first it may appear in
 * ("retention", not "host", for keep_daily), with "host" standing for
 * [host NAME].
 */
const struct inifile_key *config_key_doc(size_t i, const char **section);

#endif
