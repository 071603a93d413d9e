/* SPDX-License-Identifier: MIT */
/*
 * Internals of the network stack: wire formats (named once, read through
 * these structures and the big-endian helpers), and the calls between its
 * files. Every parser gets (pointer, length) of bytes that came from the
 * network and checks each length against what is really there.
 */
#ifndef PVBOOT_NET_PRIV_H
#define PVBOOT_NET_PRIV_H

#include <pvboot/net.h>

#define ETH_P_IP 0x0800
#define ETH_P_ARP 0x0806
#define IP_HLEN 20
#define UDP_HLEN 8
#define TCP_HLEN 20
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IP_MAX_PAYLOAD (ETH_FRAME_MAX - ETH_HLEN - IP_HLEN) /* 1480 */
#define IP_BROADCAST 0xffffffffu

struct eth_hdr {
	uint8_t dst[ETH_ALEN], src[ETH_ALEN];
	uint16_t type;
} __packed;

struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[ETH_ALEN], spa[4], tha[ETH_ALEN], tpa[4];
} __packed;

struct ip_hdr {
	uint8_t ver_ihl, tos;
	uint16_t len, id, frag;
	uint8_t ttl, proto;
	uint16_t csum;
	uint32_t src, dst;
} __packed;

struct udp_hdr {
	uint16_t sport, dport, len, csum;
} __packed;

struct icmp_echo {
	uint8_t type, code;
	uint16_t csum, id, seq;
} __packed;

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off; /* data offset in 32-bit words, high nibble */
	uint8_t flags;
	uint16_t win, csum, urg;
} __packed;

static inline uint16_t be16(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static inline uint16_t get_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t get_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

/* A received IPv4 datagram, after the header checks. */
struct ip_rx {
	uint32_t src, dst;
	const uint8_t *src_mac;
	const uint8_t *data; /* the payload, len bytes */
	size_t len;
	bool csum_trusted; /* the backend vouched for the L4 checksum */
};

/* net.c: the running stack. */
struct net_state {
	struct eth_dev *dev;
	struct net_config cfg;
	struct net_stats st;
	eth_rx_fn receive; /* stack.c's dispatch: the protocols sit above net.c */
	bool up;
};
extern struct net_state net;

/* net.c: start on dev with cfg, received frames to receive (stack.c's net_start). */
void net_core_start(struct eth_dev *dev, const struct net_config *cfg, eth_rx_fn receive);
int net_send_frame(const uint8_t dst[ETH_ALEN], uint16_t type, const void *payload, size_t len);
/* Process what arrived, waiting up to ms for something: 0, -EINTR (Ctrl-C), -ENODEV. */
int net_poll(unsigned long ms);
uint16_t net_csum(const void *p, size_t len, uint32_t sum);
uint32_t net_csum_add(const void *p, size_t len, uint32_t sum);
uint16_t net_csum_fold(uint32_t sum);
/* Pseudo-header sum for TCP/UDP. */
uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, size_t len);
uint32_t net_random(void);
/* Bytes of a download: through dest's gate, within its max. 0 or -errno. */
int net_dest_write(struct net_dest *d, uint64_t off, const void *p, size_t n);
void net_progress(uint64_t bytes, bool done); /* '#' per MiB */

/* arp.c */
void arp_receive(const uint8_t *p, size_t len);
/* Next-hop MAC for ip (through the gateway if off-link); may poll. 0 or -errno. */
int arp_resolve(uint32_t ip, uint8_t mac[ETH_ALEN]);
void arp_learn(uint32_t ip, const uint8_t mac[ETH_ALEN]);
void arp_flush(void);

/* ip.c */
/*
 * Check an IPv4 datagram and handle ICMP and UDP; returns IPPROTO_TCP with rx
 * filled when the caller (stack.c) must hand it to TCP, else 0.
 */
int ip_receive(const uint8_t *src_mac, const uint8_t *p, size_t len, unsigned int flags,
	       struct ip_rx *rx);
/* Send payload to dst (resolving its MAC, may poll), or to mac when given (no poll). */
int ip_send(uint32_t dst, const uint8_t *mac, uint8_t proto, const void *payload, size_t len);
/*
 * ip_defrag.c: one fragment (h checked by ip_receive, its payload p, len);
 * the datagram's payload length when this completed it, its bytes at *out
 * until the next call; else 0.
 */
#ifdef CONFIG_NET_IP_DEFRAG
size_t ip_defrag(const struct ip_hdr *h, const uint8_t *p, size_t len, const uint8_t **out);
#else
static inline size_t ip_defrag(const struct ip_hdr *h, const uint8_t *p, size_t len,
			       const uint8_t **out)
{
	net.st.rx_ignored++; /* no reassembly: TFTP's blksize keeps datagrams whole */
	return 0;
}
#endif
int udp_send(uint32_t dst, const uint8_t *mac, uint16_t sport, uint16_t dport, const void *data,
	     size_t len);
/* One UDP receiver at a time per local port: handler(ctx, rx, sport, data, len). */
typedef void (*udp_rx_fn)(void *ctx, const struct ip_rx *rx, uint16_t sport, const uint8_t *data,
			  size_t len);
int udp_bind(uint16_t port, udp_rx_fn fn, void *ctx);
void udp_unbind(uint16_t port);
uint16_t net_ephemeral_port(void);

/* tcp.c */
void tcp_receive(const struct ip_rx *rx);
/* Fuzzers and tests: parse TCP options of a SYN-ACK; returns 0 or -EINVAL. */
int tcp_parse_options(const uint8_t *opt, size_t len, uint16_t *mss, int *wscale);

/* dhcp.c, tftp.c, http.c: the pure parsers, exposed for the fuzzers. */
int dhcp_parse(const uint8_t *p, size_t len, uint32_t xid, const uint8_t mac[ETH_ALEN],
	       struct dhcp_lease *lease, uint8_t *msg_type, uint32_t *server_id);
struct http_resp {
	unsigned int status;
	uint64_t content_length; /* UINT64_MAX: not given */
	bool chunked;
	char reason[40];
};
/* Parse a complete header block (up to and including the empty line). 0 or -EPROTO. */
int http_parse_header(const char *p, size_t len, struct http_resp *r);

#endif
