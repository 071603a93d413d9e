// SPDX-License-Identifier: MIT
/*
 * xen/poll.c against a fake Xen whose system time runs OFFSET ahead of the
 * guest's counter: a wait never ends after its deadline, the offset bound
 * never exceeds the true offset (not even when an event upcall kicks the
 * vCPU awake early), the first real sleep makes it exact, and the runstate
 * area is given back at teardown.
 */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/poll.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#define OFFSET 5000000000000ll /* Xen booted 5000 s before the domain */
#define PORT 7
#define SLOP_NS 50000 /* Xen fires timers up to this much early */

static struct shared_info si;
static uint64_t counter_ns; /* the guest's counter, in ns */
static struct vcpu_runstate_info *area;
static bool refuse_register;
static uint64_t event_at_ns; /* counter time the port fires (0: never) */
static uint64_t kick_at_ns;  /* counter time an upcall kicks the vCPU (0: never) */
static unsigned int relaxes, sleeps, polls;
static uint64_t until_ns; /* the deadline of the wait in progress */

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}

struct shared_info *xen_shared_info(void)
{
	return &si;
}

uint64_t timer_us(void)
{
	return counter_ns / 1000;
}

uint64_t deadline_ms(unsigned long ms)
{
	return timer_us() + ms * 1000ull;
}

bool deadline_passed(uint64_t deadline)
{
	return timer_us() >= deadline;
}

static void set_port_pending(void);

void arch_cpu_relax(void)
{
	relaxes++;
	counter_ns += 1000;
	if (event_at_ns && counter_ns >= event_at_ns) { /* the event comes while spinning */
		set_port_pending();
		event_at_ns = 0;
	}
}

void arch_rmb(void)
{
}

static uint64_t xen_now(void)
{
	return counter_ns + OFFSET;
}

static void switch_in(void)
{
	if (area)
		area->state_entry_time = xen_now();
	counter_ns += 3000; /* the guest reads its counter a little later */
}

static void set_port_pending(void)
{
	si.evtchn_pending[PORT / (sizeof(xen_ulong_t) * 8)] |=
	    (xen_ulong_t)1 << (PORT % (sizeof(xen_ulong_t) * 8));
}

static long fake_poll(struct sched_poll *p)
{
	uint64_t fire = p->timeout - SLOP_NS - OFFSET; /* counter time the timer fires */
	uint64_t wake = fire;

	polls++;
	assert_int_equal(p->nr_ports, 1);
	assert_true(p->timeout <= until_ns + OFFSET); /* never a timeout past the deadline */
	if (si.evtchn_pending[0] & ((xen_ulong_t)1 << PORT))
		return 0;
	if (p->timeout <= xen_now() + SLOP_NS) {
		counter_ns += 2000; /* the timer softirq first: no switch */
		return 0;
	}
	if (event_at_ns && event_at_ns < wake)
		wake = event_at_ns;
	if (kick_at_ns && !si.vcpu_info[0].evtchn_upcall_pending && kick_at_ns < wake)
		wake = kick_at_ns;
	sleeps++;
	counter_ns = wake;
	if (wake == event_at_ns) {
		set_port_pending();
		event_at_ns = 0;
	}
	if (wake == kick_at_ns) {
		si.vcpu_info[0].evtchn_upcall_pending = 1;
		kick_at_ns = 0;
	}
	switch_in();
	return 0;
}

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	if (op == __HYPERVISOR_vcpu_op && a0 == VCPUOP_register_runstate_memory_area) {
		struct vcpu_register_runstate_memory_area *r = (void *)a2;

		assert_int_equal(a1, 0);
		if (refuse_register)
			return -EINVAL;
		area = r->addr.v;
		if (area)
			area->state_entry_time = OFFSET; /* switched in at the domain's start */
		return 0;
	}
	if (op == __HYPERVISOR_sched_op && a0 == SCHEDOP_poll)
		return fake_poll((struct sched_poll *)a1);
	fail_msg("unexpected hypercall %lu/%lu", op, a0);
	return -ENOSYS;
}

static int setup(void **state)
{
	memset(&si, 0, sizeof(si));
	si.vcpu_info[0].evtchn_upcall_pending = 1;
	counter_ns = 2000000000ull; /* pvboot has run 2 s without a switch */
	area = NULL;
	refuse_register = false;
	event_at_ns = kick_at_ns = 0;
	relaxes = sleeps = polls = 0;
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(xen_poll_teardown(), 0);
	assert_null(area);
	return 0;
}

static int64_t bound(void)
{
	struct xen_poll_stats st;

	xen_poll_get_stats(&st);
	return st.offset_ns;
}

/* Wait for PORT until `ms` from now; the wait must never end late. */
static void wait_ms(unsigned int ms)
{
	uint64_t until = timer_us() + ms * 1000ull;

	until_ns = until * 1000;
	while (timer_us() < until && !(si.evtchn_pending[0] & ((xen_ulong_t)1 << PORT))) {
		xen_poll_wait(PORT, until);
		assert_true(timer_us() <= until + 5); /* a hypercall's latency late at most */
		assert_true(bound() <= OFFSET);
	}
}

static void test_stale_bound_converges_and_never_overshoots(void **state)
{
	assert_int_equal(xen_poll_init(), 0);
	assert_non_null(area);
	assert_true(bound() <= OFFSET - 1900000000ll); /* 2 s stale */
	wait_ms(50);
	/* Each early return raises the bound by a slice; then one real sleep. */
	assert_true(polls <= 2000000 / 10000); /* 2 s in steps of most of a slice */
	assert_true(sleeps >= 1);
	assert_true(bound() >= OFFSET - 10000);
	polls = sleeps = relaxes = 0;
	wait_ms(50);
	assert_true(polls <= 6); /* now it sleeps a slice at a time */
	/* spinning a little before each sleep, and the last 100 us */
	assert_true(relaxes <= 2 * 100 + polls * XEN_POLL_SPIN_US);
}

static void test_event_ends_the_sleep(void **state)
{
	struct xen_poll_stats st;
	uint64_t woken;

	assert_int_equal(xen_poll_init(), 0);
	wait_ms(30); /* learn the offset */
	event_at_ns = counter_ns + 5000000;
	polls = 0;
	xen_poll_get_stats(&st);
	woken = st.woken;
	wait_ms(1000);
	assert_true(si.evtchn_pending[0] & ((xen_ulong_t)1 << PORT));
	assert_true(polls <= 2);
	xen_poll_get_stats(&st);
	assert_int_equal(st.woken, woken + 1);
}

/* An answer that comes within the spin costs no sleep at all. */
static void test_quick_event_caught_spinning(void **state)
{
	assert_int_equal(xen_poll_init(), 0);
	wait_ms(30); /* learn the offset */
	event_at_ns = counter_ns + (XEN_POLL_SPIN_US / 2) * 1000;
	polls = 0;
	wait_ms(1000);
	assert_true(si.evtchn_pending[0] & ((xen_ulong_t)1 << PORT));
	assert_int_equal(polls, 0);
	/* One that comes later is slept for. */
	si.evtchn_pending[0] = 0;
	event_at_ns = counter_ns + 5000000;
	wait_ms(1000);
	assert_true(si.evtchn_pending[0] & ((xen_ulong_t)1 << PORT));
	assert_int_equal(polls, 1);
}

/*
 * The first event upcall wakes a polling vCPU although neither its port nor
 * its timer fired: that early return says nothing about Xen's time.
 */
static void test_upcall_kick_does_not_raise_the_bound(void **state)
{
	si.vcpu_info[0].evtchn_upcall_pending = 0;
	assert_int_equal(xen_poll_init(), 0);
	wait_ms(30); /* learns the offset: no kick came */
	assert_true(bound() >= OFFSET - 10000);
	kick_at_ns = counter_ns + 1000;
	wait_ms(100);
	assert_int_equal(kick_at_ns, 0); /* it happened */
	assert_true(bound() <= OFFSET);
}

static void test_no_runstate_area_spins(void **state)
{
	struct xen_poll_stats st;

	refuse_register = true;
	assert_int_equal(xen_poll_init(), -EINVAL);
	xen_poll_wait(PORT, timer_us() + 1000);
	xen_poll_get_stats(&st);
	assert_int_equal(polls, 0);
	assert_int_equal(relaxes, 1);
	assert_false(st.registered);
	assert_int_equal(st.spins, 1);
}

static void test_teardown_gives_the_area_back(void **state)
{
	assert_int_equal(xen_poll_init(), 0);
	assert_int_equal(xen_poll_teardown(), 0);
	assert_null(area);
	xen_poll_wait(PORT, timer_us() + 1000);
	assert_int_equal(polls, 0); /* no Xen time without it */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_stale_bound_converges_and_never_overshoots, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_event_ends_the_sleep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_quick_event_caught_spinning, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_upcall_kick_does_not_raise_the_bound, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_no_runstate_area_spins, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_teardown_gives_the_area_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
