// SPDX-License-Identifier: MIT
/* Pure netif helpers: rsp_prod plausibility and received-packet checks (feature-sg). */
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

/* A fragment lies in its page; a negative status is an error. */
static enum netif_rx_verdict netif_rx_frag_ok(const struct netif_rx_response *r)
{
	if (r->status < 0)
		return NETIF_RX_DROP;
	if (r->offset >= PAGE_SIZE || (unsigned int)r->status > PAGE_SIZE - r->offset)
		return NETIF_RX_OVERSIZE;
	return NETIF_RX_OK;
}

enum netif_rx_verdict netif_rx_check(const struct netif_rx_response *rsp, const uint16_t *posted_id,
				     unsigned int avail, unsigned int max_len,
				     struct netif_rx_packet *pkt)
{
	enum netif_rx_verdict v = NETIF_RX_OK;
	unsigned int i = 1;
	bool extra, more;

	pkt->slots = 0;
	if (!avail)
		return NETIF_RX_INCOMPLETE;
	if (rsp[0].id != posted_id[0])
		return NETIF_RX_BAD_ID;
	pkt->flags = rsp[0].flags;
	/* Extra-info slots follow the first one, chained by their MORE flag. */
	extra = rsp[0].flags & NETRXF_extra_info;
	while (extra) {
		const struct netif_extra_info *x;

		if (i >= avail)
			return NETIF_RX_INCOMPLETE;
		x = (const struct netif_extra_info *)&rsp[i++];
		extra = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
	}
	pkt->frags = i;
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
	/* Every fragment checked, the first one not empty; the total bounded. */
	pkt->len = 0;
	if (rsp[0].status <= 0)
		return NETIF_RX_DROP;
	for (i = 0; i < pkt->slots; i = i ? i + 1 : pkt->frags) {
		enum netif_rx_verdict f = netif_rx_frag_ok(&rsp[i]);

		if (f == NETIF_RX_DROP)
			return f;
		if (f != NETIF_RX_OK)
			v = f;
		else
			pkt->len += (unsigned int)rsp[i].status;
	}
	if (v == NETIF_RX_OK && pkt->len > max_len)
		v = NETIF_RX_OVERSIZE;
	return v;
}

const char *netif_rx_verdict_str(enum netif_rx_verdict v)
{
	switch (v) {
	case NETIF_RX_OK:
		return "ok";
	case NETIF_RX_DROP:
		return "error status or empty packet";
	case NETIF_RX_OVERSIZE:
		return "packet larger than a frame or past its page";
	case NETIF_RX_INCOMPLETE:
		return "packet not complete";
	case NETIF_RX_BAD_ID:
		return "response id does not match the request in its slot";
	}
	return "?";
}
