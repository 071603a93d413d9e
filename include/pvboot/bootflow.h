/* SPDX-License-Identifier: MIT */
/* Where an OS is booted from, and the distro-boot scan over every PV disk. */
#ifndef PVBOOT_BOOTFLOW_H
#define PVBOOT_BOOTFLOW_H

#include <pvboot/part.h>

struct boot_source {
	struct blk_desc *dev;
	struct disk_partition part;
	char desc[40]; /* "pvblock 0:1" */
};

bool bootsrc_exists(const struct boot_source *src, const char *path);
/*
 * Load a whole file to addr: its size is checked by the memory gate, and no
 * more than that size is read, whatever the file looks like by then.
 */
int bootsrc_load(const struct boot_source *src, const char *path, uintptr_t addr, uint64_t *len);

/*
 * Boot the extlinux.conf at path on src: menu if several labels, default
 * label first, then the others. Returns only on failure.
 */
int extlinux_boot(const struct boot_source *src, const char *path);

/*
 * Scan every disk and partition (bootable first). list: print what is found;
 * boot: boot it (a boot that works does not return). 0 if something was
 * found and boot was not asked for, -ENOEXEC if what was found could not be
 * booted, -ENOENT if nothing was found.
 */
int bootflow_scan(bool list, bool boot);

#endif
