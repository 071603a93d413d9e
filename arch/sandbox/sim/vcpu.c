// SPDX-License-Identifier: MIT
/*
 * Xen's system time and the guest's runstate area, as Xen on Arm keeps
 * them. Xen's time starts an hour before the guest's counter (as if Xen had
 * booted an hour before it created the domain), so a guest that confuses
 * the two computes timeouts an hour off. The runstate area is written when
 * it is registered and each time the vCPU wakes from a poll that slept, with
 * the time it was last switched in (first: the domain's unpause), as Xen
 * does at a context switch.
 * Fault "no-runstate": registration fails (Xen refusing it).
 */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#include <errno.h>
#include "sim_internal.h"
#include <xen/vcpu.h>

#define XEN_BOOTED_BEFORE_NS (3600ull * 1000000000ull)

#define SIM_START_WAIT_NS 5000000ull

static struct vcpu_runstate_info *area;
static uint64_t switched_in;

uint64_t sim_xen_now_ns(void)
{
	return sim_now_ns() + XEN_BOOTED_BEFORE_NS;
}

static void write_area(void)
{
	if (!area)
		return;
	area->state = RUNSTATE_running;
	area->state_entry_time = switched_in;
	/* As if the vCPU had waited 5 ms for a physical CPU so far. */
	area->time[RUNSTATE_runnable] = SIM_START_WAIT_NS;
}

void sim_vcpu_switched_in(void)
{
	switched_in = sim_xen_now_ns();
	write_area();
}

bool sim_runstate_registered(void)
{
	return area != NULL;
}

long sim_vcpu_op(unsigned long cmd, unsigned long vcpu, void *arg)
{
	struct vcpu_register_runstate_memory_area *r = arg;

	if (vcpu != 0)
		return -ENOENT;
	if (cmd != VCPUOP_register_runstate_memory_area)
		return -EINVAL; /* Xen on Arm allows only this and register_vcpu_info */
	if (!r)
		return -EFAULT;
	if (sim_fault("no-runstate"))
		return -EINVAL;
	area = r->addr.v;
	write_area();
	return 0;
}
