/* SPDX-License-Identifier: MIT */
/* The servers behind the simulated bridge: frame I/O shared by netpeer*.c. */
#ifndef SANDBOX_SIM_NETPEER_H
#define SANDBOX_SIM_NETPEER_H

#include "netback.h"

/* The simulated LAN: 192.168.77.0/24, the server at .1, the guest's lease .10. */
#define PEER_IP 0xc0a84d01u
#define PEER_GUEST_IP 0xc0a84d0au
#define PEER_NETMASK 0xffffff00u
#define PEER_RTO_NS 200000000ull
#define PEER_IP_MAX 65515	    /* the largest IPv4 payload, sent in fragments */
#define PEER_TFTP_MAX_BLKSIZE 65464 /* RFC 2348's, as tftpd-hpa */

struct peer_tcp;

struct netpeer {
	struct netback *nb;
	uint8_t mac[6], guest_mac[6];
	bool guest_known;
	struct {
		bool active, oack;
		int fd;
		uint16_t gport, sport;
		unsigned int blksize, window, retries;
		uint64_t size, nblocks; /* blocks, the last one short (maybe empty) */
		uint64_t acked, sent;	/* block indexes (from 1); acked 0: none */
		uint64_t sent_at;
		uint8_t oack_buf[256];
		size_t oack_len;
	} tftp;
	struct peer_tcp *tcp;
};

static inline uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline void put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = (uint8_t)v;
}

static inline void put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Frames to the guest; datagrams larger than the MTU in fragments. */
void peer_send_ip(struct netpeer *p, uint8_t proto, const void *payload, size_t len);
void peer_send_udp(struct netpeer *p, uint16_t sport, uint16_t dport, const void *data, size_t len);
uint16_t peer_csum(const void *data, size_t len, uint32_t sum);
uint32_t peer_pseudo(uint8_t proto, size_t len);
/* A path under the served directory (no escaping it); -1 with errno if not there. */
int peer_open(struct netpeer *p, const char *name, uint64_t *size);

/* netpeer_http.c */
struct peer_tcp *peer_tcp_new(void);
void peer_tcp_input(struct netpeer *p, const uint8_t *seg, size_t len);
void peer_tcp_poll(struct netpeer *p);

#endif
