#include <string.h>

#include "stream/hash.h"
#include "tap.h"

int
main(void)
{
	char hex[65], b64[25];
	unsigned char d[32];
	struct hash *h;
	size_t n;

	/* Known vectors (FIPS 180-2, RFC 1321, RFC 1864 style). */
	hash_hex(HASH_SHA256, "abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	hash_hex(HASH_SHA256, "", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	hash_hex(HASH_MD5, "abc", 3, hex);
	CHECK_STR(hex, "900150983cd24fb0d6963f7d28e17f72");
	hash_md5_base64("", 0, b64);
	CHECK_STR(b64, "1B2M2Y8AsgTpgAmY7PhCfg==");

	/* Incremental equals one-shot, and final resets for reuse. */
	h = hash_new(HASH_SHA256);
	hash_update(h, "a", 1);
	hash_update(h, "bc", 2);
	n = hash_final(h, d);
	CHECK_INT(n, 32);
	hash_to_hex(d, n, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	hash_update(h, "abc", 3);
	hash_final(h, d);
	hash_to_hex(d, 32, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	hash_free(h);
	hash_free(NULL);
	return tap_done();
}
