/* Key files of client-side encryption (stream/crypt_keys.h). */
#include "stream/crypt_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/config.h"
#include "util/inifile.h"
#include "util/xmalloc.h"

#define PUB_TAG		"myship-pub1"
#define SECRET_TAG	"MYSHIP-SECRET1"
#define KEY_LINE_MAX	512

int
crypt_init(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_INTERNAL, "libsodium cannot initialise");
	return 0;
}

/* One line's tag and key: 1 with a key, 0 for a blank or comment line. */
static int
key_line(const char *line, size_t len, const char *tag,
    unsigned char key[CRYPT_KEY_BYTES])
{
	char word[KEY_LINE_MAX], b64[KEY_LINE_MAX];
	size_t i = 0, n, bin;
	const char *end;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == len || line[i] == '#')
		return 0;
	if (len - i >= KEY_LINE_MAX)
		return -1;
	memcpy(word, line + i, len - i);
	word[len - i] = '\0';
	n = strcspn(word, " \t");
	if (n != strlen(tag) || strncmp(word, tag, n) != 0)
		return -1;
	i = n + strspn(word + n, " \t");
	n = strcspn(word + i, " \t\r");
	memcpy(b64, word + i, n);
	b64[n] = '\0';
	if (sodium_base642bin(key, CRYPT_KEY_BYTES, b64, n, NULL, &bin, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || bin != CRYPT_KEY_BYTES ||
	    *end != '\0') {
		sodium_memzero(word, sizeof word);
		sodium_memzero(b64, sizeof b64);
		return -1;
	}
	sodium_memzero(word, sizeof word);
	sodium_memzero(b64, sizeof b64);
	return 1;
}

/* Calls fn for each key line; the first bad line fails naming its number. */
static int
key_lines(const char *text, size_t len, const char *name, const char *tag,
    const char *what, int (*fn)(void *, const unsigned char *, int,
    struct err *), void *arg, struct err *e)
{
	unsigned char key[CRYPT_KEY_BYTES];
	size_t off = 0, n;
	int line = 0, rc;
	const char *nl;

	while (off < len) {
		nl = memchr(text + off, '\n', len - off);
		n = nl ? (size_t)(nl - (text + off)) : len - off;
		line++;
		if ((rc = key_line(text + off, n, tag, key)) == -1)
			return err_set(e, ERR_CONFIG, "%s:%d: not a %s line "
			    "(%s BASE64)", name, line, what, tag);
		if (rc == 1 && fn(arg, key, line, e) == -1) {
			sodium_memzero(key, sizeof key);
			return err_prefix(e, "%s:%d", name, line);
		}
		off += n + (nl != NULL);
	}
	sodium_memzero(key, sizeof key);
	return 0;
}

static int
add_recipient(void *arg, const unsigned char *key, int line, struct err *e)
{
	struct crypt_recipients *r = arg;

	(void)line;
	if (r->n == CRYPT_RECIPIENTS_MAX)
		return err_set(e, ERR_CONFIG, "more than %d public keys",
		    CRYPT_RECIPIENTS_MAX);
	memcpy(r->pk[r->n++], key, CRYPT_KEY_BYTES);
	return 0;
}

int
crypt_recipients_parse(const char *text, size_t len, const char *name,
    struct crypt_recipients *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (crypt_init(e) == -1 || key_lines(text, len, name, PUB_TAG,
	    "public key", add_recipient, r, e) == -1)
		return -1;
	if (r->n == 0)
		return err_set(e, ERR_CONFIG, "%s: no public key (a line %s "
		    "BASE64, as myship keygen writes to FILE.pub)", name,
		    PUB_TAG);
	return 0;
}

int
crypt_recipients_load(const char *path, struct crypt_recipients *r,
    struct err *e)
{
	size_t len;
	char *text;
	int rc;

	if ((text = inifile_slurp(path, &len, ERR_CONFIG, e)) == NULL)
		return -1;
	rc = crypt_recipients_parse(text, len, path, r, e);
	free(text);
	return rc;
}

static int
set_identity(void *arg, const unsigned char *key, int line, struct err *e)
{
	struct crypt_identity *id = arg;

	(void)line;
	if (!sodium_is_zero(id->sk, CRYPT_KEY_BYTES))
		return err_set(e, ERR_CONFIG, "a second secret key");
	memcpy(id->sk, key, CRYPT_KEY_BYTES);
	return 0;
}

int
crypt_identity_parse(const char *text, size_t len, const char *name,
    struct crypt_identity *id, struct err *e)
{
	memset(id, 0, sizeof *id);
	if (crypt_init(e) == -1 || key_lines(text, len, name, SECRET_TAG,
	    "secret key", set_identity, id, e) == -1) {
		crypt_identity_wipe(id);
		return -1;
	}
	if (sodium_is_zero(id->sk, CRYPT_KEY_BYTES))
		return err_set(e, ERR_CONFIG, "%s: no secret key (a line %s "
		    "BASE64, as myship keygen writes)", name, SECRET_TAG);
	crypto_scalarmult_base(id->pk, id->sk);
	return 0;
}

int
crypt_identity_load(const char *path, struct crypt_identity *id,
    struct err *e)
{
	size_t len;
	char *text;
	int rc;

	if (config_check_private(path, e) == -1 ||
	    (text = inifile_slurp(path, &len, ERR_CONFIG, e)) == NULL)
		return -1;
	rc = crypt_identity_parse(text, len, path, id, e);
	sodium_memzero(text, len);
	free(text);
	return rc;
}

void
crypt_identity_wipe(struct crypt_identity *id)
{
	sodium_memzero(id, sizeof *id);
}

int
crypt_identity_check(const struct crypt_identity *id, const char *ids,
    struct err *e)
{
	char mine[17];
	const char *p;
	size_t n;

	if (ids == NULL)
		return 0;
	crypt_key_id_hex(id->pk, mine);
	for (p = ids; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == 16 && strncmp(p, mine, 16) == 0)
			return 0;
	}
	return err_set(e, ERR_CONFIG, "encrypted to key id %s, not to the "
	    "identity's (key id %s)", ids, mine);
}

void
crypt_key_id(const unsigned char pk[CRYPT_KEY_BYTES],
    unsigned char id[CRYPT_ID_BYTES])
{
	crypto_generichash(id, CRYPT_ID_BYTES, pk, CRYPT_KEY_BYTES, NULL, 0);
}

void
crypt_key_id_hex(const unsigned char pk[CRYPT_KEY_BYTES], char out[17])
{
	unsigned char id[CRYPT_ID_BYTES];

	crypt_key_id(pk, id);
	sodium_bin2hex(out, 17, id, sizeof id);
}

/* Writes text to path, created with mode (never over an existing file). */
static int
write_new(const char *path, const char *text, mode_t mode, struct err *e)
{
	size_t len = strlen(text);
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)) == -1)
		return err_setsys(e, ERR_CONFIG, "%s", path);
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1) {
		err_setsys(e, ERR_CONFIG, "%s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		unlink(path);
		return err_setsys(e, ERR_CONFIG, "%s", path);
	}
	return 0;
}

int
crypt_keygen(const char *path, struct err *e)
{
	unsigned char pk[CRYPT_KEY_BYTES], sk[CRYPT_KEY_BYTES];
	char b64[sodium_base64_ENCODED_LEN(CRYPT_KEY_BYTES,
	    sodium_base64_VARIANT_ORIGINAL)], line[KEY_LINE_MAX], hex[17];
	char *pub = xasprintf("%s.pub", path);
	int rc = -1;

	if (crypt_init(e) == -1)
		goto out;
	crypto_box_keypair(pk, sk);
	crypt_key_id_hex(pk, hex);
	sodium_bin2base64(b64, sizeof b64, sk, sizeof sk,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "# myship identity, key id %s: keep it "
	    "secret, away from the hosts that make backups\n%s %s\n", hex,
	    SECRET_TAG, b64);
	if (write_new(path, line, 0600, e) == -1)
		goto out;
	sodium_bin2base64(b64, sizeof b64, pk, sizeof pk,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(line, sizeof line, "%s %s key-id-%s\n", PUB_TAG, b64, hex);
	if (write_new(pub, line, 0644, e) == -1) {
		unlink(path);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(line, sizeof line);
	sodium_memzero(b64, sizeof b64);
	free(pub);
	return rc;
}
