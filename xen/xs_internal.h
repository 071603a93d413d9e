/* SPDX-License-Identifier: MIT */
/*
 * Finding the XenStore ring (xs_connect.c), below the client that uses it
 * (xenstore.c): the client asks, the finder never calls back.
 */
#ifndef XEN_XS_INTERNAL_H
#define XEN_XS_INTERNAL_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/io/xs_wire.h>

/* A ring the client can use: mapped and connected. */
struct xs_ring {
	struct xenstore_domain_interface *intf;
	uint64_t pfn;
	evtchn_port_t port;
	bool late; /* not up at the first look: dom0 brought it up while we waited */
};

/*
 * Look once for a usable ring: 0 and *found, -EAGAIN if it is not up yet,
 * -ENODEV if this domain has none, -errno. Says nothing but real errors.
 */
int xs_find_ring(struct xs_ring *found);

/*
 * Look, and if it is not up yet say why and wait up to wait_ms (0: do not
 * wait) for it, bounded and interruptible: 0 and *found, -EAGAIN (not
 * waited), -ETIMEDOUT, -EINTR, -ENODEV, -errno. Says what happened.
 */
int xs_wait_for_ring(unsigned long wait_ms, struct xs_ring *found);

#endif
