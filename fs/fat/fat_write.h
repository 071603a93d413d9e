/* SPDX-License-Identifier: MIT */
/* FAT writing: internal interfaces of alloc.c, dirent.c and write.c. */
#ifndef FS_FAT_FAT_WRITE_H
#define FS_FAT_FAT_WRITE_H

#include "fat.h"

/* Modified FAT sectors, kept sorted by index (sector number inside one FAT). */
struct fat_txn_sec {
	uint32_t index;
	uint8_t *data;
};

struct fat_txn {
	struct fat_fs *fs;
	struct fat_txn_sec *secs;
	size_t n, cap;
};

void fat_txn_init(struct fat_txn *t, struct fat_fs *fs);
/* Set entry c (2 .. clusters + 1) in RAM. */
int fat_txn_set(struct fat_txn *t, uint32_t c, uint32_t val);
/* Write to the active FAT, then to each mirror; no flush. */
int fat_txn_commit(struct fat_txn *t);
void fat_txn_free(struct fat_txn *t);
uint32_t fat_eoc(const struct fat_fs *fs);

/*
 * n free clusters into out, ascending (contig: n consecutive ones). One pass
 * over the FAT at most; -ENOSPC if there are not enough.
 */
int fat_alloc_search(struct fat_fs *fs, uint32_t n, bool contig, uint32_t *out);

/* FAT32 FSInfo hints; -ENOENT if there is no valid FSInfo sector (set: ignored). */
int fat_fsinfo_get(struct fat_fs *fs, uint32_t *free_count, uint32_t *next_free);
int fat_fsinfo_set(struct fat_fs *fs, uint32_t free_count, uint32_t next_free);
#define FAT_FSINFO_UNKNOWN 0xffffffffu

/*
 * One modifying operation's bookkeeping of the FSInfo free count: before the
 * count first changes it is marked unknown on disk (a cut then leaves
 * "unknown", which readers recompute, never a wrong number); the end writes
 * the new count.
 */
struct fat_op {
	struct fat_fs *fs;
	bool fsinfo;	  /* a valid FSInfo sector with a known free count */
	bool invalidated; /* FAT_FSINFO_UNKNOWN is on disk now */
	uint32_t free0;	  /* its free count at the start */
	int64_t delta;	  /* clusters allocated minus clusters freed */
};

void fat_op_begin(struct fat_op *op, struct fat_fs *fs);
/* Call before a FAT change that moves the free count by delta clusters. */
int fat_op_count(struct fat_op *op, int64_t delta);
int fat_op_end(struct fat_op *op);

/* ---- directory entries (dirent.c) ---- */

/* A name as it will be stored: 8.3 entry bytes and, if needed, UTF-16 long name. */
struct fat_newname {
	uint8_t short11[11];
	uint8_t ntres;	/* lower-case flags for a plain 8.3 name */
	uint16_t units; /* long-name UTF-16 units; 0: the 8.3 name says it all */
	uint8_t utf16[FAT_LFN_MAX_UNITS * 2];
};

/* Check a new file name and build its long name; the short name comes later. */
int fat_name_prepare(const char *name, struct fat_newname *nn);
/* Entries the name takes (long-name entries + the 8.3 one). */
unsigned int fat_name_slots(const struct fat_newname *nn);

/* Where a new entry goes (filled by fat_dir_place). */
struct fat_place {
	uint64_t pos; /* volume offset of the first slot; the run is contiguous on disk */
};

/*
 * Find room for nn in directory dir_cluster (0: FAT12/16 root), growing the
 * directory if it is full, and give nn a short name no other entry there
 * has. Everything written here is safe at any cut (see write.c).
 */
int fat_dir_place(struct fat_op *op, uint32_t dir_cluster, struct fat_newname *nn,
		  struct fat_place *pl);
/* Write the entries for a new file (one request). */
int fat_dir_create(struct fat_fs *fs, const struct fat_place *pl, const struct fat_newname *nn,
		   uint32_t cluster, uint32_t size);
/* Point an existing 8.3 entry at a new chain and size (one 32-byte write). */
int fat_dir_update(struct fat_fs *fs, const struct fat_dirent *d, uint32_t cluster, uint32_t size);
/* Mark the entry and its long-name entries deleted, long name first. */
int fat_dir_remove(struct fat_fs *fs, const struct fat_dirent *d);

#endif
