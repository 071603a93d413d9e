// SPDX-License-Identifier: MIT
/*
 * The command table (a linker section filled by PVBOOT_CMD) and the glue
 * between the shell and commands: lookup with U-Boot's rules (the part after
 * a '.' is a size suffix, unique abbreviations are accepted), usage text,
 * argument count checks, and number parsing helpers.
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

int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (*s | 0x20) - 'a' + 10;
		else
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int parse_ulong(const char *s, unsigned long *out)
{
	uint64_t v;
	int r = parse_u64(s, &v);

	if (r)
		return r;
	if (v != (unsigned long)v)
		return -ERANGE;
	*out = v;
	return 0;
}
