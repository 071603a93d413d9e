// SPDX-License-Identifier: MIT
/* bootdelay countdown that any key interrupts, then bootcmd (or altbootcmd). */
#include <stdio.h>
#include <stdlib.h>
#include <pvboot/arch.h>
#include <pvboot/boot.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/timer.h>

/* True if a key was pressed during the delay (the key is consumed). */
static bool abortboot(long delay)
{
	printf("Hit any key to stop autoboot: %2ld ", delay);
	do {
		uint64_t second = deadline_ms(1000);

		while (!deadline_passed(second)) {
			if (console_tstc()) {
				console_getc();
				printf("\b\b\b 0 \n");
				return true;
			}
			arch_cpu_relax();
		}
		printf("\b\b\b%2ld ", --delay > 0 ? delay : 0);
	} while (delay > 0);
	printf("\n");
	return false;
}

void autoboot(void)
{
	const char *s, *cmd;
	long delay;

#ifdef CONFIG_BOOTCOUNT_ENV
	/* As U-Boot: counted before the delay, whether or not a key stops it. */
	bootcount_inc();
	cmd = env_get(bootcount_exceeded() ? "altbootcmd" : "bootcmd");
#else
	cmd = env_get("bootcmd");
#endif
	s = env_get("bootdelay");
	delay = s ? strtol(s, NULL, 10) : CONFIG_BOOTDELAY;

	if (delay < 0 || !cmd || !*cmd)
		return;
	if (delay > 0 && abortboot(delay))
		return;
	if (delay == 0 && console_tstc()) {
		console_getc();
		return;
	}
	run_command_list(cmd, -1, 0);
	/* Returning means nothing booted: the caller gives the prompt. */
}
