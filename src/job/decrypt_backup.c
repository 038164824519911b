/* An encrypted backup made plain for the stock tools (job/decrypt_backup.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job/decrypt_backup.h"
#include "stream/codec.h"
#include "stream/crypt_filter.h"
#include "stream/tar.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct decrypt {
	const struct crypt_identity *ident;
	struct tar_writer *tw;
	struct buf plain;
	time_t mtime;
};

/* One member that verified: decrypted (not decompressed) into the tar. */
static int
decrypt_member(void *arg, const char *member, const struct buf *stored,
    struct err *e)
{
	struct decrypt *d = arg;
	struct filter *f;
	char *name;
	int rc;

	if (!codec_is_encrypted(member))
		return tar_writer_add(d->tw, member, stored->data, stored->len,
		    d->mtime, e);
	if ((f = crypt_decrypt_filter_new(d->ident, e)) == NULL)
		return -1;
	buf_reset(&d->plain);
	rc = filter_process(f, stored->data, stored->len, &d->plain, e);
	if (rc == 0)
		rc = filter_finish(f, &d->plain, e);
	filter_free(f);
	if (rc == -1)
		return err_prefix(e, "member %s", member);
	name = xstrndup(member, strlen(member) - strlen(".enc"));
	rc = tar_writer_add(d->tw, name, d->plain.data, d->plain.len,
	    d->mtime, e);
	free(name);
	return rc;
}

int
decrypt_backup(struct repo *r, const char *host, const char *id_arg,
    const struct crypt_identity *ident, struct sink *out,
    struct verify_report *v, struct err *e)
{
	struct decrypt d;
	struct verify_opts o = { ident, decrypt_member, &d, 0 };
	int rc = -1;

	memset(&d, 0, sizeof d);
	d.ident = ident;
	d.mtime = time(NULL);
	buf_init(&d.plain);
	if ((d.tw = tar_writer_new(out, e)) == NULL)
		goto out;
	if (verify_backup(r, host, id_arg, &o, v, e) == -1 ||
	    tar_writer_close(d.tw, e) == -1)
		goto out;
	rc = sink_finish(out, e);
out:
	if (rc == -1)
		sink_abort(out);
	tar_writer_free(d.tw);
	if (d.plain.len > 0)
		memset(d.plain.data, 0, d.plain.len);
	buf_free(&d.plain);
	return rc;
}
