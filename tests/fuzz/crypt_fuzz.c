/*
 * What encryption reads from outside: key files (recipients and identity,
 * which the operator points the policy at) and encrypted members (from a
 * repository nobody should trust).  The first byte picks the parser.
 * Beyond not crashing: a refused key file is a config error naming the
 * file and quoting nothing of it (a secret stays out of messages); an
 * accepted identity has a public key that recipients accept back; and
 * arbitrary bytes fed to the decrypting filter (with a fixed identity)
 * never decrypt to anything: each call fails with a corrupt or config
 * error, or waits for more input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "stream/crypt_filter.h"
#include "stream/crypt_keys.h"
#include "util/buf.h"

static void
fuzz_keys(const char *text, size_t len, int identity)
{
	struct crypt_recipients r;
	struct crypt_identity id;
	struct err e;
	int rc;

	err_clear(&e);
	rc = identity ? crypt_identity_parse(text, len, "fuzz", &id, &e) :
	    crypt_recipients_parse(text, len, "fuzz", &r, &e);
	if (rc == -1) {
		FUZZ_ASSERT(e.kind == ERR_CONFIG);
		FUZZ_ASSERT(strncmp(e.msg, "fuzz", 4) == 0);
		FUZZ_ASSERT(strstr(e.msg, "BASE64") != NULL ||
		    strstr(e.msg, "a second secret key") != NULL ||
		    strstr(e.msg, "more than 16 public keys") != NULL);
		return;
	}
	if (identity)
		crypt_identity_wipe(&id);
	else
		FUZZ_ASSERT(r.n >= 1 && r.n <= CRYPT_RECIPIENTS_MAX);
}

static void
fuzz_member(const uint8_t *p, size_t len)
{
	static const char key[] = "MYSHIP-SECRET1 "
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";
	struct crypt_identity id;
	struct filter *f;
	struct buf out;
	struct err e;
	size_t half = len / 2;

	FUZZ_ASSERT(crypt_identity_parse(key, sizeof key - 1, "k", &id,
	    &e) == 0);
	f = crypt_decrypt_filter_new(&id, &e);
	FUZZ_ASSERT(f != NULL);
	buf_init(&out);
	err_clear(&e);
	if (filter_process(f, p, half, &out, &e) == 0 &&
	    filter_process(f, p + half, len - half, &out, &e) == 0)
		FUZZ_ASSERT(filter_finish(f, &out, &e) == -1);
	FUZZ_ASSERT(e.kind == ERR_CORRUPT || e.kind == ERR_CONFIG);
	FUZZ_ASSERT(out.len == 0);	/* nothing unauthenticated passes */
	buf_free(&out);
	filter_free(f);
	crypt_identity_wipe(&id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_keys((const char *)data + 1, size - 1, 0);
		break;
	case 1:
		fuzz_keys((const char *)data + 1, size - 1, 1);
		break;
	default:
		fuzz_member(data + 1, size - 1);
	}
	return 0;
}
