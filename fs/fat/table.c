// SPDX-License-Identifier: MIT
/*
 * FAT entries and cluster chains. A chain comes from the disk: every next
 * cluster is range-checked and Brent's algorithm detects a loop in O(chain)
 * steps without memory, so a hostile FAT cannot make us spin.
 */
#include <errno.h>
#include <pvboot/log.h>
#include "fat.h"

int fat_entry_get(struct fat_fs *fs, uint32_t c, uint32_t *val)
{
	uint8_t b[4];
	int ret;

	switch (fs->bits) {
	case 12:
		ret = vol_pread(&fs->vol, fs->fat_offset + c + c / 2, b, 2);
		*val = get_le16(b);
		*val = (c & 1) ? *val >> 4 : *val & 0xfff;
		break;
	case 16:
		ret = vol_pread(&fs->vol, fs->fat_offset + (uint64_t)c * 2, b, 2);
		*val = get_le16(b);
		break;
	default:
		ret = vol_pread(&fs->vol, fs->fat_offset + (uint64_t)c * 4, b, 4);
		*val = get_le32(b) & 0x0fffffff;
		break;
	}
	return ret;
}

uint32_t fat_eoc_min(const struct fat_fs *fs)
{
	return fs->bits == 12 ? 0xff8 : fs->bits == 16 ? 0xfff8 : 0x0ffffff8;
}

void fat_chain_start(struct fat_chain *c, uint32_t first)
{
	c->cur = first;
	c->tortoise = first;
	c->power = 1;
	c->lam = 0;
}

int fat_chain_next(struct fat_fs *fs, struct fat_chain *c)
{
	uint32_t next;
	int ret = fat_entry_get(fs, c->cur, &next);

	if (ret)
		return ret;
	if (next >= fat_eoc_min(fs))
		return 1;
	if (!fat_cluster_valid(fs, next)) {
		pr_err("fat: cluster %u links to invalid cluster 0x%x: filesystem corrupt\n",
		       c->cur, next);
		return -EUCLEAN;
	}
	if (next == c->tortoise) {
		pr_err("fat: cluster chain loops at cluster %u: filesystem corrupt\n", next);
		return -ELOOP;
	}
	if (++c->lam == c->power) {
		c->tortoise = next;
		c->power <<= 1;
		c->lam = 0;
	}
	c->cur = next;
	return 0;
}
