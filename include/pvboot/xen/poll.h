/* SPDX-License-Identifier: MIT */
/*
 * Sleeping in Xen instead of spinning: SCHEDOP_poll on one event channel
 * with a timeout. A vCPU that spins keeps its physical CPU from the backend
 * it waits for whenever the two share one; a blocked vCPU gives it back.
 */
#ifndef PVBOOT_XEN_POLL_H
#define PVBOOT_XEN_POLL_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* Register the runstate area the timeouts are computed from; 0 or -errno. */
int xen_poll_init(void);
/* Unregister it (hand-off: Xen must not write into the next OS's memory). */
int xen_poll_teardown(void);

/*
 * How long a wait spins before it sleeps: an answer that comes this soon
 * (the next segment of a TCP stream) costs no wake-up from SCHEDOP_poll,
 * which costs far more (docs/xen.md has the figures).
 */
#define XEN_POLL_SPIN_US 50

/*
 * Return once port is pending (left pending), at the latest at until_us
 * (timer_us() time) or after a slice short enough for Ctrl-C checks; it may
 * return earlier. Spins one turn instead when no timeout can be computed.
 */
void xen_poll_wait(evtchn_port_t port, uint64_t until_us);

struct xen_poll_stats {
	bool registered;      /* the runstate area is registered */
	uint64_t polls;	      /* SCHEDOP_poll calls */
	uint64_t woken;	      /* of them, those that returned with the port pending */
	uint64_t asleep_us;   /* time spent in them */
	uint64_t spins;	      /* waits that spun: no Xen time known */
	int64_t offset_ns;    /* Xen's system time minus the counter's, lower bound */
	uint64_t refinements; /* times the bound rose */
	/* Until Xen first wrote the area: time the vCPU waited for a physical CPU */
	uint64_t start_waited_us;
};
void xen_poll_get_stats(struct xen_poll_stats *st);

#endif
