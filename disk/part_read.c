// SPDX-License-Identifier: MIT
/* What the partition table drivers share: reading a metadata block, the protective MBR test. */
#include <errno.h>
#include "part_internal.h"

int part_read_block(struct blk_desc *dev, uint64_t lba, void *buf)
{
	long ret;

	if (dev->blksz < 512 || dev->blksz > PART_MAX_BLKSZ || (dev->blksz & (dev->blksz - 1)))
		return -EINVAL;
	if (lba >= dev->lba)
		return -EIO;
	ret = blk_read_cached(dev, lba, 1, buf);
	if (ret < 0)
		return (int)ret;
	return ret == 1 ? 0 : -EIO;
}

bool part_mbr_is_protective(const uint8_t *mbr)
{
	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return false;
	for (int i = 0; i < 4; i++)
		if (mbr[446 + 16 * i + 4] == 0xee)
			return true;
	return false;
}
