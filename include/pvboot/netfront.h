/* SPDX-License-Identifier: MIT */
/* Xen PV network frontend: one Ethernet device per device/vif/<id>. */
#ifndef PVBOOT_NETFRONT_H
#define PVBOOT_NETFRONT_H

#include <pvboot/compiler.h>

/* Probe every vif and connect it; registers each as an eth device. Never fatal. */
int netfront_init(void);
/* Disconnect and forget every vif, then probe again. Returns devices found or -errno. */
int netfront_rescan(void);

#endif
