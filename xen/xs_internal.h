/* SPDX-License-Identifier: MIT */
/* Between the XenStore client (xenstore.c) and finding its ring (xs_connect.c). */
#ifndef XEN_XS_INTERNAL_H
#define XEN_XS_INTERNAL_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/xs_wire.h>

/* xenstore.c: the client has a ring. */
bool xs_attached(void);
/* xenstore.c: use this ring (mapped, connected) from now on. */
void xs_attach(struct xenstore_domain_interface *intf, uint64_t pfn, evtchn_port_t port);

/*
 * xs_connect.c: look once for a usable ring and attach to it: 0, -EAGAIN if
 * it is not up yet, -ENODEV if this domain has none, -errno. Says nothing
 * but real errors.
 */
int xs_try_attach(void);

#endif
