// SPDX-License-Identifier: MIT
/* Event channels: bit operations on shared_info, bounded poll, port tracking. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/stats.h>

#define BITS (sizeof(xen_ulong_t) * 8)

static struct shared_info si;
static bool have_si = true;
static uint64_t now_ms;
static bool ctrlc_pressed;
static int fire_at = -1; /* arch_cpu_relax call that raises the event */
static evtchn_port_t fire_port;
static unsigned int relax_calls, unmask_calls, next_port = 5;
static evtchn_port_t sent[8], closed[64];
static unsigned int nr_sent, nr_closed;

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}
struct shared_info *xen_shared_info(void)
{
	return have_si ? &si : NULL;
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_ms + ms;
}
bool deadline_passed(uint64_t d)
{
	return now_ms >= d;
}
/* What the layer above hands down; xen/ must not call the console's ctrlc(). */
static bool user_interrupt(void)
{
	return ctrlc_pressed;
}
void arch_cpu_relax(void)
{
	if ((int)relax_calls++ == fire_at)
		si.evtchn_pending[fire_port / BITS] |= (xen_ulong_t)1 << (fire_port % BITS);
	now_ms++;
}

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	assert_int_equal(op, __HYPERVISOR_event_channel_op);
	switch (a0) {
	case EVTCHNOP_alloc_unbound: {
		struct evtchn_alloc_unbound *u = (void *)a1;

		assert_int_equal(u->dom, DOMID_SELF);
		if (u->remote_dom == 99)
			return -EINVAL;
		u->port = next_port++;
		return 0;
	}
	case EVTCHNOP_close:
		closed[nr_closed++] = ((struct evtchn_close *)a1)->port;
		return 0;
	case EVTCHNOP_send:
		sent[nr_sent++ % 8] = ((struct evtchn_send *)a1)->port;
		return 0;
	case EVTCHNOP_unmask:
		unmask_calls++;
		return 0;
	}
	fail_msg("unexpected event channel op %lu", a0);
	abort();
}

static int setup(void **state)
{
	memset(&si, 0, sizeof(si));
	have_si = true;
	ctrlc_pressed = false;
	xen_set_interrupt_check(user_interrupt);
	fire_at = -1;
	relax_calls = unmask_calls = nr_sent = nr_closed = 0;
	evtchn_close_all();
	nr_closed = 0;
	return 0;
}

static void test_pending_bits(void **state)
{
	evtchn_port_t hi = BITS + 3; /* second word */

	assert_false(evtchn_clear_pending(3));
	si.evtchn_pending[0] = 1 << 3 | 1 << 4;
	si.evtchn_pending[1] = (xen_ulong_t)1 << 3;
	assert_true(evtchn_clear_pending(3));
	assert_false(evtchn_clear_pending(3));
	assert_int_equal(si.evtchn_pending[0], 1 << 4); /* neighbour untouched */
	assert_true(evtchn_clear_pending(hi));
	assert_int_equal(si.evtchn_pending[1], 0);
	/* Ports beyond the 2-level bitmap are refused, not indexed. */
	assert_false(evtchn_clear_pending(sizeof(si.evtchn_pending) * 8));
	assert_false(evtchn_clear_pending(UINT32_MAX));
	have_si = false;
	assert_false(evtchn_clear_pending(4));
}

static void test_mask_unmask(void **state)
{
	evtchn_mask(10);
	assert_true(si.evtchn_mask[0] & (1 << 10));
	evtchn_unmask(10);
	assert_false(si.evtchn_mask[0] & (1 << 10));
	assert_int_equal(unmask_calls, 0); /* nothing pending: no hypercall needed */
	evtchn_mask(10);
	si.evtchn_pending[0] |= 1 << 10;
	evtchn_unmask(10);
	assert_int_equal(unmask_calls, 1);	     /* pending while masked: Xen must know */
	evtchn_mask(sizeof(si.evtchn_mask) * 8 + 1); /* out of range: ignored */
}

static void test_poll_gets_event(void **state)
{
	fire_port = 7;
	fire_at = 20;
	assert_int_equal(evtchn_poll(7, 1000), 0);
	assert_int_equal(relax_calls, 21);
	assert_false(si.evtchn_pending[0] & (1 << 7)); /* consumed */
}

static void test_poll_times_out(void **state)
{
	uint64_t t0 = now_ms;

	assert_int_equal(evtchn_poll(7, 50), -ETIMEDOUT);
	assert_true(now_ms - t0 >= 50 && now_ms - t0 <= 51);
}

static void test_poll_ctrlc(void **state)
{
	ctrlc_pressed = true;
	assert_int_equal(evtchn_poll(7, 100000), -EINTR);
	assert_true(relax_calls < 2);
}

static void test_poll_without_interrupt_check(void **state)
{
	uint64_t t0 = now_ms;

	/* No check handed down: nothing interrupts, the deadline still ends it. */
	xen_set_interrupt_check(NULL);
	ctrlc_pressed = true;
	assert_int_equal(evtchn_poll(7, 50), -ETIMEDOUT);
	assert_true(now_ms - t0 >= 50);
}

static void test_poll_bad_port(void **state)
{
	assert_int_equal(evtchn_poll(UINT32_MAX, 10), -EINVAL);
}

static void test_ports_tracked_and_closed(void **state)
{
	evtchn_port_t a, b, ports[4];

	assert_int_equal(evtchn_alloc_unbound(0, &a), 0);
	assert_int_equal(evtchn_alloc_unbound(0, &b), 0);
	assert_int_not_equal(a, b);
	assert_int_equal(evtchn_alloc_unbound(99, &b) < 0, 1);
	assert_int_equal(evtchn_open_count(), 2);
	assert_int_equal(evtchn_open_ports(ports, 4), 2);
	assert_int_equal(evtchn_send(a), 0);
	assert_int_equal(sent[0], a);
	assert_int_equal(evtchn_close(a), 0);
	assert_int_equal(evtchn_open_count(), 1);
	/* Closing a port that is not ours (e.g. the console's) does not change the count. */
	assert_int_equal(evtchn_close(2), 0);
	assert_int_equal(evtchn_open_count(), 1);
	assert_int_equal(evtchn_alloc_unbound(0, &a), 0);
	nr_closed = 0;
	assert_int_equal(evtchn_close_all(), 0);
	assert_int_equal(nr_closed, 2);
	assert_int_equal(evtchn_open_count(), 0);
}

static void test_alloc_clears_stale_pending(void **state)
{
	evtchn_port_t p;

	si.evtchn_pending[0] = 1 << next_port;
	assert_int_equal(evtchn_alloc_unbound(0, &p), 0);
	assert_false(evtchn_clear_pending(p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_pending_bits, setup),
	    cmocka_unit_test_setup(test_mask_unmask, setup),
	    cmocka_unit_test_setup(test_poll_gets_event, setup),
	    cmocka_unit_test_setup(test_poll_times_out, setup),
	    cmocka_unit_test_setup(test_poll_ctrlc, setup),
	    cmocka_unit_test_setup(test_poll_without_interrupt_check, setup),
	    cmocka_unit_test_setup(test_poll_bad_port, setup),
	    cmocka_unit_test_setup(test_ports_tracked_and_closed, setup),
	    cmocka_unit_test_setup(test_alloc_clears_stale_pending, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
