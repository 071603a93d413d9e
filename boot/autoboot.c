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

/*
 * True if a key was pressed during the delay (the key is consumed). As
 * U-Boot's: the prompt is printed even for a delay of 0, and a key typed
 * before it (e.g. while the disks connected) stops the boot at once.
 */
static bool abortboot(long delay)
{
	bool abort = false;

	printf("Hit any key to stop autoboot: %2ld ", delay);
	if (console_tstc()) {
		console_getc();
		printf("\b\b\b 0");
		abort = true;
	}
	while (delay > 0 && !abort) {
		uint64_t second = deadline_ms(1000);

		--delay;
		while (!deadline_passed(second)) {
			if (console_tstc()) {
				console_getc();
				abort = true;
				delay = 0;
				break;
			}
			arch_cpu_relax();
		}
		printf("\b\b\b%2ld ", delay);
	}
	printf("\n");
	return abort;
}

/*
 * bootdelay as in U-Boot: N >= 0 counts down N seconds that any key
 * interrupts; -1 disables autoboot; -2 (any other negative value) boots at
 * once without looking at the console.
 */
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

	if (delay == -1 || !cmd || !*cmd)
		return;
	if (delay >= 0 && abortboot(delay))
		return;
	run_command_list(cmd, -1, 0);
	/* Returning means nothing booted: the caller gives the prompt. */
}
