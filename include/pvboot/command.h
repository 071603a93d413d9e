/* SPDX-License-Identifier: MIT */
/*
 * The shell's interface for commands (cmd/, one file per family, registered
 * in a linker section) and for boot code that runs shell text (shell/).
 */
#ifndef PVBOOT_COMMAND_H
#define PVBOOT_COMMAND_H

#include <pvboot/compiler.h>

enum command_ret {
	CMD_RET_SUCCESS = 0,
	CMD_RET_FAILURE = 1,
	CMD_RET_USAGE = -1, /* print usage, status is failure */
};

struct cmd_tbl {
	const char *name;
	int maxargs; /* including the command name */
	int (*cmd)(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[]);
	const char *usage; /* one line */
	const char *help;  /* the rest, may be multi-line; args first as in U-Boot */
};

#define PVBOOT_CMD(_name, _maxargs, _fn, _usage, _help)                    \
	static struct cmd_tbl __cmd_##_name __used __section("pvboot_cmd") \
	    __aligned(8) = {#_name, _maxargs, _fn, _usage, _help}

/* Same command under another name (e.g. ext4load -> load). */
#define PVBOOT_CMD_ALIAS(_alias, _maxargs, _fn, _usage, _help) \
	PVBOOT_CMD(_alias, _maxargs, _fn, _usage, _help)

struct cmd_tbl *find_cmd(const char *name);
int cmd_usage(const struct cmd_tbl *cmdtp);
/* Run one already-split command (no shell syntax): find it, check argc, call it. */
int cmd_call(int argc, char *const argv[]);
/*
 * The commands whose names start with the len bytes of prefix, sorted by
 * name, in a malloc'd array of *n (help, Tab completion). NULL if none or
 * out of memory.
 */
struct cmd_tbl **cmd_sorted(const char *prefix, size_t len, size_t *n);

/* Run one command line (full shell syntax). Returns 0 on success, 1 on failure. */
int run_command(const char *cmd, int flag);
/*
 * Run several lines (a script). As in U-Boot's hush a failing command does not
 * stop it (use && / ||); a syntax error does. Returns the last status, 0 or 1.
 */
int run_command_list(const char *cmd, int len, int flag);

/* The interactive loop; never returns. */
__noreturn void shell_loop(void);

/* Helpers for argument parsing. */
int parse_ulong(const char *s, unsigned long *out); /* hex by default, as U-Boot */
int parse_u64(const char *s, uint64_t *out);

extern struct cmd_tbl __start_pvboot_cmd[], __stop_pvboot_cmd[];

#endif
