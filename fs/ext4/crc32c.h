/* SPDX-License-Identifier: MIT */
#ifndef FS_EXT4_CRC32C_H
#define FS_EXT4_CRC32C_H

#include <pvboot/compiler.h>

/*
 * CRC32C (Castagnoli, reflected poly 0x82f63b78) without pre/post inversion:
 * ext4 chains it from a seed (~0 or the filesystem's checksum seed).
 */
uint32_t crc32c_raw(uint32_t crc, const void *buf, size_t len);

#endif
