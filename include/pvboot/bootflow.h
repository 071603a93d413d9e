/* SPDX-License-Identifier: MIT */
/* Where an OS is booted from, and the distro-boot scan over every PV disk. */
#ifndef PVBOOT_BOOTFLOW_H
#define PVBOOT_BOOTFLOW_H

#include <pvboot/part.h>

/*
 * The disk is kept by handle: booting (a refused hand-off) or a script
 * (pvblock rescan) may remove it while the source is still being tried.
 */
struct boot_source {
	uint32_t dev_handle;
	struct disk_partition part;
	char desc[40]; /* "pvblock 0:1" */
};

/* The source's disk, or NULL (said once on the console) if it was removed. */
struct blk_desc *bootsrc_dev(const struct boot_source *src);

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
