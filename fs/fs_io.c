// SPDX-License-Identifier: MIT
/* Reads inside a partition, bounded by the partition's size. */
#include <errno.h>
#include "fs_internal.h"

static bool vol_range_ok(const struct fs_vol *v, uint64_t off, uint64_t len)
{
	return off <= v->bytes && len <= v->bytes - off;
}

int vol_pread(const struct fs_vol *v, uint64_t off, void *buf, size_t len)
{
	if (!vol_range_ok(v, off, len))
		return -EIO;
	return blk_pread(v->dev, v->start * v->blksz + off, buf, len, BLK_READ_META);
}

int vol_stream_begin(const struct fs_vol *v, struct blk_stream *s)
{
	return blk_stream_init(s, v->dev);
}

int vol_stream_add(const struct fs_vol *v, struct blk_stream *s, uint64_t off, void *buf,
		   uint64_t len)
{
	if (!vol_range_ok(v, off, len) || len > SIZE_MAX) {
		if (!s->err)
			s->err = -EIO;
		return s->err;
	}
	return blk_stream_add(s, v->start * v->blksz + off, buf, (size_t)len);
}

int vol_stream_finish(struct blk_stream *s, int err)
{
	return blk_stream_finish(s, err);
}
