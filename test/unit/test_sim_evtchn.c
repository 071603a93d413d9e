// SPDX-License-Identifier: MIT
/*
 * The sandbox's simulated event channels: guest ports and their backend
 * ends, pending/mask/selector bits in shared_info as Xen's 2-level ABI sets
 * them, and what counts as open at hand-off.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "../../arch/sandbox/sim/sim_internal.h"

#define BITS (sizeof(xen_ulong_t) * 8)

static struct shared_info si;

struct shared_info *sim_shared_info(void)
{
	return &si;
}
void sim_note_activity(void)
{
}

static bool pending(evtchn_port_t p)
{
	return si.evtchn_pending[p / BITS] & ((xen_ulong_t)1 << (p % BITS));
}

static int setup(void **state)
{
	memset(&si, 0, sizeof(si));
	sim_evtchn_init();
	return 0;
}

static evtchn_port_t alloc_unbound(domid_t remote)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = remote};

	assert_int_equal(sim_evtchn_op(EVTCHNOP_alloc_unbound, &a), 0);
	return a.port;
}

static long send(evtchn_port_t p)
{
	struct evtchn_send s = {.port = p};

	return sim_evtchn_op(EVTCHNOP_send, &s);
}

static void test_pairs_then_unbound_ports(void **state)
{
	evtchn_port_t store = sim_evtchn_alloc_pair(), cons = sim_evtchn_alloc_pair();
	evtchn_port_t p = alloc_unbound(0);

	assert_int_equal(store, 1); /* port 0 is reserved, as in Xen */
	assert_int_equal(cons, 2);
	assert_int_equal(p, 3);
	assert_true(sim_evtchn_is_open(store));
	assert_false(sim_evtchn_is_open(p));	      /* unbound until the backend binds */
	assert_int_equal(sim_evtchn_open_count(), 1); /* the pairs are Xen's, not the guest's */
}

static void test_send_reaches_backend_once_bound(void **state)
{
	evtchn_port_t p = alloc_unbound(0);

	assert_int_equal(send(p), 0); /* unbound: dropped silently */
	assert_int_equal(sim_evtchn_bind(p), 0);
	assert_false(sim_evtchn_backend_pending(p));
	assert_int_equal(send(p), 0);
	assert_true(sim_evtchn_backend_pending(p));
	assert_false(sim_evtchn_backend_pending(p));   /* test-and-clear */
	assert_int_equal(sim_evtchn_bind(p), -EINVAL); /* bound already */
	assert_int_equal(send(999), -EINVAL);
	assert_int_equal(send(0), -EINVAL);
}

static void test_bind_only_for_dom0(void **state)
{
	evtchn_port_t p = alloc_unbound(5);
	struct evtchn_alloc_unbound other = {.dom = 7, .remote_dom = 0};

	assert_int_equal(sim_evtchn_bind(p), -EINVAL);
	assert_int_equal(sim_evtchn_op(EVTCHNOP_alloc_unbound, &other), -EPERM);
}

static void test_notify_sets_pending_selector_upcall(void **state)
{
	evtchn_port_t p = alloc_unbound(0);

	sim_evtchn_bind(p);
	sim_evtchn_notify_guest(p);
	assert_true(pending(p));
	assert_true(sim_evtchn_guest_pending(p));
	assert_true(si.vcpu_info[0].evtchn_pending_sel & ((xen_ulong_t)1 << (p / BITS)));
	assert_int_equal(si.vcpu_info[0].evtchn_upcall_pending, 1);
}

static void test_masked_port_gets_no_upcall_until_unmasked(void **state)
{
	evtchn_port_t p = alloc_unbound(0);
	struct evtchn_unmask u = {.port = p};

	sim_evtchn_bind(p);
	si.evtchn_mask[p / BITS] |= (xen_ulong_t)1 << (p % BITS);
	sim_evtchn_notify_guest(p);
	assert_true(pending(p));
	assert_int_equal(si.vcpu_info[0].evtchn_upcall_pending, 0);
	assert_int_equal(sim_evtchn_op(EVTCHNOP_unmask, &u), 0);
	assert_false(si.evtchn_mask[p / BITS] & ((xen_ulong_t)1 << (p % BITS)));
	assert_int_equal(si.vcpu_info[0].evtchn_upcall_pending, 1);
}

static void test_close_clears_and_reports(void **state)
{
	evtchn_port_t p = alloc_unbound(0);
	struct evtchn_close c = {.port = p};
	struct evtchn_status st = {.dom = DOMID_SELF, .port = p};

	sim_evtchn_bind(p);
	assert_int_equal(sim_evtchn_op(EVTCHNOP_status, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 0);
	sim_evtchn_notify_guest(p);
	assert_int_equal(sim_evtchn_op(EVTCHNOP_close, &c), 0);
	assert_false(pending(p));
	assert_false(sim_evtchn_is_open(p));
	sim_evtchn_notify_guest(p); /* backend on a closed port: nothing */
	assert_false(pending(p));
	assert_int_equal(sim_evtchn_op(EVTCHNOP_status, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(sim_evtchn_op(EVTCHNOP_close, &c), -EINVAL);
	assert_int_equal(sim_evtchn_open_count(), 0);
	assert_int_equal(alloc_unbound(0), p); /* the number is free again */
}

static void test_unknown_op(void **state)
{
	struct evtchn_send s = {0};

	assert_int_equal(sim_evtchn_op(EVTCHNOP_bind_virq, &s), -ENOSYS);
	assert_int_equal(sim_evtchn_op(EVTCHNOP_send, NULL), -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_pairs_then_unbound_ports, setup),
	    cmocka_unit_test_setup(test_send_reaches_backend_once_bound, setup),
	    cmocka_unit_test_setup(test_bind_only_for_dom0, setup),
	    cmocka_unit_test_setup(test_notify_sets_pending_selector_upcall, setup),
	    cmocka_unit_test_setup(test_masked_port_gets_no_upcall_until_unmasked, setup),
	    cmocka_unit_test_setup(test_close_clears_and_reports, setup),
	    cmocka_unit_test_setup(test_unknown_op, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
