// SPDX-License-Identifier: MIT
/* pxe get / pxe boot, as in U-Boot. */
#include <string.h>
#include <pvboot/bootflow.h>
#include <pvboot/command.h>
#include <pvboot/env.h>

static int do_pxe(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr = env_get_hex("pxefile_addr_r", 0);
	uint64_t len;

	if (argc < 2 || argc > 3)
		return CMD_RET_USAGE;
	if (argc == 3 && parse_ulong(argv[2], &addr))
		return CMD_RET_USAGE;
	if (!strcmp(argv[1], "get"))
		return pxe_get(addr, &len) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
	if (!strcmp(argv[1], "boot"))
		return pxe_boot(addr) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
	return CMD_RET_USAGE;
}

PVBOOT_CMD(pxe, 3, do_pxe, "commands to get and boot from pxe files",
	   "get [pxefile_addr_r]\n"
	   "    - with ${serverip} (run dhcp first), fetch pxelinux.cfg/01-<mac>, then\n"
	   "      pxelinux.cfg/<IP in hex>, dropping a digit at a time, then default-arm\n"
	   "      and default, relative to the directory of ${bootfile}, to\n"
	   "      pxefile_addr_r (default ${pxefile_addr_r}); sets ${pxefile}\n"
	   "pxe boot [pxefile_addr_r]\n"
	   "    - boot that configuration (extlinux syntax): kernel, initrd and FDT by TFTP");
