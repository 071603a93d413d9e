// SPDX-License-Identifier: MIT
/*
 * The edges of a session on Xen: nothing is given to run at start-up
 * (autoboot and the prompt decide), and the end of a session powers the
 * domain off (the toolstack sees a clean shutdown).
 */
#include <pvboot/arch.h>

const char *arch_startup_commands(void)
{
	return NULL;
}

__noreturn void arch_exit(int status)
{
	arch_poweroff();
}
