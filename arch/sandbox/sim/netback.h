/* SPDX-License-Identifier: MIT */
/*
 * The simulated netback and the hosts behind it: state shared by
 * netback.c (rings, XenStore, faults) and netpeer*.c (the DHCP, TFTP and
 * HTTP server the guest talks to over the simulated bridge).
 */
#ifndef SANDBOX_SIM_NETBACK_H
#define SANDBOX_SIM_NETBACK_H

#include <pvboot/compiler.h>
#include "sim_internal.h"
/* The ring macros' barriers: the simulated backend runs in the guest's thread. */
#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

#define NB_FRAME_MAX 1514 /* a frame on the wire */
/* To a guest that takes GSO: one TCP segment up to IPv4's 64 KiB, in several slots. */
#define NB_RX_MAX (14 + 65535)
#define NB_QUEUE 1024 /* frames waiting for an RX slot, as a bridge port's queue */

struct nb_frame {
	uint32_t len;
	uint16_t flags; /* NETRXF_* to put in the response */
	uint8_t *data;	/* malloc'd, len bytes */
};

struct netpeer; /* netpeer.c */

struct netback {
	struct sim_backend be; /* first: the poll callback casts back */
	struct sim_vif *vif;
	char name[16];
	XenbusState state;
	unsigned long fe_gen;

	/* The connected rings (one queue). */
	grant_ref_t tx_ref, rx_ref;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	void *tx_page, *rx_page;
	evtchn_port_t port;
	bool connected, csum_offload, rx_notify;
	bool sg, gso; /* the frontend takes several slots per frame, TCP segments uncut */

	/* Frames for the guest, oldest first. */
	struct nb_frame *queue;
	unsigned int q_head, q_len;

	uint64_t tx_frames, rx_frames, offered; /* offered: frames for the guest, for net-drop */
	bool closed_midway, vanished, detached;
	struct netpeer *peer;
};

/*
 * netback.c: queue a frame for the guest (dropped when the queue is full, or
 * when larger than a wire frame and the guest does not take GSO).
 */
void nb_deliver(struct netback *nb, const void *frame, size_t len);
bool nb_fault(struct netback *nb, const char *name);
long nb_fault_value(struct netback *nb, const char *name, long def);

/* netpeer.c: the other side of the bridge. */
struct netpeer *netpeer_new(struct netback *nb);
void netpeer_input(struct netpeer *p, const uint8_t *frame, size_t len);
void netpeer_poll(struct netpeer *p); /* timers: retransmissions */

#endif
