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
	char desc[40]; /* "pvblock 0:1", "tftp 192.168.1.1" */
	/* A source that is not a partition (the network) loads through its own hook. */
	int (*load)(const struct boot_source *src, const char *path, uintptr_t addr, uint64_t *len);
};

struct extlinux_conf;
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
/* The same for a configuration already parsed; names are relative to prefix. */
int extlinux_boot_conf(const struct boot_source *src, const char *prefix,
		       const struct extlinux_conf *c);

/*
 * Try each of ${boot_targets} in turn: "pvblock" scans every disk and
 * partition (bootable first), "pxe" runs dhcp, pxe get and pxe boot when a
 * network device exists. list: print what is found; boot: boot it (a boot
 * that works does not return). 0 if something was found and boot was not
 * asked for, -ENOEXEC if what was found could not be booted, -ENOENT if
 * nothing was found.
 */
int bootflow_scan(bool list, bool boot);

/* PXE as U-Boot does it (boot/pxe.c): fetch the configuration for us, then boot it. */
int pxe_get(uintptr_t addr, uint64_t *len);
int pxe_boot(uintptr_t addr);

#endif
