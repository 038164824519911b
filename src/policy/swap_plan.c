#include "policy/swap_plan.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SWAP_CUT_CHARS	43	/* 64 - prefix (12) - "_" - 8 hex */

static const char *const swap_step_names[SWAP_NSTEPS] = {
	"journal", "lock", "grace", "kill", "triggers", "rename", "post",
	"unlock", "cleanup"
};

/* Bytes of the first max characters (UTF-8) of s. */
static size_t
swap_cut(const char *s, size_t max)
{
	size_t i = 0, chars = 0;

	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (chars == max)
				break;
			chars++;
		}
		i++;
	}
	return i;
}

void
swap_names(const char *db, char shadow[SWAP_NAME_MAX],
    char archive[SWAP_NAME_MAX])
{
	uint32_t h = 2166136261u;
	const unsigned char *p;
	int cut = (int)swap_cut(db, SWAP_CUT_CHARS);

	for (p = (const unsigned char *)db; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	snprintf(shadow, SWAP_NAME_MAX, "%s%.*s_%08x", SWAP_SHADOW_PREFIX, cut,
	    db, (unsigned)h);
	snprintf(archive, SWAP_NAME_MAX, "%s%.*s_%08x", SWAP_ARCHIVE_PREFIX,
	    cut, db, (unsigned)h);
}

int
swap_like(const char *pattern, const char *name)
{
	for (; *pattern != '\0'; pattern++, name++) {
		if (*pattern == '%') {
			for (;; name++) {
				if (swap_like(pattern + 1, name))
					return 1;
				if (*name == '\0')
					return 0;
			}
		}
		if (*name == '\0')
			return 0;
		if (*pattern == '_')
			continue;
		if (*pattern == '\\' && pattern[1] != '\0')
			pattern++;
		if (*pattern != *name)
			return 0;
	}
	return *name == '\0';
}

static int
swap_matches(const struct strlist *patterns, const struct swap_account *a)
{
	char full[512];
	size_t i;

	snprintf(full, sizeof full, "%s@%s", a->user, a->host);
	for (i = 0; i < patterns->n; i++)
		if (fnmatch(patterns->v[i], strchr(patterns->v[i], '@') ?
		    full : a->user, 0) == 0)
			return 1;
	return 0;
}

size_t
swap_pick_accounts(const struct swap_account *a, size_t n,
    const struct strlist *patterns, const char *self_user,
    const char *self_host, int *pick)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(a[i].user, self_user) == 0 &&
		    strcmp(a[i].host, self_host) == 0)
			pick[i] = 0;
		else if (patterns == NULL || patterns->n == 0)
			pick[i] = a[i].privileged;
		else
			pick[i] = swap_matches(patterns, &a[i]);
		count += (size_t)pick[i];
	}
	return count;
}

static void
swap_rename_one(struct buf *out, const char *from_db, const char *to_db,
    const char *table)
{
	if (out->len > 0)
		buf_append_str(out, ", ");
	else
		buf_append_str(out, "RENAME TABLE ");
	sql_quote_ident(out, from_db);
	buf_append_char(out, '.');
	sql_quote_ident(out, table);
	buf_append_str(out, " TO ");
	sql_quote_ident(out, to_db);
	buf_append_char(out, '.');
	sql_quote_ident(out, table);
}

int
swap_rename_sql(const char *db, const char *shadow, const char *archive,
    const struct strlist *old_tables, const struct strlist *new_tables,
    struct buf *out)
{
	size_t i;

	buf_reset(out);
	for (i = 0; i < old_tables->n; i++)
		swap_rename_one(out, db, archive, old_tables->v[i]);
	for (i = 0; i < new_tables->n; i++)
		swap_rename_one(out, shadow, db, new_tables->v[i]);
	return out->len > 0 ? 0 : -1;
}

const char *
swap_step_name(enum swap_step s)
{
	return (unsigned)s < SWAP_NSTEPS ? swap_step_names[s] : "?";
}

int
swap_step_parse(const char *name)
{
	int i;

	for (i = 0; i < SWAP_NSTEPS; i++)
		if (strcmp(swap_step_names[i], name) == 0)
			return i;
	return -1;
}

int
swap_step_stoppable(enum swap_step s)
{
	return s < SWAP_TRIGGERS;
}

int
swap_grace_over(long long elapsed_ms, long long grace_ms,
    size_t sessions_left)
{
	return sessions_left == 0 || elapsed_ms >= grace_ms;
}

enum swap_rerun
swap_rerun(int marked, size_t shadow_tables, int same_backup)
{
	if (!marked || shadow_tables > 0)
		return SWAP_RERUN_FRESH;
	return same_backup ? SWAP_RERUN_FINISH : SWAP_RERUN_OTHER;
}
