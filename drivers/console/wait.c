// SPDX-License-Identifier: MIT
/* The loop condition of a bounded wait that Ctrl-C may cut short (<pvboot/timer.h>). */
#include <pvboot/console.h>
#include <pvboot/timer.h>

bool wait_continue(uint64_t deadline)
{
	return !deadline_passed(deadline) && !ctrlc();
}
