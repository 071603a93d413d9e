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

/* The longest countdown honoured: a day (bootdelay is a number anyone can type). */
#define BOOTDELAY_MAX_S (24L * 3600)
#define US_PER_S 1000000ULL

/*
 * True if a key was pressed during the delay (the key is consumed). As
 * U-Boot's: the prompt is printed even for a delay of 0, and a key typed
 * before it stops the boot at once. The delay counts from START_US, when
 * the console came up: keys typed since then are kept, so the time spent
 * connecting the disks is already part of the user's chance to stop the
 * boot and is not added to it.
 */
static bool abortboot(long delay, uint64_t start_us)
{
	uint64_t end = start_us + (uint64_t)delay * US_PER_S, now = timer_us();
	long left = now >= end ? 0 : (long)((end - now + US_PER_S - 1) / US_PER_S);
	bool abort = false;

	printf("Hit any key to stop autoboot: %2ld ", left);
	if (console_tstc()) {
		console_getc();
		printf("\b\b\b 0");
		abort = true;
	}
	while (left > 0 && !abort) {
		/* The display drops to left - 1 when that many seconds remain. */
		uint64_t tick = end - (uint64_t)(left - 1) * US_PER_S;

		--left;
		while (!deadline_passed(tick)) {
			if (console_tstc()) {
				console_getc();
				abort = true;
				left = 0;
				break;
			}
			arch_cpu_relax();
		}
		printf("\b\b\b%2ld ", left);
	}
	printf("\n");
	return abort;
}

/*
 * bootdelay as in U-Boot: N >= 0 counts down N seconds that any key
 * interrupts (from CONSOLE_UP_US, the timer_us() when the console came up);
 * -1 disables autoboot; -2 (any other negative value) boots at once
 * without looking at the console.
 */
void autoboot(uint64_t console_up_us)
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
	if (delay >= 0 && abortboot(MIN(delay, BOOTDELAY_MAX_S), console_up_us))
		return;
	run_command_list(cmd, -1, 0);
	/* Returning means nothing booted: the caller gives the prompt. */
}
