/* SPDX-License-Identifier: MIT */
/* Partition table drivers (disk/part_*.c), as seen by disk/part.c. */
#ifndef DISK_PART_INTERNAL_H
#define DISK_PART_INTERNAL_H

#include <pvboot/part.h>

/* One entry of a table; non-zero stops the walk (and is what the walk returns). */
typedef int (*part_walk_fn)(struct disk_partition *p, void *arg);

struct part_driver {
	const char *name;  /* "dos" / "efi" (part_type_name) */
	const char *title; /* "DOS" / "EFI" (part list header) */
	/* 0 if the disk carries this kind of table. */
	int (*test)(struct blk_desc *dev);
	/*
	 * Read the table once and call fn for each entry in number order, with
	 * start, size, number, bootable, type, uuid and name set (part.c checks
	 * the range against the disk). 0, fn's non-zero value, or -errno.
	 */
	int (*walk)(struct blk_desc *dev, part_walk_fn fn, void *arg);
	void (*print)(struct blk_desc *dev);
	/* Optional: no driver claimed the disk; say why if this kind of table was meant. */
	void (*explain)(struct blk_desc *dev);
};

extern const struct part_driver part_driver_dos;
extern const struct part_driver part_driver_efi;

/* disk/part_read.c: read one whole block of the disk (metadata: through the block cache). */
int part_read_block(struct blk_desc *dev, uint64_t lba, void *buf);

/* True if the MBR sector has a protective (0xEE) entry: the disk is GPT's. */
bool part_mbr_is_protective(const uint8_t *mbr);

#define PART_MAX_BLKSZ 4096

#endif
