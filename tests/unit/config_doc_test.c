/*
 * The policy's key table held against its documentation: every key in
 * config_keys.c is described in myship.ini(5) and shown, set or commented
 * out, in etc/myship.ini under the same section, and neither names a key
 * the table lacks.  Each key's default in the table is what
 * etc/myship.ini shows for it (but for the few it shows an example for),
 * and its man page entry says "Default X"; each has a line of help.  The
 * values etc/myship.ini sets outside [retention] and [host] load as the
 * defaults do.  The files are read from $top_srcdir (set by the Makefile).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/config.h"
#include "util/config_keys.h"
#include "util/xmalloc.h"

#define MAXKEYS 256

struct keyset {
	char *v[MAXKEYS];	/* "section.key" */
	size_t n;
};

static void
add(struct keyset *s, const char *section, const char *key, size_t keylen)
{
	char *k = xasprintf("%s.%.*s", section, (int)keylen, key);
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->v[i], k) == 0) {
			free(k);
			return;
		}
	}
	if (s->n < MAXKEYS)
		s->v[s->n++] = k;
	else
		free(k);
}

static int
has(const struct keyset *s, const char *k)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], k) == 0)
			return 1;
	return 0;
}

static void
clear(struct keyset *s)
{
	while (s->n > 0)
		free(s->v[--s->n]);
}

static char *
slurp(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *path = xasprintf("%s/%s", top != NULL ? top : ".", rel), *text;
	FILE *f = fopen(path, "r");
	long n;

	if (f == NULL) {
		printf("# cannot open %s\n", path);
		free(path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = xmalloc((size_t)n + 1);
	text[fread(text, 1, (size_t)n, f)] = '\0';
	fclose(f);
	free(path);
	return text;
}

static size_t
word_len(const char *s)
{
	size_t n = 0;

	while (islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
	    s[n] == '_')
		n++;
	return n;
}

/* The section word of "[name" or "[host Ar name]": "name", "host". */
static void
section_of(const char *s, char *out, size_t outsz)
{
	size_t n = word_len(s + 1);

	snprintf(out, outsz, "%.*s", (int)n, s + 1);
}

/*
 * ".It Cm a , b" and ".It Cm a No = Ar x , Cm b" name a and b: a key
 * follows Cm, or a comma after a key.
 */
static void
man_item(struct keyset *s, const char *section, char *line)
{
	char *tok, *save = NULL, *prev = NULL;
	int prev_key = 0, after_comma_key = 0;

	for (tok = strtok_r(line, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		int is_key = (prev != NULL && strcmp(prev, "Cm") == 0) ||
		    after_comma_key;

		after_comma_key = strcmp(tok, ",") == 0 && prev_key;
		if (is_key && word_len(tok) == strlen(tok) && *tok != '\0') {
			add(s, section, tok, strlen(tok));
			prev_key = 1;
		} else if (strcmp(tok, ",") != 0)
			prev_key = 0;
		prev = tok;
	}
}

static void
man_keys(char *text, struct keyset *s)
{
	char section[64] = "", *line, *save = NULL;
	int in = 0;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, ".Sh ", 4) == 0)
			in = strcmp(line, ".Sh SECTIONS") == 0;
		else if (in && strncmp(line, ".Ss [", 5) == 0)
			section_of(line + 4, section, sizeof section);
		else if (in && strncmp(line, ".It ", 4) == 0 && *section)
			man_item(s, section, line + 4);
	}
}

/* "key = v" and ";key = v" (shown commented out), under "[s]" or ";[s]". */
static void
etc_keys(char *text, struct keyset *s)
{
	char section[64] = "", *line, *save = NULL;
	size_t n;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == ';')
			line++;
		if (*line == '[') {
			section_of(line, section, sizeof section);
			continue;
		}
		n = word_len(line);
		if (n > 0 && *section && line[n + strspn(line + n, " ")] == '=')
			add(s, section, line, n);
	}
}

static void
check_subset(const struct keyset *a, const char *aname,
    const struct keyset *b, const char *bname)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!CHECK(has(b, a->v[i])))
			printf("#   %s in %s but not in %s\n", a->v[i], aname,
			    bname);
}

static void
test_keys(void)
{
	struct keyset table = { { 0 }, 0 }, man = { { 0 }, 0 },
	    etc = { { 0 }, 0 };
	const struct inifile_key *k;
	const char *section;
	char *text;
	size_t i;

	for (i = 0; (k = config_key_doc(i, &section)) != NULL; i++)
		add(&table, section, k->name, strlen(k->name));
	CHECK(table.n > 50);
	if ((text = slurp("man/myship.ini.5.in")) != NULL) {
		man_keys(text, &man);
		free(text);
	}
	if ((text = slurp("etc/myship.ini")) != NULL) {
		etc_keys(text, &etc);
		free(text);
	}
	CHECK(man.n > 0 && etc.n > 0);
	check_subset(&table, "config_keys.c", &man, "myship.ini(5)");
	check_subset(&man, "myship.ini(5)", &table, "config_keys.c");
	check_subset(&table, "config_keys.c", &etc, "etc/myship.ini");
	check_subset(&etc, "etc/myship.ini", &table, "config_keys.c");
	clear(&table);
	clear(&man);
	clear(&etc);
}

#define SAME(field) do { if (!CHECK(a.field == b.field)) \
	printf("#   etc/myship.ini sets " #field " to a non-default\n"); \
	} while (0)
#define SAME_STR(field) CHECK_STR(a.field, b.field)

static void
test_defaults(void)
{
	struct config a, b;
	struct err e;
	char *text;

	if (!CHECK((text = slurp("etc/myship.ini")) != NULL))
		return;
	if (!CHECK(config_load_string(text, "myship.ini", &a, &e) == 0)) {
		printf("#   %s\n", e.msg);
		free(text);
		return;
	}
	CHECK(config_load_string("", "empty.ini", &b, &e) == 0);
	SAME_STR(repository);
	SAME(log_level);
	SAME_STR(lock_file);
	SAME(parallel_hosts);
	SAME(alert_age);
	SAME(compression_level);
	SAME(chunk_size);
	SAME(max_rate);
	SAME(threads);
	SAME_STR(backup_from);
	SAME(max_replica_lag);
	SAME(lock_wait_timeout);
	SAME(restore_threads);
	SAME(restore_analyze);
	SAME(optimize.min_free_ratio);
	SAME(optimize.min_free_bytes);
	SAME(optimize.max_table_size);
	SAME(optimize.max_duration);
	SAME(optimize.binlog);
	SAME(optimize.when);
	SAME(optimize.threads_per_host);
	CHECK_INT(b.compression_level, 1);
	config_free(&a);
	config_free(&b);
	free(text);
}

/*
 * etc/myship.ini shows an example policy, not the default, for these;
 * every other key with a default shows it.
 */
static const char *const etc_examples[] = {
	"retention.keep_last", "retention.keep_daily", "retention.keep_weekly",
	"retention.keep_monthly", "s3.region", "host.tls", "host.role", NULL
};

static int
is_example(const char *k)
{
	size_t i;

	for (i = 0; etc_examples[i] != NULL; i++)
		if (strcmp(etc_examples[i], k) == 0)
			return 1;
	return 0;
}

/* The value etc/myship.ini shows for "section.key", set or commented out. */
static char *
etc_value(const char *etc, const char *want)
{
	char *text = xstrdup(etc), section[64] = "", *line, *save = NULL;
	char *v = NULL, *k, *end;
	size_t n;

	for (line = strtok_r(text, "\n", &save); line != NULL && v == NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == ';')
			line++;
		if (*line == '[') {
			section_of(line, section, sizeof section);
			continue;
		}
		n = word_len(line);
		if (n == 0 || line[n + strspn(line + n, " ")] != '=')
			continue;
		k = xasprintf("%s.%.*s", section, (int)n, line);
		if (strcmp(k, want) == 0) {
			line = strchr(line, '=') + 1;
			line += strspn(line, " \t");
			if ((end = strstr(line, " ;")) != NULL)
				*end = '\0';
			end = line + strlen(line);
			while (end > line && isspace((unsigned char)end[-1]))
				*--end = '\0';
			v = xstrdup(line);
		}
		free(k);
	}
	free(text);
	return v;
}

/* Appends a man page line, its macro names dropped ("Cm", "Pa", "No"). */
static void
flatten(char *out, size_t outsz, char *line)
{
	char *tok, *save = NULL;
	int macro = *line == '.';

	for (tok = strtok_r(line + macro, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (macro && isupper((unsigned char)tok[0]) &&
		    islower((unsigned char)tok[1]) && tok[2] == '\0')
			continue;
		snprintf(out + strlen(out), outsz - strlen(out), "%s ", tok);
	}
}

/*
 * The text of the entry ".It" names "section.key" by in myship.ini(5),
 * up to the next ".It" or ".El", flattened; "" when there is none.
 */
static void
man_entry(const char *man, const char *want, char *out, size_t outsz)
{
	char *text = xstrdup(man), section[64] = "", *line, *save = NULL;
	struct keyset names = { { 0 }, 0 };
	int in = 0, inside = 0;

	*out = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (inside && (strncmp(line, ".It ", 4) == 0 ||
		    strcmp(line, ".El") == 0))
			break;
		if (inside)
			flatten(out, outsz, line);
		else if (strncmp(line, ".Sh ", 4) == 0)
			in = strcmp(line, ".Sh SECTIONS") == 0;
		else if (in && strncmp(line, ".Ss [", 5) == 0)
			section_of(line + 4, section, sizeof section);
		else if (in && strncmp(line, ".It ", 4) == 0 && *section) {
			man_item(&names, section, line + 4);
			inside = has(&names, want);
			clear(&names);
		}
	}
	free(text);
}

/* "Default X" followed by the end, a blank or punctuation. */
static int
states_default(const char *entry, const char *def)
{
	char *want = xasprintf("Default %s", def);
	const char *p;
	int found = 0;

	for (p = strstr(entry, want); p != NULL && !found;
	    p = strstr(p + 1, want))
		found = strchr(" .,;:)", p[strlen(want)]) != NULL;
	free(want);
	return found;
}

static void
check_key(const struct inifile_key *k, const char *section, const char *etc,
    const char *man)
{
	char *key = xasprintf("%s.%s", section, k->name), *v, entry[4096];

	if (!CHECK(k->help != NULL && *k->help != '\0' &&
	    strchr(k->help, '\n') == NULL))
		printf("#   %s: no line of help in config_keys.c\n", key);
	v = etc_value(etc, key);
	if (k->def != NULL && *k->def != '\0') {
		if (!CHECK(v != NULL && (strcmp(v, k->def) == 0) !=
		    is_example(key)))
			printf("#   %s: config_keys.c's default \"%s\", "
			    "etc/myship.ini shows \"%s\"%s\n", key, k->def,
			    v ? v : "nothing", is_example(key) ? ", yet it is "
			    "listed in etc_examples" : "");
		man_entry(man, key, entry, sizeof entry);
		if (!CHECK(states_default(entry, k->def)))
			printf("#   %s: myship.ini(5) does not say \"Default "
			    "%s\"\n", key, k->def);
	} else if (!CHECK(!is_example(key)))
		printf("#   %s: no default, yet listed as an example\n", key);
	free(v);
	free(key);
}

static void
test_table_defaults(void)
{
	const struct inifile_key *k;
	const char *section;
	char *etc, *man;
	size_t i;

	etc = slurp("etc/myship.ini");
	man = slurp("man/myship.ini.5.in");
	if (CHECK(etc != NULL && man != NULL))
		for (i = 0; (k = config_key_doc(i, &section)) != NULL; i++)
			check_key(k, section, etc, man);
	free(etc);
	free(man);
}

int
main(void)
{
	test_keys();
	test_defaults();
	test_table_defaults();
	return tap_done();
}
