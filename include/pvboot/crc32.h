/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320): the one of zlib, gzip,
 * U-Boot's `crc32` command and uImage headers.
 *
 * pvboot carries its own (lib/crc32.c, tables computed into .bss): on the
 * target it also provides zlib's crc32() for inflate, which keeps zlib's
 * 12 KiB crc32.o out of pvboot.bin. crc32_le() takes a size_t length.
 */
#ifndef PVBOOT_CRC32_H
#define PVBOOT_CRC32_H

#include <pvboot/compiler.h>

/* Continue crc (0 to start) over len bytes; crc32_le(0, "123456789", 9) == 0xcbf43926. */
uint32_t crc32_le(uint32_t crc, const void *buf, size_t len);

#endif
