// SPDX-License-Identifier: MIT
/* Byte-addressed reads inside a partition, bounded by the partition's size. */
#include <errno.h>
#include "fs_internal.h"

static bool vol_range_ok(const struct fs_vol *v, uint64_t off, uint64_t len)
{
	return off <= v->bytes && len <= v->bytes - off;
}

static int vol_read(const struct fs_vol *v, uint64_t off, void *buf, uint64_t len,
		    enum blk_read_hint hint)
{
	if (!vol_range_ok(v, off, len) || len > SIZE_MAX)
		return -EIO;
	return blk_pread(v->dev, v->start * v->blksz + off, buf, (size_t)len, hint);
}

int vol_pread(const struct fs_vol *v, uint64_t off, void *buf, size_t len)
{
	return vol_read(v, off, buf, len, BLK_READ_META);
}

int vol_read_data(const struct fs_vol *v, uint64_t off, void *buf, uint64_t len)
{
	return vol_read(v, off, buf, len, BLK_READ_DATA);
}
