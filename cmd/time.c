// SPDX-License-Identifier: MIT
/* time command...: run one command and say how long it took. */
#include <stdio.h>
#include <pvboot/command.h>
#include <pvboot/timer.h>

static int do_time(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	uint64_t start, us;
	int ret;

	if (argc < 2)
		return CMD_RET_USAGE;
	start = timer_us();
	ret = cmd_call(argc - 1, argv + 1);
	us = timer_us() - start;
	printf("\ntime: %llu.%03llu seconds\n", (unsigned long long)(us / 1000000),
	       (unsigned long long)(us / 1000 % 1000));
	return ret;
}

PVBOOT_CMD(time, CONFIG_SYS_MAXARGS, do_time, "run commands and summarize execution time",
	   "command [args...]\n"
	   "    - run one command (no shell syntax: use 'time run var' for a script)");
