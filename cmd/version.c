// SPDX-License-Identifier: MIT
/* version: what is running and what built it. */
#include <stdio.h>
#include <pvboot/command.h>
#include <pvboot/version.h>

static int do_version(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	printf("%s\n", pvboot_version_string);
#ifdef __clang__
	printf("clang %s\n", __clang_version__);
#else
	printf("gcc %s\n", __VERSION__);
#endif
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(version, 1, do_version, "print monitor, compiler and linker version",
	   "\n    - print pvboot's version and build date, and the compiler that built it");
