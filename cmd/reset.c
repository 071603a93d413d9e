// SPDX-License-Identifier: MIT
/* reset / poweroff: PSCI SYSTEM_RESET / SYSTEM_OFF through Xen (exit in the sandbox). */
#include <stdio.h>
#include <pvboot/arch.h>
#include <pvboot/command.h>
#include <pvboot/console.h>

static int do_reset(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	printf("resetting ...\n");
	console_flush();
	arch_reset();
}

static int do_poweroff(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	printf("powering off ...\n");
	console_flush();
	arch_poweroff();
}

PVBOOT_CMD(reset, 1, do_reset, "Perform RESET of the CPU",
	   "\n    - reboot the domain (Xen restarts it per its on_reboot setting)");
PVBOOT_CMD(poweroff, 1, do_poweroff, "Perform POWEROFF of the device",
	   "\n    - shut the domain down");
