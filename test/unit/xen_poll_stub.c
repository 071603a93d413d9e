// SPDX-License-Identifier: MIT
/*
 * xen/poll.c as it behaves without a runstate area: every wait spins one
 * turn (arch_cpu_relax, which each test stubs). For tests of code that
 * waits; test_xen_poll tests the real one.
 */
#include <pvboot/arch.h>
#include <pvboot/xen/poll.h>

int xen_poll_init(void)
{
	return 0;
}

int xen_poll_teardown(void)
{
	return 0;
}

void xen_poll_wait(evtchn_port_t port, uint64_t until_us)
{
	arch_cpu_relax();
}

void xen_poll_get_stats(struct xen_poll_stats *st)
{
	*st = (struct xen_poll_stats){0};
}
