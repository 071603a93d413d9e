// SPDX-License-Identifier: MIT
/* bootefi ADDR[:SIZE] [FDT]  (U-Boot syntax): run an EFI application from memory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <libfdt.h>
#include <pvboot/command.h>
#include <pvboot/efi.h>
#include <pvboot/env.h>
#include <pvboot/fdt_check.h>
#include <pvboot/memgate.h>

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

/* The DT at addr, header first: every byte it claims must be in RAM before it is walked. */
static bool fdt_ok(unsigned long addr)
{
	const struct fdt_header *h = phys_to_virt(addr);
	const char *why = "its header is not in RAM";
	uint32_t size;

	if (!mem_gate(addr, sizeof(*h), MEM_READ)) {
		size = fdt_totalsize(h);
		why = "it would reach past RAM";
		if (size <= FDT_MAX_SIZE && !mem_gate(addr, size, MEM_READ) &&
		    !fdt_validate(h, size, &why))
			return true;
	}
	printf("bootefi: no valid device tree at 0x%lx: %s\n", addr, why);
	return false;
}

static int do_bootefi(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr, size, fdt_addr;

	if (argc < 2)
		return CMD_RET_USAGE;
	if (parse_image(argv[1], &addr, &size))
		return CMD_RET_FAILURE;
	if (!size || mem_gate(addr, size, MEM_READ))
		return CMD_RET_FAILURE;
	if (argc > 2 && parse_ulong(argv[2], &fdt_addr))
		return CMD_RET_USAGE;
	if (argc == 2 && !env_get("fdtcontroladdr")) {
		printf("bootefi: no device tree: give FDT, or set fdtcontroladdr\n");
		return CMD_RET_FAILURE;
	}
	if (argc == 2)
		fdt_addr = env_get_hex("fdtcontroladdr", 0);
	if (!fdt_ok(fdt_addr))
		return CMD_RET_FAILURE;
	return efi_run_image(phys_to_virt(addr), size, phys_to_virt(fdt_addr), env_get("bootargs"))
		   ? CMD_RET_FAILURE
		   : CMD_RET_SUCCESS;
}

PVBOOT_CMD(bootefi, 3, do_bootefi, "run an EFI application from memory",
	   "ADDR[:SIZE] [FDT]\n"
	   "    - run the EFI application (PE/COFF) at ADDR, SIZE bytes long (default: what\n"
	   "      the last load put there), with the device tree at FDT (default:\n"
	   "      ${fdtcontroladdr}) and ${bootargs} as its load options");

#ifdef CONFIG_EFI_DEBUG
/* efidebug memmap|tables|dh (U-Boot's names for what is here). */
static int do_efidebug(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	const void *fdt = NULL;
	enum efi_debug_view view;

	if (argc != 2)
		return CMD_RET_USAGE;
	if (!strcmp(argv[1], "memmap"))
		view = EFI_DEBUG_MEMMAP;
	else if (!strcmp(argv[1], "tables"))
		view = EFI_DEBUG_TABLES;
	else if (!strcmp(argv[1], "dh"))
		view = EFI_DEBUG_HANDLES;
	else
		return CMD_RET_USAGE;
	/* The DT bootefi would hand over by default, checked as it would check it. */
	if (env_get("fdtcontroladdr")) {
		if (!fdt_ok(env_get_hex("fdtcontroladdr", 0)))
			return CMD_RET_FAILURE;
		fdt = phys_to_virt(env_get_hex("fdtcontroladdr", 0));
	}
	return efi_debug_show(view, fdt) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

PVBOOT_CMD(efidebug, 2, do_efidebug, "show the UEFI environment bootefi sets up",
	   "memmap\n"
	   "    - show the UEFI memory map\n"
	   "efidebug tables\n"
	   "    - show the UEFI configuration tables\n"
	   "efidebug dh\n"
	   "    - show the UEFI handles and their protocols\n"
	   "(as an image finds them when bootefi starts it: UEFI is set up for each\n"
	   "command and taken down again)");
#endif
