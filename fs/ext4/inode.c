// SPDX-License-Identifier: MIT
/* Locate, read and (with metadata_csum) verify an inode. */
#include <errno.h>
#include <string.h>
#include <pvboot/log.h>
#include "crc32c.h"
#include "ext4.h"

static int ext4_inode_csum_ok(struct ext4_fs *fs, struct ext4_inode *in)
{
	uint8_t tmp[EXT4_MAX_INODE_SIZE];
	uint32_t le, c, want;
	bool has_hi = false;

	memcpy(tmp, in->raw, fs->inode_size);
	tmp[I_CHECKSUM_LO] = tmp[I_CHECKSUM_LO + 1] = 0;
	want = get_le16(in->raw + I_CHECKSUM_LO);
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
	    get_le16(in->raw + I_EXTRA_ISIZE) >= I_CHECKSUM_HI + 2 - EXT4_GOOD_OLD_INODE_SIZE) {
		has_hi = true;
		tmp[I_CHECKSUM_HI] = tmp[I_CHECKSUM_HI + 1] = 0;
		want |= (uint32_t)get_le16(in->raw + I_CHECKSUM_HI) << 16;
	}
	put_le32(&le, in->ino);
	c = crc32c_raw(fs->csum_seed, &le, 4);
	c = crc32c_raw(c, in->raw + I_GENERATION, 4);
	in->csum_seed = c;
	c = crc32c_raw(c, tmp, fs->inode_size);
	if (!has_hi)
		c &= 0xffff;
	return c == want;
}

int ext4_read_inode(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *in)
{
	uint64_t table, off;
	uint32_t g, idx;
	int ret;

	if (ino < 1 || ino > fs->inodes_count) {
		pr_err("ext4: inode number %u out of range\n", ino);
		return -EUCLEAN;
	}
	g = (ino - 1) / fs->inodes_per_group;
	idx = (ino - 1) % fs->inodes_per_group;
	ret = ext4_group_inode_table(fs, g, &table);
	if (ret)
		return ret;
	off = (table << fs->log_block) + (uint64_t)idx * fs->inode_size;
	ret = vol_pread(&fs->vol, off, in->raw, fs->inode_size);
	if (ret)
		return ret;
	in->ino = ino;
	in->mode = get_le16(in->raw + I_MODE);
	in->flags = get_le32(in->raw + I_FLAGS);
	in->size = get_le32(in->raw + I_SIZE_LO) | (uint64_t)get_le32(in->raw + I_SIZE_HIGH) << 32;
	in->csum_seed = 0;
	if (fs->csum && !ext4_inode_csum_ok(fs, in) && EXT4_CSUM_ENFORCED) {
		pr_err("ext4: inode %u checksum mismatch: filesystem corrupt\n", ino);
		return -EUCLEAN;
	}
	if (fs->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
	    get_le16(in->raw + I_EXTRA_ISIZE) > fs->inode_size - EXT4_GOOD_OLD_INODE_SIZE) {
		pr_err("ext4: inode %u extra size invalid\n", ino);
		return -EUCLEAN;
	}
	return 0;
}
