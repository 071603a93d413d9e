// SPDX-License-Identifier: MIT
/*
 * FAT boot sector (BPB): the FAT type follows from the cluster count as the
 * specification says, and every region must fit in the volume before any
 * offset computed from it is used.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include "fat.h"

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int fat_corrupt(const char *what)
{
	pr_err("fat: %s: filesystem corrupt\n", what);
	return -EUCLEAN;
}

/*
 * FAT32's FSInfo sector holds hints (free count, next free cluster) that a
 * writer keeps up to date; used only if it lies in the reserved area.
 */
static void fat_parse_fsinfo(struct fat_fs *fs, uint32_t sector, uint32_t reserved)
{
	fs->fsinfo_off =
	    sector && sector != 0xffff && sector < reserved ? (uint64_t)sector * fs->bps : 0;
}

static int fat_parse_bpb(struct fat_fs *fs, const uint8_t *b)
{
	uint32_t bps = get_le16(b + 11), spc = b[13], reserved = get_le16(b + 14);
	uint32_t nfats = b[16], root_ent = get_le16(b + 17);
	uint32_t total = get_le16(b + 19), fat_sz = get_le16(b + 22);
	uint64_t root_secs, meta, fat_entries;

	/* Not a FAT boot sector at all: let another driver try. */
	if ((b[0] != 0xeb && b[0] != 0xe9 && b[0] != 0xe8) || b[510] != 0x55 || b[511] != 0xaa ||
	    bps < 512 || bps > 4096 || !pow2(bps) || !pow2(spc) || spc > 128 || !reserved ||
	    nfats < 1 || nfats > 4)
		return -ENOENT;
	if (!total)
		total = get_le32(b + 32);
	if (!fat_sz)
		fat_sz = get_le32(b + 36);
	if (!total || !fat_sz)
		return fat_corrupt("zero sector or FAT size");
	root_secs = DIV_ROUND_UP((uint64_t)root_ent * FAT_DIRENT_SIZE, bps);
	meta = reserved + (uint64_t)nfats * fat_sz + root_secs;
	if (meta >= total)
		return fat_corrupt("no data area");
	if ((uint64_t)total * bps > fs->vol.bytes)
		return fat_corrupt("filesystem larger than its partition");
	fs->bps = bps;
	fs->cluster_size = bps * spc;
	fs->clusters = (uint32_t)((total - meta) / spc);
	/*
	 * As Linux: a zero 16-bit FAT size means FAT32 (mkfs.vfat -F 32 makes
	 * small FAT32 volumes); otherwise the cluster count decides 12 vs 16.
	 */
	if (!get_le16(b + 22))
		fs->bits = 32;
	else if (fs->clusters < 4085)
		fs->bits = 12;
	else
		fs->bits = 16;
	fs->fat_offset = (uint64_t)reserved * bps;
	fs->fat_start = fs->fat_offset;
	fs->fat_bytes = (uint64_t)fat_sz * bps;
	fs->nfats = nfats;
	fs->fat_mirror = true;
	fs->root_offset = ((uint64_t)reserved + (uint64_t)nfats * fat_sz) * bps;
	fs->root_entries = root_ent;
	fs->data_offset = meta * bps;
	fat_entries = (uint64_t)fat_sz * bps * 8 / fs->bits;
	if (fat_entries < (uint64_t)fs->clusters + 2)
		return fat_corrupt("FAT too small for the cluster count");
	if (fs->bits == 32) {
		uint16_t ext_flags = get_le16(b + 40);

		if (root_ent || get_le16(b + 22))
			return fat_corrupt("FAT32 with a fixed root directory");
		fs->root_cluster = get_le32(b + 44);
		if (!fat_cluster_valid(fs, fs->root_cluster))
			return fat_corrupt("root directory cluster out of range");
		/* Mirroring disabled: only the active FAT is current. */
		if (ext_flags & 0x80) {
			if ((ext_flags & 0xf) >= nfats)
				return fat_corrupt("active FAT out of range");
			fs->fat_offset += (uint64_t)(ext_flags & 0xf) * fat_sz * bps;
			fs->fat_mirror = false;
		}
		fat_parse_fsinfo(fs, get_le16(b + 48), reserved);
		if (b[66] == 0x29) {
			fs->vol_id = get_le32(b + 67);
			fs->has_vol_id = true;
		}
	} else {
		if (!root_ent)
			return fat_corrupt("FAT12/16 without a root directory");
		if (b[38] == 0x29) {
			fs->vol_id = get_le32(b + 39);
			fs->has_vol_id = true;
		}
	}
	return 0;
}

static int fat_probe(const struct fs_vol *v, void **priv)
{
	uint8_t b[512];
	struct fat_fs *fs;
	int ret;

	if (v->bytes < sizeof(b))
		return -ENOENT;
	ret = vol_pread(v, 0, b, sizeof(b));
	if (ret)
		return ret;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->vol = *v;
	ret = fat_parse_bpb(fs, b);
	if (ret) {
		free(fs);
		return ret;
	}
	*priv = fs;
	return 0;
}

static void fat_close(void *priv)
{
	free(priv);
}

/* U-Boot prints the volume serial number as XXXX-XXXX. */
static int fat_uuid(void *priv, char *buf, size_t len)
{
	struct fat_fs *fs = priv;

	if (!fs->has_vol_id)
		return -ENODATA;
	snprintf(buf, len, "%04X-%04X", fs->vol_id >> 16, fs->vol_id & 0xffff);
	return 0;
}

const struct fs_driver fs_driver_fat = {
    .name = "fat",
    .probe = fat_probe,
    .close = fat_close,
    .ls = fat_ops_ls,
    .stat = fat_ops_stat,
    .read = fat_ops_read,
    .uuid = fat_uuid,
#ifdef CONFIG_FS_FAT_WRITE
    .write = fat_ops_write,
    .unlink = fat_ops_unlink,
#endif
};
