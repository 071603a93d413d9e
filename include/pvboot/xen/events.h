/* SPDX-License-Identifier: MIT */
/* Event channels in polling mode (no interrupts): pending/mask bits of vcpu 0. */
#ifndef PVBOOT_XEN_EVENTS_H
#define PVBOOT_XEN_EVENTS_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* Allocate an unbound port that remote_domid may bind to. */
int evtchn_alloc_unbound(domid_t remote_domid, evtchn_port_t *port);
int evtchn_close(evtchn_port_t port);
int evtchn_send(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
/* Whether port fits shared_info's bitmaps (and shared_info is mapped). */
bool evtchn_port_valid(evtchn_port_t port);
/* The pending bit, left as it is. */
bool evtchn_is_pending(evtchn_port_t port);
/* Test-and-clear the pending bit. */
bool evtchn_clear_pending(evtchn_port_t port);
/*
 * Wait until port is pending (then clear it) or timeout_ms passes or Ctrl-C.
 * Returns 0, -ETIMEDOUT, -EINTR or -EINVAL. Never an unbounded loop.
 * (xen/evtchn_wait.c: it sleeps through xen/poll.c, which sits above this file.)
 */
int evtchn_poll(evtchn_port_t port, unsigned long timeout_ms);
/* Ports we allocated and have not closed (hand-off check). */
unsigned int evtchn_open_count(void);

#endif
