// SPDX-License-Identifier: MIT
/* bootefi ADDR[:SIZE] [FDT]  (U-Boot syntax): run an EFI application from memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include <pvboot/command.h>
#include <pvboot/efi.h>
#include <pvboot/env.h>
#include <pvboot/fdt_check.h>
#include "memrange.h"

/* ADDR or ADDR:SIZE; without SIZE, what the last `load` put at ADDR. */
static int parse_image(const char *arg, unsigned long *addr, unsigned long *size)
{
	const char *colon = strchr(arg, ':');
	char buf[32];

	if (colon) {
		if ((size_t)(colon - arg) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, arg, colon - arg);
		buf[colon - arg] = '\0';
		return parse_ulong(buf, addr) || parse_ulong(colon + 1, size) ? -EINVAL : 0;
	}
	if (parse_ulong(arg, addr))
		return -EINVAL;
	*size = 0;
	if (env_get("fileaddr") && env_get_hex("fileaddr", 0) == *addr)
		*size = env_get_hex("filesize", 0);
	if (!*size) {
		printf("bootefi: the size of the image at 0x%lx is unknown: load it first, or give "
		       "ADDR:SIZE\n",
		       *addr);
		return -EINVAL;
	}
	return 0;
}

static int do_bootefi(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr, size, fdt_addr = board.fdt;
	const char *why;

	if (argc < 2)
		return CMD_RET_USAGE;
	if (parse_image(argv[1], &addr, &size))
		return CMD_RET_FAILURE;
	if (!size || !mem_range_ok(addr, size, false))
		return CMD_RET_FAILURE;
	if (argc > 2) {
		if (parse_ulong(argv[2], &fdt_addr))
			return CMD_RET_USAGE;
		if (!mem_range_ok(fdt_addr, 64, false))
			return CMD_RET_FAILURE;
		if (fdt_validate(phys_to_virt(fdt_addr),
				 board.banks[0].start + board.banks[0].size - fdt_addr, &why)) {
			printf("bootefi: no valid device tree at 0x%lx: %s\n", fdt_addr, why);
			return CMD_RET_FAILURE;
		}
	}
	return efi_run_image(phys_to_virt(addr), size, phys_to_virt(fdt_addr), env_get("bootargs"))
		   ? CMD_RET_FAILURE
		   : CMD_RET_SUCCESS;
}

PVBOOT_CMD(bootefi, 3, do_bootefi, "run an EFI application from memory",
	   "ADDR[:SIZE] [FDT]\n"
	   "    - run the EFI application (PE/COFF) at ADDR, SIZE bytes long (default: what\n"
	   "      the last load put there), with the device tree at FDT (default:\n"
	   "      ${fdtcontroladdr}) and ${bootargs} as its load options");
