// SPDX-License-Identifier: MIT
/* Byte-addressed reads inside a partition, bounded by the partition's size. */
#include <errno.h>
#include <string.h>
#include "fs_internal.h"

static bool vol_range_ok(const struct fs_vol *v, uint64_t off, uint64_t len)
{
	return off <= v->bytes && len <= v->bytes - off;
}

int vol_pread(const struct fs_vol *v, uint64_t off, void *buf, size_t len)
{
	if (!vol_range_ok(v, off, len))
		return -EIO;
	return blk_pread(v->dev, v->start * v->blksz + off, buf, len);
}

/* One partial block: through a bounce buffer so we never write past buf. */
static int read_partial(const struct fs_vol *v, uint64_t lba, unsigned int skip, void *buf,
			unsigned int len)
{
	static uint8_t bounce[4096] __aligned(64);
	long ret;

	if (v->blksz > sizeof(bounce))
		return -EINVAL;
	ret = blk_read(v->dev, lba, 1, bounce);
	if (ret != 1)
		return ret < 0 ? (int)ret : -EIO;
	memcpy(buf, bounce + skip, len);
	return 0;
}

int vol_read_data(const struct fs_vol *v, uint64_t off, void *buf, uint64_t len)
{
	uint8_t *dst = buf;
	uint64_t lba;
	unsigned int skip;
	int ret;

	if (!vol_range_ok(v, off, len))
		return -EIO;
	lba = v->start + off / v->blksz;
	skip = off % v->blksz;
	if (skip && len) {
		unsigned int n = MIN((uint64_t)(v->blksz - skip), len);

		ret = read_partial(v, lba, skip, dst, n);
		if (ret)
			return ret;
		dst += n;
		len -= n;
		lba++;
	}
	if (len >= v->blksz) {
		uint64_t cnt = len / v->blksz;
		long got = blk_read(v->dev, lba, cnt, dst);

		if (got < 0)
			return (int)got;
		if ((uint64_t)got != cnt)
			return -EIO;
		dst += cnt * v->blksz;
		len -= cnt * v->blksz;
		lba += cnt;
	}
	if (len)
		return read_partial(v, lba, 0, dst, (unsigned int)len);
	return 0;
}
