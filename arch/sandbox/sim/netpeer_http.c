// SPDX-License-Identifier: MIT
/*
 * The simulated server's HTTP over a small TCP (one connection at a time):
 * SYN-ACK with MSS and window scaling, the request read up to its empty
 * line, then the response streamed within the guest's window and a
 * congestion window, go-back-N on three duplicate ACKs or a timeout, FIN.
 * Faults: peer-http-chunked (Transfer-Encoding: chunked), peer-http-short
 * (close after half the body), peer-http-huge-header (an endless header),
 * peer-http-status=N (answer N).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netpeer.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10
#define PEER_MSS 1460
#define PEER_GSO_MAX (44 * PEER_MSS) /* one segment to a guest that takes GSO: 64240 bytes */
#define PEER_CWND 64		     /* segments in flight at most */
#define PEER_WSCALE 7

struct peer_tcp {
	enum { T_LISTEN, T_SYN_RCVD, T_OPEN, T_CLOSED } state;
	uint16_t gport;
	uint32_t iss, irs, snd_una, snd_nxt, rcv_nxt;
	uint32_t gwnd;	     /* the guest's window, scaled */
	unsigned int gscale; /* its shift, if it offered one */
	bool scaling;
	uint16_t gmss;
	unsigned int dupacks;
	uint64_t sent_at;
	char req[4096];
	size_t reqlen;
	/* The response: header bytes, then the file's (or none). */
	char hdr[512];
	size_t hdrlen;
	int fd;
	uint64_t body, total; /* body bytes, header + body */
	bool responding, fin_sent, guest_fin;
};

struct peer_tcp *peer_tcp_new(void)
{
	struct peer_tcp *t = calloc(1, sizeof(*t));

	if (t)
		t->fd = -1;
	return t;
}

static void tcp_reset_conn(struct peer_tcp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

static void tcp_out(struct netpeer *p, uint8_t flags, uint32_t seq, const uint8_t *data, size_t len)
{
	struct peer_tcp *t = p->tcp;
	static uint8_t s[20 + 8 + PEER_GSO_MAX];
	size_t h = 20;

	memset(s, 0, 20);
	if (flags & TCP_SYN) {
		uint8_t *o = s + 20;

		o[0] = 2, o[1] = 4, put16(o + 2, PEER_MSS);
		h += 4;
		if (t->scaling) {
			o[4] = 1, o[5] = 3, o[6] = 3, o[7] = PEER_WSCALE;
			h += 4;
		}
	}
	put16(s, 80);
	put16(s + 2, t->gport);
	put32(s + 4, seq);
	put32(s + 8, t->rcv_nxt);
	s[12] = (uint8_t)(h / 4) << 4;
	s[13] = flags | TCP_ACK;
	put16(s + 14, 0xffff);
	if (len)
		memcpy(s + h, data, len);
	put16(s + 16, peer_csum(s, h + len, peer_pseudo(6, h + len)));
	peer_send_ip(p, 6, s, h + len);
}

/* Bytes of the response stream at off. */
static size_t tcp_stream(struct peer_tcp *t, uint64_t off, uint8_t *buf, size_t n)
{
	size_t done = 0;

	if (off < t->hdrlen) {
		done = (size_t)MIN((uint64_t)n, t->hdrlen - off);
		memcpy(buf, t->hdr + off, done);
	}
	if (done < n && t->fd < 0 && sim_fault("peer-http-huge-header")) {
		memset(buf + done, 'X', n - done); /* a header line that never ends */
		done = n;
	}
	if (done < n && t->fd >= 0) {
		uint64_t boff = off + done - t->hdrlen;
		ssize_t r = pread(t->fd, buf + done, n - done, (off_t)boff);

		if (r > 0)
			done += (size_t)r;
	}
	return done;
}

static void tcp_push(struct netpeer *p)
{
	struct peer_tcp *t = p->tcp;
	uint64_t limit = t->total;

	if (!t->responding)
		return;
	if (sim_fault("peer-http-short"))
		limit = t->hdrlen + t->body / 2;
	while (t->snd_nxt - t->snd_una < MIN(t->gwnd, (uint32_t)PEER_CWND * t->gmss)) {
		uint64_t off = t->snd_nxt - t->iss - 1;
		static uint8_t buf[PEER_GSO_MAX];
		size_t n = p->nb->gso ? PEER_GSO_MAX : MIN(t->gmss, PEER_MSS);

		if (off >= limit)
			break;
		n = (size_t)MIN((uint64_t)n, limit - off);
		n = MIN(n, (size_t)(t->snd_una + t->gwnd - t->snd_nxt));
		n = tcp_stream(t, off, buf, n);
		if (!n)
			break;
		tcp_out(p, 0, t->snd_nxt, buf, n);
		t->snd_nxt += (uint32_t)n;
		t->sent_at = sim_now_ns();
	}
	if (!t->fin_sent && t->snd_nxt - t->iss - 1 >= limit) {
		tcp_out(p, TCP_FIN, t->snd_nxt, NULL, 0);
		t->snd_nxt++;
		t->fin_sent = true;
		t->sent_at = sim_now_ns();
	}
}

static void http_respond(struct netpeer *p)
{
	struct peer_tcp *t = p->tcp;
	char path[1024];
	long status = sim_fault_value("peer-http-status", 200);
	const char *reason = "OK";

	if (sscanf(t->req, "GET %1023s HTTP/1.", path) != 1) {
		status = 400;
		reason = "Bad Request";
	} else {
		t->fd = peer_open(p, path, &t->body);
		if (t->fd < 0) {
			status = 404;
			reason = "Not Found";
			t->body = 0;
		}
	}
	if (status != 200 && t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
		t->body = 0;
	}
	if (sim_fault("peer-http-chunked"))
		t->hdrlen = (size_t)snprintf(
		    t->hdr, sizeof(t->hdr), "HTTP/1.1 %ld %s\r\nTransfer-Encoding: chunked\r\n\r\n",
		    status, reason);
	else
		t->hdrlen = (size_t)snprintf(t->hdr, sizeof(t->hdr),
					     "HTTP/1.1 %ld %s\r\nServer: netpeer\r\n"
					     "Content-Length: %llu\r\nConnection: close\r\n\r\n",
					     status, reason, (unsigned long long)t->body);
	if (sim_fault("peer-http-huge-header")) {
		memset(t->hdr, 'X', sizeof(t->hdr));
		memcpy(t->hdr, "HTTP/1.1 200 OK\r\nX: ", 20);
		t->hdrlen = sizeof(t->hdr);
		t->body = 1 << 20;
		if (t->fd >= 0)
			close(t->fd);
		t->fd = -1;
	}
	t->total = t->hdrlen + t->body;
	t->responding = true;
}

static void tcp_syn(struct netpeer *p, const uint8_t *seg, size_t hlen, uint16_t sport)
{
	struct peer_tcp *t = p->tcp;

	tcp_reset_conn(t);
	t->gport = sport;
	t->irs = get32(seg + 4);
	t->rcv_nxt = t->irs + 1;
	t->iss = (uint32_t)rand();
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	t->gmss = 536;
	for (size_t i = 20; i < hlen;) {
		uint8_t kind = seg[i];

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hlen || seg[i + 1] < 2 || i + seg[i + 1] > hlen)
			break;
		if (kind == 2 && seg[i + 1] == 4)
			t->gmss = get16(seg + i + 2);
		if (kind == 3 && seg[i + 1] == 3) {
			t->scaling = true;
			t->gscale = MIN(seg[i + 2], 14);
		}
		i += seg[i + 1];
	}
	t->gwnd = get16(seg + 14); /* never scaled in a SYN */
	t->state = T_SYN_RCVD;
	tcp_out(p, TCP_SYN, t->iss, NULL, 0);
	t->sent_at = sim_now_ns();
}

void peer_tcp_input(struct netpeer *p, const uint8_t *seg, size_t len)
{
	struct peer_tcp *t = p->tcp;
	uint16_t sport;
	size_t hlen;
	uint8_t flags;
	uint32_t seq, ack;

	if (len < 20 || peer_csum(seg, len, peer_pseudo(6, len))) {
		sim_log("netpeer: malformed TCP segment from the guest");
		return;
	}
	hlen = (size_t)(seg[12] >> 4) * 4;
	if (hlen < 20 || hlen > len || get16(seg + 2) != 80)
		return;
	sport = get16(seg);
	flags = seg[13];
	seq = get32(seg + 4);
	ack = get32(seg + 8);
	if (flags & TCP_SYN) {
		if (!(flags & TCP_ACK))
			tcp_syn(p, seg, hlen, sport);
		return;
	}
	if (t->state == T_LISTEN || t->state == T_CLOSED || sport != t->gport)
		return;
	if (flags & TCP_RST) {
		tcp_reset_conn(t);
		return;
	}
	if (!(flags & TCP_ACK))
		return;
	t->gwnd = (uint32_t)get16(seg + 14) << (t->scaling ? t->gscale : 0);
	if (t->state == T_SYN_RCVD && ack == t->iss + 1) {
		t->state = T_OPEN;
		t->snd_una = ack;
	}
	if ((int32_t)(ack - t->snd_una) > 0 && (int32_t)(ack - t->snd_nxt) <= 0) {
		t->snd_una = ack;
		t->dupacks = 0;
		t->sent_at = sim_now_ns();
	} else if (ack == t->snd_una && t->snd_una != t->snd_nxt && len == hlen &&
		   ++t->dupacks == 3) {
		t->snd_nxt = t->snd_una; /* go back and send again from the hole */
		t->fin_sent = false;
	}
	if (len > hlen && seq == t->rcv_nxt && !t->responding) {
		size_t n = MIN(len - hlen, sizeof(t->req) - 1 - t->reqlen);

		memcpy(t->req + t->reqlen, seg + hlen, n);
		t->reqlen += n;
		t->req[t->reqlen] = '\0';
		t->rcv_nxt += (uint32_t)(len - hlen);
		tcp_out(p, 0, t->snd_nxt, NULL, 0);
		if (strstr(t->req, "\r\n\r\n"))
			http_respond(p);
	}
	if ((flags & TCP_FIN) && seq + (uint32_t)(len - hlen) == t->rcv_nxt && !t->guest_fin) {
		t->rcv_nxt++;
		t->guest_fin = true;
		tcp_out(p, 0, t->snd_nxt, NULL, 0);
	}
	if (t->fin_sent && t->snd_una == t->snd_nxt && t->guest_fin)
		tcp_reset_conn(t);
	else
		tcp_push(p);
}

void peer_tcp_poll(struct netpeer *p)
{
	struct peer_tcp *t = p->tcp;

	if (t->state == T_LISTEN || t->snd_una == t->snd_nxt ||
	    sim_now_ns() - t->sent_at < PEER_RTO_NS)
		return;
	if (t->state == T_SYN_RCVD) {
		tcp_out(p, TCP_SYN, t->iss, NULL, 0);
		t->sent_at = sim_now_ns();
		return;
	}
	/* Timeout: everything not acknowledged is sent again. */
	t->snd_nxt = t->snd_una;
	t->fin_sent = false;
	tcp_push(p);
}
