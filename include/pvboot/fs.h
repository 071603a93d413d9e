/* SPDX-License-Identifier: MIT */
/* Generic filesystem layer (U-Boot's fs_set_blk_dev/fs_read semantics). */
#ifndef PVBOOT_FS_H
#define PVBOOT_FS_H

#include <pvboot/part.h>

/* Select device/partition for the next fs_* call; probes the filesystem type. */
int fs_set_blk_dev(const char *iface, const char *dev_part_str);
/* Same, for a known device/partition (distro boot scan). */
int fs_set_blk_dev_with_part(struct blk_desc *dev, const struct disk_partition *part);
void fs_close(void);
const char *fs_get_type_name(void);
int fs_uuid(char *buf, size_t len);

int fs_exists(const char *path);
int fs_size(const char *path, uint64_t *size);
int fs_ls(const char *path);
/*
 * Read len bytes (0 = to end of file) at offset pos into buf (guest
 * physical address). *actread set. 0 or -errno with a message printed.
 */
int fs_read(const char *path, uintptr_t buf, uint64_t pos, uint64_t len, uint64_t *actread);

/*
 * Create or replace path (its directory must exist) with len bytes of buf,
 * crash-safely (docs/storage.md). 0 or -errno with a message printed;
 * -EROFS on a read-only disk, -ENOSYS if the filesystem cannot be written.
 */
int fs_write(const char *path, const void *buf, uint64_t len);
/* Delete a file. 0 or -errno with a message printed. */
int fs_unlink(const char *path);

/*
 * Mounts: several filesystems open at once, each its own handle (UEFI's
 * file protocols), beside the one selected above for the commands.
 */
struct fs_mount;

enum fs_dt { FS_DT_REG, FS_DT_DIR, FS_DT_LNK, FS_DT_OTHER };

/* Directory listing callback: return non-zero to stop. */
typedef int (*fs_dir_cb)(void *arg, const char *name, enum fs_dt type, uint64_t size);

/* 0 and *out set, -ENOENT if no filesystem is recognised, other -errno if unusable. */
int fs_mount(struct blk_desc *dev, const struct disk_partition *part, struct fs_mount **out);
void fs_unmount(struct fs_mount *m);
const char *fs_mount_type(const struct fs_mount *m);
/* Follows symlinks; -ENOENT if missing. */
int fs_mount_stat(struct fs_mount *m, const char *path, enum fs_dt *type, uint64_t *size);
int fs_mount_ls(struct fs_mount *m, const char *path, fs_dir_cb cb, void *arg);
/* Read up to len bytes at pos into buf; *actread is what was read. 0 or -errno, silently. */
int fs_mount_read(struct fs_mount *m, const char *path, void *buf, uint64_t pos, uint64_t len,
		  uint64_t *actread);

#endif
