/*
 * The policy parser reads a file an operator (or an attacker with write
 * access to it) controls.  Beyond not crashing: a rejected file always
 * gets a config error naming the file, and an accepted one is consistent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/config.h"
#include "util/xmalloc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct err e;
	char *text;
	size_t i;

	/* The file is read as text: a NUL ends it, as in config_load_string. */
	text = xstrndup((const char *)data, size);
	err_clear(&e);
	if (config_load_string(text, "fuzz.ini", &cfg, &e) == -1) {
		FUZZ_ASSERT(e.kind == ERR_CONFIG);
		FUZZ_ASSERT(strncmp(e.msg, "fuzz.ini", 8) == 0);
		free(text);
		return 0;
	}
	FUZZ_ASSERT(cfg.repository != NULL && cfg.lock_file != NULL);
	for (i = 0; i < cfg.nhosts; i++) {
		FUZZ_ASSERT(cfg.hosts[i].user != NULL);
		FUZZ_ASSERT(cfg.hosts[i].host != NULL || cfg.hosts[i].socket != NULL);
		FUZZ_ASSERT(cfg.hosts[i].retention.keep_last >= 0);
		FUZZ_ASSERT(cfg.hosts[i].optimize.threads_per_host >= 1);
		FUZZ_ASSERT(config_host(&cfg, cfg.hosts[i].name) != NULL);
	}
	config_free(&cfg);
	free(text);
	return 0;
}
