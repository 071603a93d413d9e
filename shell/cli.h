/* SPDX-License-Identifier: MIT */
/*
 * The shell's own interface, shared by the files of shell/ and by the unit
 * and fuzz tests: limits, running text, hush locals, the line editor and
 * its history. Commands and boot code use <pvboot/command.h> instead.
 */
#ifndef PVBOOT_SHELL_CLI_H
#define PVBOOT_SHELL_CLI_H

#include <pvboot/compiler.h>

/* Limits that keep hostile input (scripts from disk, fuzzers) bounded. */
#define CLI_MAX_NEST 40		  /* if/for/while nesting plus `run` recursion, in total */
#define CLI_MAX_SCRIPT (1u << 20) /* longest text run_command_list accepts */
#define CLI_MAX_EXPAND 0x20000	  /* bytes of one expanded command line */
#define CLI_MAX_FIELDS 1024	  /* words after expansion (argc is further capped) */
#define CLI_MAX_LOCALS 64	  /* hush local variables (a=b) */

/* Parse and execute src[0..len) with full syntax. Returns the exit status. */
int cli_run(const char *src, size_t len);
/* Status of the last command ($?). */
int cli_last_status(void);
/* Local (hush) variables: a=b. NULL if unset. */
const char *cli_local_get(const char *name);
int cli_local_set(const char *name, const char *value);
void cli_locals_clear(void);

/* The line editor reads through these, so that tests can feed it bytes. */
struct cli_io {
	int (*getc)(void *ctx); /* next byte, or -1 at end of input */
	void (*puts)(void *ctx, const char *s, size_t len);
	/*
	 * Tab: complete the command name word[0..len). Returns how many names
	 * match and puts in add what all of them share beyond word (plus a
	 * space when only one matches). With list set, also prints the
	 * matches. May be NULL (no completion).
	 */
	int (*complete)(void *ctx, const char *word, size_t len, char *add, size_t addsz,
			bool list);
	void *ctx;
};

#define CLI_HISTORY 16

/*
 * Read one line with editing and history into buf (NUL-terminated).
 * Returns its length, -EINTR on Ctrl-C (line abandoned), -EIO at end of input.
 */
int cli_readline(const struct cli_io *io, const char *prompt, char *buf, size_t size);
void cli_history_add(const char *line);
/* The i-th line of history, 0 the newest; NULL past the oldest. */
const char *cli_history_get(unsigned int i);
void cli_history_clear(void);

#endif
