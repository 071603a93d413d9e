// SPDX-License-Identifier: MIT
/* bootstage: where boot time went (entry, MMU on, console, prompt, ...). */
#include <string.h>
#include <pvboot/bootstage.h>
#include <pvboot/command.h>

static int do_bootstage(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc > 1 && strcmp(argv[1], "report"))
		return CMD_RET_USAGE;
	bootstage_report();
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(bootstage, 2, do_bootstage, "boot stage timestamps",
	   "[report]\n"
	   "    - print the time of each boot stage since pvboot started");
