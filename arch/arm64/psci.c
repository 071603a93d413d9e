// SPDX-License-Identifier: MIT
/*
 * reset / poweroff: PSCI 0.2 SYSTEM_RESET / SYSTEM_OFF through HVC (Xen
 * implements PSCI for guests: the domain reboots or shuts down), with
 * SCHEDOP_shutdown as the fallback should PSCI return.
 */
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include "arm64.h"

#define PSCI_0_2_SYSTEM_OFF 0x84000008UL
#define PSCI_0_2_SYSTEM_RESET 0x84000009UL

static __noreturn void system_down(unsigned long psci_fn, unsigned int reason)
{
	struct sched_shutdown sd = {.reason = reason};

	/* No console driver (its init failed?): still show the early log. */
	if (!console_ready())
		earlycon_register();
	console_flush();
	psci_call(psci_fn, 0, 0, 0);
	arch_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&sd, 0, 0, 0);
	arch_fatal("Xen ignored the shutdown request, reason", reason);
}

/* Xen reclaims a domain that resets or powers off: nothing to release first. */
void arch_set_release(int (*release)(void))
{
}

__noreturn void arch_reset(void)
{
	system_down(PSCI_0_2_SYSTEM_RESET, SHUTDOWN_reboot);
}

__noreturn void arch_poweroff(void)
{
	system_down(PSCI_0_2_SYSTEM_OFF, SHUTDOWN_poweroff);
}
