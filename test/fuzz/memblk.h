/* SPDX-License-Identifier: MIT */
/* Fuzz support: the input bytes as a disk ("host 0"), logs silenced. */
#ifndef TEST_FUZZ_MEMBLK_H
#define TEST_FUZZ_MEMBLK_H

#include <pvboot/blk.h>

/*
 * Register data as "host 0" with blksz-byte blocks (the tail that does not
 * fill a block is dropped). Returns the device, or NULL if too small.
 */
struct blk_desc *memblk_attach(const uint8_t *data, size_t size, unsigned int blksz);
/* The same, writable: writes land in data. */
struct blk_desc *memblk_attach_rw(uint8_t *data, size_t size, unsigned int blksz);
void memblk_detach(void);

#endif
