/*
 * Fuzz target for the accounts member parser and the statement scanners
 * (policy/users_rules.h).  The oracle: what parses writes back to text
 * that parses to the same statements, and the scanners never read past
 * the text or hand back a masked statement holding a literal they mask.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/users_rules.h"
#include "util/xmalloc.h"

static void
fuzz_scanners(const char *sql)
{
	char *a, *roles, *p;

	free(users_mask(sql));
	free(users_strip_identified(sql));
	a = users_split_default_role(sql, &roles);
	FUZZ_ASSERT(strlen(a) <= strlen(sql));
	free(a);
	free(roles);
	free(users_default_for(sql, 0));
	free(users_default_for(sql, 1));
	p = users_plugins(sql);
	free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct users_stmt *s, *s2;
	struct buf b;
	struct err e;
	size_t n, n2, i;
	char *text = xstrndup((const char *)data, size);

	fuzz_scanners(text);
	free(text);
	if (users_text_parse((const char *)data, size, "fuzz", &s, &n,
	    &e) == -1)
		return 0;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		fuzz_scanners(s[i].sql);
		users_text_add(&b, &s[i]);
	}
	FUZZ_ASSERT(users_text_parse(b.data, b.len, "again", &s2, &n2,
	    &e) == 0);
	FUZZ_ASSERT(n2 == n);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(s2[i].kind == s[i].kind && s2[i].role == s[i].role);
		FUZZ_ASSERT(strcmp(s2[i].user, s[i].user) == 0);
		FUZZ_ASSERT(strcmp(s2[i].host, s[i].host) == 0);
		FUZZ_ASSERT(strcmp(s2[i].sql, s[i].sql) == 0);
		FUZZ_ASSERT((s2[i].plugins == NULL) == (s[i].plugins == NULL));
	}
	users_stmts_free(s, n);
	users_stmts_free(s2, n2);
	buf_free(&b);
	return 0;
}
