// SPDX-License-Identifier: MIT
/* sleep N[.fraction]: wait, Ctrl-C aborts. */
#include <stdio.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/timer.h>

/* Decimal seconds with up to three decimals, as U-Boot accepts. */
static int parse_seconds_ms(const char *s, unsigned long *ms)
{
	unsigned long v = 0, frac = 0, scale = 100;

	if (!*s)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > 1000000UL)
			return -1; /* more than 11 days: surely a mistake */
		v = v * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			frac += (*s - '0') * scale;
	if (*s)
		return -1;
	*ms = v * 1000 + frac;
	return 0;
}

static int do_sleep(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long ms;
	uint64_t deadline;

	if (argc != 2 || parse_seconds_ms(argv[1], &ms))
		return CMD_RET_USAGE;
	deadline = deadline_ms(ms);
	while (!deadline_passed(deadline)) {
		if (ctrlc())
			return CMD_RET_FAILURE;
		udelay(100);
	}
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(sleep, 2, do_sleep, "delay execution for some time",
	   "N\n"
	   "    - delay execution for N seconds (N is _decimal_ and may have a fraction)");
