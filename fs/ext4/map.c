// SPDX-License-Identifier: MIT
/*
 * Logical -> physical block mapping, returned as the longest run the
 * on-disk structure describes (an extent, or consecutive block pointers), so
 * that file data can be read with one request per run. Extent trees are
 * bounded in depth and entries, and each child must sit exactly one level
 * below its parent, which also stops a tree that points back at itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "crc32c.h"
#include "ext4.h"

#define EXT_MAGIC 0xf30a
#define EXT_MAX_DEPTH 5
#define EXT_INIT_MAX_LEN 32768
#define EXT4_NDIR_BLOCKS 12

static int corrupt(const struct ext4_inode *in, const char *what)
{
	pr_err("ext4: inode %u: %s: filesystem corrupt\n", in->ino, what);
	return -EUCLEAN;
}

static int ext_header(const struct ext4_inode *in, const uint8_t *h, size_t room, int depth,
		      unsigned int *entries)
{
	unsigned int max;

	if (get_le16(h) != EXT_MAGIC)
		return corrupt(in, "bad extent header magic");
	*entries = get_le16(h + 2);
	max = get_le16(h + 4);
	if (*entries > max || 12 + (size_t)max * 12 > room)
		return corrupt(in, "extent node entries out of bounds");
	if (get_le16(h + 6) != depth)
		return corrupt(in, "extent tree depth inconsistent (loop?)");
	return 0;
}

static int ext_block_csum(struct ext4_fs *fs, const struct ext4_inode *in, const uint8_t *b)
{
	size_t tail = 12 + (size_t)get_le16(b + 4) * 12;

	if (!fs->csum)
		return 0;
	if (tail + 4 > fs->block_size)
		return corrupt(in, "extent block has no room for its checksum");
	if (EXT4_CSUM_ENFORCED && crc32c_raw(in->csum_seed, b, tail) != get_le32(b + tail))
		return corrupt(in, "extent block checksum mismatch");
	return 0;
}

static int ext4_map_extent(struct ext4_fs *fs, const struct ext4_inode *in, uint64_t lblk,
			   uint64_t max_len, struct ext4_run *run)
{
	const uint8_t *node = in->raw + I_BLOCK;
	size_t room = EXT4_N_BLOCKS * 4;
	uint64_t bound = UINT64_MAX; /* first logical block after lblk's subtree */
	uint8_t *buf = NULL;
	unsigned int entries = 0;
	int depth, ret;

	depth = get_le16(node + 6);
	if (depth > EXT_MAX_DEPTH) {
		ret = corrupt(in, "extent tree too deep");
		goto out;
	}
	for (;;) {
		ret = ext_header(in, node, room, depth, &entries);
		if (ret)
			goto out;
		if (!depth)
			break;
		/* Last index whose first block is <= lblk. */
		unsigned int i = 0;
		while (i < entries && get_le32(node + 12 + 12 * i) <= lblk)
			i++;
		if (i == 0) {
			uint64_t next = entries ? get_le32(node + 12) : bound;

			run->phys = 0;
			run->len = MIN(MIN(next, bound) - lblk, max_len);
			goto out;
		}
		if (i < entries)
			bound = MIN(bound, (uint64_t)get_le32(node + 12 + 12 * i));
		const uint8_t *idx = node + 12 + 12 * (i - 1);
		uint64_t child = get_le32(idx + 4) | (uint64_t)get_le16(idx + 8) << 32;

		if (!child || child >= fs->blocks_count) {
			ret = corrupt(in, "extent index points outside the filesystem");
			goto out;
		}
		if (!buf) {
			buf = malloc(fs->block_size);
			if (!buf) {
				ret = -ENOMEM;
				goto out;
			}
		}
		ret = vol_pread(&fs->vol, child << fs->log_block, buf, fs->block_size);
		if (ret)
			goto out;
		ret = ext_block_csum(fs, in, buf);
		if (ret)
			goto out;
		node = buf;
		room = fs->block_size;
		depth--;
	}
	/* Leaf: find the extent holding lblk, or the hole before the next one. */
	for (unsigned int i = 0; i < entries; i++) {
		const uint8_t *e = node + 12 + 12 * i;
		uint64_t start = get_le32(e);
		unsigned int len = get_le16(e + 4);
		bool unwritten = len > EXT_INIT_MAX_LEN;
		uint64_t phys = get_le32(e + 8) | (uint64_t)get_le16(e + 6) << 32;

		if (unwritten)
			len -= EXT_INIT_MAX_LEN;
		if (lblk < start) {
			bound = MIN(bound, start);
			break;
		}
		if (lblk >= start + len)
			continue;
		if (phys >= fs->blocks_count || len > fs->blocks_count - phys) {
			ret = corrupt(in, "extent points outside the filesystem");
			goto out;
		}
		run->phys = unwritten ? 0 : phys + (lblk - start);
		run->len = MIN(start + len - lblk, max_len);
		ret = 0;
		goto out;
	}
	run->phys = 0;
	run->len = MIN(bound - lblk, max_len);
	ret = 0;
out:
	free(buf);
	return ret;
}

/* Classic ext2/3 block map: 12 direct, then single, double, triple indirect. */
static int ext4_map_blockmap(struct ext4_fs *fs, const struct ext4_inode *in, uint64_t lblk,
			     uint64_t max_len, struct ext4_run *run)
{
	const uint64_t p = fs->block_size / 4;
	uint64_t span = 1, off = lblk, blk;
	uint8_t *buf = NULL;
	const uint8_t *arr;
	size_t count, idx;
	int level, ret = 0;

	if (lblk < EXT4_NDIR_BLOCKS) {
		arr = in->raw + I_BLOCK;
		count = EXT4_NDIR_BLOCKS;
		idx = lblk;
		goto scan;
	}
	off -= EXT4_NDIR_BLOCKS;
	for (level = 1; level <= 3; level++) {
		span *= p; /* blocks covered by this level's tree */
		if (off < span)
			break;
		off -= span;
	}
	if (level > 3) {
		run->phys = 0;
		run->len = max_len;
		return 0;
	}
	blk = get_le32(in->raw + I_BLOCK + 4 * (EXT4_NDIR_BLOCKS + level - 1));
	/* Walk down to the last indirect block; a zero pointer is a hole for its whole subtree. */
	for (; level >= 1; level--) {
		span /= p; /* blocks covered by each entry at this level */
		if (!blk) {
			run->phys = 0;
			run->len = MIN(span * p - off, max_len);
			goto out;
		}
		if (blk >= fs->blocks_count) {
			ret = corrupt(in, "block pointer outside the filesystem");
			goto out;
		}
		if (level == 1)
			break;
		uint8_t ptr[4];

		ret = vol_pread(&fs->vol, (blk << fs->log_block) + 4 * (off / span), ptr, 4);
		if (ret)
			goto out;
		blk = get_le32(ptr);
		off %= span;
	}
	buf = malloc(fs->block_size);
	if (!buf)
		return -ENOMEM;
	ret = vol_pread(&fs->vol, blk << fs->log_block, buf, fs->block_size);
	if (ret)
		goto out;
	arr = buf;
	count = p;
	idx = off;
scan:
	blk = get_le32(arr + 4 * idx);
	run->phys = blk;
	run->len = 1;
	if (blk >= fs->blocks_count) {
		ret = corrupt(in, "block pointer outside the filesystem");
		goto out;
	}
	while (idx + run->len < count && run->len < max_len) {
		uint64_t next = get_le32(arr + 4 * (idx + run->len));

		if (blk ? next != blk + run->len : next != 0)
			break;
		if (next >= fs->blocks_count)
			break;
		run->len++;
	}
out:
	free(buf);
	return ret;
}

int ext4_map(struct ext4_fs *fs, const struct ext4_inode *in, uint64_t lblk, uint64_t max_len,
	     struct ext4_run *run)
{
	if (!max_len)
		return -EINVAL;
	if (in->flags & EXT4_EXTENTS_FL)
		return ext4_map_extent(fs, in, lblk, max_len, run);
	return ext4_map_blockmap(fs, in, lblk, max_len, run);
}
