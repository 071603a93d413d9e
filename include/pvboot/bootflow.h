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
/* Load a whole file to addr (checked against pvboot and RAM limits). */
int bootsrc_load(const struct boot_source *src, const char *path, uintptr_t addr, uint64_t *len);

/*
 * Boot the extlinux.conf at path on src: menu if several labels, default
 * label first, then the others. Returns only on failure.
 */
int extlinux_boot(const struct boot_source *src, const char *path);

/* Scan every disk and partition (bootable first). list: print what is found; boot: boot it. */
int bootflow_scan(bool list, bool boot);

#endif
