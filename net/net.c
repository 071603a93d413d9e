// SPDX-License-Identifier: MIT
/*
 * The bottom of the stack: the device in use and our address, frame output,
 * the receive loop (frames go to the handler stack.c gave, which knows the
 * protocols above) and checksums.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/console.h>
#include <pvboot/timer.h>
#include "net_priv.h"

#define NET_POLL_BUDGET 64 /* frames handled per turn before checking Ctrl-C */

struct net_state net;

void net_core_start(struct eth_dev *dev, const struct net_config *cfg, eth_rx_fn receive)
{
	net.dev = dev;
	net.cfg = *cfg;
	if (!eth_mac_valid(net.cfg.mac))
		memcpy(net.cfg.mac, dev->mac, ETH_ALEN);
	net.receive = receive;
	net.up = true;
}

void net_stop(void)
{
	net.up = false;
}

void net_get_stats(struct net_stats *st)
{
	*st = net.st;
}

int net_parse_ip(const char *s, uint32_t *addr)
{
	uint32_t a = 0;

	for (int i = 0; i < 4; i++) {
		unsigned int v = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned int)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || v > 255 || *s != (i == 3 ? '\0' : '.'))
			return -EINVAL;
		s++;
		a = a << 8 | v;
	}
	*addr = a;
	return 0;
}

char *net_ip_str(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

uint32_t net_csum_add(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;

	for (; len > 1; len -= 2, b += 2)
		sum += (uint32_t)(b[0] << 8 | b[1]);
	if (len)
		sum += (uint32_t)b[0] << 8;
	return sum;
}

uint16_t net_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t net_csum(const void *p, size_t len, uint32_t sum)
{
	return net_csum_fold(net_csum_add(p, len, sum));
}

uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + (uint32_t)len;
}

/* Not for secrets: transaction ids, ports and sequence numbers that must differ per boot. */
uint32_t net_random(void)
{
	static uint32_t x;

	if (!x)
		x = (uint32_t)timer_us() ^ (uint32_t)(timer_us() >> 32) ^ 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x ^ (uint32_t)timer_us();
}

int net_send_frame(const uint8_t dst[ETH_ALEN], uint16_t type, const void *payload, size_t len)
{
	uint8_t frame[ETH_FRAME_MAX];
	struct eth_hdr *h = (struct eth_hdr *)frame;
	size_t flen = ETH_HLEN + len;
	int err;

	if (!net.up || !net.dev)
		return -ENETDOWN;
	if (len > ETH_FRAME_MAX - ETH_HLEN)
		return -EMSGSIZE;
	memcpy(h->dst, dst, ETH_ALEN);
	memcpy(h->src, net.cfg.mac, ETH_ALEN);
	h->type = be16(type);
	memcpy(frame + ETH_HLEN, payload, len);
	if (flen < 60) { /* the minimum Ethernet frame, padded with zeros */
		memset(frame + flen, 0, 60 - flen);
		flen = 60;
	}
	err = net.dev->ops->send(net.dev, frame, flen);
	if (!err)
		net.st.tx_frames++;
	return err;
}

int net_poll(unsigned long ms)
{
	int n;

	if (!net.up || !net.dev)
		return -ENETDOWN;
	if (ctrlc())
		return -EINTR;
	n = net.dev->ops->poll(net.dev, net.receive, NULL, NET_POLL_BUDGET);
	if (n < 0)
		return n;
	if (n > 0 || !ms)
		return 0;
	n = net.dev->ops->wait(net.dev, ms);
	if (n == -ETIMEDOUT)
		return 0;
	return n;
}
