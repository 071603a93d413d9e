// SPDX-License-Identifier: MIT
/*
 * The command table (a linker section filled by PVBOOT_CMD) and the glue
 * between the shell and commands: lookup with U-Boot's rules (the part after
 * a '.' is a size suffix, unique abbreviations are accepted), usage text and
 * argument count checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include "cli.h"

struct cmd_tbl *find_cmd(const char *name)
{
	struct cmd_tbl *found = NULL;
	unsigned int nfound = 0;
	const char *dot;
	size_t len;

	if (!name)
		return NULL;
	dot = strchr(name, '.');
	len = dot ? (size_t)(dot - name) : strlen(name);
	if (!len)
		return NULL;
	for (struct cmd_tbl *c = __start_pvboot_cmd; c < __stop_pvboot_cmd; c++) {
		if (strncmp(name, c->name, len))
			continue;
		if (c->name[len] == '\0')
			return c; /* exact */
		found = c;
		nfound++;
	}
	return nfound == 1 ? found : NULL;
}

static int cmd_name_cmp(const void *a, const void *b)
{
	const struct cmd_tbl *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

struct cmd_tbl **cmd_sorted(const char *prefix, size_t len, size_t *n)
{
	struct cmd_tbl **list;
	size_t k = 0;

	*n = 0;
	for (struct cmd_tbl *c = __start_pvboot_cmd; c < __stop_pvboot_cmd; c++)
		*n += !strncmp(c->name, prefix, len);
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	list = *n ? malloc(*n * sizeof(*list)) : NULL;
	if (!list)
		return NULL;
	for (struct cmd_tbl *c = __start_pvboot_cmd; c < __stop_pvboot_cmd; c++)
		if (!strncmp(c->name, prefix, len))
			list[k++] = c;
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	qsort(list, *n, sizeof(*list), cmd_name_cmp);
	return list;
}

int cmd_usage(const struct cmd_tbl *cmdtp)
{
	printf("%s - %s\n\nUsage:\n%s %s\n", cmdtp->name, cmdtp->usage, cmdtp->name,
	       cmdtp->help ? cmdtp->help : "");
	return 1;
}

int cmd_call(int argc, char *const argv[])
{
	struct cmd_tbl *c;
	int r;

	if (argc < 1)
		return 0;
	c = find_cmd(argv[0]);
	if (!c) {
		printf("Unknown command '%s' - try 'help'\n", argv[0]);
		return 1;
	}
	if (argc > c->maxargs || argc > CONFIG_SYS_MAXARGS) {
		cmd_usage(c);
		return 1;
	}
	r = c->cmd(c, 0, argc, argv);
	if (r == CMD_RET_USAGE) {
		cmd_usage(c);
		return 1;
	}
	return r ? 1 : 0;
}
