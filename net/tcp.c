// SPDX-License-Identifier: MIT
/*
 * A minimal TCP client (RFC 793, with RFC 7323 window scaling and the MSS
 * option): one connection at a time, made for downloads. Received data
 * goes straight to the consumer (HTTP, then the load address), so the
 * receive window never fills and can be advertised large: the sender is
 * bound by its congestion window, not by us. Segments out of order are
 * not kept: a duplicate ACK at once asks the sender to fill the gap.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/timer.h>
#include "net_priv.h"
#include "tcp.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_WSCALE 3
#define TCP_WSCALE 7	    /* ours: windows up to 8 MiB */
#define TCP_RCV_WND (SZ_1M) /* advertised when the peer scales */
#define TCP_ACK_EVERY 8	    /* full segments' worth of bytes per ACK while data streams in */
#define TCP_RTO_MS 1000
#define TCP_MAX_RETRIES 6
#define TCP_TX_MAX TCP_TX_MAX_REQ

enum tcp_state { TCP_CLOSED, TCP_SYN_SENT, TCP_ESTABLISHED, TCP_FIN_WAIT, TCP_CLOSE_WAIT };

static struct tcp_conn {
	enum tcp_state state;
	uint32_t rip;
	uint16_t lport, rport;
	uint8_t rmac[ETH_ALEN];
	uint32_t iss, snd_una, snd_nxt, rcv_nxt;
	uint8_t txbuf[TCP_TX_MAX];
	size_t txlen; /* bytes of txbuf from snd_una - 1 (after SYN) not yet acknowledged */
	bool fin_sent, fin_rcvd, peer_scales;
	uint16_t mss;
	unsigned int ack_pending; /* bytes taken since our last ACK */
	unsigned int retries;
	unsigned long rto_ms, sent_at, last_rx;
	int err;
	tcp_rx_fn rx;
	void *ctx;
} tc;

static bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static int tcp_output(uint8_t flags, uint32_t seq, const void *data, size_t len)
{
	uint8_t seg[TCP_HLEN + 12 + TCP_TX_MAX];
	struct tcp_hdr *h = (struct tcp_hdr *)seg;
	size_t hlen = TCP_HLEN;
	uint32_t win = tc.peer_scales ? TCP_RCV_WND >> TCP_WSCALE : 0xffff;

	if (len > TCP_TX_MAX)
		return -EMSGSIZE;
	memset(h, 0, TCP_HLEN);
	if (flags & TCP_SYN) {
		uint8_t *o = seg + TCP_HLEN;
		uint16_t mss = (uint16_t)(net.dev->mtu - IP_HLEN - TCP_HLEN);

		o[0] = TCP_OPT_MSS;
		o[1] = 4;
		o[2] = mss >> 8;
		o[3] = mss & 0xff;
		o[4] = TCP_OPT_NOP;
		o[5] = TCP_OPT_WSCALE;
		o[6] = 3;
		o[7] = TCP_WSCALE;
		hlen += 8;
	}
	h->sport = be16(tc.lport);
	h->dport = be16(tc.rport);
	h->seq = be32(seq);
	h->ack = be32(flags & TCP_ACK ? tc.rcv_nxt : 0);
	h->off = (uint8_t)(hlen / 4) << 4;
	h->flags = flags;
	h->win = be16((uint16_t)win);
	if (len)
		memcpy(seg + hlen, data, len);
	h->csum = be16(
	    net_csum(seg, hlen + len, net_pseudo_sum(net.cfg.ip, tc.rip, IPPROTO_TCP, hlen + len)));
	if (flags & TCP_ACK)
		tc.ack_pending = 0;
	return ip_send(tc.rip, tc.rmac, IPPROTO_TCP, seg, hlen + len);
}

static int tcp_send_ack(void)
{
	return tcp_output(TCP_ACK, tc.snd_nxt, NULL, 0);
}

/* (Re)send what is not acknowledged yet: the SYN, our data, our FIN. */
static int tcp_send_pending(void)
{
	int err;

	tc.sent_at = get_timer(0);
	if (tc.state == TCP_SYN_SENT)
		return tcp_output(TCP_SYN, tc.iss, NULL, 0);
	if (tc.txlen) {
		err = tcp_output(TCP_ACK | TCP_PSH, tc.snd_una, tc.txbuf, tc.txlen);
		if (err)
			return err;
	}
	if (tc.fin_sent)
		return tcp_output(TCP_FIN | TCP_ACK, tc.snd_nxt - 1, NULL, 0);
	return 0;
}

int tcp_parse_options(const uint8_t *o, size_t len, uint16_t *mss, int *wscale)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = o[i], olen;

		if (kind == TCP_OPT_END)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		olen = o[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;
		if (kind == TCP_OPT_MSS && olen == 4)
			*mss = get_be16(o + i + 2);
		else if (kind == TCP_OPT_WSCALE && olen == 3)
			*wscale = MIN(o[i + 2], 14); /* RFC 7323: larger values mean 14 */
		i += olen;
	}
	return 0;
}

static void tcp_abort(int err)
{
	if (!tc.err)
		tc.err = err;
	tc.state = TCP_CLOSED;
}

/* In-order payload (possibly the new tail of a partly repeated segment). */
static void tcp_deliver(uint32_t seq, const uint8_t *d, size_t n)
{
	uint32_t skip;

	if (seq_lt(tc.rcv_nxt, seq)) {
		/* A gap: say at once what we miss (the sender's fast retransmit). */
		net.st.tcp_dupacks++;
		tcp_send_ack();
		return;
	}
	skip = tc.rcv_nxt - seq;
	if (skip >= n) {
		if (n)
			tcp_send_ack(); /* all old: our ACK was lost */
		return;
	}
	if (tc.state != TCP_ESTABLISHED && tc.state != TCP_FIN_WAIT)
		return; /* data after the peer's FIN is a protocol error: ignored */
	d += skip;
	n -= skip;
	tc.rcv_nxt += (uint32_t)n;
	tc.last_rx = get_timer(0);
	/* Bytes, not segments: one segment cut by nobody (GSO) may be 45 of them. */
	tc.ack_pending += (unsigned int)n;
	if (tc.ack_pending >= TCP_ACK_EVERY * (unsigned int)tc.mss)
		tcp_send_ack();
	if (tc.rx && tc.rx(tc.ctx, d, n))
		tcp_abort(-EIO);
}

static void tcp_ack_received(uint32_t ack)
{
	uint32_t acked;

	if (seq_lt(tc.snd_nxt, ack) || !seq_lt(tc.snd_una, ack))
		return; /* nothing new, or acknowledges what we never sent */
	acked = ack - tc.snd_una;
	tc.snd_una = ack;
	if (acked >= tc.txlen) {
		tc.txlen = 0;
	} else {
		memmove(tc.txbuf, tc.txbuf + acked, tc.txlen - acked);
		tc.txlen -= acked;
	}
	tc.retries = 0;
	tc.rto_ms = TCP_RTO_MS;
}

void tcp_receive(const struct ip_rx *rx)
{
	const struct tcp_hdr *h = (const struct tcp_hdr *)rx->data;
	size_t off, n;
	uint32_t seq, ack;
	uint8_t flags;

	if (rx->len < TCP_HLEN)
		goto bad;
	off = (size_t)(h->off >> 4) * 4;
	if (off < TCP_HLEN || off > rx->len)
		goto bad;
	if (!rx->csum_trusted &&
	    net_csum(rx->data, rx->len, net_pseudo_sum(rx->src, rx->dst, IPPROTO_TCP, rx->len)))
		goto bad;
	if (tc.state == TCP_CLOSED || rx->src != tc.rip || get_be16(&h->sport) != tc.rport ||
	    get_be16(&h->dport) != tc.lport || rx->dst != net.cfg.ip) {
		net.st.rx_ignored++;
		return;
	}
	seq = get_be32(&h->seq);
	ack = get_be32(&h->ack);
	flags = h->flags;
	n = rx->len - off;
	if (flags & TCP_RST) {
		/* Believed only when it fits the connection (RFC 5961's blind-reset check). */
		if (tc.state == TCP_SYN_SENT ? (flags & TCP_ACK) && ack == tc.iss + 1
					     : seq == tc.rcv_nxt)
			tcp_abort(-ECONNRESET);
		return;
	}
	if (tc.state == TCP_SYN_SENT) {
		uint16_t mss = 536;
		int ws = -1;

		if ((flags & (TCP_SYN | TCP_ACK)) != (TCP_SYN | TCP_ACK) || ack != tc.iss + 1 ||
		    tcp_parse_options(rx->data + TCP_HLEN, off - TCP_HLEN, &mss, &ws))
			return;
		tc.rcv_nxt = seq + 1;
		tc.snd_una = tc.snd_nxt = ack;
		tc.mss = mss;
		tc.peer_scales = ws >= 0;
		tc.state = TCP_ESTABLISHED;
		tc.retries = 0;
		tc.last_rx = get_timer(0);
		tcp_send_ack();
		return;
	}
	if (flags & TCP_SYN) { /* a repeated SYN-ACK: our ACK was lost */
		tcp_send_ack();
		return;
	}
	if (!(flags & TCP_ACK))
		return;
	tcp_ack_received(ack);
	if (n || (flags & TCP_FIN))
		tcp_deliver(seq, rx->data + off, n);
	if ((flags & TCP_FIN) && !tc.fin_rcvd && tc.state != TCP_CLOSED &&
	    seq + (uint32_t)n == tc.rcv_nxt) {
		tc.rcv_nxt++;
		tc.fin_rcvd = true;
		tc.state = tc.state == TCP_FIN_WAIT ? TCP_CLOSED : TCP_CLOSE_WAIT;
		tcp_send_ack();
	}
	return;
bad:
	net.st.rx_bad++;
}

int tcp_connect(uint32_t ip, uint16_t port, tcp_rx_fn rx, void *ctx, unsigned long timeout_ms)
{
	uint64_t deadline = deadline_ms(timeout_ms);
	int err;

	memset(&tc, 0, sizeof(tc));
	err = arp_resolve(ip, tc.rmac);
	if (err)
		return err;
	tc.rip = ip;
	tc.rport = port;
	tc.lport = net_ephemeral_port();
	tc.iss = net_random();
	tc.snd_una = tc.iss;
	tc.snd_nxt = tc.iss + 1;
	tc.rx = rx;
	tc.ctx = ctx;
	tc.rto_ms = TCP_RTO_MS;
	tc.state = TCP_SYN_SENT;
	err = tcp_send_pending();
	while (!err && tc.state == TCP_SYN_SENT) {
		if (deadline_passed(deadline))
			err = -ETIMEDOUT;
		else
			err = tcp_poll();
	}
	if (!err && tc.err)
		err = tc.err;
	if (err)
		tc.state = TCP_CLOSED;
	return err;
}

int tcp_send(const void *data, size_t len)
{
	if (tc.state != TCP_ESTABLISHED)
		return tc.err ? tc.err : -ENOTCONN;
	if (len > sizeof(tc.txbuf) - tc.txlen || len > tc.mss)
		return -EMSGSIZE;
	memcpy(tc.txbuf + tc.txlen, data, len);
	tc.txlen += len;
	tc.snd_nxt += (uint32_t)len;
	return tcp_send_pending();
}

/* One turn: process what arrived, acknowledge, retransmit on timeout. */
int tcp_poll(void)
{
	int err = net_poll(10);

	if (err)
		return err;
	if (tc.ack_pending && tc.state != TCP_CLOSED)
		tcp_send_ack();
	if (tc.snd_una != tc.snd_nxt && get_timer(tc.sent_at) >= tc.rto_ms) {
		if (++tc.retries > TCP_MAX_RETRIES) {
			tcp_abort(-ETIMEDOUT);
			return -ETIMEDOUT;
		}
		net.st.tcp_retransmits++;
		tc.rto_ms *= 2;
		return tcp_send_pending();
	}
	return 0;
}

int tcp_run(bool (*done)(void *ctx), void *ctx, unsigned long idle_ms)
{
	int err = 0;

	tc.last_rx = get_timer(0);
	while (!err && !tc.err && !tc.fin_rcvd && !done(ctx)) {
		if (get_timer(tc.last_rx) > idle_ms)
			err = -ETIMEDOUT;
		else
			err = tcp_poll();
	}
	return err ? err : tc.err;
}

bool tcp_peer_closed(void)
{
	return tc.fin_rcvd;
}

void tcp_close(bool abort)
{
	uint64_t deadline = deadline_ms(1000);

	if (tc.state == TCP_CLOSED)
		return;
	if (abort) {
		tcp_output(TCP_RST | TCP_ACK, tc.snd_nxt, NULL, 0);
		tc.state = TCP_CLOSED;
		return;
	}
	/* Our FIN; wait briefly for its ACK, so the server frees the connection. */
	tc.fin_sent = true;
	tc.snd_nxt++;
	tc.state = tc.state == TCP_CLOSE_WAIT ? TCP_CLOSE_WAIT : TCP_FIN_WAIT;
	tcp_send_pending();
	while (tc.snd_una != tc.snd_nxt && !tc.err && !deadline_passed(deadline))
		if (tcp_poll())
			break;
	if (tc.snd_una != tc.snd_nxt)
		tcp_output(TCP_RST | TCP_ACK, tc.snd_nxt, NULL, 0);
	tc.state = TCP_CLOSED;
}
