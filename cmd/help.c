// SPDX-License-Identifier: MIT
/* help: the command list (sorted, with usage) or one command's full help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>

#define HELP_NAME_WIDTH 10 /* as U-Boot's CONFIG_SYS_HELP_CMD_WIDTH */

static int help_list(void)
{
	size_t n;
	struct cmd_tbl **list = cmd_sorted("", 0, &n);

	if (!list)
		return CMD_RET_FAILURE;
	for (size_t i = 0; i < n; i++)
		printf("%-*s- %s\n", HELP_NAME_WIDTH, list[i]->name, list[i]->usage);
	free(list);
	return CMD_RET_SUCCESS;
}

static int do_help(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	int ret = CMD_RET_SUCCESS;

	if (argc == 1)
		return help_list();
	for (int i = 1; i < argc; i++) {
		struct cmd_tbl *c = find_cmd(argv[i]);

		if (!c) {
			printf("Unknown command '%s' - try 'help' without arguments for list of "
			       "all known commands\n\n",
			       argv[i]);
			ret = CMD_RET_FAILURE;
			continue;
		}
		cmd_usage(c);
	}
	return ret;
}

PVBOOT_CMD(help, CONFIG_SYS_MAXARGS, do_help, "print command description/usage",
	   "\n"
	   "	- print brief description of all commands\n"
	   "help command ...\n"
	   "	- print detailed usage of 'command'");
