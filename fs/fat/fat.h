/* SPDX-License-Identifier: MIT */
/* FAT12/16/32 driver: internal interfaces. */
#ifndef FS_FAT_FAT_H
#define FS_FAT_FAT_H

#include <pvboot/get_le.h>
#include "../fs_internal.h"

#define FAT_ATTR_RO 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_LFN 0x0f

#define FAT_DIRENT_SIZE 32
/* FAT spec: a directory holds at most 65536 entries. */
#define FAT_MAX_DIR_ENTRIES 65536
#define FAT_LFN_MAX_UNITS 255
#define FAT_NAME_MAX (FAT_LFN_MAX_UNITS * 3 + 1) /* UTF-8 worst case */

struct fat_fs {
	struct fs_vol vol;
	int bits; /* 12, 16 or 32 */
	uint32_t bps, cluster_size;
	uint64_t fat_offset; /* active FAT, bytes into the volume */
	uint64_t fat_start;  /* first FAT */
	uint64_t fat_bytes;  /* size of one FAT copy */
	uint32_t nfats;
	bool fat_mirror;      /* updates go to every copy (else only the active one) */
	uint64_t fsinfo_off;  /* FAT32 FSInfo sector, 0 if none */
	uint64_t root_offset; /* FAT12/16 fixed root directory */
	uint32_t root_entries;
	uint32_t root_cluster; /* FAT32 */
	uint64_t data_offset;
	uint32_t clusters; /* data clusters: valid numbers are 2 .. clusters + 1 */
	uint32_t vol_id;
	bool has_vol_id;
	uint32_t next_free; /* where the next free-cluster search starts */
};

/* A directory: the FAT12/16 root region (cluster 0) or a cluster chain. */
struct fat_dir {
	uint32_t cluster;
};

#define FAT_LFN_MAX_ENTRIES 20

struct fat_dirent {
	char name[FAT_NAME_MAX]; /* long name if valid, else the 8.3 name */
	char short_name[13];
	uint8_t attr;
	uint32_t cluster;
	uint32_t size;
	/* Where it is stored (volume byte offsets), for writers: */
	uint64_t pos;			       /* the 8.3 entry */
	uint64_t lfn_pos[FAT_LFN_MAX_ENTRIES]; /* its long-name entries, in disk order */
	unsigned int nlfn;		       /* 0 if the long name is absent or broken */
	uint32_t dir_cluster;		       /* the directory holding it (0: fixed root) */
};

/* Walk a cluster chain with Brent's cycle detection. */
struct fat_chain {
	uint32_t cur, tortoise, power, lam;
};

void fat_chain_start(struct fat_chain *c, uint32_t first);
/* 0: advanced to c->cur; 1: end of chain; -errno: corrupt (message printed). */
int fat_chain_next(struct fat_fs *fs, struct fat_chain *c);
static inline uint64_t fat_cluster_offset(const struct fat_fs *fs, uint32_t c)
{
	return fs->data_offset + (uint64_t)(c - 2) * fs->cluster_size;
}
static inline bool fat_cluster_valid(const struct fat_fs *fs, uint32_t c)
{
	return c >= 2 && c - 2 < fs->clusters;
}

/* Return non-zero from the callback to stop; that value is returned. */
typedef int (*fat_dirent_cb)(void *arg, const struct fat_dirent *d);
int fat_iterate_dir(struct fat_fs *fs, const struct fat_dir *dir, fat_dirent_cb cb, void *arg);
/* Resolve path; out describes the final entry (the root has attr DIR, cluster 0/root). */
int fat_lookup_path(struct fat_fs *fs, const char *path, struct fat_dirent *out);
int fat_read_file(struct fat_fs *fs, const struct fat_dirent *d, void *buf, uint64_t pos,
		  uint64_t len);

/* One FAT entry of the active FAT (table.c). */
int fat_entry_get(struct fat_fs *fs, uint32_t c, uint32_t *val);
uint32_t fat_eoc_min(const struct fat_fs *fs);
uint8_t fat_short_csum(const uint8_t *name11);

/* fs_driver operations (dir.c, file.c, write.c). */
int fat_ops_ls(void *priv, const char *path, fs_dir_cb cb, void *arg);
int fat_ops_stat(void *priv, const char *path, enum fs_dt *type, uint64_t *size);
int fat_ops_read(void *priv, const char *path, void *buf, uint64_t pos, uint64_t len,
		 uint64_t *actread);
int fat_ops_write(void *priv, const char *path, const void *buf, uint64_t len);
int fat_ops_unlink(void *priv, const char *path);

#endif
