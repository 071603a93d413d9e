// SPDX-License-Identifier: MIT
/*
 * PV console driver against a fake xenconsoled on a real ring page: output
 * order and batching, a stalled backend (bounded, counted, announced), input
 * with wrap-around, and hostile ring indexes.
 */
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
#include <pvboot/console.h>
#include <pvboot/timer.h>
#include <pvboot/xen/console.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <xen/io/console.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>

#define PORT 2

static struct xencons_interface *intf;
static struct console_dev *dev;
static uint64_t now_ms;
static unsigned int notifies;
static bool draining = true;
static char sink[1 << 16]; /* what xenconsoled got */
static size_t sink_len;

int hvm_get_param(int idx, uint64_t *value)
{
	if (idx == HVM_PARAM_CONSOLE_PFN)
		*value = virt_to_pfn(intf);
	else if (idx == HVM_PARAM_CONSOLE_EVTCHN)
		*value = PORT;
	else
		return -EINVAL;
	return 0;
}
int evtchn_send(evtchn_port_t port)
{
	assert_int_equal(port, PORT);
	notifies++;
	return 0;
}
bool evtchn_clear_pending(evtchn_port_t port)
{
	return false;
}
void console_register(struct console_dev *d)
{
	dev = d;
}
void arch_mb(void)
{
}
void arch_rmb(void)
{
}
void arch_wmb(void)
{
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_ms + ms;
}
bool deadline_passed(uint64_t d)
{
	return now_ms >= d;
}

/* The only hypercall the driver makes itself: SCHEDOP_poll from idle(). */
static unsigned int polls;
static evtchn_port_t polled_port;
long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	struct sched_poll *sp = (struct sched_poll *)a1;
	evtchn_port_t *ports;

	assert_int_equal(op, __HYPERVISOR_sched_op);
	assert_int_equal(a0, SCHEDOP_poll);
	assert_int_equal(sp->nr_ports, 1);
	ports = sp->ports.p;
	polled_port = ports[0];
	polls++;
	return 0;
}

static void backend_drain(void)
{
	while (draining && intf->out_cons != intf->out_prod) {
		assert_true(sink_len < sizeof(sink));
		sink[sink_len++] = intf->out[MASK_XENCONS_IDX(intf->out_cons, intf->out)];
		intf->out_cons++;
	}
}

void arch_cpu_relax(void)
{
	now_ms++;
	backend_drain();
}

static void backend_type(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_true(intf->in_prod - intf->in_cons < sizeof(intf->in));
		intf->in[MASK_XENCONS_IDX(intf->in_prod, intf->in)] = s[i];
		intf->in_prod++;
	}
}

static int setup_once(void **state)
{
	intf = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	memset(intf, 0, PAGE_SIZE);
	/* Start near the 2^32 wrap of the free-running indexes. */
	intf->out_prod = intf->out_cons = 0xfffff000u;
	intf->in_prod = intf->in_cons = 0xffffff00u;
	assert_int_equal(xen_console_init(), 0);
	assert_non_null(dev);
	return 0;
}

static int setup(void **state)
{
	draining = true;
	backend_drain();
	sink_len = 0;
	notifies = 0;
	return 0;
}

static void test_output_in_order_batched(void **state)
{
	static char msg[10000];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = 'a' + i % 26;
	dev->write(dev, msg, sizeof(msg));
	backend_drain();
	assert_int_equal(sink_len, sizeof(msg));
	assert_memory_equal(sink, msg, sizeof(msg));
	/* One event per chunk (ring-sized pieces), not per byte. */
	assert_true(notifies <= sizeof(msg) / 16);
	assert_true(notifies >= sizeof(msg) / sizeof(intf->out));
}

static void test_stall_bounded_counted_announced(void **state)
{
	struct xen_console_stats st;
	static char msg[5000];
	uint64_t t0 = now_ms;

	memset(msg, 'x', sizeof(msg));
	draining = false;
	dev->write(dev, msg, sizeof(msg)); /* 2048 fit, then 1 s, then drop */
	assert_true(now_ms - t0 >= 1000 && now_ms - t0 < 1100);
	t0 = now_ms;
	dev->write(dev, "more", 4); /* stalled: no second wait */
	assert_true(now_ms - t0 < 5);
	xen_console_get_stats(&st);
	assert_int_equal(st.dropped, sizeof(msg) - sizeof(intf->out) + 4);
	/* The backend comes back: the loss is announced before new output. */
	draining = true;
	backend_drain();
	sink_len = 0;
	dev->write(dev, "hello", 5);
	backend_drain();
	sink[sink_len] = '\0';
	assert_string_equal(sink, "\r\n[console: 2956 bytes lost]\r\nhello");
	dev->write(dev, "again", 5); /* announced once only */
	backend_drain();
	sink[sink_len] = '\0';
	assert_string_equal(sink, "\r\n[console: 2956 bytes lost]\r\nhelloagain");
}

static void test_input_every_byte(void **state)
{
	char got[600];
	size_t n = 0;

	/* 600 bytes across the in ring's end, typed in two goes. */
	backend_type("0123456789", 10);
	for (int round = 0; round < 2; round++) {
		while (dev->tstc(dev))
			got[n++] = (char)dev->getc(dev);
		if (round == 0) {
			for (int i = 0; i < 59; i++)
				backend_type("abcdefghij", 10);
		}
	}
	assert_int_equal(n, 600);
	assert_memory_equal(got, "0123456789abcdefghij", 20);
	assert_int_equal(got[599], 'j');
	assert_false(dev->tstc(dev));
	assert_int_equal(dev->getc(dev), -EAGAIN);
}

static void test_hostile_in_prod(void **state)
{
	struct xen_console_stats before, after;

	xen_console_get_stats(&before);
	intf->in_prod = intf->in_cons + 5000; /* more than the ring holds */
	assert_false(dev->tstc(dev));	      /* discarded, not read out of bounds */
	xen_console_get_stats(&after);
	assert_int_equal(after.bad_idx, before.bad_idx + 1);
	backend_type("k", 1); /* the ring works again afterwards */
	assert_true(dev->tstc(dev));
	assert_int_equal(dev->getc(dev), 'k');
}

static void test_hostile_out_cons(void **state)
{
	struct xen_console_stats before, after;
	uint32_t prod = intf->out_prod;
	uint64_t t0 = now_ms;

	xen_console_get_stats(&before);
	draining = false;
	intf->out_cons = prod + 100; /* consumer ahead of the producer */
	dev->write(dev, "zz", 2);
	xen_console_get_stats(&after);
	assert_true(now_ms - t0 < 5); /* no wait on nonsense */
	assert_true(after.bad_idx > before.bad_idx);
	assert_int_equal(after.dropped, before.dropped + 2);
	assert_int_equal(intf->out_prod, prod); /* nothing written */
	intf->out_cons = prod;			/* repaired */
	draining = true;
}

/* Idle blocks in Xen on the console port, but only once all output was read. */
static void test_idle_polls_when_drained(void **state)
{
	polls = 0;
	draining = false;
	dev->write(dev, "x", 1);
	dev->idle(dev);
	assert_int_equal(polls, 0); /* unread output: keep polling, no block */
	draining = true;
	backend_drain();
	dev->idle(dev);
	assert_int_equal(polls, 1);
	assert_int_equal(polled_port, PORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_output_in_order_batched, setup),
	    cmocka_unit_test_setup(test_stall_bounded_counted_announced, setup),
	    cmocka_unit_test_setup(test_input_every_byte, setup),
	    cmocka_unit_test_setup(test_hostile_in_prod, setup),
	    cmocka_unit_test_setup(test_hostile_out_cons, setup),
	    cmocka_unit_test_setup(test_idle_polls_when_drained, setup),
	};

	return cmocka_run_group_tests(tests, setup_once, NULL);
}
