/*
 * An order-independent fingerprint of a multiset: the sum modulo 2^256 of
 * 256-bit digests (each read as a big-endian number), kept in 32 bytes.
 * The caller hashes each element (a row: FORMAT.md, [table N] values_sum)
 * and adds its digest; the sum does not depend on the order of the adds,
 * and, unlike XOR, an element added twice is not cancelled.  Pure: no
 * hashing here.  An all-zero accumulator is the empty multiset.
 */
#ifndef MYSHIP_SUM256_H
#define MYSHIP_SUM256_H

/* acc += d (mod 2^256), both big-endian. */
void sum256_add(unsigned char acc[32], const unsigned char d[32]);
/* acc as 64 lowercase hex digits and a NUL. */
void sum256_hex(const unsigned char acc[32], char hex[65]);

#endif
