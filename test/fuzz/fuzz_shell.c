// SPDX-License-Identifier: MIT
/*
 * The shell parser and executor on arbitrary bytes, with a fake command
 * table whose commands only touch the environment. Loops and recursion are
 * cut by a Ctrl-C that "arrives" after a fixed number of checks, as a user
 * would press it; the nesting and length limits must hold by themselves.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/log.h>
#include "../../shell/cli.h"

#define CTRLC_BUDGET 2000

static int ctrlc_budget;

/* Output is formatted (so format bugs still show) and dropped. */
int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return n;
}

bool ctrlc(void)
{
	return --ctrlc_budget < 0;
}

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}

void env_set_default(void)
{
	env_clear();
	env_set("bootcmd", "run distro_bootcmd");
	env_set("boot_targets", "pvblock0 pvblock1");
	env_set("distro_bootcmd", "for t in ${boot_targets}; do run bootcmd_${t}; done");
	env_set("bootcmd_pvblock0", "if test a = b; then echo x; else false; fi");
}

static int do_echo(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++)
		printf("%s ", argv[i]);
	return 0;
}
PVBOOT_CMD(echo, CONFIG_SYS_MAXARGS, do_echo, "echo", "[args]");

static int do_true(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return 0;
}
PVBOOT_CMD(true, CONFIG_SYS_MAXARGS, do_true, "true", "");

static int do_false(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return 1;
}
PVBOOT_CMD(false, CONFIG_SYS_MAXARGS, do_false, "false", "");

/* A stand-in for test: equal strings or non-empty argument. */
static int do_test(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	if (argc == 4)
		return strcmp(argv[1], argv[3]) ? 1 : 0;
	return argc > 1 && argv[1][0] ? 0 : 1;
}
PVBOOT_CMD(test, CONFIG_SYS_MAXARGS, do_test, "test", "");

static int do_setenv(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	if (argc < 2)
		return CMD_RET_USAGE;
	return env_set(argv[1], argc > 2 ? argv[2] : NULL) ? 1 : 0;
}
PVBOOT_CMD(setenv, 3, do_setenv, "setenv", "name [value]");

static int do_run(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++)
		if (run_command_list(env_get(argv[i]), -1, 0))
			return 1;
	return 0;
}
PVBOOT_CMD(run, CONFIG_SYS_MAXARGS, do_run, "run", "var...");

static int do_import(struct cmd_tbl *c, int flag, int argc, char *const argv[])
{
	return argc > 1 && env_import_text(argv[1], strlen(argv[1])) >= 0 ? 0 : 1;
}
PVBOOT_CMD(import, 2, do_import, "env import -t on an argument", "text");

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *script;

	if (size > 1 << 16)
		return 0;
	script = malloc(size + 1);
	if (!script)
		return 0;
	memcpy(script, data, size);
	script[size] = '\0';
	env_set_default();
	cli_locals_clear();
	ctrlc_budget = CTRLC_BUDGET;
	run_command_list(script, (int)size, 0);
	run_command(script, 0);
	free(script);
	return 0;
}
