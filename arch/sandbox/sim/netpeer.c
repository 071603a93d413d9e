// SPDX-License-Identifier: MIT
/*
 * The host at the other end of the simulated vif, as dom0's servers would
 * be: it answers ARP and ping, leases an address by DHCP (udhcpd's
 * answers), and serves a directory by TFTP (RFC 1350 with blksize, tsize
 * and windowsize) and by HTTP (netpeer_http.c). What the guest sends is
 * parsed defensively; a malformed frame is logged and dropped.
 * Faults: peer-tftp-nooptions (ignore options, as a plain RFC 1350 server),
 * peer-tftp-mute (answer no RRQ), peer-dhcp-mute (answer no DHCP), and
 * peer-frag-* (peer_send_ip).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netpeer.h"

uint16_t peer_csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *b = data;

	for (; len > 1; len -= 2, b += 2)
		sum += get16(b);
	if (len)
		sum += (uint32_t)b[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t peer_pseudo(uint8_t proto, size_t len)
{
	return (PEER_IP >> 16) + (PEER_IP & 0xffff) + (PEER_GUEST_IP >> 16) +
	       (PEER_GUEST_IP & 0xffff) + proto + (uint32_t)len;
}

static void peer_send_eth(struct netpeer *p, const uint8_t *dst, uint16_t type, const void *pl,
			  size_t len)
{
	static uint8_t f[NB_RX_MAX];

	if (len > sizeof(f) - 14)
		return;
	memcpy(f, dst, 6);
	memcpy(f + 6, p->mac, 6);
	put16(f + 12, type);
	memcpy(f + 14, pl, len);
	nb_deliver(p->nb, f, 14 + len);
}

/* One IPv4 frame: the header of a datagram of id, then frag (flags, offset) and len bytes. */
static void peer_send_frame(struct netpeer *p, uint8_t proto, uint16_t id, uint16_t frag,
			    const void *payload, size_t len)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static uint8_t pkt[NB_RX_MAX - 14];

	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint16_t)(20 + len));
	put16(pkt + 4, id);
	put16(pkt + 6, frag);
	pkt[8] = 64;
	pkt[9] = proto;
	put32(pkt + 12, PEER_IP);
	/* Before the lease is taken, DHCP answers go to the broadcast address. */
	put32(pkt + 16, p->guest_known ? PEER_GUEST_IP : 0xffffffffu);
	put16(pkt + 10, peer_csum(pkt, 20, 0));
	memcpy(pkt + 20, payload, len);
	peer_send_eth(p, p->guest_known ? p->guest_mac : bcast, 0x0800, pkt, 20 + len);
}

/*
 * A datagram larger than the MTU (but a TCP segment to a guest that takes
 * GSO) leaves in fragments of 1480 bytes, first to
 * last, as Linux sends them. Faults: peer-frag-reverse (last first),
 * peer-frag-dup (the first one twice), peer-frag-overlap (before the
 * second one, a copy 8 bytes earlier with other bytes there: the datagram
 * must be refused), peer-frag-lose=N (the last one of every Nth datagram
 * lost: the guest times out and asks again).
 */
void peer_send_ip(struct netpeer *p, uint8_t proto, const void *payload, size_t len)
{
	static uint16_t id;
	static unsigned long lost_count;
	long lose = sim_fault_value("peer-frag-lose", 0);
	const size_t mtu = NB_FRAME_MAX - 14 - 20; /* 1480: a multiple of 8 */
	size_t n = DIV_ROUND_UP(len, mtu);
	const uint8_t *d = payload;

	if (len > PEER_IP_MAX)
		return;
	id++;
	/* To a guest that takes GSO a TCP segment leaves whole, as Linux hands it to netback. */
	if (len <= mtu || (proto == 6 && p->nb->gso && len <= NB_RX_MAX - 14 - 20)) {
		peer_send_frame(p, proto, id, 0, payload, len);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = sim_fault("peer-frag-reverse") ? n - 1 - i : i;
		size_t off = k * mtu, l = MIN(mtu, len - off);
		uint16_t frag = (uint16_t)(off / 8) | (k + 1 < n ? 0x2000 : 0);

		if (k + 1 == n && lose > 0 && ++lost_count % (unsigned long)lose == 0)
			continue;
		if (k == 1 && sim_fault("peer-frag-overlap")) {
			uint8_t o[NB_FRAME_MAX];

			memset(o, 0x5a, 8);
			memcpy(o + 8, d + off, MIN(l, mtu - 8));
			peer_send_frame(p, proto, id, frag - 1, o, MIN(l + 8, mtu));
		}
		peer_send_frame(p, proto, id, frag, d + off, l);
		if (k == 0 && sim_fault("peer-frag-dup"))
			peer_send_frame(p, proto, id, frag, d + off, l);
	}
}

void peer_send_udp(struct netpeer *p, uint16_t sport, uint16_t dport, const void *data, size_t len)
{
	static uint8_t u[PEER_IP_MAX];
	uint16_t c;

	if (len > sizeof(u) - 8)
		return;
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + len));
	put16(u + 6, 0);
	memcpy(u + 8, data, len);
	c = peer_csum(u, 8 + len, p->guest_known ? peer_pseudo(17, 8 + len) : 0);
	/* Without an address yet (broadcast), udhcpd's answers carry no checksum either. */
	put16(u + 6, p->guest_known ? (c ? c : 0xffff) : 0);
	peer_send_ip(p, 17, u, 8 + len);
}

int peer_open(struct netpeer *p, const char *name, uint64_t *size)
{
	char path[4096];
	struct stat st;
	int fd;

	while (*name == '/')
		name++;
	if (strstr(name, "..")) {
		errno = EACCES;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", p->nb->vif->root, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

/* ---- ARP and ICMP ---------------------------------------------------------------- */

static void peer_arp(struct netpeer *p, const uint8_t *a, size_t len)
{
	uint8_t r[28];

	if (len < 28 || get16(a) != 1 || get16(a + 2) != 0x0800 || get16(a + 6) != 1 ||
	    get32(a + 24) != PEER_IP)
		return;
	memcpy(r, a, 8);
	put16(r + 6, 2);
	memcpy(r + 8, p->mac, 6);
	put32(r + 14, PEER_IP);
	memcpy(r + 18, a + 8, 10); /* the asker's MAC and IP */
	peer_send_eth(p, a + 8, 0x0806, r, sizeof(r));
}

static void peer_icmp(struct netpeer *p, const uint8_t *d, size_t len)
{
	uint8_t r[1500];

	if (len < 8 || len > sizeof(r) || d[0] != 8 || peer_csum(d, len, 0))
		return;
	memcpy(r, d, len);
	r[0] = 0;
	put16(r + 2, 0);
	put16(r + 2, peer_csum(r, len, 0));
	peer_send_ip(p, 1, r, len);
}

/* ---- DHCP: udhcpd's answers ---------------------------------------------------------- */

static void peer_dhcp(struct netpeer *p, const uint8_t *d, size_t len)
{
	uint8_t r[300 + 64], *o, type = 0;
	size_t i = 240;

	if (len < 240 || d[0] != 1 || get32(d + 236) != 0x63825363u || sim_fault("peer-dhcp-mute"))
		return;
	while (i + 1 < len && d[i] != 255) {
		if (d[i] == 0) {
			i++;
			continue;
		}
		if (d[i] == 53 && d[i + 1] >= 1 && i + 2 < len)
			type = d[i + 2];
		i += 2 + d[i + 1];
	}
	if (type != 1 && type != 3)
		return;
	memset(r, 0, sizeof(r));
	r[0] = 2;
	r[1] = 1;
	r[2] = 6;
	memcpy(r + 4, d + 4, 4);   /* xid */
	memcpy(r + 10, d + 10, 2); /* flags */
	put32(r + 16, PEER_GUEST_IP);
	put32(r + 20, PEER_IP); /* next server */
	memcpy(r + 28, d + 28, 16);
	if (p->nb->vif->bootfile)
		snprintf((char *)r + 108, 128, "%s", p->nb->vif->bootfile);
	put32(r + 236, 0x63825363u);
	o = r + 240;
	*o++ = 53, *o++ = 1, *o++ = type == 1 ? 2 : 5; /* OFFER or ACK */
	*o++ = 54, *o++ = 4, put32(o, PEER_IP), o += 4;
	*o++ = 51, *o++ = 4, put32(o, 864000), o += 4;
	*o++ = 1, *o++ = 4, put32(o, PEER_NETMASK), o += 4;
	*o++ = 3, *o++ = 4, put32(o, PEER_IP), o += 4;
	*o++ = 6, *o++ = 4, put32(o, PEER_IP), o += 4;
	*o++ = 12, *o++ = 6, memcpy(o, "guest1", 6), o += 6;
	*o++ = 255;
	if (type == 3) {
		memcpy(p->guest_mac, d + 28, 6);
		p->guest_known = true; /* the ACK already goes to the lease */
	}
	peer_send_udp(p, 67, 68, r, (size_t)(o - r));
}

/* ---- TFTP ------------------------------------------------------------------------ */

static void tftp_error(struct netpeer *p, uint16_t sport, uint16_t gport, uint16_t code,
		       const char *msg)
{
	uint8_t e[128] = {0, 5};
	size_t n = strlen(msg);

	put16(e + 2, code);
	memcpy(e + 4, msg, n + 1);
	peer_send_udp(p, sport, gport, e, 5 + n);
}

static void tftp_send_block(struct netpeer *p, uint64_t idx)
{
	static uint8_t b[4 + PEER_TFTP_MAX_BLKSIZE];
	uint64_t off = (idx - 1) * p->tftp.blksize;
	size_t n = off >= p->tftp.size ? 0 : (size_t)MIN(p->tftp.size - off, p->tftp.blksize);

	b[0] = 0;
	b[1] = 3;
	put16(b + 2, (uint16_t)idx);
	if (n && pread(p->tftp.fd, b + 4, n, (off_t)off) != (ssize_t)n)
		n = 0;
	peer_send_udp(p, p->tftp.sport, p->tftp.gport, b, 4 + n);
}

/* The window after the last acknowledged block. */
static void tftp_send_window(struct netpeer *p)
{
	uint64_t last = MIN(p->tftp.acked + p->tftp.window, p->tftp.nblocks);

	for (uint64_t i = p->tftp.acked + 1; i <= last; i++)
		tftp_send_block(p, i);
	p->tftp.sent = last;
	p->tftp.sent_at = sim_now_ns();
}

static void tftp_end(struct netpeer *p)
{
	if (p->tftp.active)
		close(p->tftp.fd);
	p->tftp.active = false;
}

static void tftp_rrq(struct netpeer *p, uint16_t gport, const uint8_t *d, size_t len)
{
	const char *f[16];
	unsigned int n = 0;
	size_t i = 2;
	uint8_t *oack = p->tftp.oack_buf;
	size_t o = 2;

	while (i < len && n < ARRAY_SIZE(f)) {
		size_t l = strnlen((const char *)d + i, len - i);

		if (i + l >= len)
			return; /* unterminated: ignored */
		f[n++] = (const char *)d + i;
		i += l + 1;
	}
	if (n < 2 || sim_fault("peer-tftp-mute"))
		return;
	tftp_end(p);
	p->tftp.sport = (uint16_t)(40000 + rand() % 20000);
	p->tftp.gport = gport;
	p->tftp.fd = peer_open(p, f[0], &p->tftp.size);
	if (p->tftp.fd < 0) {
		tftp_error(p, p->tftp.sport, gport, 1, "File not found");
		return;
	}
	p->tftp.active = true;
	oack[0] = 0;
	oack[1] = 6;
	p->tftp.blksize = 512;
	p->tftp.window = 1;
	for (unsigned int k = 2; k + 1 < n && !sim_fault("peer-tftp-nooptions"); k += 2) {
		unsigned long v = strtoul(f[k + 1], NULL, 10);
		char num[24];

		if (!strcasecmp(f[k], "blksize") && v >= 8) {
			p->tftp.blksize =
			    (unsigned int)MIN(v, (unsigned long)PEER_TFTP_MAX_BLKSIZE);
			snprintf(num, sizeof(num), "%u", p->tftp.blksize);
		} else if (!strcasecmp(f[k], "windowsize") && v >= 1) {
			p->tftp.window = (unsigned int)MIN(v, 64ul);
			snprintf(num, sizeof(num), "%u", p->tftp.window);
		} else if (!strcasecmp(f[k], "tsize")) {
			snprintf(num, sizeof(num), "%llu", (unsigned long long)p->tftp.size);
		} else {
			continue;
		}
		if (o + strlen(f[k]) + strlen(num) + 2 > sizeof(p->tftp.oack_buf))
			break;
		o += (size_t)sprintf((char *)oack + o, "%s", f[k]) + 1;
		o += (size_t)sprintf((char *)oack + o, "%s", num) + 1;
	}
	p->tftp.nblocks = p->tftp.size / p->tftp.blksize + 1;
	p->tftp.acked = p->tftp.sent = 0;
	p->tftp.retries = 0;
	p->tftp.oack = o > 2;
	p->tftp.oack_len = o;
	if (p->tftp.oack) {
		peer_send_udp(p, p->tftp.sport, gport, oack, o);
		p->tftp.sent_at = sim_now_ns();
	} else {
		tftp_send_window(p);
	}
}

static void tftp_ack(struct netpeer *p, const uint8_t *d, size_t len)
{
	uint16_t blk;
	uint64_t idx;

	if (len < 4 || !p->tftp.active)
		return;
	blk = get16(d + 2);
	/* The acknowledged index nearest above what was acknowledged before. */
	idx = p->tftp.acked + (uint16_t)(blk - (uint16_t)p->tftp.acked);
	if (idx > p->tftp.sent)
		return; /* stale or bogus */
	p->tftp.acked = idx;
	p->tftp.retries = 0;
	if (idx == p->tftp.nblocks) {
		tftp_end(p);
		return;
	}
	/* The end of the window, or one inside it (the client saw a gap): go on from there. */
	p->tftp.oack = false;
	tftp_send_window(p);
}

static void peer_udp(struct netpeer *p, uint32_t src, uint32_t dst, const uint8_t *u, size_t len)
{
	uint32_t pseudo = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17;

	uint16_t sport, dport, ulen;

	if (len < 8)
		return;
	sport = get16(u);
	dport = get16(u + 2);
	ulen = get16(u + 4);
	if (ulen < 8 || ulen > len)
		return;
	if (get16(u + 6) && peer_csum(u, ulen, pseudo + ulen)) {
		sim_log("netpeer: UDP checksum wrong, frame dropped");
		return;
	}
	if (dport == 67) {
		peer_dhcp(p, u + 8, ulen - 8);
	} else if (dport == 69 && ulen >= 10 && get16(u + 8) == 1) {
		tftp_rrq(p, sport, u + 8, ulen - 8);
	} else if (p->tftp.active && dport == p->tftp.sport && sport == p->tftp.gport) {
		uint16_t op = ulen >= 10 ? get16(u + 8) : 0;

		if (op == 4)
			tftp_ack(p, u + 8, ulen - 8);
		else if (op == 5)
			tftp_end(p); /* the client gave up */
	}
}

static void peer_ipv4(struct netpeer *p, const uint8_t *h, size_t len)
{
	size_t ihl, tot;

	if (len < 20 || (h[0] >> 4) != 4)
		return;
	ihl = (size_t)(h[0] & 15) * 4;
	tot = get16(h + 2);
	if (ihl < 20 || tot < ihl || tot > len || peer_csum(h, ihl, 0)) {
		sim_log("netpeer: malformed IPv4 header from the guest");
		return;
	}
	if (get32(h + 12) == PEER_GUEST_IP) {
		memcpy(p->guest_mac, h - 8, 6); /* the frame's source address */
		p->guest_known = true;
	}
	if (h[9] == 17)
		peer_udp(p, get32(h + 12), get32(h + 16), h + ihl, tot - ihl);
	else if (get32(h + 16) != PEER_IP)
		return;
	else if (h[9] == 1)
		peer_icmp(p, h + ihl, tot - ihl);
	else if (h[9] == 6)
		peer_tcp_input(p, h + ihl, tot - ihl);
}

void netpeer_input(struct netpeer *p, const uint8_t *f, size_t len)
{
	uint16_t type;

	if (len < 14)
		return;
	type = get16(f + 12);
	if (type == 0x0806)
		peer_arp(p, f + 14, len - 14);
	else if (type == 0x0800)
		peer_ipv4(p, f + 14, len - 14);
}

void netpeer_poll(struct netpeer *p)
{
	if (p->tftp.active && sim_now_ns() - p->tftp.sent_at > PEER_RTO_NS) {
		if (++p->tftp.retries > 20) {
			sim_log("netpeer: TFTP client silent, transfer abandoned");
			tftp_end(p);
		} else if (p->tftp.oack) {
			peer_send_udp(p, p->tftp.sport, p->tftp.gport, p->tftp.oack_buf,
				      p->tftp.oack_len);
			p->tftp.sent_at = sim_now_ns();
		} else {
			tftp_send_window(p);
		}
	}
	peer_tcp_poll(p);
}

struct netpeer *netpeer_new(struct netback *nb)
{
	struct netpeer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->nb = nb;
	memcpy(p->mac, (uint8_t[]){0x02, 0x00, 0x00, 0x77, 0x00, 0x01}, 6);
	p->tcp = peer_tcp_new();
	if (!p->tcp) {
		free(p);
		return NULL;
	}
	return p;
}
