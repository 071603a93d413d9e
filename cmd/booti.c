// SPDX-License-Identifier: MIT
/* booti kernel_addr [initrd_addr[:size] | -] [fdt_addr]  (U-Boot syntax) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <pvboot/arch.h>
#include <pvboot/booti.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/image.h>
#include <pvboot/legacy_image.h>

/* Bytes loaded at addr by the last `load`, if that load went there. */
static uint64_t loaded_len(uintptr_t addr)
{
	if (env_get("fileaddr") && env_get_hex("fileaddr", 0) == addr)
		return env_get_hex("filesize", 0);
	return 0;
}

static int parse_initrd(const char *arg, struct booti_args *a)
{
	char *colon = strchr(arg, ':');
	unsigned long addr, size;
	struct legacy_image img;

	if (!strcmp(arg, "-"))
		return 0;
	if (colon) {
		char buf[32];

		if ((size_t)(colon - arg) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, arg, colon - arg);
		buf[colon - arg] = '\0';
		if (parse_ulong(buf, &addr) || parse_ulong(colon + 1, &size) || !size)
			return -EINVAL;
		a->initrd = addr;
		a->initrd_len = size;
		return 0;
	}
	if (parse_ulong(arg, &addr))
		return -EINVAL;
	/* No size: only a legacy (mkimage -T ramdisk) image says how long it is. */
	if (!legacy_image_magic(phys_to_virt(addr), 4)) {
		printf("Initrd at 0x%lx has no size: use addr:size (e.g. "
		       "${ramdisk_addr_r}:${filesize})\n",
		       addr);
		return -EINVAL;
	}
	if (legacy_image_check(phys_to_virt(addr),
			       loaded_len(addr) ? loaded_len(addr) : 64 + (1UL << 30), &img))
		return -EINVAL;
	if (img.type != IH_TYPE_RAMDISK) {
		printf("Image at 0x%lx is not a ramdisk image\n", addr);
		return -EINVAL;
	}
	a->initrd = virt_to_phys(img.data);
	a->initrd_len = img.size;
	return 0;
}

static int do_booti(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	struct booti_args a = {0};
	unsigned long v;

	if (argc > 1) {
		if (parse_ulong(argv[1], &v))
			return CMD_RET_USAGE;
		a.kernel = v;
	} else {
		a.kernel = env_get_hex("loadaddr", 0);
	}
	a.kernel_len = loaded_len(a.kernel);
	/*
	 * Length unknown (the last load went elsewhere, e.g. the initrd):
	 * kernel_comp_size bounds a gzip'd Image, as in U-Boot; a plain Image
	 * says its own size, so its length stays unknown (0) rather than
	 * being taken for a truncated kernel.
	 */
	if (!a.kernel_len && is_gzip(phys_to_virt(a.kernel), GZIP_MIN_LEN))
		a.kernel_len = env_get_hex("kernel_comp_size", 0);
	if (argc > 2 && parse_initrd(argv[2], &a))
		return CMD_RET_FAILURE;
	if (argc > 3) {
		if (parse_ulong(argv[3], &v))
			return CMD_RET_USAGE;
		a.fdt = v;
	}
	booti_boot(&a);
	return CMD_RET_FAILURE; /* only returns on failure */
}

PVBOOT_CMD(booti, 4, do_booti, "boot a Linux kernel in 'Image' format from memory",
	   "[addr [initrd[:size]] [fdt]]\n"
	   "    - boot the arm64 Linux Image (plain or gzip'd) at 'addr', with the\n"
	   "      initrd at 'initrd' ('-' for none; ':size' needed for a raw initrd)\n"
	   "      and the device tree at 'fdt' (default: the one Xen gave pvboot,\n"
	   "      ${fdtcontroladdr}). /chosen/bootargs is set from ${bootargs} when set.");
