/* SPDX-License-Identifier: MIT */
/*
 * Little-endian loads from byte buffers of unknown alignment: on-disk
 * structures (partition tables, filesystems) are read through these instead
 * of casting, so a hostile layout cannot cause an unaligned access fault.
 */
#ifndef PVBOOT_GET_LE_H
#define PVBOOT_GET_LE_H

#include <pvboot/compiler.h>

static inline uint16_t get_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t get_le32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t get_le64(const void *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32((const uint8_t *)p + 4) << 32;
}

static inline void put_le16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = v;
	b[1] = v >> 8;
}

static inline void put_le32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

#endif
