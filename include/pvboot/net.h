/* SPDX-License-Identifier: MIT */
/*
 * A small IPv4 network stack for booting: ARP, IPv4, ICMP echo, UDP, DHCP,
 * TFTP (blksize, windowsize, tsize) and HTTP/1.1 GET over a minimal TCP.
 * One operation at a time, polled; every wait has a deadline and Ctrl-C.
 * The stack reads no environment: callers pass the configuration in and get
 * results back (boot/netboot.c maps them to U-Boot's variables).
 * Addresses are host-order uint32_t.
 */
#ifndef PVBOOT_NET_H
#define PVBOOT_NET_H

#include <pvboot/eth.h>

struct net_config {
	uint32_t ip, netmask, gateway; /* ours; 0 when unknown */
	uint8_t mac[ETH_ALEN];	       /* source address of our frames */
};

/* Bring the stack up on dev with cfg (ARP cache kept if the device is the same). */
int net_start(struct eth_dev *dev, const struct net_config *cfg);
void net_stop(void);

/* "a.b.c.d" -> addr; 0 or -EINVAL. Writes "a.b.c.d" into buf (>= 16 bytes). */
int net_parse_ip(const char *s, uint32_t *addr);
char *net_ip_str(uint32_t addr, char *buf);

/* What a DHCP server told us. Strings are NUL-terminated, empty when absent. */
struct dhcp_lease {
	uint32_t ip, netmask, gateway, server, dns, lease_s;
	char bootfile[128];
	char hostname[64];
	char domain[64];
};
int net_dhcp(struct dhcp_lease *lease);

/* Echo request to ip; 0 when a reply came back within timeout_ms. */
int net_ping(uint32_t ip, unsigned long timeout_ms, unsigned long *rtt_us);

/*
 * Where a download goes: bytes are written at base + offset only after the
 * gate (the memory gate, asked about the physical address addr) accepted
 * addr..addr + offset + len, and never beyond max bytes. Whatever is below
 * checked needs no further question: the caller may set it to the room the
 * gate gave before the first byte. len is the number of bytes received.
 */
struct net_dest {
	uint64_t addr; /* physical address of base */
	uint8_t *base;
	uint64_t max;
	int (*gate)(uintptr_t addr, uint64_t len); /* 0 or -errno; may print why */
	uint64_t checked;			   /* bytes the gate has accepted */
	uint64_t len;
};

/* The largest TFTP blksize: a frame's worth, or what reassembly holds. */
#ifdef CONFIG_NET_IP_DEFRAG
#define TFTP_MAX_BLKSIZE (CONFIG_NET_MAXDEFRAG - 12) /* UDP and TFTP headers */
#else
#define TFTP_MAX_BLKSIZE 1468 /* 1500 - IPv4, UDP and TFTP headers: no fragments */
#endif

struct tftp_opts {
	unsigned int blksize;	 /* 0: 512 without the option, up to TFTP_MAX_BLKSIZE */
	unsigned int windowsize; /* 0 or 1: lock-step */
	unsigned int timeout_ms; /* per retransmission; 0: 1000 */
	unsigned int retries;	 /* 0: 10 */
	bool progress;		 /* print '#' marks */
};
int net_tftp_get(uint32_t server, const char *file, const struct tftp_opts *o,
		 struct net_dest *dest);

int net_http_get(uint32_t server, uint16_t port, const char *host, const char *path, bool progress,
		 struct net_dest *dest);

/* Counters of the running stack (net info). */
struct net_stats {
	uint64_t rx_frames, rx_bad, rx_ignored, tx_frames;
	uint64_t arp_requests, arp_replies, tcp_retransmits, tcp_dupacks, tftp_timeouts;
	uint64_t ip_frags, ip_frag_dropped, ip_reassembled; /* fragments in and dropped */
};
void net_get_stats(struct net_stats *st);

#endif
