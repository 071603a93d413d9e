/* SPDX-License-Identifier: MIT */
/* Figures of the Xen layer for `xen info`, tests and the hand-off check. */
#ifndef PVBOOT_XEN_STATS_H
#define PVBOOT_XEN_STATS_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* gfn where shared_info is mapped, 0 if it is not. */
uint64_t xen_shared_info_gpfn(void);

/* Ports we allocated and have not closed, up to max; returns how many. */
unsigned int evtchn_open_ports(evtchn_port_t *ports, unsigned int max);
/* Close every port we allocated (hand-off). 0 or the first -errno. */
int evtchn_close_all(void);

struct gnttab_stats {
	uint64_t base_gfn;	 /* first frame in the /hypervisor region */
	unsigned int frames;	 /* frames mapped */
	unsigned int max_frames; /* what Xen allows (GNTTABOP_query_size) */
	unsigned int capacity, in_use, busy;
	uint64_t grants, ends; /* totals since init */
};
int gnttab_get_stats(struct gnttab_stats *st); /* -ENODEV if not initialised */

struct xenstore_stats {
	uint64_t pfn;
	uint32_t port;
	uint64_t requests;
	uint32_t timeouts;	 /* requests that got no reply in time */
	uint32_t wrong_reqid;	 /* replies dropped: no request waiting for that id */
	uint32_t proto_errors;	 /* malformed/oversized replies, ring index violations */
	uint32_t events_queued;	 /* watch events waiting to be taken */
	uint32_t events_dropped; /* watch events lost because the queue was full */
	uint32_t events_stray;	 /* watch events for no watch of ours, dropped */
	uint32_t watches;	 /* watches registered */
};
int xenstore_get_stats(struct xenstore_stats *st); /* -ENODEV if not initialised */
/* errno_str() with the XenStore meaning of E2BIG, EPROTO and ETIMEDOUT. */
const char *xenstore_strerror(int err);

#endif
