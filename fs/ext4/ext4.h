/* SPDX-License-Identifier: MIT */
/* ext2/3/4 read-only driver: on-disk layout and internal interfaces. */
#ifndef FS_EXT4_EXT4_H
#define FS_EXT4_EXT4_H

#include <pvboot/get_le.h>
#include "../fs_internal.h"

#define EXT4_SB_OFFSET 1024
#define EXT4_SB_SIZE 1024
#define EXT4_MAGIC 0xef53
#define EXT4_ROOT_INO 2
#define EXT4_N_BLOCKS 15
#define EXT4_MAX_INODE_SIZE 1024
#define EXT4_GOOD_OLD_INODE_SIZE 128

/* Superblock field offsets. */
#define SB_INODES_COUNT 0x00
#define SB_BLOCKS_COUNT_LO 0x04
#define SB_FIRST_DATA_BLOCK 0x14
#define SB_LOG_BLOCK_SIZE 0x18
#define SB_LOG_CLUSTER_SIZE 0x1c
#define SB_BLOCKS_PER_GROUP 0x20
#define SB_INODES_PER_GROUP 0x28
#define SB_MAGIC 0x38
#define SB_REV_LEVEL 0x4c
#define SB_INODE_SIZE 0x58
#define SB_FEATURE_COMPAT 0x5c
#define SB_FEATURE_INCOMPAT 0x60
#define SB_FEATURE_RO_COMPAT 0x64
#define SB_UUID 0x68
#define SB_DESC_SIZE 0xfe
#define SB_FIRST_META_BG 0x104
#define SB_BLOCKS_COUNT_HI 0x150
#define SB_CHECKSUM_TYPE 0x175
#define SB_CHECKSUM_SEED 0x270
#define SB_CHECKSUM 0x3fc

#define INCOMPAT_COMPRESSION 0x0001
#define INCOMPAT_FILETYPE 0x0002
#define INCOMPAT_RECOVER 0x0004
#define INCOMPAT_JOURNAL_DEV 0x0008
#define INCOMPAT_META_BG 0x0010
#define INCOMPAT_EXTENTS 0x0040
#define INCOMPAT_64BIT 0x0080
#define INCOMPAT_MMP 0x0100
#define INCOMPAT_FLEX_BG 0x0200
#define INCOMPAT_EA_INODE 0x0400
#define INCOMPAT_DIRDATA 0x1000
#define INCOMPAT_CSUM_SEED 0x2000
#define INCOMPAT_LARGEDIR 0x4000
#define INCOMPAT_INLINE_DATA 0x8000
#define INCOMPAT_ENCRYPT 0x10000
#define INCOMPAT_CASEFOLD 0x20000

#define RO_COMPAT_SPARSE_SUPER 0x0001
#define RO_COMPAT_GDT_CSUM 0x0010
#define RO_COMPAT_BIGALLOC 0x0200
#define RO_COMPAT_METADATA_CSUM 0x0400

/* Inode. */
#define I_MODE 0x00
#define I_SIZE_LO 0x04
#define I_FLAGS 0x20
#define I_BLOCK 0x28
#define I_GENERATION 0x64
#define I_SIZE_HIGH 0x6c
#define I_CHECKSUM_LO 0x7c
#define I_EXTRA_ISIZE 0x80
#define I_CHECKSUM_HI 0x82

#define S_IFMT 0xf000
#define S_IFLNK 0xa000
#define S_IFREG 0x8000
#define S_IFDIR 0x4000

#define EXT4_INDEX_FL 0x00001000
#define EXT4_EXTENTS_FL 0x00080000
#define EXT4_INLINE_DATA_FL 0x10000000

/*
 * Fuzzing builds check checksums but do not stop on a mismatch, so mutated
 * inputs reach the parsers behind them (as with FUZZING_BUILD_MODE_UNSAFE...).
 */
#ifdef FUZZING
#define EXT4_CSUM_ENFORCED 0
#else
#define EXT4_CSUM_ENFORCED 1
#endif

struct ext4_fs {
	struct fs_vol vol;
	uint8_t sb[EXT4_SB_SIZE];
	unsigned int block_size;
	unsigned int log_block; /* log2(block_size) */
	uint64_t blocks_count;
	uint32_t inodes_count, inodes_per_group, blocks_per_group, first_data_block;
	uint32_t inode_size, desc_size, groups, first_meta_bg;
	uint32_t incompat, ro_compat;
	bool csum;	    /* metadata_csum: verify */
	uint32_t csum_seed; /* crc32c seed for this filesystem */
};

struct ext4_inode {
	uint32_t ino;
	uint16_t mode;
	uint32_t flags;
	uint64_t size;
	uint32_t csum_seed; /* per-inode seed for extent/dir block checksums */
	uint8_t raw[EXT4_MAX_INODE_SIZE];
};

/* A run of logical blocks: phys == 0 means a hole (reads as zeros). */
struct ext4_run {
	uint64_t phys;
	uint64_t len;
};

/* super.c */
int ext4_group_inode_table(struct ext4_fs *fs, uint32_t group, uint64_t *table);
/* inode.c */
int ext4_read_inode(struct ext4_fs *fs, uint32_t ino, struct ext4_inode *inode);
static inline bool ext4_is_dir(const struct ext4_inode *i)
{
	return (i->mode & S_IFMT) == S_IFDIR;
}
static inline bool ext4_is_lnk(const struct ext4_inode *i)
{
	return (i->mode & S_IFMT) == S_IFLNK;
}
static inline bool ext4_is_reg(const struct ext4_inode *i)
{
	return (i->mode & S_IFMT) == S_IFREG;
}
/* map.c: the run that holds logical block lblk (at most max_len blocks). */
int ext4_map(struct ext4_fs *fs, const struct ext4_inode *inode, uint64_t lblk, uint64_t max_len,
	     struct ext4_run *run);
/* file.c */
int ext4_read_data(struct ext4_fs *fs, const struct ext4_inode *inode, void *buf, uint64_t pos,
		   uint64_t len);
int ext4_inline_data(struct ext4_fs *fs, const struct ext4_inode *inode, uint8_t *buf, size_t size,
		     size_t *len);
/* dir.c */
typedef int (*ext4_dirent_cb)(void *arg, const char *name, size_t name_len, uint32_t ino,
			      uint8_t ftype);
int ext4_iterate_dir(struct ext4_fs *fs, const struct ext4_inode *dir, ext4_dirent_cb cb,
		     void *arg);
int ext4_lookup_path(struct ext4_fs *fs, const char *path, bool follow_last,
		     struct ext4_inode *out);

/* super.c: mount (probe), unmount and the volume UUID, for the driver table in ops.c. */
int ext4_probe(const struct fs_vol *v, void **priv);
void ext4_close(void *priv);
int ext4_uuid(void *priv, char *buf, size_t len);

#endif
