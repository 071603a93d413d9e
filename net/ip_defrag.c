// SPDX-License-Identifier: MIT
/*
 * IPv4 reassembly (RFC 791), one datagram at a time into one static buffer
 * of CONFIG_NET_MAXDEFRAG bytes, as U-Boot's CONFIG_IP_DEFRAG: what lets
 * TFTP use blocks larger than a frame. The holes (RFC 815) are a bitmap of
 * 8-byte units. Every fragment is hostile: its range is checked against the
 * buffer and the total before a byte is copied, and whatever does not fit
 * one consistent datagram (an overlap that changes bytes, a last fragment
 * that moves the end) discards the datagram: honest senders never do that,
 * and overlaps are how filters are fooled (RFC 5722's rule, for IPv4).
 * A fragment of another datagram replaces the one in progress, as in
 * U-Boot: a server sends a datagram's fragments back to back, so the old
 * one lost a fragment and would otherwise block every later one.
 */
#include <string.h>
#include <pvboot/timer.h>
#include "net_priv.h"

#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define DEFRAG_UNITS DIV_ROUND_UP(CONFIG_NET_MAXDEFRAG, 8)
/* Fragments leave the sender together: one later than this completes nothing we wait for. */
#define DEFRAG_TIMEOUT_MS 1000

static struct {
	uint8_t buf[CONFIG_NET_MAXDEFRAG];
	uint8_t have[DIV_ROUND_UP(DEFRAG_UNITS, 8)]; /* a bit per 8-byte unit received */
	uint32_t src, dst;
	uint16_t id;
	uint8_t proto;
	bool busy, done;    /* done: delivered; its late fragments are dropped */
	size_t total;	    /* the payload's length, 0 until the last fragment came */
	size_t got, end;    /* bytes held, and the furthest end seen */
	unsigned int frags; /* fragments held: what a discard drops */
	uint64_t deadline;
} rs;

static void defrag_discard(void)
{
	if (rs.busy && !rs.done)
		net.st.ip_frag_dropped += rs.frags;
	rs.busy = false;
}

/* The units of [off, end): 0 none held, 1 some, 2 all. */
static int defrag_held(size_t off, size_t end)
{
	size_t n = 0, u;

	for (u = off / 8; u < DIV_ROUND_UP(end, 8); u++)
		n += (rs.have[u / 8] >> (u % 8)) & 1;
	return !n ? 0 : n == u - off / 8 ? 2 : 1;
}

size_t ip_defrag(const struct ip_hdr *h, const uint8_t *p, size_t len, const uint8_t **out)
{
	uint16_t frag = get_be16(&h->frag);
	size_t off = (size_t)(frag & IP_OFFMASK) * 8, end = off + len;
	bool last = !(frag & IP_MF);
	int held;

	net.st.ip_frags++;
	/* On its own: not empty, within the buffer, whole units unless the last. */
	if (!len || end > CONFIG_NET_MAXDEFRAG || (!last && len % 8))
		goto drop;
	if (!rs.busy || deadline_passed(rs.deadline) || rs.src != get_be32(&h->src) ||
	    rs.dst != get_be32(&h->dst) || rs.id != get_be16(&h->id) || rs.proto != h->proto) {
		defrag_discard();
		memset(rs.have, 0, sizeof(rs.have));
		rs.src = get_be32(&h->src);
		rs.dst = get_be32(&h->dst);
		rs.id = get_be16(&h->id);
		rs.proto = h->proto;
		rs.total = rs.got = rs.end = 0;
		rs.frags = 0;
		rs.done = false;
		rs.busy = true;
		rs.deadline = deadline_ms(DEFRAG_TIMEOUT_MS);
	}
	if (rs.done)
		goto drop; /* a copy of a fragment already delivered */
	/* Against the datagram: nothing past its end, one end only. */
	if ((rs.total && end > rs.total) || (last && (rs.total ? end != rs.total : rs.end > end)))
		goto discard;
	held = defrag_held(off, end);
	if (held == 2 && !memcmp(rs.buf + off, p, len))
		goto drop; /* a duplicate: harmless */
	if (held)
		goto discard;
	memcpy(rs.buf + off, p, len);
	for (size_t u = off / 8; u < DIV_ROUND_UP(end, 8); u++)
		rs.have[u / 8] |= (uint8_t)(1u << (u % 8));
	if (last)
		rs.total = end;
	rs.got += len;
	rs.end = MAX(rs.end, end);
	rs.frags++;
	/* Disjoint ranges inside [0, total) that add up to total cover it. */
	if (!rs.total || rs.got != rs.total)
		return 0;
	rs.done = true;
	net.st.ip_reassembled++;
	*out = rs.buf;
	return rs.total;
discard:
	defrag_discard();
drop:
	net.st.ip_frag_dropped++;
	return 0;
}
