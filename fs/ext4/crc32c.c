// SPDX-License-Identifier: MIT
/* Table-driven CRC32C for ext4 metadata checksums; table built on first use. */
#include "crc32c.h"

static uint32_t table[256];
static bool table_ready;

static void crc32c_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		table[i] = c;
	}
	table_ready = true;
}

uint32_t crc32c_raw(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!table_ready)
		crc32c_init();
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}
