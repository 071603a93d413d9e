// SPDX-License-Identifier: MIT
/*
 * Finding the XenStore ring, and waiting for it when it is not there yet.
 *
 * A domain that xl creates has its ring from the start. A dom0less domain
 * (started by Xen at boot, with "xen,enhanced") starts before dom0 exists:
 * its HVM_PARAM_STORE_PFN is unset or ~0 until init-dom0less runs in dom0
 * and gives it a page (Xen 4.17), or the page is there but its `connection`
 * field says XENSTORE_RECONNECT until xenstored takes the domain on (newer
 * Xen). Its HVM_PARAM_STORE_EVTCHN is set from the start, and the port is
 * notified when XenStore comes up. A PFN of ~0 is never mapped or touched.
 */
#include <errno.h>
#include <stdio.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/xenstore.h>
#include <xen/hvm/params.h>
#include "xs_internal.h"

/* HVM_PARAM_STORE_PFN of a dom0less domain before init-dom0less has run. */
#define STORE_PFN_NOT_YET (~0ULL)
/* While waiting: look at the params this often, and whenever the port fires. */
#define LOOK_INTERVAL_MS 50

/* Why the last look found no usable ring, for the messages. */
static const char *not_up_reason = "";

int xs_find_ring(struct xs_ring *found)
{
	struct xenstore_domain_interface *intf;
	uint64_t pfn = 0, port = 0;
	int rc;

	found->late = false;
	rc = hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port);
	if (!rc)
		rc = hvm_get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (rc < 0) {
		pr_err("xenstore: cannot read the HVM params (error %d)\n", rc);
		return rc;
	}
	if (port == 0 || port > UINT32_MAX)
		return -ENODEV; /* no store event channel: this domain has no XenStore */
	if (pfn == 0 || pfn == STORE_PFN_NOT_YET) {
		not_up_reason =
		    pfn ? "HVM_PARAM_STORE_PFN is ~0" : "HVM_PARAM_STORE_PFN is not set";
		return -EAGAIN;
	}
	/* A page Xen or dom0 gave us late need not be in our page tables yet. */
	rc = arch_map_xen_page(pfn);
	if (rc < 0) {
		pr_err("xenstore: cannot map the ring at gfn %#llx (error %d)\n",
		       (unsigned long long)pfn, rc);
		return rc;
	}
	intf = phys_to_virt(pfn << PAGE_SHIFT);
	if (READ_ONCE(intf->connection) != XENSTORE_CONNECTED) {
		not_up_reason = "its ring is not connected yet";
		return -EAGAIN;
	}
	arch_rmb(); /* the ring's indexes only after seeing it connected */
	found->intf = intf;
	found->pfn = pfn;
	found->port = (evtchn_port_t)port;
	return 0;
}

static evtchn_port_t store_port(void)
{
	uint64_t port = 0;

	return hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) || port > UINT32_MAX
		   ? 0
		   : (evtchn_port_t)port;
}

/* Poll until it is up, wait_ms pass or the user interrupts: 0, -ETIMEDOUT, -EINTR, -errno. */
static int wait_until_up(unsigned long wait_ms, struct xs_ring *found)
{
	uint64_t deadline = deadline_ms(wait_ms), next_look = deadline_ms(LOOK_INTERVAL_MS);
	evtchn_port_t port = store_port();

	for (;;) {
		/* init-dom0less notifies the port; the params are looked at anyway. */
		if ((port && evtchn_clear_pending(port)) || deadline_passed(next_look)) {
			int rc = xs_find_ring(found);

			if (rc != -EAGAIN)
				return rc;
			next_look = deadline_ms(LOOK_INTERVAL_MS);
		}
		if (deadline_passed(deadline))
			return -ETIMEDOUT;
		if (xen_interrupted())
			return -EINTR;
		arch_cpu_relax();
	}
}

int xs_wait_for_ring(unsigned long wait_ms, struct xs_ring *found)
{
	uint64_t start = timer_us(), ms;
	int rc = xs_find_ring(found);

	if (rc == -ENODEV)
		pr_err("XenStore: none for this domain (HVM_PARAM_STORE_EVTCHN is not set)\n");
	if (rc != -EAGAIN)
		return rc;
	printf("XenStore: not up yet (%s)\n", not_up_reason);
	if (!wait_ms)
		return -EAGAIN;
	printf("XenStore: waiting up to %lu s for dom0 to bring it up (init-dom0less); "
	       "Ctrl-C goes on without it\n",
	       wait_ms / 1000);
	rc = wait_until_up(wait_ms, found);
	found->late = true;
	ms = (timer_us() - start) / 1000;
	if (!rc)
		printf("XenStore: up after %llu.%llu s\n", (unsigned long long)ms / 1000,
		       (unsigned long long)ms % 1000 / 100);
	else if (rc == -ETIMEDOUT)
		printf("XenStore: still not up after %lu s, going on without it\n", wait_ms / 1000);
	else if (rc == -EINTR)
		printf("XenStore: wait interrupted, going on without it\n");
	if (rc == -ETIMEDOUT || rc == -EINTR)
		printf("XenStore: 'xenstore wait' waits again; 'pvblock rescan' finds the disks "
		       "once it is up\n");
	return rc;
}
