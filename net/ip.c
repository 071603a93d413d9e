// SPDX-License-Identifier: MIT
/*
 * IPv4 (RFC 791) without options we act on (fragments: ip_defrag.c), ICMP echo
 * (RFC 792: answered, and `ping`), and UDP (RFC 768) demultiplexing.
 * A datagram is believed only after its header checksum, its lengths
 * against the frame, and its L4 checksum (unless the backend vouched).
 */
#include <errno.h>
#include <string.h>
#include <pvboot/timer.h>
#include "net_priv.h"

#define IP_TTL 64
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define UDP_PORTS 2 /* DHCP and one transfer at a time */

static uint16_t ip_id;

struct udp_port {
	uint16_t port;
	udp_rx_fn fn;
	void *ctx;
};
static struct udp_port udp_ports[UDP_PORTS];

/* The echo reply `ping` waits for. */
static struct {
	uint16_t id, seq;
	bool waiting, got;
} ping_state;

int ip_send(uint32_t dst, const uint8_t *mac, uint8_t proto, const void *payload, size_t len)
{
	uint8_t pkt[IP_HLEN + IP_MAX_PAYLOAD];
	struct ip_hdr *h = (struct ip_hdr *)pkt;
	uint8_t hop[ETH_ALEN];
	int err;

	if (len > IP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!mac) {
		err = arp_resolve(dst, hop);
		if (err)
			return err;
		mac = hop;
	}
	memset(h, 0, IP_HLEN);
	h->ver_ihl = 0x45;
	h->len = be16((uint16_t)(IP_HLEN + len));
	h->id = be16(ip_id++);
	h->frag = be16(IP_DF);
	h->ttl = IP_TTL;
	h->proto = proto;
	h->src = be32(net.cfg.ip);
	h->dst = be32(dst);
	h->csum = be16(net_csum(h, IP_HLEN, 0));
	memcpy(pkt + IP_HLEN, payload, len);
	return net_send_frame(mac, ETH_P_IP, pkt, IP_HLEN + len);
}

int udp_send(uint32_t dst, const uint8_t *mac, uint16_t sport, uint16_t dport, const void *data,
	     size_t len)
{
	uint8_t seg[IP_MAX_PAYLOAD];
	struct udp_hdr *u = (struct udp_hdr *)seg;
	uint16_t csum;

	if (len > IP_MAX_PAYLOAD - UDP_HLEN)
		return -EMSGSIZE;
	u->sport = be16(sport);
	u->dport = be16(dport);
	u->len = be16((uint16_t)(UDP_HLEN + len));
	u->csum = 0;
	memcpy(seg + UDP_HLEN, data, len);
	csum = net_csum(seg, UDP_HLEN + len,
			net_pseudo_sum(net.cfg.ip, dst, IPPROTO_UDP, UDP_HLEN + len));
	u->csum = be16(csum ? csum : 0xffff);
	return ip_send(dst, mac, IPPROTO_UDP, seg, UDP_HLEN + len);
}

int udp_bind(uint16_t port, udp_rx_fn fn, void *ctx)
{
	struct udp_port *free_slot = NULL;

	for (int i = 0; i < UDP_PORTS; i++) {
		if (udp_ports[i].fn && udp_ports[i].port == port)
			return -EADDRINUSE;
		if (!udp_ports[i].fn && !free_slot)
			free_slot = &udp_ports[i];
	}
	if (!free_slot)
		return -EBUSY;
	*free_slot = (struct udp_port){port, fn, ctx};
	return 0;
}

void udp_unbind(uint16_t port)
{
	for (int i = 0; i < UDP_PORTS; i++)
		if (udp_ports[i].port == port)
			udp_ports[i].fn = NULL;
}

uint16_t net_ephemeral_port(void)
{
	return (uint16_t)(49152 + net_random() % 16384);
}

static void udp_receive(const struct ip_rx *rx)
{
	const struct udp_hdr *u = (const struct udp_hdr *)rx->data;
	uint16_t ulen, dport;

	if (rx->len < UDP_HLEN)
		goto bad;
	ulen = get_be16(&u->len);
	if (ulen < UDP_HLEN || ulen > rx->len)
		goto bad;
	if (u->csum && !rx->csum_trusted &&
	    net_csum(rx->data, ulen, net_pseudo_sum(rx->src, rx->dst, IPPROTO_UDP, ulen)))
		goto bad;
	dport = get_be16(&u->dport);
	for (int i = 0; i < UDP_PORTS; i++) {
		struct udp_port *p = &udp_ports[i];

		if (p->fn && p->port == dport) {
			p->fn(p->ctx, rx, get_be16(&u->sport), rx->data + UDP_HLEN,
			      ulen - UDP_HLEN);
			return;
		}
	}
	net.st.rx_ignored++;
	return;
bad:
	net.st.rx_bad++;
}

static void icmp_receive(const struct ip_rx *rx)
{
	uint8_t reply[IP_MAX_PAYLOAD];
	struct icmp_echo e;

	if (rx->len > sizeof(reply)) {
		net.st.rx_ignored++; /* reassembled: more than one reply frame holds */
		return;
	}
	if (rx->len < sizeof(e) || net_csum(rx->data, rx->len, 0)) {
		net.st.rx_bad++;
		return;
	}
	memcpy(&e, rx->data, sizeof(e));
	if (e.type == ICMP_ECHO_REPLY && ping_state.waiting && be16(e.id) == ping_state.id &&
	    be16(e.seq) == ping_state.seq) {
		ping_state.got = true;
		return;
	}
	if (e.type != ICMP_ECHO_REQUEST || e.code || rx->dst != net.cfg.ip) {
		net.st.rx_ignored++;
		return;
	}
	/* Answer from the frame's source MAC: no ARP (and no polling) inside a receive. */
	memcpy(reply, rx->data, rx->len);
	reply[0] = ICMP_ECHO_REPLY;
	reply[2] = reply[3] = 0;
	e.csum = be16(net_csum(reply, rx->len, 0));
	memcpy(reply + 2, &e.csum, 2);
	ip_send(rx->src, rx->src_mac, IPPROTO_ICMP, reply, rx->len);
}

int ip_receive(const uint8_t *src_mac, const uint8_t *p, size_t len, unsigned int flags,
	       struct ip_rx *rx)
{
	const struct ip_hdr *h = (const struct ip_hdr *)p;
	size_t ihl, tot;
	uint16_t frag;

	if (len < IP_HLEN || (p[0] >> 4) != 4)
		goto bad;
	ihl = (size_t)(p[0] & 15) * 4;
	tot = get_be16(&h->len);
	if (ihl < IP_HLEN || tot < ihl || tot > len || net_csum(p, ihl, 0))
		goto bad;
	rx->src = get_be32(&h->src);
	rx->dst = get_be32(&h->dst);
	/* Ours or broadcast; before DHCP gives us an address, anything (the offer). */
	if (net.cfg.ip && rx->dst != net.cfg.ip && rx->dst != IP_BROADCAST &&
	    rx->dst != (net.cfg.ip | ~net.cfg.netmask)) {
		net.st.rx_ignored++;
		return 0;
	}
	rx->src_mac = src_mac;
	rx->data = p + ihl;
	rx->len = tot - ihl;
	rx->csum_trusted = flags & ETH_RX_CSUM_TRUSTED;
	frag = get_be16(&h->frag);
	if (frag & (IP_MF | IP_OFFMASK)) {
		rx->len = ip_defrag(h, rx->data, rx->len, &rx->data);
		if (!rx->len)
			return 0;
		/* A backend vouches for a frame, not for a datagram made of several. */
		rx->csum_trusted = false;
	}
	switch (h->proto) {
	case IPPROTO_UDP:
		udp_receive(rx);
		return 0;
	case IPPROTO_TCP:
		return IPPROTO_TCP;
	case IPPROTO_ICMP:
		icmp_receive(rx);
		return 0;
	default:
		net.st.rx_ignored++;
		return 0;
	}
bad:
	net.st.rx_bad++;
	return 0;
}

int net_ping(uint32_t ip, unsigned long timeout_ms, unsigned long *rtt_us)
{
	/* Recognisable bytes, not a string: no NUL. */
	static const uint8_t payload[32] = "pvboot ping pvboot ping pvboot p";
	uint8_t pkt[sizeof(struct icmp_echo) + sizeof(payload)];
	struct icmp_echo *e = (struct icmp_echo *)pkt;
	uint64_t t0 = timer_us(), deadline = deadline_ms(timeout_ms);
	int err;

	ping_state.id = (uint16_t)net_random();
	ping_state.seq++;
	ping_state.got = false;
	memset(pkt, 0, sizeof(pkt));
	e->type = ICMP_ECHO_REQUEST;
	e->id = be16(ping_state.id);
	e->seq = be16(ping_state.seq);
	memcpy(pkt + sizeof(*e), payload, sizeof(payload));
	e->csum = be16(net_csum(pkt, sizeof(pkt), 0));
	ping_state.waiting = true;
	err = ip_send(ip, NULL, IPPROTO_ICMP, pkt, sizeof(pkt));
	while (!err && !ping_state.got && !deadline_passed(deadline))
		err = net_poll(10);
	ping_state.waiting = false;
	if (err)
		return err;
	if (!ping_state.got)
		return -ETIMEDOUT;
	*rtt_us = (unsigned long)(timer_us() - t0);
	return 0;
}
