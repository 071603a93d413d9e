/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320): the one of zlib, gzip,
 * U-Boot's `crc32` command and uImage headers.
 *
 * Decision: pvboot does not carry its own table. zlib is linked on both
 * targets (inflate for gzip'd kernels verifies with zlib's crc32(), so its
 * tables are in the image anyway); calling crc32() from <zlib.h> directly is
 * fine. crc32_le() only adds what zlib lacks: a size_t length (zlib's is
 * 32-bit) and a plain C signature.
 */
#ifndef PVBOOT_CRC32_H
#define PVBOOT_CRC32_H

#include <pvboot/compiler.h>

/* Continue crc (0 to start) over len bytes; crc32_le(0, "123456789", 9) == 0xcbf43926. */
uint32_t crc32_le(uint32_t crc, const void *buf, size_t len);

#endif
