// SPDX-License-Identifier: MIT
/* The interactive loop: prompt, edit a line (Tab completes command names), run it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include "cli.h"

static int console_io_getc(void *ctx)
{
	console_flush(); /* the prompt and echo must be visible before we wait */
	return console_getc();
}

static void console_io_puts(void *ctx, const char *s, size_t len)
{
	console_write(s, len);
}

/* Command names starting with word: count them, find their common extension. */
static int complete_command(void *ctx, const char *word, size_t len, char *add, size_t addsz,
			    bool list)
{
	const char *first = NULL;
	size_t common = 0;
	int n = 0;

	add[0] = '\0';
	for (struct cmd_tbl *c = __start_pvboot_cmd; c < __stop_pvboot_cmd; c++) {
		if (strncmp(c->name, word, len))
			continue;
		if (!first) {
			first = c->name;
			common = strlen(first);
		} else {
			size_t k = len;

			while (k < common && c->name[k] == first[k])
				k++;
			common = k;
		}
		n++;
	}
	if (!n)
		return 0;
	if (common - len + 2 <= addsz) {
		memcpy(add, first + len, common - len);
		add[common - len] = '\0';
		if (n == 1)
			strcat(add, " ");
	}
	if (list) {
		size_t count;
		struct cmd_tbl **names = cmd_sorted(word, len, &count);

		for (size_t k = 0; names && k < count; k++)
			printf("%s%s", names[k]->name, k + 1 < count ? "  " : "\n");
		free(names);
	}
	return n;
}

static const struct cli_io console_io = {
    .getc = console_io_getc,
    .puts = console_io_puts,
    .complete = complete_command,
};

__noreturn void shell_loop(void)
{
	static char line[CONFIG_SYS_CBSIZE];

	for (;;) {
		int r;

		/*
		 * No clear_ctrlc() here: it would swallow a Ctrl-C typed ahead
		 * into this line. A stray one just abandons an empty line.
		 */
		r = cli_readline(&console_io, CONFIG_SYS_PROMPT, line, sizeof(line));
		if (r == -EINTR) {
			printf("<INTERRUPT>\n");
			continue;
		}
		if (r == -EIO) {
			/* Nothing more can be typed (the sandbox's stdin closed): the session is
			 * over. */
			console_flush();
			arch_exit(0);
		}
		if (r <= 0)
			continue;
		cli_history_add(line);
		run_command(line, 0);
	}
}
