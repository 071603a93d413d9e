// SPDX-License-Identifier: MIT
/*
 * Byte-addressed writes inside a partition, the write path beside
 * fs_io.c's reads. Whole device blocks go straight from the caller's buffer
 * in one request; a partial first or last block is read, patched and
 * written back. One call is at most three requests, issued in address
 * order, each complete before the next starts: callers that order their
 * updates for crash safety rely on that.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fs_internal.h"

static bool vol_wrange_ok(const struct fs_vol *v, uint64_t off, uint64_t len)
{
	return off <= v->bytes && len <= v->bytes - off;
}

/* Patch [skip, skip + len) of one device block. */
static int write_partial(const struct fs_vol *v, uint64_t lba, unsigned int skip, const void *buf,
			 unsigned int len)
{
	uint8_t *blk = aligned_alloc(v->blksz, v->blksz);
	long ret;

	if (!blk)
		return -ENOMEM;
	ret = blk_read(v->dev, lba, 1, blk);
	if (ret == 1) {
		memcpy(blk + skip, buf, len);
		ret = blk_write(v->dev, lba, 1, blk);
	}
	free(blk);
	if (ret == 1)
		return 0;
	return ret < 0 ? (int)ret : -EIO;
}

int vol_pwrite(const struct fs_vol *v, uint64_t off, const void *buf, uint64_t len)
{
	const uint8_t *src = buf;
	uint64_t lba;
	unsigned int skip;
	int ret;

	if (!vol_wrange_ok(v, off, len))
		return -EIO;
	if (v->dev->readonly)
		return -EROFS;
	lba = v->start + off / v->blksz;
	skip = off % v->blksz;
	if (skip && len) {
		unsigned int n = MIN((uint64_t)(v->blksz - skip), len);

		ret = write_partial(v, lba, skip, src, n);
		if (ret)
			return ret;
		src += n;
		len -= n;
		lba++;
	}
	if (len >= v->blksz) {
		uint64_t cnt = len / v->blksz;
		long done = blk_write(v->dev, lba, cnt, src);

		if (done < 0)
			return (int)done;
		if ((uint64_t)done != cnt)
			return -EIO;
		src += cnt * v->blksz;
		len -= cnt * v->blksz;
		lba += cnt;
	}
	if (len)
		return write_partial(v, lba, 0, src, (unsigned int)len);
	return 0;
}

int vol_flush(const struct fs_vol *v)
{
	return blk_flush(v->dev);
}
