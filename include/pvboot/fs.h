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

#endif
