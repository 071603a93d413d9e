// SPDX-License-Identifier: MIT
/*
 * Leave nothing behind for the OS: every driver disconnects from its backend
 * (so the OS's frontends can reconnect), then the Xen services release every
 * grant and event channel and give shared_info back.
 */
#include <errno.h>
#include <stdio.h>
#include <pvboot/boot.h>
#include <pvboot/console.h>
#include <pvboot/xen/init.h>

static struct handoff_ops *handoff_list;

void handoff_register(struct handoff_ops *ops)
{
	ops->next = handoff_list;
	handoff_list = ops;
}

static int quiesce_drivers(void)
{
	int first_err = 0;

	for (struct handoff_ops *h = handoff_list; h; h = h->next) {
		int err = h->quiesce();

		if (err) {
			printf("handoff: %s: %d\n", h->name, err);
			if (!first_err)
				first_err = err;
		}
	}
	console_flush();
	return first_err;
}

int handoff_prepare(void)
{
	int err = quiesce_drivers();

	return err ? err : xen_services_teardown();
}

int handoff_release_all(void)
{
	int err = quiesce_drivers();
	int teardown = xen_services_teardown();

	return err ? err : teardown;
}
