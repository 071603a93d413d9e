// SPDX-License-Identifier: MIT
/* CRC-32 over any length, on top of zlib's crc32() (see include/pvboot/crc32.h). */
#include <zlib.h>
#include <pvboot/crc32.h>

uint32_t crc32_le(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	/* zlib takes a uInt length: feed it in pieces that fit. */
	while (len) {
		uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;

		crc = (uint32_t)crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}
