/* Sums of 256-bit digests (util/sum256.h). */
#include "util/sum256.h"

void
sum256_add(unsigned char acc[32], const unsigned char d[32])
{
	unsigned carry = 0;
	int i;

	for (i = 31; i >= 0; i--) {
		carry += (unsigned)acc[i] + d[i];
		acc[i] = (unsigned char)(carry & 0xff);
		carry >>= 8;
	}
}

void
sum256_hex(const unsigned char acc[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[acc[i] >> 4];
		hex[2 * i + 1] = digits[acc[i] & 0xf];
	}
	hex[64] = '\0';
}
