// SPDX-License-Identifier: MIT
/* Pure netif helpers: rsp_prod plausibility and received-packet checks. */
#include <errno.h>
#include "netif_ring.h"

int netif_check_rsp_prod(RING_IDX rsp_cons, RING_IDX rsp_prod, RING_IDX req_prod)
{
	RING_IDX ready = rsp_prod - rsp_cons;	    /* unsigned: wraps if behind */
	RING_IDX outstanding = req_prod - rsp_cons; /* requests not yet answered */

	if (ready > outstanding || ready > NETIF_RING_SLOTS)
		return -EPROTO;
	return 0;
}

enum netif_rx_verdict netif_rx_check(const struct netif_rx_response *rsp, const uint16_t *posted_id,
				     unsigned int avail, unsigned int max_len,
				     struct netif_rx_packet *pkt)
{
	unsigned int i = 1;
	bool extra, more;

	pkt->slots = 0;
	if (!avail)
		return NETIF_RX_INCOMPLETE;
	if (rsp[0].id != posted_id[0])
		return NETIF_RX_BAD_ID;
	pkt->flags = rsp[0].flags;
	pkt->offset = rsp[0].offset;
	pkt->len = rsp[0].status > 0 ? (unsigned int)rsp[0].status : 0;
	/* Extra-info slots follow the first one, chained by their MORE flag. */
	extra = rsp[0].flags & NETRXF_extra_info;
	while (extra) {
		const struct netif_extra_info *x;

		if (i >= avail)
			return NETIF_RX_INCOMPLETE;
		x = (const struct netif_extra_info *)&rsp[i++];
		extra = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
	}
	/* Then the fragments, each with more_data but the last. */
	more = rsp[0].flags & NETRXF_more_data;
	while (more) {
		if (i >= avail)
			return NETIF_RX_INCOMPLETE;
		if (rsp[i].id != posted_id[i])
			return NETIF_RX_BAD_ID;
		more = rsp[i++].flags & NETRXF_more_data;
	}
	pkt->slots = i;
	if (rsp[0].status <= 0)
		return NETIF_RX_DROP;
	if (rsp[0].flags & NETRXF_more_data)
		return NETIF_RX_DROP; /* we did not offer feature-sg: never a whole frame */
	if (pkt->len > max_len || pkt->offset >= PAGE_SIZE || pkt->len > PAGE_SIZE - pkt->offset)
		return NETIF_RX_OVERSIZE;
	return NETIF_RX_OK;
}

const char *netif_rx_verdict_str(enum netif_rx_verdict v)
{
	switch (v) {
	case NETIF_RX_OK:
		return "ok";
	case NETIF_RX_DROP:
		return "error status or multi-slot packet";
	case NETIF_RX_OVERSIZE:
		return "packet larger than a frame or past its page";
	case NETIF_RX_INCOMPLETE:
		return "packet not complete";
	case NETIF_RX_BAD_ID:
		return "response id does not match the request in its slot";
	}
	return "?";
}
