// SPDX-License-Identifier: MIT
/*
 * abort() on the target: tell whoever registered to hear of it (lib/ sits
 * below the console and cannot print), then stop the domain instead of
 * spinning.
 */
#include <stdlib.h>
#include <pvboot/abort.h>
#include <pvboot/arch.h>

static void (*abort_handler)(void);

void abort_set_handler(void (*handler)(void))
{
	abort_handler = handler;
}

void abort(void)
{
	if (abort_handler)
		abort_handler();
	arch_poweroff();
}
