/* SPDX-License-Identifier: MIT */
/* Shared body of fuzz_mbr and fuzz_gpt: every partition entry point. */
#ifndef TEST_FUZZ_FUZZ_PART_H
#define TEST_FUZZ_FUZZ_PART_H

#include <stdio.h>
#include <stdlib.h>
#include <pvboot/part.h>
#include "memblk.h"

static inline void fuzz_partitions(const uint8_t *data, size_t size)
{
	struct disk_partition info, *parts;
	struct blk_desc *dev, *got;
	int n;
	static FILE *devnull;
	FILE *saved = stdout;

	/* The first byte picks the sector size: 512 or 4096. */
	if (!size)
		return;
	dev = memblk_attach(data + 1, size - 1, data[0] & 1 ? 4096 : 512);
	if (!dev)
		return;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	stdout = devnull;
	part_type_name(dev);
	part_print(dev);
	for (int p = 1; p <= 20; p++) {
		if (!part_get_info(dev, p, &info) &&
		    (info.start >= dev->lba || info.size > dev->lba - info.start))
			abort(); /* a partition past the disk must never be handed out */
	}
	n = part_list(dev, &parts);
	for (int i = 0; i < n; i++)
		if (parts[i].start >= dev->lba || parts[i].size > dev->lba - parts[i].start ||
		    (i && parts[i].number <= parts[i - 1].number))
			abort(); /* in range, in number order */
	free(parts);
	part_get_info_by_dev_and_part("host", "0", &got, &info);
	part_get_info_by_dev_and_part("host", "0:auto", &got, &info);
	part_get_info_by_dev_and_part("host", "0#rootfs", &got, &info);
	stdout = saved;
	blk_cache_invalidate(dev);
	memblk_detach();
}

#endif
