// SPDX-License-Identifier: MIT
/*
 * The top of the stack's receive side: a frame from the device goes to ARP
 * or IPv4 by EtherType, and a TCP segment on to TCP. Kept apart so that
 * the layers below (net.c, arp.c, ip.c, tcp.c) only ever call down.
 */
#include <errno.h>
#include <string.h>
#include "net_priv.h"

static void stack_receive(void *ctx, const uint8_t *frame, size_t len, unsigned int flags)
{
	const struct eth_hdr *h = (const struct eth_hdr *)frame;
	struct ip_rx rx;
	uint16_t type;

	net.st.rx_frames++;
	if (len < ETH_HLEN || len > ETH_RX_MAX) {
		net.st.rx_bad++;
		return;
	}
	/* Ours, broadcast, or nothing: the bridge may flood frames for others. */
	if (memcmp(h->dst, net.cfg.mac, ETH_ALEN) && !(h->dst[0] & 1)) {
		net.st.rx_ignored++;
		return;
	}
	type = be16(h->type);
	if (type == ETH_P_ARP)
		arp_receive(frame + ETH_HLEN, len - ETH_HLEN);
	else if (type != ETH_P_IP)
		net.st.rx_ignored++;
	else if (ip_receive(h->src, frame + ETH_HLEN, len - ETH_HLEN, flags, &rx) == IPPROTO_TCP)
		tcp_receive(&rx);
}

int net_start(struct eth_dev *dev, const struct net_config *cfg)
{
	if (!dev)
		return -ENODEV;
	if (net.dev != dev)
		arp_flush();
	net_core_start(dev, cfg, stack_receive);
	return 0;
}
