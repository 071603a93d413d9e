// SPDX-License-Identifier: MIT
/*
 * booti kernel_addr [initrd_addr[:size] | -] [fdt_addr]  (U-Boot syntax).
 * Only the arguments are read here; every address is checked by the boot
 * plan (boot/booti_plan.c) before anything is read there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/booti.h>
#include <pvboot/command.h>
#include <pvboot/env.h>

/* Bytes loaded at addr by the last `load`, if that load went there. */
static uint64_t loaded_len(uint64_t addr)
{
	if (env_get("fileaddr") && env_get_hex("fileaddr", 0) == addr)
		return env_get_hex("filesize", 0);
	return 0;
}

/* "-", "addr:size", or "addr" of a legacy (mkimage -T ramdisk) image. */
static int parse_initrd(const char *arg, struct booti_args *a)
{
	const char *colon = strchr(arg, ':');
	char buf[32];
	uint64_t addr, size;

	if (!strcmp(arg, "-"))
		return 0;
	if (colon) {
		if ((size_t)(colon - arg) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, arg, colon - arg);
		buf[colon - arg] = '\0';
		if (parse_u64(buf, &addr) || parse_u64(colon + 1, &size) || !size)
			return -EINVAL;
		a->initrd_len = size;
	} else if (parse_u64(arg, &addr)) {
		return -EINVAL;
	}
	a->has_initrd = true;
	a->initrd = addr;
	a->initrd_loaded = loaded_len(addr);
	return 0;
}

static int do_booti(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	struct booti_args a = {0};

	if (argc > 1) {
		if (parse_u64(argv[1], &a.kernel))
			return CMD_RET_USAGE;
	} else {
		a.kernel = env_get_hex("loadaddr", 0);
	}
	a.kernel_len = loaded_len(a.kernel);
	if (argc > 2 && parse_initrd(argv[2], &a))
		return CMD_RET_USAGE;
	if (argc > 3) {
		if (parse_u64(argv[3], &a.fdt))
			return CMD_RET_USAGE;
		a.has_fdt = true;
	}
	booti_boot(&a);
	return CMD_RET_FAILURE; /* only returns on failure */
}

PVBOOT_CMD(booti, 4, do_booti, "boot a Linux kernel in 'Image' format from memory",
	   "[addr [initrd[:size]] [fdt]]\n"
	   "    - boot the arm64 Linux Image (plain or gzip'd) at 'addr', with the\n"
	   "      initrd at 'initrd' ('-' for none; ':size' needed for a raw initrd)\n"
	   "      and the device tree at 'fdt' (default: the one Xen gave pvboot,\n"
	   "      ${fdtcontroladdr}). /chosen/bootargs is set from ${bootargs} when set.\n"
	   "      Everything is checked before anything moves: a failed booti leaves\n"
	   "      memory as it was.");
