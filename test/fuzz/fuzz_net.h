/* SPDX-License-Identifier: MIT */
/*
 * The network stack against a hostile network. The stack runs one of its
 * real operations (ping, DHCP, a TFTP or an HTTP download) over a fake
 * Ethernet device whose received frames come from the fuzzer's input;
 * time is simulated, so every timeout fires quickly. The input is a list
 * of records: a kind byte, a length, and bytes that the harness turns into
 * a frame: as is, or wrapped in Ethernet/IPv4/UDP/TCP headers that answer
 * what the stack last sent (addresses, ports, sequence numbers and
 * checksums right), so that the fuzzer reaches every protocol's state
 * machine and parser rather than only the header checks. Kind bits: 0-2 the
 * frame's type, 0x08 an IPv4 reply of up to FRAG_ROOM bytes sent as
 * fragments (size and order from the input: see frag_plan), 0x10 length
 * fields from the input (checksums still right),
 * 0x20 copy the ids of what was sent (DHCP xid, ICMP echo id), 0x40 a wrong
 * L4 checksum, 0x80 the backend vouches for the checksum.
 * Each fuzz_net_<proto>.c includes this with FUZZ_NET_OP set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include <pvboot/net.h>
#include "../../net/net_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { OP_PING, OP_DHCP, OP_TFTP, OP_HTTP };

#define DEST_SIZE (256 * 1024)
#define PEER_IP 0x0a000001u
#define OUR_IP 0x0a000002u

static const uint8_t our_mac[6] = {0x00, 0x16, 0x3e, 0x00, 0x00, 0x01};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

static const uint8_t *in;
static size_t in_len, in_pos;
static uint64_t now_us;
static uint8_t last_tx[ETH_FRAME_MAX];
static size_t last_tx_len;
static uint32_t peer_seq; /* the fake TCP peer's next sequence number */
static uint8_t *dest_buf;

/* A datagram sent as fragments, one a poll: its frame, and what is left to send. */
#define FRAG_ROOM (CONFIG_NET_MAXDEFRAG + 64) /* a little more than reassembly holds */
#define FRAG_MAX 64
static uint8_t frag_dg[ETH_HLEN + IP_HLEN + FRAG_ROOM];
static struct {
	uint16_t off, len, field, id;
} frag_q[FRAG_MAX];
static unsigned int frag_n, frag_i;
static uint16_t frag_id;

/* ---- platform fakes: a clock that runs when the stack waits --------------- */
uint64_t arch_counter(void)
{
	return now_us;
}
uint64_t arch_counter_freq(void)
{
	return 1000000;
}
void arch_cpu_relax(void)
{
	now_us += 1000;
}
bool ctrlc(void)
{
	return false;
}

/* ---- the fake device -------------------------------------------------------- */
static int fake_send(struct eth_dev *dev, const void *frame, size_t len)
{
	if (len < ETH_HLEN || len > ETH_FRAME_MAX)
		abort(); /* the stack must never build such a frame */
	memcpy(last_tx, frame, len);
	last_tx_len = len;
	return 0;
}

static size_t take(void *out, size_t n)
{
	size_t k = MIN(n, in_len - in_pos);

	memcpy(out, in + in_pos, k);
	in_pos += k;
	return k;
}

/* Fill a UDP or TCP checksum over the segment at l4 (len bytes) from src to dst. */
static void l4_csum(uint8_t *l4, size_t len, uint8_t proto, size_t csum_off, bool corrupt)
{
	uint16_t c;

	l4[csum_off] = l4[csum_off + 1] = 0;
	c = net_csum(l4, len, net_pseudo_sum(PEER_IP, OUR_IP, proto, len));
	if (corrupt)
		c ^= 0x5555;
	l4[csum_off] = c >> 8;
	l4[csum_off + 1] = c & 0xff;
}

/* Fragment i of the datagram in frag_dg into f; the frame's length. */
static size_t frag_frame(uint8_t *f, unsigned int i)
{
	struct ip_hdr *ip = (struct ip_hdr *)(f + ETH_HLEN);
	size_t hl = ETH_HLEN + IP_HLEN, len = frag_q[i].len;

	memcpy(f, frag_dg, hl);
	memcpy(f + hl, frag_dg + hl + frag_q[i].off, len);
	ip->len = be16((uint16_t)(IP_HLEN + len));
	ip->id = be16(frag_q[i].id);
	ip->frag = be16(frag_q[i].field);
	ip->csum = 0;
	ip->csum = be16(net_csum(ip, IP_HLEN, 0));
	return hl + len;
}

/*
 * The datagram built in f (n bytes after the IPv4 header) as fragments, as a
 * sender or a hostile path would send them. From the input: the size (a
 * multiple of 8, up to a frame), then plan bits: 1 last first, 2 the first
 * twice, 4 the second lost, 8 the second 8 bytes earlier (an overlap), 0x10
 * the last with another id, 0x20 the last with MF still set, 0x40 the offset
 * of the second from the input. Returns the first fragment's frame in f.
 */
static size_t frag_plan(uint8_t *f, size_t n)
{
	uint8_t b[4] = {0, 0, 0, 0};
	size_t step, off;
	unsigned int k = 0;

	take(b, sizeof(b));
	step = (size_t)(b[0] % (IP_MAX_PAYLOAD / 8) + 1) * 8;
	memcpy(frag_dg, f, ETH_HLEN + IP_HLEN + n);
	frag_id++;
	for (off = 0; off < n && k < FRAG_MAX - 1; off += step, k++) {
		size_t l = MIN(step, n - off);

		frag_q[k].off = (uint16_t)off;
		frag_q[k].len = (uint16_t)l;
		frag_q[k].field = (uint16_t)(off / 8 | (off + l < n ? 0x2000 : 0));
		frag_q[k].id = frag_id;
	}
	if (!k) /* an empty datagram: one empty fragment */
		frag_q[k++] = (typeof(frag_q[0])){0, 0, 0x2000, frag_id};
	if (b[1] & 0x10)
		frag_q[k - 1].id++;
	if (b[1] & 0x20)
		frag_q[k - 1].field |= 0x2000;
	if (k > 1 && (b[1] & 8))
		frag_q[1].off -= 8, frag_q[1].field -= 1;
	if (k > 1 && (b[1] & 0x40))
		frag_q[1].field = (uint16_t)(b[2] << 8 | b[3]);
	if (k > 1 && (b[1] & 4))
		memmove(&frag_q[1], &frag_q[2], (--k - 1) * sizeof(frag_q[0]));
	if (b[1] & 2)
		frag_q[k++] = frag_q[0];
	if (b[1] & 1) {
		typeof(frag_q[0]) t = frag_q[0];

		frag_q[0] = frag_q[k - 1];
		frag_q[k - 1] = t;
	}
	frag_n = k;
	frag_i = 1;
	return frag_frame(f, 0);
}

/* Build the next frame from the input into f; its length, 0 when the input is over. */
static size_t next_frame(uint8_t *f, unsigned int *flags)
{
	uint8_t kind = 0, lenb[2] = {0, 0};
	size_t len, hl = ETH_HLEN + IP_HLEN, n, room;
	struct ip_hdr *ip = (struct ip_hdr *)(f + ETH_HLEN);

	if (frag_i < frag_n) {
		*flags = 0;
		return frag_frame(f, frag_i++);
	}
	if (in_pos >= in_len)
		return 0;
	take(&kind, 1);
	take(lenb, 2);
	len = (size_t)(lenb[0] << 8 | lenb[1]) % (kind & 8 ? FRAG_ROOM : ETH_FRAME_MAX + 8);
	*flags = kind & 0x80 ? ETH_RX_CSUM_TRUSTED : 0;
	memset(f, 0, ETH_FRAME_MAX + 8);
	memcpy(f, our_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	switch (kind & 7) {
	case 0: /* raw: exactly the bytes given */
		return take(f, len);
	case 1: /* ARP payload */
		f[12] = 0x08, f[13] = 0x06;
		return ETH_HLEN + take(f + ETH_HLEN, MIN(len, ETH_FRAME_MAX - ETH_HLEN));
	case 2: /* a raw IPv4 datagram */
		f[12] = 0x08;
		return ETH_HLEN + take(f + ETH_HLEN, MIN(len, ETH_FRAME_MAX - ETH_HLEN));
	default:
		break;
	}
	/* An IPv4 reply to what the stack sent last (as fragments: up to FRAG_ROOM bytes). */
	room = kind & 8 ? FRAG_ROOM : IP_MAX_PAYLOAD;
	f[12] = 0x08;
	ip->ver_ihl = 0x45;
	ip->ttl = 64;
	ip->src = be32(PEER_IP);
	ip->dst = be32(OUR_IP);
	if ((kind & 7) == 3 ||
	    (kind & 7) == 4) { /* UDP: 3 from the port we sent to, 4 from another */
		uint8_t *u = f + hl;
		uint16_t sport = last_tx_len >= hl + 8 ? get_be16(last_tx + hl + 2) : 67;
		uint16_t dport = last_tx_len >= hl + 8 ? get_be16(last_tx + hl) : 68;

		if ((kind & 7) == 4 && take(lenb, 2) == 2)
			sport = (uint16_t)(lenb[0] << 8 | lenb[1]);
		n = take(u + UDP_HLEN, MIN(len, room - UDP_HLEN));
		u[0] = sport >> 8, u[1] = sport & 0xff;
		u[2] = dport >> 8, u[3] = dport & 0xff;
		u[4] = (uint8_t)((UDP_HLEN + n) >> 8), u[5] = (uint8_t)(UDP_HLEN + n);
		/* A DHCP answer: the transaction id and hardware address of the request. */
		if ((kind & 0x20) && dport == 68 && n >= 34 && last_tx_len >= hl + UDP_HLEN + 34) {
			memcpy(u + UDP_HLEN + 4, last_tx + hl + UDP_HLEN + 4, 4);
			memcpy(u + UDP_HLEN + 28, last_tx + hl + UDP_HLEN + 28, 6);
		}
		ip->proto = IPPROTO_UDP;
		l4_csum(u, UDP_HLEN + n, IPPROTO_UDP, 6, kind & 0x40);
		n += UDP_HLEN;
	} else if ((kind & 7) == 5) { /* TCP: header fields from input, ports and numbers right */
		uint8_t *t = f + hl, hdr[8] = {0};
		uint32_t ack = 0;
		size_t optlen;

		take(
		    hdr,
		    sizeof(hdr)); /* flags, window(2), seq delta(1), ack delta(1), optlen, mss(2) */
		if (last_tx_len >= hl + TCP_HLEN) {
			const uint8_t *s = last_tx + hl;
			size_t slen = last_tx_len - hl;

			size_t off = (size_t)(s[12] >> 4) * 4;

			memcpy(t, s + 2, 2);
			memcpy(t + 2, s, 2);
			/* Acknowledge everything it sent: data, and SYN or FIN. */
			ack = get_be32(s + 4) + (off < slen ? (uint32_t)(slen - off) : 0) +
			      (s[13] & 3 ? 1 : 0);
		}
		optlen = (hdr[5] % 11) * 4 > 40 ? 40 : (size_t)(hdr[5] % 11) * 4;
		if (hdr[0] & 2) /* a SYN: the fake peer picks its sequence number */
			peer_seq = 0x10000000u;
		put_be32(t + 4, peer_seq + (uint32_t)(int8_t)hdr[3]);
		put_be32(t + 8, ack + (uint32_t)(int8_t)hdr[4]);
		t[12] = (uint8_t)((TCP_HLEN + optlen) / 4) << 4;
		t[13] = hdr[0];
		t[14] = hdr[1], t[15] = hdr[2];
		take(t + TCP_HLEN, optlen);
		n = take(t + TCP_HLEN + optlen, MIN(len, room - TCP_HLEN - optlen));
		peer_seq += (uint32_t)n + (hdr[0] & 2 ? 1 : 0);
		n += TCP_HLEN + optlen;
		ip->proto = IPPROTO_TCP;
		l4_csum(t, n, IPPROTO_TCP, 16, kind & 0x40);
	} else { /* ICMP: an echo reply to our last request, or anything */
		uint8_t *c = f + hl;

		n = take(c, MIN(len, room));
		if (n >= 8 && last_tx_len >= hl + 8 && (kind & 0x20))
			memcpy(c + 4, last_tx + hl + 4, 4); /* id and seq of our request */
		ip->proto = IPPROTO_ICMP;
		if (n >= 4) {
			c[2] = c[3] = 0;
			uint16_t s = net_csum(c, n, 0);

			c[2] = s >> 8, c[3] = s & 0xff;
		}
	}
	ip->len = be16((uint16_t)(IP_HLEN + n));
	if (kind & 0x10) {
		/* Lengths from the input, the checksums right: the length checks are reached. */
		uint8_t l[4] = {0};

		take(l, sizeof(l));
		if (ip->proto == IPPROTO_TCP) {
			f[hl + 12] = l[0];
			l4_csum(f + hl, n, IPPROTO_TCP, 16, false);
		} else if (ip->proto == IPPROTO_UDP) {
			f[hl + 4] = l[0], f[hl + 5] = l[1];
			l4_csum(f + hl, n, IPPROTO_UDP, 6, false);
		}
		if (l[3] & 1)
			ip->len = be16((uint16_t)(l[2] << 8 | l[3]));
		if (l[3] & 2)
			ip->ver_ihl = (uint8_t)(0x40 | (l[2] & 15));
	}
	ip->csum = be16(net_csum(ip, IP_HLEN, 0));
	if (kind & 8)
		return frag_plan(f, n);
	return hl + n;
}

static int fake_poll(struct eth_dev *dev, eth_rx_fn rx, void *ctx, unsigned int budget)
{
	static uint8_t f[ETH_HLEN + IP_HLEN + FRAG_ROOM];
	uint8_t *copy;
	unsigned int flags;
	size_t len = next_frame(f, &flags);

	if (!len)
		return 0;
	/* A buffer of exactly the frame's size: a parser that reads past it is caught. */
	len = MIN(len, ETH_FRAME_MAX);
	copy = malloc(len);
	if (!copy)
		abort();
	memcpy(copy, f, len);
	rx(ctx, copy, len, flags);
	free(copy);
	return 1;
}

static int fake_wait(struct eth_dev *dev, unsigned long ms)
{
	now_us += (uint64_t)ms * 1000;
	return -ETIMEDOUT;
}

static const struct eth_ops fake_ops = {
    .send = fake_send,
    .poll = fake_poll,
    .wait = fake_wait,
};

static struct eth_dev fake_dev = {.name = "fuzz0", .mtu = 1500, .ops = &fake_ops};

static int gate(uintptr_t addr, uint64_t len)
{
	return len <= DEST_SIZE ? 0 : -EFAULT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_config cfg = {.ip = OUR_IP, .netmask = 0xffffff00u};
	struct net_dest d = {.max = DEST_SIZE, .gate = gate};
	static bool once;

	if (!once) {
		if (!freopen("/dev/null", "w", stdout)) /* the stack's messages */
			abort();
		dest_buf = malloc(DEST_SIZE);
		memcpy(fake_dev.mac, our_mac, 6);
		once = true;
	}
	in = data;
	in_len = size;
	in_pos = 0;
	last_tx_len = 0;
	peer_seq = 0;
	frag_n = frag_i = 0;
	d.base = dest_buf;
	d.addr = (uintptr_t)dest_buf;
	net_start(&fake_dev, &cfg);
	arp_flush();
	arp_learn(PEER_IP, peer_mac); /* the server is known: the exchange starts at once */
	switch (FUZZ_NET_OP) {
	case OP_PING: {
		unsigned long rtt;

		if (!net_ping(PEER_IP, 200, &rtt) && getenv("FUZZ_NET_DEBUG"))
			fprintf(stderr, "ping: reply\n");
		net_ping(0x0a000009u, 200, &rtt); /* an unknown host: ARP in the fuzzer's hands */
		break;
	}
	case OP_DHCP: {
		struct dhcp_lease l;

		if (!net_dhcp(&l) && getenv("FUZZ_NET_DEBUG"))
			fprintf(stderr, "dhcp: lease, bootfile '%s'\n", l.bootfile);
		break;
	}
	case OP_TFTP: {
		struct tftp_opts o = {
		    .blksize = TFTP_MAX_BLKSIZE, .windowsize = 8, .timeout_ms = 50, .retries = 3};

		net_tftp_get(PEER_IP, "file", &o, &d);
		if (getenv("FUZZ_NET_DEBUG"))
			fprintf(stderr, "tftp: %llu bytes\n", (unsigned long long)d.len);
		if (d.len > DEST_SIZE)
			abort();
		break;
	}
	case OP_HTTP:
		net_http_get(PEER_IP, 80, "10.0.0.1", "/file", false, &d);
		if (getenv("FUZZ_NET_DEBUG"))
			fprintf(stderr, "http: %llu bytes\n", (unsigned long long)d.len);
		if (d.len > DEST_SIZE)
			abort();
		break;
	}
	net_stop();
	return 0;
}
