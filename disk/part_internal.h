/* SPDX-License-Identifier: MIT */
/* Partition table drivers, as seen by disk/part.c. */
#ifndef DISK_PART_INTERNAL_H
#define DISK_PART_INTERNAL_H

#include <pvboot/part.h>

struct part_driver {
	const char *name;  /* "dos" / "efi" (part_type_name) */
	const char *title; /* "DOS" / "EFI" (part list header) */
	/* 0 if the disk carries this kind of table. */
	int (*test)(struct blk_desc *dev);
	int (*get_info)(struct blk_desc *dev, int part, struct disk_partition *info);
	void (*print)(struct blk_desc *dev);
};

extern const struct part_driver part_driver_dos;
extern const struct part_driver part_driver_efi;

/* Read one whole block of the disk (metadata: goes through the block cache). */
int part_read_block(struct blk_desc *dev, uint64_t lba, void *buf);

/* True if the MBR sector has a protective (0xEE) entry: the disk is GPT's. */
bool part_mbr_is_protective(const uint8_t *mbr);

/* No table found: if the disk has a protective MBR, print why its GPT is unusable. */
void part_efi_explain(struct blk_desc *dev);

#define PART_MAX_BLKSZ 4096

#endif
