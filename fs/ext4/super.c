// SPDX-License-Identifier: MIT
/*
 * ext4 superblock and group descriptors: every geometry field is checked
 * before it is used to compute an offset, unknown INCOMPAT features are
 * refused by name, metadata checksums are verified when the fs has them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "crc32c.h"
#include "ext4.h"

#define INCOMPAT_SUPPORTED                                                            \
	(INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG | INCOMPAT_EXTENTS | \
	 INCOMPAT_64BIT | INCOMPAT_MMP | INCOMPAT_FLEX_BG | INCOMPAT_EA_INODE |       \
	 INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR | INCOMPAT_INLINE_DATA | INCOMPAT_CASEFOLD)

static const struct {
	uint32_t bit;
	const char *name;
} incompat_names[] = {
    {INCOMPAT_COMPRESSION, "compression"},
    {INCOMPAT_JOURNAL_DEV, "journal_dev"},
    {INCOMPAT_DIRDATA, "dirdata"},
    {INCOMPAT_ENCRYPT, "encrypt"},
};

static void report_incompat(uint32_t bad)
{
	char msg[160];
	size_t o = 0;

	for (uint32_t bit = 1; bit; bit <<= 1) {
		const char *name = NULL;

		if (!(bad & bit))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(incompat_names); i++)
			if (incompat_names[i].bit == bit)
				name = incompat_names[i].name;
		if (o < sizeof(msg)) {
			if (name)
				o += snprintf(msg + o, sizeof(msg) - o, " %s", name);
			else
				o += snprintf(msg + o, sizeof(msg) - o, " unknown(0x%x)", bit);
		}
	}
	pr_err("ext4: unsupported INCOMPAT feature(s):%s; refusing to read this filesystem\n", msg);
}

static bool is_pow_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

static bool group_has_super(const struct ext4_fs *fs, uint32_t g)
{
	if (!(fs->ro_compat & RO_COMPAT_SPARSE_SUPER) || g <= 1)
		return true;
	return is_pow_of(g, 3) || is_pow_of(g, 5) || is_pow_of(g, 7);
}

/* Block holding the descriptor of group g (classic layout or meta_bg). */
static uint64_t desc_block(const struct ext4_fs *fs, uint32_t g)
{
	uint32_t per_block = fs->block_size / fs->desc_size;
	uint32_t b = g / per_block;
	uint64_t first;

	/*
	 * Right after the superblock's block (block 1 with 1 KiB blocks, else
	 * 0): not first_data_block, which bigalloc sets to 0 even for 1 KiB.
	 */
	if (!(fs->incompat & INCOMPAT_META_BG) || b < fs->first_meta_bg)
		return (uint64_t)(EXT4_SB_OFFSET >> fs->log_block) + 1 + b;
	first = (uint64_t)b * per_block;
	return fs->first_data_block + first * fs->blocks_per_group +
	       (group_has_super(fs, (uint32_t)first) ? 1 : 0);
}

int ext4_group_inode_table(struct ext4_fs *fs, uint32_t g, uint64_t *table)
{
	uint8_t d[1024];
	uint32_t per_block = fs->block_size / fs->desc_size;
	uint64_t off;
	int ret;

	if (g >= fs->groups)
		return -EINVAL;
	off = desc_block(fs, g) * fs->block_size + (uint64_t)(g % per_block) * fs->desc_size;
	ret = vol_pread(&fs->vol, off, d, fs->desc_size);
	if (ret)
		return ret;
	if (fs->csum) {
		uint32_t le_g, c;
		uint8_t zero[2] = {0, 0};

		put_le32(&le_g, g);
		c = crc32c_raw(fs->csum_seed, &le_g, 4);
		c = crc32c_raw(c, d, 0x1e);
		c = crc32c_raw(c, zero, 2);
		if (fs->desc_size > 0x20)
			c = crc32c_raw(c, d + 0x20, fs->desc_size - 0x20);
		if (EXT4_CSUM_ENFORCED && (c & 0xffff) != get_le16(d + 0x1e)) {
			pr_err("ext4: group descriptor %u checksum mismatch: filesystem corrupt\n",
			       g);
			return -EUCLEAN;
		}
	}
	*table = get_le32(d + 8);
	if (fs->desc_size >= 64)
		*table |= (uint64_t)get_le32(d + 0x28) << 32;
	if (!*table || *table >= fs->blocks_count) {
		pr_err("ext4: group %u inode table at block %llu is outside the filesystem\n", g,
		       (unsigned long long)*table);
		return -EUCLEAN;
	}
	return 0;
}

static int ext4_check_sb(struct ext4_fs *fs)
{
	const uint8_t *sb = fs->sb;
	uint32_t log = get_le32(sb + SB_LOG_BLOCK_SIZE);
	uint64_t groups, max_bpg;

	if (log > 6) {
		pr_err("ext4: block size 1024<<%u out of range (1 KiB - 64 KiB)\n", log);
		return -EINVAL;
	}
	fs->log_block = 10 + log;
	fs->block_size = 1024U << log;
	fs->incompat = get_le32(sb + SB_FEATURE_INCOMPAT);
	fs->ro_compat = get_le32(sb + SB_FEATURE_RO_COMPAT);
	if (fs->incompat & ~INCOMPAT_SUPPORTED) {
		report_incompat(fs->incompat & ~INCOMPAT_SUPPORTED);
		return -EOPNOTSUPP;
	}
	fs->blocks_count = get_le32(sb + SB_BLOCKS_COUNT_LO);
	if (fs->incompat & INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)get_le32(sb + SB_BLOCKS_COUNT_HI) << 32;
	/* Byte offsets of blocks must fit in 64 bits. */
	if (fs->blocks_count >> (64 - fs->log_block)) {
		pr_err("ext4: block count %llu too large\n", (unsigned long long)fs->blocks_count);
		return -EINVAL;
	}
	fs->inodes_count = get_le32(sb + SB_INODES_COUNT);
	fs->blocks_per_group = get_le32(sb + SB_BLOCKS_PER_GROUP);
	fs->inodes_per_group = get_le32(sb + SB_INODES_PER_GROUP);
	fs->first_data_block = get_le32(sb + SB_FIRST_DATA_BLOCK);
	fs->first_meta_bg = get_le32(sb + SB_FIRST_META_BG);
	if (get_le32(sb + SB_REV_LEVEL) == 0) {
		fs->inode_size = EXT4_GOOD_OLD_INODE_SIZE;
	} else {
		fs->inode_size = get_le16(sb + SB_INODE_SIZE);
		if (fs->inode_size < EXT4_GOOD_OLD_INODE_SIZE || fs->inode_size > fs->block_size ||
		    (fs->inode_size & (fs->inode_size - 1)) ||
		    fs->inode_size > EXT4_MAX_INODE_SIZE) {
			pr_err("ext4: inode size %u not supported\n", fs->inode_size);
			return -EINVAL;
		}
	}
	fs->desc_size = 32;
	if (fs->incompat & INCOMPAT_64BIT) {
		fs->desc_size = get_le16(sb + SB_DESC_SIZE);
		if (fs->desc_size < 64 || fs->desc_size > 1024 ||
		    (fs->desc_size & (fs->desc_size - 1)) || fs->desc_size > fs->block_size) {
			pr_err("ext4: group descriptor size %u invalid\n", fs->desc_size);
			return -EINVAL;
		}
	}
	/* One bitmap block per group; with bigalloc its bits are clusters. */
	max_bpg = 8ULL * fs->block_size;
	if (fs->ro_compat & RO_COMPAT_BIGALLOC) {
		uint32_t clog = get_le32(sb + SB_LOG_CLUSTER_SIZE);

		if (clog < log || clog > log + 16) {
			pr_err("ext4: cluster size 1024<<%u invalid\n", clog);
			return -EINVAL;
		}
		max_bpg <<= clog - log;
	}
	if (fs->blocks_per_group < 8 || fs->blocks_per_group > max_bpg || !fs->inodes_per_group ||
	    fs->inodes_per_group > 8 * fs->block_size || fs->first_data_block >= fs->blocks_count ||
	    fs->first_data_block > 1) {
		pr_err("ext4: superblock geometry invalid (blocks/group %u, inodes/group %u)\n",
		       fs->blocks_per_group, fs->inodes_per_group);
		return -EINVAL;
	}
	groups = DIV_ROUND_UP(fs->blocks_count - fs->first_data_block, fs->blocks_per_group);
	if (!groups || groups > UINT32_MAX ||
	    (uint64_t)fs->inodes_count > groups * fs->inodes_per_group) {
		pr_err("ext4: superblock counts inconsistent\n");
		return -EINVAL;
	}
	fs->groups = (uint32_t)groups;
	if (fs->blocks_count > fs->vol.bytes >> fs->log_block)
		pr_warn("ext4: filesystem (%llu blocks) is larger than its partition\n",
			(unsigned long long)fs->blocks_count);
	return 0;
}

static int ext4_check_csum(struct ext4_fs *fs)
{
	if (!(fs->ro_compat & RO_COMPAT_METADATA_CSUM))
		return 0;
	if (fs->sb[SB_CHECKSUM_TYPE] != 1) {
		pr_err("ext4: unknown metadata checksum type %u\n", fs->sb[SB_CHECKSUM_TYPE]);
		return -EOPNOTSUPP;
	}
	if (EXT4_CSUM_ENFORCED &&
	    crc32c_raw(~0U, fs->sb, SB_CHECKSUM) != get_le32(fs->sb + SB_CHECKSUM)) {
		pr_err("ext4: superblock checksum mismatch: filesystem corrupt\n");
		return -EUCLEAN;
	}
	fs->csum = true;
	if (fs->incompat & INCOMPAT_CSUM_SEED)
		fs->csum_seed = get_le32(fs->sb + SB_CHECKSUM_SEED);
	else
		fs->csum_seed = crc32c_raw(~0U, fs->sb + SB_UUID, 16);
	return 0;
}

int ext4_probe(const struct fs_vol *v, void **priv)
{
	struct ext4_fs *fs;
	int ret;

	if (v->bytes < EXT4_SB_OFFSET + EXT4_SB_SIZE)
		return -ENOENT;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->vol = *v;
	ret = vol_pread(v, EXT4_SB_OFFSET, fs->sb, EXT4_SB_SIZE);
	if (ret || get_le16(fs->sb + SB_MAGIC) != EXT4_MAGIC) {
		free(fs);
		return ret ? ret : -ENOENT;
	}
	ret = ext4_check_sb(fs);
	if (!ret)
		ret = ext4_check_csum(fs);
	if (ret) {
		free(fs);
		return ret;
	}
	if (fs->incompat & INCOMPAT_RECOVER)
		pr_warn("ext4: journal needs recovery; reading the filesystem as it is on disk\n");
	*priv = fs;
	return 0;
}

void ext4_close(void *priv)
{
	free(priv);
}

int ext4_uuid(void *priv, char *buf, size_t len)
{
	const uint8_t *u = ((struct ext4_fs *)priv)->sb + SB_UUID;

	snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
	return 0;
}
