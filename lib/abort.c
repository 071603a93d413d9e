// SPDX-License-Identifier: MIT
/* abort() on the target: say so, then stop the domain instead of spinning. */
#include <stdlib.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/log.h>

void abort(void)
{
	pr_err("abort() called: powering off\n");
	console_flush();
	arch_poweroff();
}
