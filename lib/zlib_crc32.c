// SPDX-License-Identifier: MIT
/*
 * zlib's crc32(), which inflate calls to check gzip streams, over
 * lib/crc32.c: defining it here keeps zlib's crc32.o (about 12 KiB of code
 * and tables) out of pvboot.bin. Built with pvboot's own C library only:
 * the sandbox links the host's zlib whole.
 */
#include <zlib.h>
#include <pvboot/crc32.h>

uLong crc32(uLong crc, const Bytef *buf, uInt len)
{
	if (!buf)
		return 0;
	return crc32_le((uint32_t)crc, buf, len);
}
