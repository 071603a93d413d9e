// SPDX-License-Identifier: MIT
/* source [addr]: run a boot script (mkimage -T script or plain text). */
#include <stdio.h>
#include <pvboot/board.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/script.h>

static int do_source(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr, avail;

	if (argc > 1) {
		if (parse_ulong(argv[1], &addr))
			return CMD_RET_USAGE;
	} else {
		addr = env_get_hex("loadaddr", 0);
	}
	/* Plain text is bounded by the last load there, else by the end of free RAM. */
	if (env_get("fileaddr") && env_get_hex("fileaddr", 0) == addr)
		avail = env_get_hex("filesize", 0);
	else if (addr >= board.banks[0].start && addr < board.reserved_start)
		avail = board.reserved_start - addr;
	else {
		printf("## Script address 0x%lx is outside free RAM\n", addr);
		return CMD_RET_FAILURE;
	}
	return script_source(addr, avail) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

PVBOOT_CMD(source, 2, do_source, "run script from memory",
	   "[addr]\n"
	   "    - run the script at 'addr' (default ${loadaddr}): a U-Boot script\n"
	   "      image made with 'mkimage -T script' (CRCs checked) or plain text");
