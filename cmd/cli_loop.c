// SPDX-License-Identifier: MIT
/* The interactive loop: prompt, edit a line, run it, forever. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pvboot/arch.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/timer.h>
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

static const struct cli_io console_io = {
    .getc = console_io_getc,
    .puts = console_io_puts,
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
#ifdef CONFIG_SANDBOX
			/* stdin closed: the session is over. */
			console_flush();
			arch_poweroff();
#else
			mdelay(10);
			continue;
#endif
		}
		if (r <= 0)
			continue;
		cli_history_add(line);
		run_command(line, 0);
	}
}
