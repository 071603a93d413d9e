// SPDX-License-Identifier: MIT
/* source [addr]: run a boot script (mkimage -T script or plain text). */
#include <stdio.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/memgate.h>
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
	/* Bounded by the last load there, else by what can be read from addr. */
	if (env_get("fileaddr") && env_get_hex("fileaddr", 0) == addr)
		avail = env_get_hex("filesize", 0);
	else
		avail = mem_gate_readable(mem_map_board(), addr);
	return script_source(addr, avail) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

PVBOOT_CMD(source, 2, do_source, "run script from memory",
	   "[addr]\n"
	   "    - run the script at 'addr' (default ${loadaddr}): a U-Boot script\n"
	   "      image made with 'mkimage -T script' (CRCs checked) or plain text");
