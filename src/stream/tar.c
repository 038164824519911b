#include "stream/tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define TAR_BLOCK 512
#define TAR_READ_CHUNK (64 * 1024)
#define TAR_SHOW_MAX 96		/* bytes of a bad name shown in a message */

struct tar_writer {
	struct archive *a;
	struct sink *out;
	struct err sink_err;	/* why the sink refused, if it did */
	int sink_failed;
	void (*body_at)(void *, uint64_t, size_t);
	void *body_arg;
	uint64_t data_offset;	/* of the member added last */
};

struct tar_reader {
	struct archive *a;
	struct source *in;
	struct err src_err;
	int src_failed;
	int at_end;
	int in_member;		/* a header was read: data may be skipped */
	char *buf;
};

static const char *tar_show(const char *, char *, size_t);

static la_ssize_t
tar_write_cb(struct archive *a, void *ctx, const void *p, size_t n)
{
	struct tar_writer *w = ctx;

	if (sink_write(w->out, p, n, &w->sink_err) == -1) {
		w->sink_failed = 1;
		archive_set_error(a, -1, "%s", w->sink_err.msg);
		return -1;
	}
	return (la_ssize_t)n;
}

/* Reports a libarchive failure, preferring the sink's own error. */
static int
tar_writer_fail(struct tar_writer *w, const char *what, struct err *e)
{
	if (w->sink_failed) {
		*e = w->sink_err;
		return -1;
	}
	return err_set(e, ERR_INTERNAL, "tar %s: %s", what,
	    archive_error_string(w->a) != NULL ? archive_error_string(w->a) :
	    "unknown error");
}

struct tar_writer *
tar_writer_new(struct sink *out, struct err *e)
{
	struct tar_writer *w = xcalloc(1, sizeof *w);

	w->out = out;
	if ((w->a = archive_write_new()) == NULL) {
		free(w);
		err_set(e, ERR_INTERNAL, "tar: cannot create writer");
		return NULL;
	}
	if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(w->a, 10240) != ARCHIVE_OK ||
	    archive_write_open(w->a, w, NULL, tar_write_cb, NULL) !=
	    ARCHIVE_OK) {
		tar_writer_fail(w, "open", e);
		tar_writer_free(w);
		return NULL;
	}
	return w;
}

int
tar_writer_add(struct tar_writer *w, const char *name, const void *data,
    size_t len, time_t mtime, struct err *e)
{
	char shown[TAR_SHOW_MAX];
	struct archive_entry *ent;
	const char *p = data;
	la_ssize_t n;
	int rc = -1;

	if (!tar_name_is_safe(name))
		return err_set(e, ERR_INTERNAL, "tar: unsafe member name %s",
		    tar_show(name, shown, sizeof shown));
	ent = archive_entry_new();
	archive_entry_set_pathname(ent, name);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0600);
	archive_entry_set_size(ent, (la_int64_t)len);
	archive_entry_set_mtime(ent, mtime, 0);
	if (archive_write_header(w->a, ent) != ARCHIVE_OK) {
		tar_writer_fail(w, "header", e);
		goto out;
	}
	/* Bytes the format has handed on (before the block buffering): the
	 * headers of this member included, so its data starts here. */
	w->data_offset = (uint64_t)archive_filter_bytes(w->a, -1);
	if (w->body_at != NULL)
		w->body_at(w->body_arg, w->data_offset, len);
	while (len > 0) {
		n = archive_write_data(w->a, p, len);
		if (n <= 0) {
			tar_writer_fail(w, "data", e);
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (archive_write_finish_entry(w->a) != ARCHIVE_OK) {
		tar_writer_fail(w, "entry", e);
		goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		err_prefix(e, "member %s", name);
	archive_entry_free(ent);
	return rc;
}

void
tar_writer_on_body(struct tar_writer *w,
    void (*body_at)(void *arg, uint64_t offset, size_t len), void *arg)
{
	w->body_at = body_at;
	w->body_arg = arg;
}

uint64_t
tar_writer_data_offset(const struct tar_writer *w)
{
	return w->data_offset;
}

int
tar_writer_close(struct tar_writer *w, struct err *e)
{
	if (archive_write_close(w->a) != ARCHIVE_OK)
		return tar_writer_fail(w, "close", e);
	return 0;
}

void
tar_writer_free(struct tar_writer *w)
{
	if (w == NULL)
		return;
	archive_write_free(w->a);
	free(w);
}

static la_ssize_t
tar_read_cb(struct archive *a, void *ctx, const void **p)
{
	struct tar_reader *r = ctx;
	ssize_t n;

	n = source_read(r->in, r->buf, TAR_READ_CHUNK, &r->src_err);
	if (n < 0) {
		r->src_failed = 1;
		archive_set_error(a, -1, "%s", r->src_err.msg);
		return -1;
	}
	*p = r->buf;
	return n;
}

static int
tar_reader_fail(struct tar_reader *r, struct err *e)
{
	const char *s = archive_error_string(r->a);

	if (r->src_failed) {
		*e = r->src_err;
		return -1;
	}
	return err_set(e, ERR_CORRUPT, "tar: %s", s != NULL ? s :
	    "damaged archive");
}

struct tar_reader *
tar_reader_new(struct source *in, struct err *e)
{
	struct tar_reader *r = xcalloc(1, sizeof *r);

	r->in = in;
	r->buf = xmalloc(TAR_READ_CHUNK);
	if ((r->a = archive_read_new()) == NULL) {
		free(r->buf);
		free(r);
		err_set(e, ERR_INTERNAL, "tar: cannot create reader");
		return NULL;
	}
	if (archive_read_support_format_tar(r->a) != ARCHIVE_OK ||
	    archive_read_open(r->a, r, NULL, tar_read_cb, NULL) !=
	    ARCHIVE_OK) {
		tar_reader_fail(r, e);
		tar_reader_free(r);
		return NULL;
	}
	return r;
}

/*
 * A refused name quoted for a one-line message: it comes from the archive,
 * so quotes, backslashes and control or non-ASCII bytes are shown as \xNN
 * and a long one is cut.
 */
static const char *
tar_show(const char *name, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;
	size_t o = 0;

	out[o++] = '"';
	for (; *name != '\0' && o + 8 < len; name++) {
		c = (unsigned char)*name;
		if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	if (*name != '\0') {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static int
tar_entry_check(struct tar_reader *r, struct archive_entry *ent,
    const char *name, struct err *e)
{
	char shown[TAR_SHOW_MAX];

	if (name == NULL)
		return err_set(e, ERR_CORRUPT, "tar: member without a name");
	if (!tar_name_is_safe(name))
		return err_set(e, ERR_CORRUPT, "tar: unsafe member name %s",
		    tar_show(name, shown, sizeof shown));
	if (archive_entry_filetype(ent) != AE_IFREG ||
	    archive_entry_hardlink(ent) != NULL ||
	    archive_entry_symlink(ent) != NULL)
		return err_set(e, ERR_CORRUPT, "tar: member %s is not a "
		    "regular file", name);
	if (!archive_entry_size_is_set(ent) || archive_entry_size(ent) < 0)
		return err_set(e, ERR_CORRUPT, "tar: member %s has no size",
		    name);
	return 0;
}

/*
 * libarchive reports a clean end when the stream stops at a member
 * boundary, as some writers omit the end marker.  Ours never does, so the
 * two zero blocks must have been consumed by the call that saw the end.
 */
static int
tar_reader_end(struct tar_reader *r, la_int64_t before, struct err *e)
{
	la_int64_t after = archive_filter_bytes(r->a, 0);

	if (r->src_failed) {
		*e = r->src_err;
		return -1;
	}
	if (after - before < 2 * TAR_BLOCK)
		return err_set(e, ERR_CORRUPT, "tar: truncated archive "
		    "(no end-of-archive marker)");
	r->at_end = 1;
	return 0;
}

int
tar_reader_next(struct tar_reader *r, const char **name, int64_t *size,
    struct err *e)
{
	struct archive_entry *ent;
	la_int64_t before;
	int rc;

	if (r->at_end)
		return 0;
	/* Skip the rest of the current member so the position is exact. */
	if (r->in_member && archive_read_data_skip(r->a) != ARCHIVE_OK)
		return tar_reader_fail(r, e);
	r->in_member = 0;
	before = archive_filter_bytes(r->a, 0);
	rc = archive_read_next_header(r->a, &ent);
	if (rc == ARCHIVE_EOF)
		return tar_reader_end(r, before, e);
	if (rc != ARCHIVE_OK)
		return tar_reader_fail(r, e);
	r->in_member = 1;
	*name = archive_entry_pathname(ent);
	if (tar_entry_check(r, ent, *name, e) == -1)
		return -1;
	*size = archive_entry_size(ent);
	return 1;
}

uint64_t
tar_reader_offset(const struct tar_reader *r)
{
	return (uint64_t)archive_filter_bytes(r->a, 0);
}

ssize_t
tar_reader_read(struct tar_reader *r, void *p, size_t n, struct err *e)
{
	la_ssize_t got;

	got = archive_read_data(r->a, p, n);
	if (got < 0)
		return tar_reader_fail(r, e);
	return got;
}

void
tar_reader_free(struct tar_reader *r)
{
	if (r == NULL)
		return;
	archive_read_free(r->a);
	free(r->buf);
	free(r);
}

int
tar_name_is_safe(const char *name)
{
	const char *p, *comp = name;
	size_t len;

	if (name == NULL || *name == '\0' || *name == '/')
		return 0;
	for (p = name;; p++) {
		if (*p == '/' || *p == '\0') {
			len = (size_t)(p - comp);
			if (len == 0 || (len == 1 && comp[0] == '.') ||
			    (len == 2 && comp[0] == '.' && comp[1] == '.'))
				return 0;
			if (*p == '\0')
				return 1;
			comp = p + 1;
			continue;
		}
		if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	}
}
