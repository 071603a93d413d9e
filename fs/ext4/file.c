// SPDX-License-Identifier: MIT
/*
 * File data: the mapped runs are streamed to the destination through the
 * block layer; holes and unwritten extents become zeros; inline data comes from
 * the inode itself (i_block plus the "system.data" in-inode xattr).
 */
#include <errno.h>
#include <string.h>
#include <pvboot/log.h>
#include "ext4.h"

#define XATTR_MAGIC 0xea020000
#define XATTR_INDEX_SYSTEM 7
#define INLINE_IBLOCK (EXT4_N_BLOCKS * 4)

/* The in-inode xattr value "system.data": the inline data beyond i_block. */
static int inline_xattr(struct ext4_fs *fs, const struct ext4_inode *in, const uint8_t **val,
			size_t *len)
{
	size_t end = fs->inode_size, base, e;

	*len = 0;
	if (fs->inode_size <= EXT4_GOOD_OLD_INODE_SIZE)
		return 0;
	base = EXT4_GOOD_OLD_INODE_SIZE + get_le16(in->raw + I_EXTRA_ISIZE);
	if (base + 4 > end || get_le32(in->raw + base) != XATTR_MAGIC)
		return 0;
	base += 4;
	for (e = base; e + 16 <= end && get_le32(in->raw + e);) {
		const uint8_t *ent = in->raw + e;
		size_t name_len = ent[0], offs = get_le16(ent + 2), size = get_le32(ent + 8);

		if (e + 16 + name_len > end)
			break;
		if (ent[1] == XATTR_INDEX_SYSTEM && name_len == 4 && !memcmp(ent + 16, "data", 4)) {
			if (get_le32(ent + 4) || offs > end - base || size > end - base - offs) {
				pr_err("ext4: inode %u: inline data xattr out of bounds\n",
				       in->ino);
				return -EUCLEAN;
			}
			*val = in->raw + base + offs;
			*len = size;
			return 0;
		}
		e += ALIGN_UP(16 + name_len, 4);
	}
	return 0;
}

int ext4_inline_data(struct ext4_fs *fs, const struct ext4_inode *in, uint8_t *buf, size_t size,
		     size_t *len)
{
	const uint8_t *xv = NULL;
	size_t xlen, n;
	int ret;

	ret = inline_xattr(fs, in, &xv, &xlen);
	if (ret)
		return ret;
	n = MIN((size_t)INLINE_IBLOCK, size);
	memcpy(buf, in->raw + I_BLOCK, n);
	if (xlen && size > INLINE_IBLOCK) {
		xlen = MIN(xlen, size - INLINE_IBLOCK);
		memcpy(buf + INLINE_IBLOCK, xv, xlen);
		n += xlen;
	}
	*len = n;
	return 0;
}

static int read_inline(struct ext4_fs *fs, const struct ext4_inode *in, uint8_t *buf, uint64_t pos,
		       uint64_t len)
{
	uint8_t data[INLINE_IBLOCK + EXT4_MAX_INODE_SIZE];
	size_t have;
	int ret = ext4_inline_data(fs, in, data, sizeof(data), &have);

	if (ret)
		return ret;
	if (pos + len > have) {
		pr_err("ext4: inode %u: inline data shorter than the file size\n", in->ino);
		return -EUCLEAN;
	}
	memcpy(buf, data + pos, len);
	return 0;
}

/*
 * The whole range is planned run by run and streamed: each mapped run is
 * queued (runs adjacent on disk merge), holes are zeroed in memory with no
 * I/O, and the block layer keeps the disk busy across runs. Every turn maps
 * at least one block, so the loop is bounded by the blocks in the range.
 */
int ext4_read_data(struct ext4_fs *fs, const struct ext4_inode *in, void *buf, uint64_t pos,
		   uint64_t len)
{
	const uint64_t bs = fs->block_size;
	struct blk_stream st;
	uint8_t *dst = buf;
	int ret, err;

	if (in->flags & EXT4_INLINE_DATA_FL)
		return read_inline(fs, in, dst, pos, len);
	ret = vol_stream_begin(&fs->vol, &st);
	while (!ret && len) {
		uint64_t lblk = pos >> fs->log_block, skip = pos & (bs - 1), n;
		struct ext4_run run;

		if (lblk > UINT32_MAX) {
			ret = -EFBIG;
			break;
		}
		ret = ext4_map(fs, in, lblk, DIV_ROUND_UP(skip + len, bs), &run);
		if (ret)
			break;
		n = MIN(run.len * bs - skip, len);
		if (!run.phys)
			memset(dst, 0, n);
		else if (vol_stream_add(&fs->vol, &st, (run.phys << fs->log_block) + skip, dst, n))
			break; /* the stream keeps the error for finish */
		dst += n;
		pos += n;
		len -= n;
	}
	err = vol_stream_finish(&st, ret);
	if (err && !ret)
		pr_err("ext4: inode %u: read error %d\n", in->ino, err);
	return err;
}
