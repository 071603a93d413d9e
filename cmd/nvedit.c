// SPDX-License-Identifier: MIT
/* Environment commands: setenv, printenv, env ..., run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/memgate.h>

#define IMPORT_MAX (1u << 20) /* longest text `env import -t` reads without a size */

static int report_set_error(const char *name, int err)
{
	if (err == -EINVAL)
		printf("## Error: invalid variable name \"%s\"\n", name);
	else if (err == -ENOSPC || err == -E2BIG)
		printf("## Error: environment full (%u bytes), \"%s\" not set\n", ENV_SIZE, name);
	else
		printf("## Error: cannot set \"%s\" (%d)\n", name, err);
	return CMD_RET_FAILURE;
}

/* setenv name value...: the values joined by spaces; no value deletes. */
static int env_set_args(int argc, char *const argv[])
{
	size_t len = 0;
	char *value, *p;
	int err;

	if (argc < 2)
		return CMD_RET_USAGE;
	if (argc == 2) {
		err = env_set(argv[1], NULL);
		return err ? report_set_error(argv[1], err) : CMD_RET_SUCCESS;
	}
	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	value = malloc(len);
	if (!value)
		return CMD_RET_FAILURE;
	p = value;
	for (int i = 2; i < argc; i++) {
		size_t l = strlen(argv[i]);

		memcpy(p, argv[i], l);
		p += l;
		*p++ = i + 1 < argc ? ' ' : '\0';
	}
	err = env_set(argv[1], value);
	free(value);
	return err ? report_set_error(argv[1], err) : CMD_RET_SUCCESS;
}

static int do_setenv(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return env_set_args(argc, argv);
}

static int print_one(const char *name, const char *value, void *arg)
{
	size_t *total = arg;

	printf("%s=%s\n", name, value);
	*total += strlen(name) + 1 + strlen(value) + 1;
	return 0;
}

static int env_print_args(int argc, char *const argv[])
{
	int ret = CMD_RET_SUCCESS;
	size_t total = 0;

	if (argc < 2) {
		env_foreach(print_one, &total);
		printf("\nEnvironment size: %zu/%u bytes\n", total, ENV_SIZE);
		return CMD_RET_SUCCESS;
	}
	for (int i = 1; i < argc; i++) {
		const char *v = env_get(argv[i]);

		if (v) {
			printf("%s=%s\n", argv[i], v);
		} else {
			printf("## Error: \"%s\" not defined\n", argv[i]);
			ret = CMD_RET_FAILURE;
		}
	}
	return ret;
}

static int do_printenv(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return env_print_args(argc, argv);
}

/* env import -t [-r] [-d] addr [size] */
static int env_import(int argc, char *const argv[])
{
	bool text = false, wipe = false;
	unsigned long addr, size;
	int i = 1, n;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 't')
				text = true;
			else if (*o == 'd')
				wipe = true;
			else if (*o == 'r')
				; /* CRLF is always accepted */
			else
				return CMD_RET_USAGE;
		}
	}
	if (!text) {
		printf("## Error: only text import (-t) is supported\n");
		return CMD_RET_FAILURE;
	}
	if (i >= argc || parse_ulong(argv[i], &addr))
		return CMD_RET_USAGE;
	if (i + 1 < argc && strcmp(argv[i + 1], "-")) {
		if (parse_ulong(argv[i + 1], &size))
			return CMD_RET_USAGE;
	} else {
		/* No size: NUL-terminated text, bounded by readable RAM and IMPORT_MAX. */
		size = MIN(mem_gate_readable(mem_map_board(), addr), (uint64_t)IMPORT_MAX);
	}
	/* Nothing readable at addr: the gate still says why. */
	if (mem_gate(addr, size ? size : 1, MEM_READ) || !size)
		return CMD_RET_FAILURE;
	if (wipe)
		env_clear();
	n = env_import_text((const char *)(uintptr_t)addr, size);
	if (n < 0) {
		printf("## Error: env import failed (%d)\n", n);
		return CMD_RET_FAILURE;
	}
	return CMD_RET_SUCCESS;
}

static int do_env(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	const char *sub;

	if (argc < 2)
		return CMD_RET_USAGE;
	sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "print"))
		return env_print_args(argc, argv);
	if (!strcmp(sub, "set"))
		return env_set_args(argc, argv);
	if (!strcmp(sub, "delete")) {
		int ret = CMD_RET_SUCCESS;

		if (argc < 2)
			return CMD_RET_USAGE;
		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "-f"))
				continue;
			if (!env_get(argv[i])) {
				printf("## Error: \"%s\" not defined\n", argv[i]);
				ret = CMD_RET_FAILURE;
			} else {
				env_set(argv[i], NULL);
			}
		}
		return ret;
	}
	if (!strcmp(sub, "default")) {
		bool all = false;

		for (int i = 1; i < argc; i++) {
			if (!strcmp(argv[i], "-a"))
				all = true;
			else if (strcmp(argv[i], "-f"))
				return CMD_RET_USAGE;
		}
		if (!all)
			return CMD_RET_USAGE;
		printf("## Resetting to default environment\n");
		env_set_default();
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(sub, "exists"))
		return argc == 2 && env_get(argv[1]) ? CMD_RET_SUCCESS : CMD_RET_FAILURE;
	if (!strcmp(sub, "import"))
		return env_import(argc, argv);
	return CMD_RET_USAGE;
}

static int do_run(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc < 2)
		return CMD_RET_USAGE;
	for (int i = 1; i < argc; i++) {
		const char *script = env_get(argv[i]);

		if (!script) {
			printf("## Error: \"%s\" not defined\n", argv[i]);
			return CMD_RET_FAILURE;
		}
		if (run_command_list(script, -1, 0))
			return CMD_RET_FAILURE;
	}
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(setenv, CONFIG_SYS_MAXARGS, do_setenv, "set environment variables",
	   "name value ...\n"
	   "    - set environment variable 'name' to 'value ...'\n"
	   "setenv name\n"
	   "    - delete environment variable 'name'");

PVBOOT_CMD(printenv, CONFIG_SYS_MAXARGS, do_printenv, "print environment variables",
	   "\n"
	   "    - print values of all environment variables\n"
	   "printenv name ...\n"
	   "    - print value of environment variable 'name'");

PVBOOT_CMD(env, CONFIG_SYS_MAXARGS, do_env, "environment handling commands",
	   "default [-f] -a - [forcibly] reset default environment\n"
	   "env delete [-f] var [...] - [forcibly] delete variable(s)\n"
	   "env exists name - tell whether variable 'name' is set\n"
	   "env import -t [-r] [-d] addr [size] - import 'name=value' lines from memory\n"
	   "    (-d: delete the current environment first; no size: NUL-terminated text)\n"
	   "env print [name ...] - print environment\n"
	   "env set name [arg ...] - set environment variable");

PVBOOT_CMD(run, CONFIG_SYS_MAXARGS, do_run, "run commands in an environment variable",
	   "var [...]\n"
	   "    - run the commands in the environment variable(s) 'var'");
