// SPDX-License-Identifier: MIT
/* run_command() and run_command_list(): how boot code and commands run shell text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include "cli.h"

/*
 * The parser reads its script as it runs, and a command may change where the
 * script came from (`setenv` of the variable `run` is running, `load` over
 * the script `source` is running): it always gets a private copy.
 */
static int run_copy(const char *cmd, size_t max)
{
	size_t len;
	char *copy;
	int r;

	if (!cmd)
		return 0;
	len = strnlen(cmd, max);
	if (len > CLI_MAX_SCRIPT)
		return cli_run(cmd, len) ? 1 : 0; /* refused with a message, nothing read */
	copy = malloc(len + 1);
	if (!copy) {
		printf("## Error: out of memory for a %zu-byte script\n", len);
		return 1;
	}
	memcpy(copy, cmd, len);
	copy[len] = '\0';
	r = cli_run(copy, len) ? 1 : 0;
	free(copy);
	return r;
}

int run_command(const char *cmd, int flag)
{
	return run_copy(cmd, CLI_MAX_SCRIPT + 1);
}

int run_command_list(const char *cmd, int len, int flag)
{
	return run_copy(cmd, len < 0 ? CLI_MAX_SCRIPT + 1 : (size_t)len);
}
