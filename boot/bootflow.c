// SPDX-License-Identifier: MIT
/*
 * Distro boot: every PV disk, every partition (bootable ones first), looking
 * for extlinux.conf, then boot.scr, in / and /boot/, then UEFI's removable
 * media file EFI/BOOT/BOOTAA64.EFI (U-Boot's distro_bootcmd order). If
 * nothing boots, say what was tried.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/blk.h>
#include <pvboot/bootflow.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/efi.h>
#include <pvboot/env.h>
#include <pvboot/eth.h>
#include <pvboot/netboot.h>
#include <pvboot/fs.h>
#include <pvboot/script.h>

static const char *const prefixes[] = {"/", "/boot/"};

static int try_script(const struct boot_source *src, const char *prefix, const char *path)
{
	uintptr_t addr = env_get_hex("scriptaddr", 0);
	struct blk_desc *dev = bootsrc_dev(src);
	char num[16];
	uint64_t len;
	int err;

	if (!dev)
		return -ENODEV;
	/* What U-Boot's distro scripts expect to find. */
	env_set("devtype", dev->if_type);
	snprintf(num, sizeof(num), "%d", dev->devnum);
	env_set("devnum", num);
	snprintf(num, sizeof(num), "%x", src->part.number);
	env_set("distro_bootpart", num);
	env_set("prefix", prefix);
	err = bootsrc_load(src, path, addr, &len);
	if (err)
		return err;
	env_set_hex("fileaddr", addr);
	env_set_hex("filesize", len);
	return script_source(addr, len) ? -ENOEXEC : 0;
}

#ifdef CONFIG_EFI_LOADER
#define EFI_SCAN_TOO ", nor " EFI_REMOVABLE_MEDIA_FILE
/* Run it with the bootefi command: the same checks as by hand, its device and path known. */
static int try_efi(const struct boot_source *src, const char *path)
{
	uintptr_t addr = env_get_hex("kernel_addr_r", 0);
	char dev_part[24], cmd[64];
	struct blk_desc *dev;
	uint64_t len;
	int err = bootsrc_load(src, path, addr, &len);

	if (err)
		return err;
	dev = bootsrc_dev(src);
	if (!dev)
		return -ENODEV;
	env_set_hex("fileaddr", addr);
	env_set_hex("filesize", len);
	snprintf(dev_part, sizeof(dev_part), "%x:%x", dev->devnum, src->part.number);
	efi_set_bootdev(dev->if_type, dev_part, path, addr, len);
	snprintf(cmd, sizeof(cmd), "bootefi %lx:%llx", (unsigned long)addr,
		 (unsigned long long)len);
	return run_command(cmd, 0) ? -ENOEXEC : 0;
}
#else
#define EFI_SCAN_TOO ""
#endif

/* Returns 0 if something was found (and, with boot, tried). */
static int scan_source(const struct boot_source *src, bool list, bool boot)
{
	struct blk_desc *dev = blk_get_by_handle(src->dev_handle);
	char path[64];
	bool found = false;

	if (!dev || fs_set_blk_dev_with_part(dev, &src->part))
		return -ENOENT;
	if (list)
		printf("  %s: %s\n", src->desc, fs_get_type_name());
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		snprintf(path, sizeof(path), "%sextlinux/extlinux.conf", prefixes[i]);
		if (bootsrc_exists(src, path)) {
			found = true;
			printf("Found %s on %s\n", path, src->desc);
			if (boot)
				extlinux_boot(src, path);
		}
		snprintf(path, sizeof(path), "%sboot.scr", prefixes[i]);
		if (bootsrc_exists(src, path)) {
			found = true;
			printf("Found U-Boot script %s on %s\n", path, src->desc);
			if (boot)
				try_script(src, prefixes[i], path);
		}
		if (ctrlc())
			return -EINTR;
		/* What was tried may have removed the disk (a script that rescans). */
		if (!blk_get_by_handle(src->dev_handle))
			break;
	}
#ifdef CONFIG_EFI_LOADER
	if (bootsrc_exists(src, EFI_REMOVABLE_MEDIA_FILE)) {
		found = true;
		printf("Found EFI removable media binary %s on %s\n", EFI_REMOVABLE_MEDIA_FILE,
		       src->desc);
		if (boot)
			try_efi(src, EFI_REMOVABLE_MEDIA_FILE);
	}
#endif
	return found ? 0 : -ENOENT;
}

static int scan_disk(struct blk_desc *dev, bool list, bool boot, unsigned int *tried)
{
	struct boot_source src = {.dev_handle = dev->dev.handle};
	struct disk_partition *parts;
	int found = -ENOENT, n;

	if (!part_type_name(dev)) {
		part_whole_disk(dev, &src.part);
		snprintf(src.desc, sizeof(src.desc), "%s %d", dev->if_type, dev->devnum);
		(*tried)++;
		return scan_source(&src, list, boot);
	}
	n = part_list(dev, &parts);
	if (n < 0)
		return n;
	/*
	 * The table as read once, before anything runs (a boot script may
	 * rescan the disks): bootable partitions first, then the rest.
	 */
	for (int pass = 0; pass < 2 && found != -EINTR; pass++) {
		for (int i = 0; i < n; i++) {
			if (parts[i].bootable != (pass == 0))
				continue;
			src.part = parts[i];
			snprintf(src.desc, sizeof(src.desc), "%s %d:%d", dev->if_type, dev->devnum,
				 parts[i].number);
			(*tried)++;
			if (!scan_source(&src, list, boot))
				found = 0;
			if (ctrlc()) {
				found = -EINTR;
				break;
			}
			dev = blk_get_by_handle(src.dev_handle);
			if (!dev)
				break;
		}
		if (!dev)
			break;
	}
	free(parts);
	return found;
}

static int scan_disks(bool list, bool boot)
{
	unsigned int tried = 0, disks = 0;
	uint32_t handle, last = 0;
	int found = -ENOENT;

	/*
	 * By handle: a script run by the scan may rescan, removing every disk
	 * and registering new ones. Those are left for the next scan.
	 */
	for (struct blk_desc *dev = blk_next(0); dev; dev = blk_next(dev->dev.handle))
		last = dev->dev.handle;
	for (struct blk_desc *dev = blk_next(0); dev && dev->dev.handle <= last;
	     dev = blk_next(handle)) {
		handle = dev->dev.handle;
		disks++;
		if (!scan_disk(dev, list, boot, &tried))
			found = 0;
	}
	if (!disks)
		printf("No PV disks: nothing to boot (attach one with disk = [...] in the xl "
		       "config)\n");
	else if (found)
		printf("No extlinux/extlinux.conf or boot.scr in / or /boot/ on %u partition(s) of "
		       "%u disk(s)%s\n",
		       tried, disks, EFI_SCAN_TOO);
	else if (boot) {
		/* A boot that worked does not return here. */
		printf("Nothing found could be booted\n");
		return -ENOEXEC;
	}
	return found;
}

#ifdef CONFIG_NET_PXE
/* The network after the disks, when the guest has a vif: DHCP, then its PXE configuration. */
static int scan_pxe(bool list, bool boot)
{
	uintptr_t addr = env_get_hex("pxefile_addr_r", 0);
	uint64_t len;

	if (!eth_first())
		return -ENOENT;
	printf("Trying PXE on %s\n", eth_first()->name);
	if (netboot_dhcp() || pxe_get(addr, &len))
		return -ENOENT;
	/* pxe_boot returns only when nothing it found could be booted. */
	return boot && pxe_boot(addr) ? -ENOEXEC : 0;
}
#endif

int bootflow_scan(bool list, bool boot)
{
	const char *targets = env_get("boot_targets");
	char t[32];
	int found = -ENOENT, r;

	if (!targets || !*targets)
		targets = "pvblock";
	while (*targets) {
		size_t n = strcspn(targets, " \t");

		snprintf(t, sizeof(t), "%.*s", (int)MIN(n, sizeof(t) - 1), targets);
		targets += n + strspn(targets + n, " \t");
		if (!n)
			continue;
		if (!strcmp(t, "pvblock")) {
			r = scan_disks(list, boot);
#ifdef CONFIG_NET_PXE
		} else if (!strcmp(t, "pxe")) {
			r = scan_pxe(list, boot);
#endif
		} else {
			printf("boot_targets: '%s' is not a boot target here\n", t);
			r = -ENOENT;
		}
		/* Found beats found-but-failed, which beats nothing found. */
		if (!r || found == -ENOENT)
			found = r;
		if (ctrlc())
			return -EINTR;
	}
	return found;
}

/* U-Boot scripts and users call these names. */
PVBOOT_ENV_DEFAULT(distro_bootcmd, "bootflow scan -lb");
#ifdef CONFIG_NET_PXE
PVBOOT_ENV_DEFAULT(boot_targets, "pvblock pxe");
#else
PVBOOT_ENV_DEFAULT(boot_targets, "pvblock");
#endif
