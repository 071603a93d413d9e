// SPDX-License-Identifier: MIT
/* Environment commands: setenv, printenv, env ..., run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/env_image.h>
#include <pvboot/env_internal.h>
#include <pvboot/env_store.h>
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

/*
 * Run change() on the whole environment, keep only what it did to the
 * variables in names[] (a NULL or "-f" entry is skipped), and put every other
 * variable back as it was: `env default VAR...` and `env import ... VAR...`.
 * change()'s result, or the first error.
 */
static int env_change_only(int (*change)(void *arg), void *arg, char *const names[], int n)
{
	char *saved = malloc(ENV_SIZE + 2);
	char **vals = calloc((size_t)n, sizeof(*vals));
	long len = saved && vals ? env_list_export(saved, ENV_SIZE + 2, false, NULL, 0) : -ENOMEM;
	bool apply;
	int ret;

	if (len < 0) {
		free(saved);
		free(vals);
		printf("## Error: cannot set the environment aside (%ld)\n", len);
		return (int)len;
	}
	ret = change(arg);
	for (int i = 0; i < n; i++) {
		const char *v = names[i] ? env_get(names[i]) : NULL;

		vals[i] = v ? strdup(v) : NULL;
		if (v && !vals[i] && ret >= 0)
			ret = -ENOMEM;
	}
	apply = ret >= 0;
	env_list_import(saved, (size_t)len, true);
	for (int i = 0; apply && i < n; i++) {
		int err;

		if (!names[i] || !strcmp(names[i], "-f"))
			continue;
		/* Not there after the change: the variable goes, as in U-Boot. */
		err = env_set(names[i], vals[i]);
		if (err) {
			report_set_error(names[i], err);
			ret = err;
		}
	}
	for (int i = 0; i < n; i++)
		free(vals[i]);
	free(vals);
	free(saved);
	return ret;
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

/* One of -t, -b, -c: U-Boot allows only one. */
static int set_format(char *fmt, char c)
{
	if (*fmt && *fmt != c) {
		printf("## Error: only one of \"-b\", \"-c\" or \"-t\" allowed\n");
		return -EINVAL;
	}
	*fmt = c;
	return 0;
}

/* Import a checksum-protected image (-c): the stored layout, CRC checked. */
static int import_image(const uint8_t *img, size_t size, bool wipe)
{
	bool redund = env_store_redundant();
	size_t hdr = ENV_IMAGE_HDR(redund);
	int ret = env_image_check(img, size, redund);

	if (ret == -EBADMSG) {
		printf("## Error: bad CRC, import failed\n");
		return ret;
	}
	if (ret == -EUCLEAN) {
		printf("## Error: the variable list has no end, import failed\n");
		return ret;
	}
	if (ret) {
		printf("## Error: Invalid size 0x%zx\n", size);
		return ret;
	}
	return env_list_import((const char *)img + hdr, size - hdr, wipe);
}

struct import_job {
	const char *p;
	unsigned long size;
	char fmt;
	bool wipe;
};

/* 0 or more variables imported, or -errno (said on the console). */
static int import_now(void *arg)
{
	const struct import_job *j = arg;
	int n;

	if (j->fmt == 'c') {
		n = import_image((const uint8_t *)j->p, j->size, j->wipe);
	} else if (j->fmt == 'b') {
		n = env_list_import(j->p, j->size, j->wipe);
		if (n == -EUCLEAN)
			printf("## Error: no end of the list (\"\\0\\0\") in 0x%lx bytes\n",
			       j->size);
	} else {
		if (j->wipe)
			env_clear();
		n = env_import_text(j->p, j->size);
	}
	if (n < 0 && n != -EBADMSG && n != -EUCLEAN && n != -EINVAL)
		printf("## Error: env import failed (%d)\n", n);
	return n;
}

/*
 * env import [-d] [-t [-r] | -b | -c] addr [size|-] [var ...]
 * With variables, only those change (-d: a listed one the data lacks is
 * deleted), as in U-Boot.
 */
static int env_import(int argc, char *const argv[])
{
	struct import_job j = {0};
	unsigned long addr;
	int i = 1, n;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 't' || *o == 'b' || *o == 'c') {
				if (set_format(&j.fmt, *o))
					return CMD_RET_FAILURE;
			} else if (*o == 'd') {
				j.wipe = true;
			} else if (*o != 'r') { /* -r: CRLF is always accepted */
				return CMD_RET_USAGE;
			}
		}
	}
	if (!j.fmt) {
		printf("## Warning: defaulting to text format\n");
		j.fmt = 't';
	}
	if (i >= argc || parse_ulong(argv[i], &addr))
		return CMD_RET_USAGE;
	if (i + 1 < argc && strcmp(argv[i + 1], "-")) {
		if (parse_ulong(argv[i + 1], &j.size))
			return CMD_RET_USAGE;
	} else if (j.fmt == 'c') {
		printf("## Error: external checksum format must pass size\n");
		return CMD_RET_FAILURE;
	} else {
		/* No size: NUL-terminated data, bounded by readable RAM and IMPORT_MAX. */
		j.size = MIN(mem_gate_readable(mem_map_board(), addr), (uint64_t)IMPORT_MAX);
	}
	/* Nothing readable at addr: the gate still says why. */
	if (mem_gate(addr, j.size ? j.size : 1, MEM_READ) || !j.size)
		return CMD_RET_FAILURE;
	j.p = (const char *)(uintptr_t)addr;
	if (i + 2 < argc)
		n = env_change_only(import_now, &j, (char *const *)argv + i + 2, argc - i - 2);
	else
		n = import_now(&j);
	return n < 0 ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

/* env export [-t | -b | -c] [-s size] addr [var ...] */
static int env_export(int argc, char *const argv[])
{
	unsigned long addr, size = 0;
	char fmt = 0;
	long len;
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 't' || *o == 'b' || *o == 'c') {
				if (set_format(&fmt, *o))
					return CMD_RET_FAILURE;
			} else if (*o == 's' && !o[1] && i + 1 < argc) {
				if (parse_ulong(argv[++i], &size))
					return CMD_RET_USAGE;
				break;
			} else {
				return CMD_RET_USAGE;
			}
		}
	}
	if (!fmt)
		fmt = 't';
	if (i >= argc || parse_ulong(argv[i], &addr))
		return CMD_RET_USAGE;
	i++;
	if (fmt == 'c' && !size)
		size = env_store_size();
	if (fmt == 'c' && !size) {
		printf("## Error: no stored environment size: give -s size\n");
		return CMD_RET_FAILURE;
	}
	if (!size)
		size = env_size_used() + 2; /* every entry and the final NUL(s) */
	if (mem_gate(addr, size, MEM_WRITE))
		return CMD_RET_FAILURE;
	if (fmt == 'c') {
		/* The stored layout; a redundant one is marked active (flag 1). */
		int ret = env_image_export(phys_to_virt(addr), size, env_store_redundant(), 1,
					   (const char *const *)argv + i, argc - i);

		len = ret ? ret : (long)size;
	} else {
		memset(phys_to_virt(addr), 0, size);
		len = env_list_export(phys_to_virt(addr), size, fmt == 't',
				      (const char *const *)argv + i, argc - i);
	}
	if (len == -ENOSPC || len == -EINVAL) {
		printf("## Error: the environment does not fit in 0x%lx bytes\n", size);
		return CMD_RET_FAILURE;
	}
	if (len < 0)
		return CMD_RET_FAILURE;
	env_set_hex("filesize", (uint64_t)len);
	return CMD_RET_SUCCESS;
}

static int set_default(void *arg)
{
	(void)arg;
	env_set_default();
	return 0;
}

/* env default [-f] -a | env default [-f] var ...: reset all, or some, to the defaults. */
static int env_default(int argc, char *const argv[])
{
	int nvars = 0;
	bool all = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-a"))
			all = true;
		else if (strcmp(argv[i], "-f"))
			nvars++;
	}
	if (all && !nvars) {
		printf("## Resetting to default environment\n");
		env_set_default();
		return CMD_RET_SUCCESS;
	}
	if (all || !nvars)
		return CMD_RET_USAGE;
	/* The defaults are computed, not kept: apply them all, keep the named ones. */
	return env_change_only(set_default, NULL, argv + 1, argc - 1) < 0 ? CMD_RET_FAILURE
									  : CMD_RET_SUCCESS;
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
	if (!strcmp(sub, "default"))
		return env_default(argc, argv);
	if (!strcmp(sub, "export"))
		return env_export(argc, argv);
	if (!strcmp(sub, "save"))
		return env_save() ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
	if (!strcmp(sub, "load"))
		return env_store_available() && !env_load() ? CMD_RET_SUCCESS : CMD_RET_FAILURE;
	if (!strcmp(sub, "info")) {
		env_store_info();
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
	   "env default [-f] var [...] - [forcibly] reset variable(s) to their default values\n"
	   "env delete [-f] var [...] - [forcibly] delete variable(s)\n"
	   "env exists name - tell whether variable 'name' is set\n"
	   "env export [-t | -b | -c] [-s size] addr [var ...] - export environment\n"
	   "    (-t: text, -b: '\\0'-separated list, -c: the stored format with its CRC;\n"
	   "    all variables or those named; sets ${filesize})\n"
	   "env import [-d] [-t [-r] | -b | -c] addr [size|-] [var ...] - import environment\n"
	   "    (-d: delete the current environment first, or with vars only those;\n"
	   "    vars: only these change; size needed for -c;\n"
	   "    without it text and -b data end at a NUL / an empty entry)\n"
	   "env info - where the environment is stored, which copy is in use\n"
	   "env load - load the environment from storage, replacing this one\n"
	   "    (by the defaults if it is missing or damaged)\n"
	   "env print [name ...] - print environment\n"
	   "env save - save the environment to storage (as saveenv)\n"
	   "env set name [arg ...] - set environment variable");

static int do_saveenv(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return env_save() ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

PVBOOT_CMD(saveenv, 1, do_saveenv, "save environment variables to persistent storage",
	   "\n"
	   "    - write the environment to its file (env info says where); with\n"
	   "      a redundant environment the copy not in use is written, so a\n"
	   "      cut leaves the previous environment.");

PVBOOT_CMD(run, CONFIG_SYS_MAXARGS, do_run, "run commands in an environment variable",
	   "var [...]\n"
	   "    - run the commands in the environment variable(s) 'var'");
