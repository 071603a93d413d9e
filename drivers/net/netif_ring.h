/* SPDX-License-Identifier: MIT */
/*
 * Pure netif helpers, free of Xen services so that unit tests and the
 * fuzzer drive them: where a received packet's responses end, and what
 * each response may be believed to say.
 */
#ifndef PVBOOT_NETIF_RING_H
#define PVBOOT_NETIF_RING_H

#include <pvboot/compiler.h>
#include <pvboot/arch.h>

#ifndef mb
#define mb() arch_mb()
#define rmb() arch_rmb()
#define wmb() arch_wmb()
#endif
#include <xen/xen.h>
#include <xen/io/netif.h>
#ifndef xen_mb
#define xen_mb() arch_mb()
#define xen_rmb() arch_rmb()
#define xen_wmb() arch_wmb()
#endif

#define NETIF_RING_SLOTS 256 /* a one-page netif ring, TX or RX */

/* Is rsp_prod plausible: not ahead of our requests, not behind what we consumed? */
int netif_check_rsp_prod(RING_IDX rsp_cons, RING_IDX rsp_prod, RING_IDX req_prod);

enum netif_rx_verdict {
	NETIF_RX_OK,	     /* a frame of len bytes in the packet's fragments */
	NETIF_RX_DROP,	     /* an error status or an empty frame: repost, go on */
	NETIF_RX_OVERSIZE,   /* larger than max_len, or a fragment past the end of its page */
	NETIF_RX_INCOMPLETE, /* the packet's later slots are not published yet */
	NETIF_RX_BAD_ID,     /* the id is not the one posted in that slot: ring inconsistent */
};

/*
 * A received packet (feature-sg): fragment 1 in the first slot, then the
 * extra-info slots (GSO), then fragments 2.. in slots frags..slots-1, each
 * at its response's offset in its own page, status bytes long.
 */
struct netif_rx_packet {
	unsigned int slots; /* responses the packet takes (first, extras, fragments) */
	unsigned int frags; /* slot of fragment 2: 1 + the extra-info slots */
	unsigned int len;   /* the frame: all fragments together */
	uint16_t flags;	    /* the first response's NETRXF_* */
};

/*
 * Look at the packet starting at response index cons (avail responses are
 * published). rsp[i] are private copies of the responses cons..cons+avail-1;
 * posted_id[i] the id we posted in the same slots. max_len bounds a frame.
 */
enum netif_rx_verdict netif_rx_check(const struct netif_rx_response *rsp, const uint16_t *posted_id,
				     unsigned int avail, unsigned int max_len,
				     struct netif_rx_packet *pkt);
const char *netif_rx_verdict_str(enum netif_rx_verdict v);

#endif
