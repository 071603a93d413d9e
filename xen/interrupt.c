// SPDX-License-Identifier: MIT
/* The interruption check handed down by the layer above (see interrupt.h). */
#include <pvboot/xen/interrupt.h>

static bool (*interrupt_check)(void);

void xen_set_interrupt_check(bool (*check)(void))
{
	interrupt_check = check;
}

bool xen_interrupted(void)
{
	return interrupt_check && interrupt_check();
}
