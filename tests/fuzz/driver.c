/*
 * A stand-in for libFuzzer's main, so that every fuzz target also runs in
 * `make check` (and under the sanitizer build) in a second or two:
 *
 *   NAME_fuzz [-n MUTATIONS] [-s SEED] [FILE|DIR...]
 *
 * Without arguments it replays $top_srcdir/tests/fuzz/corpus/NAME (NAME
 * from argv[0]) and then MUTATIONS (default 3000, or $FUZZ_ITERATIONS)
 * mutated inputs derived from the corpus by a seeded generator, so a
 * failure reproduces with the seed it prints.  $FUZZ_SAVE=path writes each
 * input there before it runs, to keep the one that crashed.  Output is TAP.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_MAX_INPUT (1024 * 1024)

struct input {
	uint8_t *p;
	size_t len;
};

struct corpus {
	struct input *v;
	size_t n, cap;
};

static int
read_file(const char *path, struct corpus *c)
{
	struct input in = { NULL, 0 };
	FILE *f;
	size_t got;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	in.p = malloc(FUZZ_MAX_INPUT);
	if (in.p == NULL) {
		fclose(f);
		return -1;
	}
	got = fread(in.p, 1, FUZZ_MAX_INPUT, f);
	fclose(f);
	in.len = got;
	in.p = realloc(in.p, got ? got : 1);
	if (in.p == NULL)
		abort();
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
		if (c->v == NULL)
			abort();
	}
	c->v[c->n++] = in;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds a file, or every file of a directory in name order. */
static int
load(const char *path, struct corpus *c)
{
	char **names = NULL, full[4096];
	struct dirent *de;
	struct stat sb;
	size_t n = 0, i;
	DIR *d;

	if (stat(path, &sb) == -1)
		return -1;
	if (!S_ISDIR(sb.st_mode))
		return read_file(path, c);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (names == NULL || (names[n] = strdup(de->d_name)) == NULL)
			abort();
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		if (read_file(full, c) == -1)
			fprintf(stderr, "fuzz: %s: %s\n", full, strerror(errno));
		free(names[i]);
	}
	free(names);
	return 0;
}

/* xorshift64*: deterministic across platforms, good enough to mutate. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static size_t
rnd_below(uint64_t *s, size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd(s) % n);
}

/* One to four random edits of a corpus entry, sometimes spliced. */
static size_t
mutate(uint64_t *s, const struct corpus *c, uint8_t *out)
{
	static const uint8_t special[] = { 0, 1, 0x7f, 0x80, 0xff, '\n', '\\',
	    '%', '=', '[', ']', ';', '#', '/', '.', ' ', '0', '9' };
	const struct input *in = &c->v[rnd_below(s, c->n)];
	const struct input *other;
	size_t len = in->len, edits = 1 + rnd_below(s, 4), pos, n, i, k;

	memcpy(out, in->p, len);
	for (i = 0; i < edits; i++) {
		pos = rnd_below(s, len + 1);
		switch (rnd_below(s, 8)) {
		case 0:		/* flip a bit */
			if (len > 0)
				out[rnd_below(s, len)] ^= 1u << rnd_below(s, 8);
			break;
		case 1:		/* a byte parsers care about */
			if (len > 0)
				out[rnd_below(s, len)] =
				    special[rnd_below(s, sizeof special)];
			break;
		case 2:		/* delete a range */
			n = rnd_below(s, len - pos + 1);
			memmove(out + pos, out + pos + n, len - pos - n);
			len -= n;
			break;
		case 3:		/* duplicate a range */
			n = rnd_below(s, len - pos + 1);
			if (len + n > FUZZ_MAX_INPUT)
				break;
			memmove(out + pos + n, out + pos, len - pos);
			len += n;
			break;
		case 4:		/* insert random bytes */
			n = 1 + rnd_below(s, 16);
			if (len + n > FUZZ_MAX_INPUT)
				break;
			memmove(out + pos + n, out + pos, len - pos);
			for (k = 0; k < n; k++)
				out[pos + k] = (uint8_t)rnd(s);
			len += n;
			break;
		case 5:		/* truncate */
			len = pos;
			break;
		case 6:		/* splice the tail of another entry */
			other = &c->v[rnd_below(s, c->n)];
			n = rnd_below(s, other->len + 1);
			if (pos + other->len - n > FUZZ_MAX_INPUT)
				break;
			memcpy(out + pos, other->p + n, other->len - n);
			len = pos + other->len - n;
			break;
		default:	/* overwrite with a random byte */
			if (len > 0)
				out[rnd_below(s, len)] = (uint8_t)rnd(s);
			break;
		}
	}
	return len;
}

static void
run_one(const uint8_t *p, size_t len, const char *save)
{
	uint8_t *copy;
	FILE *f;

	if (save != NULL && (f = fopen(save, "wb")) != NULL) {
		fwrite(p, 1, len, f);
		fclose(f);
	}
	/* A private copy, exactly sized, so ASan sees overreads. */
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, p, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

/* "tests/fuzz/tar_fuzz" -> "tar" */
static void
target_name(const char *argv0, char *out, size_t outsz)
{
	const char *base = strrchr(argv0, '/');
	size_t n;

	base = base != NULL ? base + 1 : argv0;
	snprintf(out, outsz, "%s", base);
	n = strlen(out);
	if (n > 5 && strcmp(out + n - 5, "_fuzz") == 0)
		out[n - 5] = '\0';
}

int
main(int argc, char **argv)
{
	struct corpus c = { NULL, 0, 0 };
	const char *save = getenv("FUZZ_SAVE"), *env, *top;
	unsigned long long iters = 3000, i, seed = 20240101;
	char name[256], dir[4096];
	uint8_t *buf;
	size_t len;
	int opt;

	if ((env = getenv("FUZZ_ITERATIONS")) != NULL)
		iters = strtoull(env, NULL, 10);
	if ((env = getenv("FUZZ_SEED")) != NULL)
		seed = strtoull(env, NULL, 10);
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n':
			iters = strtoull(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: %s [-n MUTATIONS] [-s SEED] "
			    "[FILE|DIR...]\n", argv[0]);
			return 2;
		}
	}
	target_name(argv[0], name, sizeof name);
	if (optind == argc) {
		top = getenv("top_srcdir");
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s",
		    top != NULL ? top : ".", name);
		if (load(dir, &c) == -1) {
			printf("not ok 1 - %s: cannot read corpus %s\n1..1\n",
			    name, dir);
			return 1;
		}
	}
	for (; optind < argc; optind++) {
		if (load(argv[optind], &c) == -1) {
			fprintf(stderr, "%s: %s\n", argv[optind],
			    strerror(errno));
			return 2;
		}
	}
	if (c.n == 0) {
		printf("not ok 1 - %s: empty corpus\n1..1\n", name);
		return 1;
	}
	printf("# %s: %zu corpus inputs, %llu mutations, seed %llu\n", name,
	    c.n, iters, seed);
	fflush(stdout);
	for (i = 0; i < c.n; i++)
		run_one(c.v[i].p, c.v[i].len, save);
	if ((buf = malloc(FUZZ_MAX_INPUT)) == NULL)
		abort();
	for (i = 0; i < iters; i++) {
		/* Each iteration its own stream: -s S -n N reruns a prefix. */
		uint64_t s = (seed + 1) * 0x9E3779B97F4A7C15ULL + i;

		s |= 1;
		rnd(&s);
		len = mutate(&s, &c, buf);
		run_one(buf, len, save);
	}
	printf("ok 1 - %s: corpus and %llu mutations ran clean\n1..1\n", name,
	    iters);
	free(buf);
	for (i = 0; i < c.n; i++)
		free(c.v[i].p);
	free(c.v);
	return 0;
}
