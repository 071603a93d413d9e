/* SPDX-License-Identifier: MIT */
/*
 * Bringing the Xen layer up and down, in the order common/main.c needs:
 *   xen_early_init()    shared_info + PV console (as early as possible)
 *   xen_services_init() grant table + XenStore (before any PV driver)
 *   xen_handoff()       give the OS a clean slate (also registered as a
 *                       handoff_ops, so handoff_prepare() runs it last)
 */
#ifndef PVBOOT_XEN_INIT_H
#define PVBOOT_XEN_INIT_H

#include <pvboot/compiler.h>

/* shared_info then the console; errors are logged (early log if no console). */
int xen_early_init(void);
/* Grant table then XenStore; each failure is logged, the first is returned. */
int xen_services_init(void);
/*
 * Close every event channel we allocated (the console's and XenStore's belong
 * to Xen and stay), end every grant, unmap the grant frames, quiesce XenStore
 * and take shared_info out of the physmap. 0, or the first -errno (the rest
 * still runs: the OS gets as clean a slate as we can give).
 */
int xen_handoff(void);

#endif
