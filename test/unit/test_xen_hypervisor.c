// SPDX-License-Identifier: MIT
/*
 * shared_info, HVM params, version string and the services' bring-up and
 * hand-off order, against a fake hypercall layer that records every call.
 */
/* As the tree's Makefile sets it: structured guest handles. */
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
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
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/init.h>
#include <pvboot/xen/stats.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}

static char calls[32][24]; /* what happened, in order */
static unsigned int nr_calls;
static uint64_t mapped_gpfn, populated_gpfn, released_gpfn;
static long map_result, remove_result, populate_result = 1;

static void record(const char *what)
{
	if (nr_calls < 32)
		snprintf(calls[nr_calls++], sizeof(calls[0]), "%s", what);
}

void arch_cpu_relax(void)
{
}

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	if (op == __HYPERVISOR_xen_version && a0 == XENVER_version)
		return 4 << 16 | 17;
	if (op == __HYPERVISOR_xen_version && a0 == XENVER_extraversion) {
		memset((void *)a1, 'X', sizeof(xen_extraversion_t)); /* no NUL: bounded anyway */
		memcpy((void *)a1, ".7", 2);
		return 0;
	}
	if (op == __HYPERVISOR_hvm_op && a0 == HVMOP_get_param) {
		struct xen_hvm_param *p = (void *)a1;

		assert_int_equal(p->domid, DOMID_SELF);
		if (p->index != HVM_PARAM_STORE_PFN)
			return -EINVAL;
		p->value = 0x39001;
		return 0;
	}
	if (op == __HYPERVISOR_memory_op && a0 == XENMEM_add_to_physmap) {
		struct xen_add_to_physmap *x = (void *)a1;

		assert_int_equal(x->domid, DOMID_SELF);
		assert_int_equal(x->space, XENMAPSPACE_shared_info);
		assert_int_equal(x->idx, 0);
		mapped_gpfn = x->gpfn;
		record("map shared_info");
		return map_result;
	}
	if (op == __HYPERVISOR_memory_op && a0 == XENMEM_decrease_reservation) {
		struct xen_memory_reservation *r = (void *)a1;

		assert_int_equal(r->nr_extents, 1);
		assert_int_equal(r->extent_order, 0);
		assert_int_equal(r->domid, DOMID_SELF);
		released_gpfn = *(xen_pfn_t *)r->extent_start.p;
		record("release page");
		return 1;
	}
	if (op == __HYPERVISOR_memory_op && a0 == XENMEM_remove_from_physmap) {
		struct xen_remove_from_physmap *x = (void *)a1;

		assert_int_equal(x->gpfn, mapped_gpfn);
		record("remove shared_info");
		return remove_result;
	}
	if (op == __HYPERVISOR_memory_op && a0 == XENMEM_populate_physmap) {
		struct xen_memory_reservation *r = (void *)a1;
		xen_pfn_t *gpfn;

		assert_int_equal(r->nr_extents, 1);
		assert_int_equal(r->extent_order, 0);
		assert_int_equal(r->domid, DOMID_SELF);
		gpfn = r->extent_start.p;
		populated_gpfn = *gpfn;
		record("populate");
		return populate_result;
	}
	/* Anything else, VCPUOP_register_vcpu_info above all, is a bug. */
	fail_msg("unexpected hypercall %lu/%lu", op, a0);
	abort();
}

/* The services xen/init.c drives, as fakes that log the order. */
static int gnttab_rc, xenstore_rc;
static uint64_t gnttab_base_seen, gnttab_size_seen;
int gnttab_init(uint64_t base, uint64_t size)
{
	gnttab_base_seen = base;
	gnttab_size_seen = size;
	record("gnttab_init");
	return gnttab_rc;
}
int xenstore_connect(unsigned long wait_ms)
{
	record("xenstore_connect");
	return xenstore_rc;
}
bool xenstore_came_late(void)
{
	return false; /* up from the start: no wait for devices */
}
int xenbus_wait_for_devices(unsigned long timeout_ms)
{
	record("xenbus_wait_for_devices");
	return 0;
}
void xenstore_teardown(void)
{
	record("xenstore_teardown");
}
int evtchn_close_all(void)
{
	record("evtchn_close_all");
	return 0;
}
int gnttab_teardown(void)
{
	record("gnttab_teardown");
	return gnttab_rc;
}

static int setup(void **state)
{
	nr_calls = 0;
	map_result = remove_result = 0;
	populate_result = 1;
	gnttab_rc = xenstore_rc = 0;
	return 0;
}

static void test_params(void **state)
{
	uint64_t v = 0;

	assert_int_equal(hvm_get_param(HVM_PARAM_STORE_PFN, &v), 0);
	assert_int_equal(v, 0x39001);
	v = 5;
	assert_int_equal(hvm_get_param(HVM_PARAM_CONSOLE_PFN, &v), -EINVAL);
	assert_int_equal(v, 5); /* untouched on error */
}

static void test_map_and_teardown(void **state)
{
	struct shared_info *si;

	assert_null(xen_shared_info());
	assert_int_equal(xen_hypervisor_init(), 0);
	si = xen_shared_info();
	assert_non_null(si);
	assert_true(IS_ALIGNED((uintptr_t)si, PAGE_SIZE));
	assert_int_equal(mapped_gpfn, virt_to_pfn(si));
	assert_int_equal(xen_shared_info_gpfn(), mapped_gpfn);
	/* vcpu_info[0] lives inside it: no separate registration. */
	assert_true((char *)&si->vcpu_info[0] >= (char *)si &&
		    (char *)&si->vcpu_info[1] <= (char *)si + PAGE_SIZE);
	assert_string_equal(xen_version_string(), "4.17.7XXXXXXXXXXXXX");
	assert_int_equal(xen_hypervisor_init(), 0); /* idempotent */
	assert_int_equal(nr_calls, 2);
	/* The RAM page behind it is given back first: the domain owns no page more. */
	assert_string_equal(calls[0], "release page");
	assert_string_equal(calls[1], "map shared_info");
	assert_int_equal(released_gpfn, mapped_gpfn);

	assert_int_equal(xen_hypervisor_teardown(), 0);
	assert_int_equal(nr_calls, 4);
	assert_string_equal(calls[2], "remove shared_info");
	assert_string_equal(calls[3], "populate"); /* the RAM page comes back */
	assert_int_equal(populated_gpfn, mapped_gpfn);
	assert_null(xen_shared_info());
	assert_int_equal(xen_shared_info_gpfn(), 0);
	assert_int_equal(xen_hypervisor_teardown(), 0); /* nothing left to do */
	assert_int_equal(nr_calls, 4);
}

static void test_map_fails(void **state)
{
	map_result = -EINVAL;
	assert_int_equal(xen_hypervisor_init(), -EINVAL);
	assert_null(xen_shared_info());
	/* The page given back is put back before the heap gets it again. */
	assert_int_equal(nr_calls, 3);
	assert_string_equal(calls[2], "populate");
	assert_int_equal(populated_gpfn, released_gpfn);
}

static void test_teardown_failures_reported(void **state)
{
	static void *hole; /* kept reachable: the driver must not free a hole */

	assert_int_equal(xen_hypervisor_init(), 0);
	hole = xen_shared_info();
	populate_result = 0; /* Xen populated nothing */
	assert_int_equal(xen_hypervisor_teardown(), -ENOMEM);
	assert_null(xen_shared_info());
	assert_non_null(hole);

	populate_result = 1;
	assert_int_equal(xen_hypervisor_init(), 0);
	remove_result = -EBUSY;
	assert_int_equal(xen_hypervisor_teardown(), -EBUSY);
	assert_non_null(xen_shared_info()); /* still mapped: still usable */
	remove_result = 0;
	assert_int_equal(xen_hypervisor_teardown(), 0);
}

static void test_services_order(void **state)
{
	const struct xen_services_config cfg = {.gnttab_base = 0x38000000,
						.gnttab_size = 0x1000000};

	assert_int_equal(xen_services_init(&cfg), 0);
	assert_string_equal(calls[0], "gnttab_init");
	/* The region comes from the caller, never from a global. */
	assert_int_equal(gnttab_base_seen, 0x38000000);
	assert_int_equal(gnttab_size_seen, 0x1000000);
	assert_string_equal(calls[1], "xenstore_connect");

	/* A failed grant table does not keep XenStore down; the error is returned. */
	nr_calls = 0;
	gnttab_rc = -ENODEV;
	assert_int_equal(xen_services_init(&cfg), -ENODEV);
	assert_int_equal(nr_calls, 2);
	gnttab_rc = 0;

	assert_int_equal(xen_hypervisor_init(), 0);
	nr_calls = 0;
	assert_int_equal(xen_services_teardown(), 0);
	assert_int_equal(nr_calls, 5);
	assert_string_equal(calls[0], "xenstore_teardown");
	assert_string_equal(calls[1], "evtchn_close_all");
	assert_string_equal(calls[2], "gnttab_teardown");
	/* shared_info last: the steps before may still need event channels. */
	assert_string_equal(calls[3], "remove shared_info");
	assert_string_equal(calls[4], "populate");
}

static void test_teardown_goes_on_after_error(void **state)
{
	assert_int_equal(xen_hypervisor_init(), 0);
	nr_calls = 0;
	gnttab_rc = -EBUSY; /* a backend still maps a page */
	assert_int_equal(xen_services_teardown(), -EBUSY);
	assert_string_equal(calls[3], "remove shared_info"); /* still done */
	assert_null(xen_shared_info());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_params, setup),
	    cmocka_unit_test_setup(test_map_and_teardown, setup),
	    cmocka_unit_test_setup(test_map_fails, setup),
	    cmocka_unit_test_setup(test_teardown_failures_reported, setup),
	    cmocka_unit_test_setup(test_services_order, setup),
	    cmocka_unit_test_setup(test_teardown_goes_on_after_error, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
