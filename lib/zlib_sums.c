// SPDX-License-Identifier: MIT
/*
 * zlib's checksums, crc32() (over lib/crc32.c) and adler32(), which inflate
 * calls to check gzip and zlib streams. Defining them here keeps zlib's
 * crc32.o (about 12 KiB of code and tables) and its unrolled adler32.o
 * (about 1.5 KiB) out of pvboot.bin. Built with pvboot's own C library
 * only: the sandbox links the host's zlib whole.
 */
#include <zlib.h>
#include <pvboot/crc32.h>

#define ADLER_MOD 65521u /* the largest prime below 2^16 (RFC 1950) */
#define ADLER_NMAX 5552u /* bytes summed before b could pass 2^32 */

uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
	if (!buf)
		return 0;
	return crc32_le((uint32_t)crc, buf, len);
}

uLong adler32(uLong adler, const Bytef *buf, uInt len)
{
	uint32_t a = adler & 0xffff, b = (adler >> 16) & 0xffff;

	if (!buf)
		return 1;
	while (len) {
		uInt n = len < ADLER_NMAX ? len : ADLER_NMAX;

		len -= n;
		while (n--) {
			a += *buf++;
			b += a;
		}
		a %= ADLER_MOD;
		b %= ADLER_MOD;
	}
	return (uLong)b << 16 | a;
}
