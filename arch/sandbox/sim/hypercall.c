// SPDX-License-Identifier: MIT
/*
 * The hypercalls pvboot makes, answered as Xen 4.17 answers an ARM domU.
 * Anything else is -ENOSYS, as Xen does for an unknown op.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pvboot/sandbox.h>
#include "sim_internal.h"
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>

#define SIM_XEN_MAJOR 4
#define SIM_XEN_MINOR 17
#define SIM_XEN_EXTRA ".7-sim"

static long xen_version(int cmd, void *arg)
{
	switch (cmd) {
	case XENVER_version:
		return (SIM_XEN_MAJOR << 16) | SIM_XEN_MINOR;
	case XENVER_extraversion:
		if (!arg)
			return -EFAULT;
		memset(arg, 0, sizeof(xen_extraversion_t));
		strcpy(arg, SIM_XEN_EXTRA);
		return 0;
	case XENVER_capabilities:
		if (!arg)
			return -EFAULT;
		memset(arg, 0, sizeof(xen_capabilities_info_t));
		strcpy(arg, "xen-3.0-aarch64 xen-3.0-armv7l ");
		return 0;
	case XENVER_get_features: {
		struct xen_feature_info *fi = arg;

		if (!fi)
			return -EFAULT;
		fi->submap = fi->submap_idx == 0 ? (1U << XENFEAT_auto_translated_physmap) : 0;
		return 0;
	}
	case XENVER_pagesize:
		return PAGE_SIZE;
	default:
		return -ENOSYS;
	}
}

static long add_to_physmap(struct xen_add_to_physmap *x)
{
	if (x->domid != DOMID_SELF && x->domid != SIM_GUEST_DOMID)
		return -ESRCH;
	switch (x->space) {
	case XENMAPSPACE_shared_info:
		return x->idx ? -EINVAL : sim_shinfo_map(x->gpfn);
	case XENMAPSPACE_grant_table:
		return sim_gnttab_map_frame(x->idx, x->gpfn);
	default:
		return -ENOSYS;
	}
}

static long remove_from_physmap(struct xen_remove_from_physmap *x)
{
	if (x->domid != DOMID_SELF && x->domid != SIM_GUEST_DOMID)
		return -ESRCH;
	if (!sim_shinfo_unmap(x->gpfn) || !sim_gnttab_unmap_frame(x->gpfn))
		return 0;
	if (sim_gpa_is_ram(x->gpfn << PAGE_SHIFT, PAGE_SIZE)) {
		sim_hole_add(x->gpfn); /* Xen lets a guest balloon out plain RAM too */
		return 0;
	}
	return -ENOENT;
}

/* Returns the number of extents done, as Xen does. */
static long populate_physmap(struct xen_memory_reservation *r)
{
	xen_pfn_t *gpfns = SIM_HANDLE_PTR(r->extent_start);
	xen_ulong_t i;

	if (r->domid != DOMID_SELF && r->domid != SIM_GUEST_DOMID)
		return -ESRCH;
	if (r->extent_order) /* a bootloader only gives back single pages */
		return 0;
	if (!gpfns && r->nr_extents)
		return -EFAULT;
	for (i = 0; i < r->nr_extents; i++)
		if (!sim_may_allocate_page() || sim_hole_fill(gpfns[i]))
			break;
	return i;
}

/* Gives back RAM pages: each gfn becomes a hole. Returns the number done. */
static long decrease_reservation(struct xen_memory_reservation *r)
{
	xen_pfn_t *gpfns = SIM_HANDLE_PTR(r->extent_start);
	xen_ulong_t i;

	if (r->domid != DOMID_SELF && r->domid != SIM_GUEST_DOMID)
		return -ESRCH;
	if (r->extent_order || (!gpfns && r->nr_extents))
		return r->extent_order ? 0 : -EFAULT;
	for (i = 0; i < r->nr_extents; i++) {
		if (!sim_gfn_addressable(gpfns[i]) || sim_hole_has(gpfns[i]))
			break;
		sim_hole_add(gpfns[i]);
	}
	return i;
}

static long memory_op(unsigned long cmd, void *arg)
{
	if (!arg)
		return -EFAULT;
	sim_note_activity();
	switch (cmd) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(arg);
	case XENMEM_remove_from_physmap:
		return remove_from_physmap(arg);
	case XENMEM_populate_physmap:
		return populate_physmap(arg);
	case XENMEM_decrease_reservation:
		return decrease_reservation(arg);
	default:
		return -ENOSYS;
	}
}

static long hvm_op(unsigned long cmd, struct xen_hvm_param *p)
{
	const struct sim_layout *l = sim_get_layout();

	if (!p)
		return -EFAULT;
	if (cmd == HVMOP_set_param)
		return -EPERM; /* these params are the toolstack's */
	if (cmd != HVMOP_get_param)
		return -ENOSYS;
	if (p->domid != DOMID_SELF && p->domid != SIM_GUEST_DOMID)
		return -ESRCH;
	switch (p->index) {
	case HVM_PARAM_CONSOLE_PFN:
		/* A dom0less domain with a vpl011 has no PV console. */
		p->value =
		    sim_vpl011_enabled() ? 0 : (l->magic_base >> PAGE_SHIFT) + SIM_CONSOLE_PAGE;
		return 0;
	case HVM_PARAM_CONSOLE_EVTCHN:
		p->value = sim_console_port();
		return 0;
	case HVM_PARAM_STORE_PFN:
		p->value = sim_xs_store_pfn((l->magic_base >> PAGE_SHIFT) + SIM_XENSTORE_PAGE);
		return 0;
	case HVM_PARAM_STORE_EVTCHN:
		p->value = sim_xenstore_port();
		return 0;
	default:
		return p->index < HVM_NR_PARAMS ? (p->value = 0, 0) : -EINVAL;
	}
}

static void idle_sleep(void)
{
	struct timespec ts = {0, 100000};

	nanosleep(&ts, NULL);
}

/*
 * Block until one of the ports is pending or the timeout, which is absolute
 * in Xen's system time (ns). Waking from a sleep is a switch-in (runstate).
 */
static long sched_poll(struct sched_poll *sp)
{
	evtchn_port_t *list = SIM_HANDLE_PTR(sp->ports);
	bool slept = false;

	if (sp->nr_ports > 128)
		return -EINVAL;
	if (sp->nr_ports && !list)
		return -EFAULT;
	for (;;) {
		sim_run_backends();
		for (unsigned int i = 0; i < sp->nr_ports; i++)
			if (sim_evtchn_guest_pending(list[i]))
				goto out;
		if (sp->timeout && sim_xen_now_ns() >= sp->timeout)
			goto out;
		idle_sleep();
		slept = true;
	}
out:
	if (slept)
		sim_vcpu_switched_in();
	return 0;
}

static long sched_op(int cmd, void *arg)
{
	switch (cmd) {
	case SCHEDOP_yield:
		sim_run_backends();
		return 0;
	case SCHEDOP_poll:
		return arg ? sched_poll(arg) : -EFAULT;
	case SCHEDOP_shutdown: {
		struct sched_shutdown *s = arg;

		if (!s)
			return -EFAULT;
		sim_log("domain shutdown (reason %u)", s->reason);
		switch (s->reason) {
		case SHUTDOWN_poweroff:
			sandbox_exit(0);
		case SHUTDOWN_reboot:
			sandbox_exit(SANDBOX_EXIT_RESET);
		default:
			sandbox_exit(SANDBOX_EXIT_CRASH);
		}
	}
	default:
		return -ENOSYS;
	}
}

/* Xen's console: a domU's writes land in the hypervisor's log as "(d1) ..." (here, stderr). */
static long console_io(unsigned long cmd, unsigned long count, const char *buf)
{
	if (cmd != CONSOLEIO_write)
		return cmd == CONSOLEIO_read ? 0 : -ENOSYS;
	if (!buf && count)
		return -EFAULT;
	if (write(2, "(d1) ", 5) < 0 || write(2, buf, count) < 0)
		return -EIO;
	return 0;
}

long sim_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4)
{
	switch (op) {
	case __HYPERVISOR_xen_version:
		return xen_version(a0, (void *)a1);
	case __HYPERVISOR_memory_op:
		return memory_op(a0, (void *)a1);
	case __HYPERVISOR_event_channel_op:
		return sim_evtchn_op(a0, (void *)a1);
	case __HYPERVISOR_grant_table_op:
		sim_note_activity();
		return sim_gnttab_op(a0, (void *)a1, a2);
	case __HYPERVISOR_sched_op:
		return sched_op(a0, (void *)a1);
	case __HYPERVISOR_hvm_op:
		return hvm_op(a0, (void *)a1);
	case __HYPERVISOR_vcpu_op:
		return sim_vcpu_op(a0, a1, (void *)a2);
	case __HYPERVISOR_console_io:
		return console_io(a0, a1, (const char *)a2);
	default:
		return -ENOSYS;
	}
}
