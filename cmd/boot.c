// SPDX-License-Identifier: MIT
/* boot: run bootcmd. */
#include <stdio.h>
#include <pvboot/command.h>
#include <pvboot/env.h>

static int do_boot(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	const char *cmd = env_get("bootcmd");

	if (!cmd || !*cmd) {
		printf("bootcmd is not set\n");
		return CMD_RET_FAILURE;
	}
	return run_command_list(cmd, -1, 0) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

PVBOOT_CMD(boot, 1, do_boot, "boot default, i.e., run 'bootcmd'",
	   "\n    - run the commands in ${bootcmd} (by default: a distro boot scan\n"
	   "      of every PV disk for extlinux.conf and boot.scr)");
