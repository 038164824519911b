/* myship list [--host NAME] [--json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/cmd.h"
#include "policy/manifest.h"
#include "repo/repo.h"
#include "util/json.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

enum list_state { LIST_COMPLETE, LIST_INCOMPLETE, LIST_DAMAGED,
    LIST_PARTIAL };

/* partial: complete and restorable, but objects were skipped */
static const char *list_state_names[] = { "complete", "incomplete",
    "damaged", "partial" };

struct list_row {
	const struct repo_entry *ent;
	enum list_state state;
	char started[32];	/* "YYYY-MM-DDTHH:MM:SSZ" */
	double duration;	/* < 0: unknown */
	int64_t bytes;		/* < 0: unknown */
	size_t skipped;		/* objects the backup left out */
};

/* The id is the start time; the manifest's own value is used if sane. */
static void
list_started(struct list_row *row, const char *from_manifest)
{
	const char *id = row->ent->id;
	int i;

	if (from_manifest != NULL && strlen(from_manifest) == 20) {
		for (i = 0; i < 20; i++) {
			char want = "dddd-dd-ddTdd:dd:ddZ"[i];
			char c = from_manifest[i];

			if (want == 'd' ? (c < '0' || c > '9') : c != want)
				break;
		}
		if (i == 20) {
			memcpy(row->started, from_manifest, 21);
			return;
		}
	}
	snprintf(row->started, sizeof row->started,
	    "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", id, id + 4, id + 6, id + 9,
	    id + 11, id + 13);
}

static void
list_read_manifest(struct repo *r, struct list_row *row)
{
	struct manifest m;
	struct buf b;
	struct err e;
	char *name;

	buf_init(&b);
	name = xasprintf("%s/%s/%s", row->ent->host, row->ent->id,
	    REPO_MANIFEST);
	if (repo_get(r, row->ent->host, row->ent->id, REPO_MANIFEST, &b,
	    &e) == -1 || manifest_parse(b.data, b.len, name, &m, &e) == -1) {
		log_warn("%s", e.msg);
		row->state = LIST_DAMAGED;
		list_started(row, NULL);
		free(name);
		buf_free(&b);
		return;
	}
	free(name);
	list_started(row, m.started);
	row->duration = m.duration;
	row->bytes = (int64_t)m.archive_bytes;
	if ((row->skipped = manifest_skipped(&m)) > 0)
		row->state = LIST_PARTIAL;
	manifest_free(&m);
	buf_free(&b);
}

static void
list_fill(struct repo *r, const struct repo_entry *ent, struct list_row *row)
{
	memset(row, 0, sizeof *row);
	row->ent = ent;
	row->duration = -1;
	row->bytes = ent->archive_bytes;
	if (ent->complete) {
		row->state = LIST_COMPLETE;
		list_read_manifest(r, row);
	} else {
		row->state = LIST_INCOMPLETE;
		list_started(row, NULL);
	}
}

static void
list_json_row(struct buf *b, const struct list_row *row)
{
	buf_append_str(b, "{\"id\":");
	json_append_string(b, row->ent->id);
	buf_append_str(b, ",\"host\":");
	json_append_string(b, row->ent->host);
	buf_append_str(b, ",\"started\":");
	json_append_string(b, row->started);
	if (row->duration >= 0)
		buf_printf(b, ",\"duration_seconds\":%.3f", row->duration);
	else
		buf_append_str(b, ",\"duration_seconds\":null");
	if (row->bytes >= 0)
		buf_printf(b, ",\"bytes\":%lld", (long long)row->bytes);
	else
		buf_append_str(b, ",\"bytes\":null");
	buf_append_str(b, ",\"state\":");
	json_append_string(b, list_state_names[row->state]);
	buf_printf(b, ",\"skipped\":%zu}", row->skipped);
}

static void
list_text_row(struct buf *b, const struct list_row *row)
{
	char dur[32] = "-", size[32] = "-", started[32];

	if (row->duration >= 0)
		format_duration(row->duration, dur, sizeof dur);
	if (row->bytes >= 0)
		format_size((uint64_t)row->bytes, size, sizeof size);
	/* "YYYY-MM-DD HH:MM:SS": the header says UTC. */
	snprintf(started, sizeof started, "%.10s %.8s", row->started,
	    row->started + 11);
	buf_printf(b, "%-16s  %-16s  %-19s  %10s  %10s  %s\n", row->ent->id,
	    row->ent->host, started, dur, size,
	    list_state_names[row->state]);
}

static void
list_print(struct repo *r, const struct repo_entry *v, size_t n, int json)
{
	struct list_row row;
	struct buf b;
	size_t i;

	buf_init(&b);
	if (json)
		buf_append_char(&b, '[');
	else
		buf_printf(&b, "%-16s  %-16s  %-19s  %10s  %10s  %s\n", "ID",
		    "HOST", "STARTED (UTC)", "DURATION", "SIZE", "STATE");
	for (i = 0; i < n; i++) {
		list_fill(r, &v[i], &row);
		if (json) {
			if (i > 0)
				buf_append_char(&b, ',');
			list_json_row(&b, &row);
		} else
			list_text_row(&b, &row);
	}
	if (json)
		buf_append_str(&b, "]\n");
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

static int
cmd_list(struct cmd_ctx *ctx, const struct cmd_args *a, struct err *e)
{
	const char *host = args_get(a, "host");
	struct repo_entry *v = NULL;
	struct repo *r;
	size_t n = 0;

	/* A host no longer in the policy may still have backups: allow it. */
	if (host != NULL && !repo_host_is_valid(host))
		return err_set(e, ERR_USAGE, "--host: invalid host name");
	if ((r = repo_open(ctx->cfg, e)) == NULL)
		return -1;
	if (repo_list(r, host, &v, &n, e) == -1) {
		repo_close(r);
		return -1;
	}
	list_print(r, v, n, args_count(a, "json") > 0);
	repo_entries_free(v, n);
	repo_close(r);
	return 0;
}

static const struct cmd_option list_options[] = {
	{ "host", 'H', 1, 0, "only this host's backups, in the policy or not",
	    NULL },
	{ "json", 'j', 0, 0, "one JSON array instead of the table", NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.summary = "list backups in the repository",
	.usage = "usage: myship list [--host NAME] [--json]",
	.options = list_options,
	.hosts = CMD_HOSTS_NONE,
	.flags = CMD_POLICY,
	.exec = cmd_list,
};
