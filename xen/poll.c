// SPDX-License-Identifier: MIT
/*
 * SCHEDOP_poll with a timeout. The timeout is in Xen's system time (ns since
 * Xen booted), which Xen on Arm does not publish to guests: the guest's
 * counter differs from it by an offset fixed when the domain was created.
 * Two observations bound that offset from below, and the largest bound seen
 * is kept:
 *  - the runstate area: Xen writes state_entry_time (Xen time) each time it
 *    switches this vCPU in, so it is no later than a counter read after it;
 *  - a poll that returns with its port not pending ended by its timer, which
 *    Xen fires at most its timer slop early.
 * A timeout computed from a lower bound fires early, never late, and a poll
 * that returns early is polled again; the first real sleep makes the bound
 * exact to a few microseconds.
 */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#include <errno.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/poll.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

/* How long one poll may sleep: the callers check Ctrl-C between polls. */
#define POLL_SLICE_US 20000
/*
 * How early Xen may fire a timer (its timer_slop, 50 us by default), plus
 * the counter's rounding to microseconds: taken off every bound.
 */
#define XEN_TIMER_SLOP_NS 200000
/* Shorter waits spin: Xen's timer may fire 50 us early anyway. */
#define POLL_MIN_US 100

static struct vcpu_runstate_info runstate __aligned(64);
static bool registered, have_offset;
static int64_t offset_ns;
static uint64_t last_entry;
static struct xen_poll_stats stats;

static uint64_t now_ns(void)
{
	return timer_us() * 1000;
}

static void raise_bound(int64_t bound)
{
	if (have_offset && bound <= offset_ns)
		return;
	if (have_offset)
		stats.refinements++;
	offset_ns = bound;
	have_offset = true;
}

/* The runstate bound, if Xen switched this vCPU in since the last look. */
static void learn_from_runstate(void)
{
	uint64_t entry;

	if (!registered)
		return;
	entry = READ_ONCE(runstate.state_entry_time) & ~XEN_RUNSTATE_UPDATE;
	arch_rmb();
	if (!entry || entry == last_entry)
		return;
	/*
	 * Xen's first write: how long the vCPU waited for a physical CPU since
	 * it was created (time[] adds up finished intervals, and this one is
	 * running, so the runnable ones are all in).
	 */
	if (!last_entry)
		stats.start_waited_us = READ_ONCE(runstate.time[RUNSTATE_runnable]) / 1000;
	last_entry = entry;
	raise_bound((int64_t)(entry - now_ns()) - 1000);
}

static long register_area(struct vcpu_runstate_info *area)
{
	struct vcpu_register_runstate_memory_area r = {.addr.v = area};

	return arch_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
			      (unsigned long)&r, 0, 0);
}

int xen_poll_init(void)
{
	long rc;

	if (registered)
		return 0;
	rc = register_area(&runstate);
	if (rc < 0) {
		pr_warn("xen: no runstate area (error %ld): waits will spin\n", rc);
		return (int)rc;
	}
	registered = true;
	learn_from_runstate();
	return 0;
}

int xen_poll_teardown(void)
{
	long rc;

	if (!registered)
		return 0;
	rc = register_area(NULL);
	if (rc < 0) {
		pr_err("xen: cannot unregister the runstate area (error %ld)\n", rc);
		return (int)rc;
	}
	registered = false;
	have_offset = false;
	last_entry = 0;
	return 0;
}

/* Whether Xen may have kicked the vCPU awake for an event upcall (see below). */
static bool upcall_pending(void)
{
	struct shared_info *s = xen_shared_info();

	return s && READ_ONCE(s->vcpu_info[0].evtchn_upcall_pending);
}

void xen_poll_wait(evtchn_port_t port, uint64_t until_us)
{
	struct sched_poll poll = {.nr_ports = 1};
	uint64_t now = timer_us(), timeout;
	bool upcall_before;
	long rc;

	learn_from_runstate();
	if (!have_offset) {
		stats.spins++;
		arch_cpu_relax();
		return;
	}
	if (until_us > now + POLL_SLICE_US)
		until_us = now + POLL_SLICE_US;
	if (until_us <= now)
		return;
	if (until_us - now < POLL_MIN_US) {
		arch_cpu_relax();
		return;
	}
	for (uint64_t spin_end = now + XEN_POLL_SPIN_US; timer_us() < spin_end;) {
		if (evtchn_is_pending(port))
			return;
		arch_cpu_relax();
	}
	now = timer_us();
	if (now >= until_us)
		return;
	timeout = (uint64_t)((int64_t)(until_us * 1000) + offset_ns);
	set_xen_guest_handle(poll.ports, &port);
	poll.timeout = timeout;
	upcall_before = upcall_pending();
	stats.polls++;
	rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	if (rc < 0) {
		arch_cpu_relax();
		return;
	}
	stats.asleep_us += timer_us() - now;
	if (evtchn_is_pending(port))
		stats.woken++;
	learn_from_runstate();
	/*
	 * Neither the port: the timer, unless an event upcall kicked the vCPU
	 * awake (Xen's vcpu_mark_events_pending, which sets upcall_pending;
	 * pvboot never clears it, so only its first setting can kick).
	 */
	if (!evtchn_is_pending(port) && (upcall_before || !upcall_pending()))
		raise_bound((int64_t)(timeout - XEN_TIMER_SLOP_NS) - (int64_t)now_ns());
}

void xen_poll_get_stats(struct xen_poll_stats *st)
{
	*st = stats;
	st->registered = registered;
	st->offset_ns = have_offset ? offset_ns : 0;
}
