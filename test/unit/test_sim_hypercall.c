// SPDX-License-Identifier: MIT
/*
 * The simulated hypervisor's hypercalls, made as the guest makes them, and
 * the state the hand-off check reads (shared_info in the physmap, holes,
 * grant frames and live grants, open ports).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <pvboot/sandbox.h>
#include "../../arch/sandbox/sim/sim_internal.h"
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

#define RAM_PAGES 64
#define GT_PAGES 4
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE)

static uint8_t *ram, *gt, *magic;
static jmp_buf exit_jmp;
static int exit_status = -1;

/* ---- the rest of the simulator, not under test here ---- */
void sim_xenstored_init(void)
{
	sim_evtchn_alloc_pair();
}
void sim_consback_init(void)
{
	sim_evtchn_alloc_pair();
}
void sim_xs_populate(void)
{
}
void sim_xs_populate_disks(void)
{
}
evtchn_port_t sim_xenstore_port(void)
{
	return 1;
}
uint64_t sim_xs_store_pfn(uint64_t pfn)
{
	return pfn; /* XenStore is up: the dom0less faults are xs_ring.c's */
}
static bool vpl011; /* --vpl011: no PV console */
bool sim_vpl011_enabled(void)
{
	return vpl011;
}
evtchn_port_t sim_console_port(void)
{
	return vpl011 ? 0 : 2;
}
__noreturn void sandbox_exit(int status)
{
	exit_status = status;
	longjmp(exit_jmp, 1);
}

static long hc(unsigned long op, unsigned long a0, void *a1)
{
	return sim_hypercall(op, a0, (unsigned long)a1, 0, 0, 0);
}

static uint64_t ram_gfn(unsigned int page)
{
	return ((uintptr_t)ram >> 12) + page;
}

static int setup(void **state)
{
	struct sim_layout l;

	/* Low addresses, as in the sandbox: grant entries name 32-bit frames. */
	ram = mmap((void *)0x30000000, RAM_PAGES * 4096, PROT_READ | PROT_WRITE, FIXED, -1, 0);
	gt = mmap((void *)0x31000000, GT_PAGES * 4096, PROT_NONE, FIXED, -1, 0);
	magic = mmap((void *)0x32000000, 2 * 4096, PROT_READ | PROT_WRITE, FIXED, -1, 0);
	assert_true(ram != MAP_FAILED && gt != MAP_FAILED && magic != MAP_FAILED);
	l = (struct sim_layout){(uintptr_t)ram, RAM_PAGES * 4096, (uintptr_t)gt, GT_PAGES * 4096,
				(uintptr_t)magic};
	sim_set_layout(&l);
	sim_gnttab_reset();
	sim_init();
	return 0;
}

static int teardown(void **state)
{
	sim_gnttab_reset();
	munmap(ram, RAM_PAGES * 4096);
	munmap(gt, GT_PAGES * 4096);
	munmap(magic, 2 * 4096);
	return 0;
}

static void test_version_and_unknown(void **state)
{
	xen_extraversion_t extra;

	assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_version, NULL), (4 << 16) | 17);
	assert_int_equal(hc(__HYPERVISOR_xen_version, XENVER_extraversion, extra), 0);
	assert_string_equal(extra, ".7-sim");
	assert_int_equal(hc(__HYPERVISOR_xen_version, 999, NULL), -ENOSYS);
	assert_int_equal(hc(__HYPERVISOR_mmu_update, 0, NULL), -ENOSYS);
	assert_int_equal(hc(__HYPERVISOR_memory_op, 999, &extra), -ENOSYS);
}

/* A dom0less domain with Xen's emulated UART: no PV console ring, XenStore as before. */
static void test_vpl011_means_no_pv_console(void **state)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_PFN};

	vpl011 = true;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, 0);
	p.index = HVM_PARAM_CONSOLE_EVTCHN;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, 0);
	p.index = HVM_PARAM_STORE_PFN;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, ((uintptr_t)magic >> 12) + 1);
	vpl011 = false;
}

static void test_hvm_params_point_at_magic_pages(void **state)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = HVM_PARAM_CONSOLE_PFN};

	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, (uintptr_t)magic >> 12);
	p.index = HVM_PARAM_STORE_PFN;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, ((uintptr_t)magic >> 12) + 1);
	p.index = HVM_PARAM_STORE_EVTCHN;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, 1);
	p.index = HVM_PARAM_CONSOLE_EVTCHN;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), 0);
	assert_int_equal(p.value, 2);
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_set_param, &p), -EPERM);
	p.domid = 5;
	assert_int_equal(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, &p), -ESRCH);
}

static void test_shared_info_map_remove_populate(void **state)
{
	struct xen_add_to_physmap x = {
	    .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .gpfn = ram_gfn(3)};
	struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = ram_gfn(3)};
	xen_pfn_t gpfn = ram_gfn(3);
	struct xen_memory_reservation res = {.domid = DOMID_SELF, .nr_extents = 1};
	struct shared_info *si = (void *)(ram + 3 * 4096);
	struct sim_state st;

	set_xen_guest_handle(res.extent_start, &gpfn);
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x), 0);
	sim_get_state(&st);
	assert_true(st.shared_info_mapped);
	sim_evtchn_notify_guest(2); /* the console port: its bit appears in the guest's page */
	assert_true(si->evtchn_pending[0] & (1u << 2));

	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &r), 0);
	sim_get_state(&st);
	assert_false(st.shared_info_mapped);
	assert_int_equal(st.holes, 1); /* a hole until repopulated */
	assert_null(sim_gfn_to_ptr(ram_gfn(3)));
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &res), 1);
	sim_get_state(&st);
	assert_int_equal(st.holes, 0);
	assert_int_equal(si->evtchn_pending[0], 0); /* a fresh page */
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &res), 0);
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &r), 0);
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_populate_physmap, &res), 1);

	x.gpfn = 0; /* not guest memory */
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x), -EINVAL);
	x.gpfn = ((uintptr_t)gt >> 12); /* the grant region is not for shared_info */
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x), -EINVAL);
}

static void test_grant_frames_and_leftovers(void **state)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = (uintptr_t)gt >> 12};
	struct xen_remove_from_physmap r = {.domid = DOMID_SELF, .gpfn = (uintptr_t)gt >> 12};
	grant_entry_v1_t *e = (void *)gt;
	struct sim_state st;
	unsigned int v = sim_violations();

	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x), 0);
	e[5].frame = ram_gfn(9);
	e[5].domid = 0;
	e[5].flags = GTF_permit_access;
	assert_ptr_equal(sim_gnttab_map(5, true), ram + 9 * 4096);
	sim_get_state(&st);
	assert_int_equal(st.gnttab_frames, 1);
	assert_int_equal(st.grants_active, 1);
	assert_int_equal(st.gnttab_mapped, 1);
	sim_gnttab_unmap(5);
	e[5].flags = 0;
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap, &r), 0);
	sim_get_state(&st);
	assert_int_equal(st.gnttab_frames, 0);
	assert_int_equal(st.grants_active, 0);
	assert_int_equal(sim_violations(), v);
	x.gpfn = ram_gfn(1); /* a grant frame outside /hypervisor's region */
	assert_int_equal(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x), -EINVAL);
	assert_int_equal(sim_violations(), v + 1);
}

static void test_ports_counted_until_closed(void **state)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = 0};
	struct evtchn_close c;
	struct sim_state st;

	assert_int_equal(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a), 0);
	sim_get_state(&st);
	assert_int_equal(st.ports_open, 1);
	c.port = a.port;
	assert_int_equal(hc(__HYPERVISOR_event_channel_op, EVTCHNOP_close, &c), 0);
	sim_get_state(&st);
	assert_int_equal(st.ports_open, 0);
}

static void test_poll_returns_on_event_or_timeout(void **state)
{
	evtchn_port_t port = 2;
	/* The timeout is Xen's system time, not the guest's counter. */
	struct sched_poll p = {.nr_ports = 1, .timeout = sim_xen_now_ns() + 20000000};
	uint64_t t0 = sim_now_ns();

	memset(sim_shared_info()->evtchn_pending, 0, sizeof(sim_shared_info()->evtchn_pending));
	set_xen_guest_handle(p.ports, &port);
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &p), 0);
	assert_true(sim_now_ns() - t0 >= 20000000); /* nothing pending: the whole timeout */
	sim_evtchn_notify_guest(2);
	t0 = sim_now_ns();
	p.timeout = sim_xen_now_ns() + 5000000000ull;
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &p), 0);
	assert_true(sim_now_ns() - t0 < 1000000000ull); /* pending: at once */
	p.nr_ports = 129;
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &p), -EINVAL);
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_yield, NULL), 0);
}

/*
 * The runstate area is written at registration and after a poll that slept,
 * with Xen's time of the switch-in; it counts as a leftover until it is
 * registered as NULL.
 */
static void test_runstate_area(void **state)
{
	struct vcpu_runstate_info rs = {0};
	struct vcpu_register_runstate_memory_area r = {.addr.v = &rs};
	evtchn_port_t port = 2;
	struct sched_poll p = {.nr_ports = 1};
	struct sim_state st;
	uint64_t before;

	assert_int_equal(sim_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
				       1, (unsigned long)&r, 0, 0),
			 -ENOENT);
	assert_int_equal(sim_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0,
				       (unsigned long)&rs, 0, 0),
			 -EINVAL); /* not on Arm */
	assert_int_equal(sim_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
				       0, (unsigned long)&r, 0, 0),
			 0);
	assert_int_equal(rs.state, RUNSTATE_running);
	assert_true(rs.state_entry_time <= sim_xen_now_ns());
	sim_get_state(&st);
	assert_true(st.runstate_registered);

	memset(sim_shared_info()->evtchn_pending, 0, sizeof(sim_shared_info()->evtchn_pending));
	set_xen_guest_handle(p.ports, &port);
	before = sim_xen_now_ns();
	p.timeout = before + 2000000;
	assert_int_equal(hc(__HYPERVISOR_sched_op, SCHEDOP_poll, &p), 0);
	assert_true(rs.state_entry_time >= before + 2000000); /* switched in after the sleep */
	assert_true(rs.state_entry_time <= sim_xen_now_ns());

	r.addr.v = NULL;
	assert_int_equal(sim_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
				       0, (unsigned long)&r, 0, 0),
			 0);
	sim_get_state(&st);
	assert_false(st.runstate_registered);
}

static void test_shutdown_ends_the_run(void **state)
{
	struct sched_shutdown s = {SHUTDOWN_reboot};

	if (!setjmp(exit_jmp))
		hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
	assert_int_equal(exit_status, SANDBOX_EXIT_RESET);
	s.reason = SHUTDOWN_poweroff;
	if (!setjmp(exit_jmp))
		hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
	assert_int_equal(exit_status, 0);
	s.reason = SHUTDOWN_crash;
	if (!setjmp(exit_jmp))
		hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s);
	assert_int_equal(exit_status, SANDBOX_EXIT_CRASH);
}

static void test_disk_specs(void **state)
{
	assert_int_equal(sim_disk_add("a.img"), 0);
	assert_int_equal(sim_disk_add("b.img,ro,sector=4096"), 0);
	assert_int_equal(sim_disk_add("c.img,sector=1024"), -EINVAL);
	assert_int_equal(sim_disk_add("d.img,bogus"), -EINVAL);
	assert_int_equal(sim_disk_add(",ro"), -EINVAL);
	assert_int_equal(sim_disk_count(), 2);
	assert_string_equal(sim_disk_get(0)->path, "a.img");
	assert_int_equal(sim_disk_get(0)->vdev, 51712);
	assert_false(sim_disk_get(0)->readonly);
	assert_int_equal(sim_disk_get(0)->sector_size, 512);
	assert_int_equal(sim_disk_get(1)->vdev, 51728);
	assert_true(sim_disk_get(1)->readonly);
	assert_int_equal(sim_disk_get(1)->sector_size, 4096);
	assert_string_equal(sim_disk_get(1)->frontend, "/local/domain/1/device/vbd/51728");
	assert_string_equal(sim_disk_get(1)->backend, "/local/domain/0/backend/vbd/1/51728");
	assert_null(sim_disk_get(2));
}

static void test_fault_registry(void **state)
{
	sim_fault_clear();
	assert_int_equal(sim_fault_add_checked("xs-after=3"), 0);
	assert_int_equal(sim_fault_add_checked("xs-error=EACCES"), 0);
	assert_int_equal(sim_fault_add_checked("blk-anything=7"), 0);
	assert_int_equal(sim_fault_add_checked("nonsense"), -ENOENT);
	assert_int_equal(sim_fault_add_checked("blk-"), -ENOENT);
	assert_true(sim_fault("xs-after"));
	assert_int_equal(sim_fault_value("xs-after", 0), 3);
	assert_int_equal(sim_fault_value("xs-error", 9), 9); /* not a number */
	assert_string_equal(sim_fault_string("xs-error"), "EACCES");
	assert_int_equal(sim_fault_value("blk-anything", 0), 7);
	assert_false(sim_fault("xs-stall"));
	assert_int_equal(sim_fault_value("xs-stall", -1), -1);
	assert_int_equal(sim_fault_add_checked("xs-after=5"), 0); /* replaces */
	assert_int_equal(sim_fault_value("xs-after", 0), 5);
	sim_fault_clear();
	assert_false(sim_fault("xs-after"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_version_and_unknown, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hvm_params_point_at_magic_pages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vpl011_means_no_pv_console, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shared_info_map_remove_populate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_grant_frames_and_leftovers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ports_counted_until_closed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_poll_returns_on_event_or_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_runstate_area, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shutdown_ends_the_run, setup, teardown),
	    cmocka_unit_test(test_disk_specs),
	    cmocka_unit_test(test_fault_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
