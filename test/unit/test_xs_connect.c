// SPDX-License-Identifier: MIT
/*
 * Finding the XenStore ring (xen/xs_connect.c) when a dom0less domain gets
 * it late: HVM_PARAM_STORE_PFN ~0 or unset until init-dom0less runs, or the
 * ring's connection field not yet XENSTORE_CONNECTED. The wait is bounded,
 * Ctrl-C ends it, and a PFN of ~0 is never mapped nor touched.
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
#include <pvboot/log.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/xenstore.h>
#include <xen/hvm/params.h>
#include "../../xen/xs_internal.h"

#define STORE_PORT 3
#define NOT_YET (~0ULL)

/* ---- fake platform: time moves 1 ms per poll-loop turn ---------------- */
static uint64_t now_ms;
static struct xenstore_domain_interface *ring;
static uint64_t store_pfn, store_port = STORE_PORT;
static uint64_t up_at_ms = UINT64_MAX; /* "init-dom0less runs" then */
static bool up_silently;	       /* nobody notifies the port when it comes up */
static bool ctrlc_pressed, pending;
static unsigned int maps;
static struct xenstore_domain_interface *attached;

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}
uint64_t timer_us(void)
{
	return now_ms * 1000;
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_ms + ms;
}
bool deadline_passed(uint64_t deadline)
{
	return now_ms >= deadline;
}
void arch_rmb(void)
{
}
static uint64_t ring_pfn(void)
{
	return virt_to_pfn(ring);
}
static void maybe_come_up(void)
{
	if (now_ms < up_at_ms)
		return;
	store_pfn = ring_pfn();
	ring->connection = XENSTORE_CONNECTED;
	pending = !up_silently; /* xenstored notifies the port */
	up_at_ms = UINT64_MAX;
}
void arch_cpu_relax(void)
{
	now_ms++;
	maybe_come_up();
}
int hvm_get_param(int idx, uint64_t *value)
{
	if (idx == HVM_PARAM_STORE_PFN)
		*value = store_pfn;
	else if (idx == HVM_PARAM_STORE_EVTCHN)
		*value = store_port;
	else
		return -EINVAL;
	return 0;
}
bool evtchn_clear_pending(evtchn_port_t port)
{
	bool was = pending;

	assert_int_equal(port, STORE_PORT);
	pending = false;
	return was;
}
int arch_map_xen_page(uint64_t pfn)
{
	/* Never asked to map what names no page. */
	assert_true(pfn != 0 && pfn != NOT_YET);
	assert_int_equal(pfn, ring_pfn());
	maps++;
	return 0;
}
/* What the client (xenstore.c) does with the finder: attach to what it found, once. */
static int connect(unsigned long wait_ms)
{
	struct xs_ring r = {0};
	int rc;

	if (attached)
		return 0;
	rc = xs_wait_for_ring(wait_ms, &r);
	if (rc)
		return rc;
	assert_ptr_equal(r.intf, ring);
	assert_int_equal(r.pfn, ring_pfn());
	assert_int_equal(r.port, STORE_PORT);
	attached = r.intf;
	return 0;
}
static bool user_interrupt(void)
{
	return ctrlc_pressed;
}

static int setup(void **state)
{
	if (!ring)
		ring = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	memset(ring, 0, PAGE_SIZE);
	store_pfn = NOT_YET;
	store_port = STORE_PORT;
	up_at_ms = UINT64_MAX;
	up_silently = false;
	ctrlc_pressed = pending = false;
	maps = 0;
	attached = NULL;
	now_ms = 1000;
	xen_set_interrupt_check(user_interrupt);
	return 0;
}

/* ---- tests ------------------------------------------------------------ */
static void test_up_from_the_start(void **state)
{
	store_pfn = ring_pfn();
	assert_int_equal(connect(0), 0);
	assert_ptr_equal(attached, ring);
	assert_int_equal(connect(0), 0); /* again: nothing to do */
	assert_int_equal(maps, 1);
}

static void test_pfn_not_yet_is_never_touched(void **state)
{
	store_pfn = NOT_YET;
	assert_int_equal(connect(0), -EAGAIN);
	store_pfn = 0;
	assert_int_equal(connect(0), -EAGAIN);
	assert_int_equal(maps, 0);
	assert_null(attached);
}

static void test_waits_for_the_pfn(void **state)
{
	uint64_t t0 = now_ms;

	up_at_ms = now_ms + 300;
	assert_int_equal(connect(5000), 0);
	assert_ptr_equal(attached, ring);
	/* Seen when the port fires, not at the end of a long poll interval. */
	assert_true(now_ms - t0 >= 300 && now_ms - t0 <= 302);
}

static void test_waits_for_the_unset_pfn(void **state)
{
	store_pfn = 0;
	up_at_ms = now_ms + 200;
	assert_int_equal(connect(5000), 0);
	assert_ptr_equal(attached, ring);
}

/* The page is there from the start but not connected (newer Xen's dom0less). */
static void test_waits_for_the_connection(void **state)
{
	uint64_t t0;

	store_pfn = ring_pfn();
	ring->connection = XENSTORE_RECONNECT;
	assert_int_equal(connect(0), -EAGAIN);
	assert_int_equal(connect(100), -ETIMEDOUT);
	assert_null(attached);
	/* Connected later, and nobody says so: the params are looked at anyway. */
	up_at_ms = now_ms + 400;
	up_silently = true;
	t0 = now_ms;
	assert_int_equal(connect(5000), 0);
	assert_true(now_ms - t0 >= 400 && now_ms - t0 <= 451);
	assert_ptr_equal(attached, ring);
}

static void test_wait_is_bounded(void **state)
{
	uint64_t t0 = now_ms;

	assert_int_equal(connect(2000), -ETIMEDOUT);
	assert_true(now_ms - t0 >= 2000 && now_ms - t0 <= 2001);
	assert_null(attached);
	assert_int_equal(maps, 0);
}

static void test_ctrlc_ends_the_wait(void **state)
{
	uint64_t t0 = now_ms;

	ctrlc_pressed = true;
	assert_int_equal(connect(60000), -EINTR);
	assert_true(now_ms - t0 <= 1);
	assert_null(attached);
}

static void test_no_store_at_all(void **state)
{
	store_port = 0;
	store_pfn = 0;
	assert_int_equal(connect(60000), -ENODEV);
	assert_int_equal(now_ms, 1000); /* not waited for */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_up_from_the_start, setup),
	    cmocka_unit_test_setup(test_pfn_not_yet_is_never_touched, setup),
	    cmocka_unit_test_setup(test_waits_for_the_pfn, setup),
	    cmocka_unit_test_setup(test_waits_for_the_unset_pfn, setup),
	    cmocka_unit_test_setup(test_waits_for_the_connection, setup),
	    cmocka_unit_test_setup(test_wait_is_bounded, setup),
	    cmocka_unit_test_setup(test_ctrlc_ends_the_wait, setup),
	    cmocka_unit_test_setup(test_no_store_at_all, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
