/* SPDX-License-Identifier: MIT */
/*
 * Bringing the Xen layer up and down, in the order init/main.c needs:
 *   xen_hypervisor_init()  shared_info (<pvboot/xen/hypervisor.h>)
 *   xen_console_init()     PV console (<pvboot/xen/console.h>)
 *   xen_services_init()    grant table + XenStore (before any PV driver)
 *   xen_services_teardown() the last step of handoff_prepare()
 */
#ifndef PVBOOT_XEN_INIT_H
#define PVBOOT_XEN_INIT_H

#include <pvboot/compiler.h>

/* Grant table then XenStore; each failure is logged, the first is returned. */
int xen_services_init(void);
/*
 * Give the OS a clean slate: close every event channel we allocated (the
 * console's and XenStore's belong to Xen and stay), end every grant, unmap
 * the grant frames, quiesce XenStore and take shared_info out of the physmap
 * (repopulating the page). Returns 0 or the first -errno; the remaining
 * steps still run.
 */
int xen_services_teardown(void);

#endif
