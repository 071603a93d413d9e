// SPDX-License-Identifier: MIT
/* The generic timer's virtual counter: the time base of include/pvboot/timer.h. */
#include <pvboot/arch.h>
#include "arm64.h"

uint64_t arch_counter(void)
{
	isb(); /* do not read the counter ahead of earlier instructions */
	return read_sysreg(cntvct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}
