/* SPDX-License-Identifier: MIT */
/* Partition tables (MBR/DOS, GPT) and "iface dev[:part]" parsing. */
#ifndef PVBOOT_PART_H
#define PVBOOT_PART_H

#include <pvboot/blk.h>

struct disk_partition {
	uint64_t start; /* in blocks of the device */
	uint64_t size;	/* in blocks */
	unsigned int blksz;
	char name[72]; /* GPT name (UTF-8) or "" */
	char type[40]; /* MBR "0x83" or GPT type GUID */
	char uuid[40]; /* GPT partition GUID or MBR "<disksig>-<nn>" */
	bool bootable;
	int number; /* 1-based */
};

/* Whole disk pseudo-partition (part 0 when the disk has no table). */
void part_whole_disk(struct blk_desc *dev, struct disk_partition *info);
/* Info for partition number part (1-based). 0 or -ENOENT / -EINVAL / -EIO. */
int part_get_info(struct blk_desc *dev, int part, struct disk_partition *info);
/*
 * The partitions of dev's table, read once, in number order (the first
 * PART_LIST_MAX; entries outside the disk left out): the count, with
 * *parts to free(); 0 with *parts NULL if there is no table or no entry in
 * it; -errno. Loops over partitions use this, not part_get_info() per
 * number, which reads the table each time.
 */
#define PART_LIST_MAX 128
int part_list(struct blk_desc *dev, struct disk_partition **parts);
/* "dos", "efi" or NULL. */
const char *part_type_name(struct blk_desc *dev);
void part_print(struct blk_desc *dev);
/*
 * Parse "iface" + "dev[:part]" (U-Boot: "pvblock" "0:1"; numbers in hex).
 * As U-Boot's blk_get_device_part_str(): no partition table = whole disk;
 * part 0 = whole disk; part omitted = partition 1; "auto" = first bootable
 * partition, else the first valid one; "#name" = GPT partition by name.
 * Returns 0 with *dev and *info set (info->number: the partition, 0 for the
 * whole disk), or -errno with a message printed.
 */
int part_get_info_by_dev_and_part(const char *iface, const char *dev_part_str,
				  struct blk_desc **dev, struct disk_partition *info);

#endif
