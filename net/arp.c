// SPDX-License-Identifier: MIT
/*
 * ARP (RFC 826) for IPv4 over Ethernet: a small cache whose entries expire,
 * answers to requests for our address, and resolution with retries.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/timer.h>
#include "net_priv.h"

#define ARP_ENTRIES 8
#define ARP_TTL_MS (5 * 60 * 1000)
#define ARP_RETRY_MS 500
#define ARP_TRIES 6
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

struct arp_entry {
	uint32_t ip;
	uint8_t mac[ETH_ALEN];
	unsigned long born; /* get_timer(0) when learnt */
};

static struct arp_entry cache[ARP_ENTRIES];
static const uint8_t bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void arp_flush(void)
{
	memset(cache, 0, sizeof(cache));
}

static struct arp_entry *arp_lookup(uint32_t ip)
{
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &cache[i];

		if (!e->ip || e->ip != ip)
			continue;
		if (get_timer(e->born) > ARP_TTL_MS) {
			e->ip = 0; /* stale: ask again */
			return NULL;
		}
		return e;
	}
	return NULL;
}

void arp_learn(uint32_t ip, const uint8_t mac[ETH_ALEN])
{
	struct arp_entry *e = arp_lookup(ip), *oldest = &cache[0];

	if (!ip || ip == IP_BROADCAST || !eth_mac_valid(mac))
		return;
	for (int i = 0; !e && i < ARP_ENTRIES; i++) {
		if (!cache[i].ip) {
			e = &cache[i];
			break;
		}
		if (cache[i].born < oldest->born)
			oldest = &cache[i];
	}
	if (!e)
		e = oldest;
	e->ip = ip;
	memcpy(e->mac, mac, ETH_ALEN);
	e->born = get_timer(0);
}

static int arp_send(uint16_t op, const uint8_t *tha, uint32_t tip, const uint8_t *dst)
{
	struct arp_pkt a = {
	    .htype = be16(1),
	    .ptype = be16(ETH_P_IP),
	    .hlen = ETH_ALEN,
	    .plen = 4,
	    .op = be16(op),
	};

	memcpy(a.sha, net.cfg.mac, ETH_ALEN);
	put_be32(a.spa, net.cfg.ip);
	memcpy(a.tha, tha, ETH_ALEN);
	put_be32(a.tpa, tip);
	return net_send_frame(dst, ETH_P_ARP, &a, sizeof(a));
}

void arp_receive(const uint8_t *p, size_t len)
{
	struct arp_pkt a;
	uint32_t spa, tpa;
	uint16_t op;

	if (len < sizeof(a)) {
		net.st.rx_bad++;
		return;
	}
	memcpy(&a, p, sizeof(a));
	if (be16(a.htype) != 1 || be16(a.ptype) != ETH_P_IP || a.hlen != ETH_ALEN || a.plen != 4) {
		net.st.rx_ignored++;
		return;
	}
	spa = get_be32(a.spa);
	tpa = get_be32(a.tpa);
	op = be16(a.op);
	if (!net.cfg.ip || tpa != net.cfg.ip) {
		/* Not about us: only refresh what we already know (RFC 826's merge). */
		if (arp_lookup(spa))
			arp_learn(spa, a.sha);
		net.st.rx_ignored++;
		return;
	}
	arp_learn(spa, a.sha);
	if (op == ARP_OP_REQUEST && eth_mac_valid(a.sha)) {
		net.st.arp_replies++;
		arp_send(ARP_OP_REPLY, a.sha, spa, a.sha);
	}
}

static bool on_link(uint32_t ip)
{
	return !net.cfg.netmask || ((ip ^ net.cfg.ip) & net.cfg.netmask) == 0;
}

int arp_resolve(uint32_t ip, uint8_t mac[ETH_ALEN])
{
	static const uint8_t zero[ETH_ALEN];
	const struct arp_entry *e;
	uint32_t hop = ip;
	char s[16];

	if (ip == IP_BROADCAST) {
		memcpy(mac, bcast, ETH_ALEN);
		return 0;
	}
	if (!on_link(ip)) {
		if (!net.cfg.gateway) {
			printf("** %s is not on our network and gatewayip is not set **\n",
			       net_ip_str(ip, s));
			return -ENETUNREACH;
		}
		hop = net.cfg.gateway;
	}
	for (int tries = 0; tries < ARP_TRIES; tries++) {
		uint64_t deadline = deadline_ms(ARP_RETRY_MS);
		int err;

		if (arp_lookup(hop))
			break;
		net.st.arp_requests++;
		err = arp_send(ARP_OP_REQUEST, zero, hop, bcast);
		if (err)
			return err;
		while (!arp_lookup(hop) && !deadline_passed(deadline)) {
			err = net_poll(20);
			if (err)
				return err;
		}
	}
	e = arp_lookup(hop);
	if (!e) {
		printf("** ARP: no answer from %s **\n", net_ip_str(hop, s));
		return -EHOSTUNREACH;
	}
	memcpy(mac, e->mac, ETH_ALEN);
	return 0;
}
