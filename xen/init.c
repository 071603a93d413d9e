// SPDX-License-Identifier: MIT
/* Xen services up (before PV drivers) and down (last step of the hand-off). */
#include <errno.h>
#include <pvboot/bootstage.h>
#include <pvboot/log.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/init.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/poll.h>
#include <pvboot/xen/stats.h>
#include <pvboot/xen/xenbus.h>
#include <pvboot/xen/xenstore.h>

int xen_services_init(const struct xen_services_config *cfg)
{
	uint64_t t;
	int rc, xrc;

	xen_set_interrupt_check(cfg->interrupted);
	xen_poll_init(); /* without it, waits spin: said so */
	rc = gnttab_init(cfg->gnttab_base, cfg->gnttab_size);
	t = bootstage_start();
	xrc = xenstore_connect(cfg->store_wait_ms);
	if (!xrc)
		bootstage_done("xenstore connected", NULL, t);
	if (xrc == -EAGAIN || xrc == -ETIMEDOUT || xrc == -EINTR)
		xrc = 0; /* not up yet: said so, and requests attach once it is */
	else if (!xrc && xenstore_came_late())
		xenbus_wait_for_devices(cfg->store_wait_ms); /* said how it ended */

	if (rc < 0)
		pr_err("xen: grant table unavailable (error %d)\n", rc);
	if (xrc < 0)
		pr_err("xen: XenStore unavailable (error %d)\n", xrc);
	return rc < 0 ? rc : xrc;
}

static void keep_first(int *first, int rc)
{
	if (rc < 0 && !*first)
		*first = rc;
}

int xen_services_teardown(void)
{
	int first = 0;

	/* Watches first: they need XenStore, which needs nothing of ours. */
	xenstore_teardown();
	keep_first(&first, evtchn_close_all());
	keep_first(&first, gnttab_teardown());
	keep_first(&first, xen_poll_teardown());
	/* Last: evtchn pending bits live in shared_info. */
	keep_first(&first, xen_hypervisor_teardown());
	if (first)
		pr_err("xen: hand-off left something behind (error %d)\n", first);
	return first;
}
