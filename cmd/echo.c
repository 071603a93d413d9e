// SPDX-License-Identifier: MIT
/* echo: print the arguments, separated by spaces. */
#include <stdio.h>
#include <string.h>
#include <pvboot/command.h>

static int do_echo(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	bool newline = true;
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = false;
		i++;
	}
	for (int first = i; i < argc; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (newline)
		printf("\n");
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(echo, CONFIG_SYS_MAXARGS, do_echo, "echo args to console",
	   "[-n] [args..]\n"
	   "    - echo args to console; -n suppresses newline");
