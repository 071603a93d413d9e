// SPDX-License-Identifier: MIT
/*
 * TFTP client, read only (RFC 1350), with option negotiation (RFC 2347):
 * blksize (RFC 2348), tsize (RFC 2349) and windowsize (RFC 7440). Under
 * emulation a lock-step protocol is bound by round trips: a window of
 * blocks per acknowledgement is what makes TFTP fast there.
 * The server's transfer port is locked on its first answer; every packet
 * is checked against the state (opcode, block, length) before use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/timer.h>
#include "net_priv.h"

#define TFTP_PORT 69
#define TFTP_RRQ 1
#define TFTP_DATA 3
#define TFTP_ACK 4
#define TFTP_ERROR 5
#define TFTP_OACK 6
#define TFTP_MIN_BLKSIZE 8
#define TFTP_MAX_WINDOW 64
#define TFTP_DEFAULT_BLKSIZE 512
#define TFTP_HDR 4

struct tftp_ctx {
	const struct tftp_opts *o;
	struct net_dest *dest;
	uint32_t server;
	uint16_t lport, rport; /* rport 0 until the server answered */
	uint8_t server_mac[ETH_ALEN];
	unsigned int blksize, window;
	uint64_t next;	    /* index (from 1) of the next block we want, no wrap */
	uint64_t acked;	    /* last block index we acknowledged */
	uint64_t tsize;	    /* announced size, UINT64_MAX if none */
	uint64_t gap_acked; /* next when we last acknowledged because of a gap */
	unsigned int got_in_window;
	bool done, oack_seen, progress_started;
	int err; /* first error, ends the transfer */
	char msg[80];
};

static int tftp_send_ack(struct tftp_ctx *c, uint64_t block)
{
	uint8_t p[4] = {0, TFTP_ACK, (uint8_t)(block >> 8), (uint8_t)block};

	c->acked = block;
	c->got_in_window = 0;
	return udp_send(c->server, c->server_mac, c->lport, c->rport, p, sizeof(p));
}

static void tftp_send_error(struct tftp_ctx *c, uint16_t code, const char *msg)
{
	uint8_t p[64] = {0, TFTP_ERROR, (uint8_t)(code >> 8), (uint8_t)code};
	size_t n = MIN(strlen(msg), sizeof(p) - 5);

	memcpy(p + 4, msg, n);
	p[4 + n] = 0;
	if (c->rport)
		udp_send(c->server, c->server_mac, c->lport, c->rport, p, 5 + n);
}

static size_t put_str(uint8_t *p, size_t room, const char *s)
{
	size_t n = strlen(s) + 1;

	if (n > room)
		return 0;
	memcpy(p, s, n);
	return n;
}

static int tftp_send_rrq(struct tftp_ctx *c, const char *file)
{
	uint8_t p[512];
	char num[12];
	size_t n = 2, k;

	p[0] = 0;
	p[1] = TFTP_RRQ;
	k = put_str(p + n, sizeof(p) - n - 64, file);
	if (!k)
		return -ENAMETOOLONG;
	n += k;
	n += put_str(p + n, sizeof(p) - n, "octet");
	n += put_str(p + n, sizeof(p) - n, "tsize");
	n += put_str(p + n, sizeof(p) - n, "0");
	if (c->o->blksize && c->o->blksize != TFTP_DEFAULT_BLKSIZE) {
		snprintf(num, sizeof(num), "%u", c->o->blksize);
		n += put_str(p + n, sizeof(p) - n, "blksize");
		n += put_str(p + n, sizeof(p) - n, num);
	}
	if (c->o->windowsize > 1) {
		snprintf(num, sizeof(num), "%u", c->o->windowsize);
		n += put_str(p + n, sizeof(p) - n, "windowsize");
		n += put_str(p + n, sizeof(p) - n, num);
	}
	return udp_send(c->server, c->server_mac, c->lport, TFTP_PORT, p, n);
}

/* A decimal option value, bounded; -1 if malformed. */
static long opt_num(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000000000L)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* OACK: name\0value\0 pairs; only values we asked for, no larger than asked. */
static int tftp_oack(struct tftp_ctx *c, const uint8_t *p, size_t len)
{
	size_t i = 0;

	c->blksize = TFTP_DEFAULT_BLKSIZE;
	c->window = 1;
	while (i < len) {
		const char *name = (const char *)p + i, *val;
		size_t nl = strnlen(name, len - i), vl;
		long v;

		if (i + nl >= len)
			return -EPROTO; /* no NUL */
		i += nl + 1;
		val = (const char *)p + i;
		vl = strnlen(val, len - i);
		if (i + vl >= len)
			return -EPROTO;
		i += vl + 1;
		v = opt_num(val);
		if (!strcasecmp(name, "blksize") && v >= TFTP_MIN_BLKSIZE &&
		    v <= (long)c->o->blksize)
			c->blksize = (unsigned int)v;
		else if (!strcasecmp(name, "windowsize") && v >= 1 && v <= (long)c->o->windowsize)
			c->window = (unsigned int)v;
		else if (!strcasecmp(name, "tsize") && v >= 0)
			c->tsize = (uint64_t)v;
		else
			return -EPROTO; /* an option we did not ask for, or a value we cannot take
					 */
	}
	return 0;
}

static void tftp_fail(struct tftp_ctx *c, int err, const char *msg)
{
	if (c->err)
		return;
	c->err = err;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

static void tftp_data(struct tftp_ctx *c, uint16_t block, const uint8_t *d, size_t n)
{
	uint64_t off;
	int err;

	if (n > c->blksize) {
		tftp_fail(c, -EPROTO, "block larger than the negotiated blksize");
		return;
	}
	if (block != (uint16_t)c->next) {
		/* The window broke (a block lost or reordered): ask again from the gap. */
		if (block == (uint16_t)c->acked || c->gap_acked != c->next) {
			c->gap_acked = c->next;
			tftp_send_ack(c, c->next - 1);
		}
		return;
	}
	off = (c->next - 1) * c->blksize;
	err = net_dest_write(c->dest, off, d, n);
	if (err) {
		tftp_send_error(c, 3, "Disk full or allocation exceeded");
		tftp_fail(c, err, "no room for the file at the load address");
		return;
	}
	if (c->o->progress)
		net_progress(off + n, false);
	c->next++;
	c->got_in_window++;
	if (n < c->blksize) {
		c->done = true;
		tftp_send_ack(c, c->next - 1);
	} else if (c->got_in_window >= c->window) {
		tftp_send_ack(c, c->next - 1);
	}
}

static void tftp_rx(void *arg, const struct ip_rx *rx, uint16_t sport, const uint8_t *p, size_t len)
{
	struct tftp_ctx *c = arg;
	uint16_t op;

	if (rx->src != c->server || (c->rport && sport != c->rport) || len < TFTP_HDR || c->done ||
	    c->err) {
		net.st.rx_ignored++;
		return;
	}
	op = get_be16(p);
	if (op == TFTP_ERROR) {
		char m[64];
		size_t n = strnlen((const char *)p + 4, MIN(len - 4, sizeof(m) - 1));

		memcpy(m, p + 4, n);
		m[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (m[i] < ' ' || m[i] > '~')
				m[i] = '?';
		snprintf(c->msg, sizeof(c->msg), "server error %u: '%s'", get_be16(p + 2), m);
		c->err = get_be16(p + 2) == 1 ? -ENOENT : -EIO;
		return;
	}
	if (!c->rport) { /* the first answer fixes the server's transfer port */
		c->rport = sport;
		memcpy(c->server_mac, rx->src_mac, ETH_ALEN);
		if (op == TFTP_OACK) {
			c->oack_seen = true;
			if (tftp_oack(c, p + 2, len - 2)) {
				tftp_send_error(c, 8, "Bad option");
				tftp_fail(c, -EPROTO, "server sent an option we cannot use");
				return;
			}
			if (c->tsize != UINT64_MAX && c->dest->gate &&
			    c->tsize > c->dest->checked) {
				int err = c->tsize > c->dest->max
					      ? -EFBIG
					      : c->dest->gate(c->dest->addr, c->tsize);

				if (err) {
					tftp_send_error(c, 3, "File too large");
					tftp_fail(c, err,
						  "the file does not fit at the load address");
					return;
				}
				c->dest->checked = c->tsize;
			}
			tftp_send_ack(c, 0);
			return;
		}
		/* No options: RFC 1350 defaults. */
		c->blksize = TFTP_DEFAULT_BLKSIZE;
		c->window = 1;
	}
	if (op == TFTP_DATA)
		tftp_data(c, get_be16(p + 2), p + TFTP_HDR, len - TFTP_HDR);
	else if (op != TFTP_OACK) /* a repeated OACK (our ACK 0 was lost) is harmless */
		net.st.rx_bad++;
	else if (c->next == 1)
		tftp_send_ack(c, 0);
}

int net_tftp_get(uint32_t server, const char *file, const struct tftp_opts *o,
		 struct net_dest *dest)
{
	struct tftp_ctx c = {
	    .o = o,
	    .dest = dest,
	    .server = server,
	    .next = 1,
	    .tsize = UINT64_MAX,
	    .blksize = TFTP_DEFAULT_BLKSIZE,
	    .window = 1,
	};
	unsigned int timeout = o->timeout_ms ? o->timeout_ms : 1000;
	unsigned int retries = o->retries ? o->retries : 10, tries = 0;
	uint64_t last_next = 0;
	int err;

	if (o->blksize > TFTP_MAX_BLKSIZE || (o->blksize && o->blksize < TFTP_MIN_BLKSIZE) ||
	    o->windowsize > TFTP_MAX_WINDOW)
		return -EINVAL;
	err = arp_resolve(server, c.server_mac);
	if (err)
		return err;
	c.lport = net_ephemeral_port();
	err = udp_bind(c.lport, tftp_rx, &c);
	if (err)
		return err;
	dest->len = 0;
	if (o->progress)
		net_progress(0, false);
	err = tftp_send_rrq(&c, file);
	while (!err && !c.done && !c.err) {
		uint64_t deadline = deadline_ms(timeout);

		while (!err && !c.done && !c.err && !deadline_passed(deadline)) {
			uint64_t before = c.next;

			err = net_poll(MIN(timeout, 50u));
			if (c.next != before)
				deadline = deadline_ms(timeout); /* progress: restart the timer */
		}
		if (err || c.done || c.err)
			break;
		net.st.tftp_timeouts++;
		tries = c.next == last_next ? tries + 1 : 1;
		last_next = c.next;
		if (tries > retries) {
			err = -ETIMEDOUT;
			snprintf(c.msg, sizeof(c.msg), "no answer from the server after %u tries",
				 retries);
			break;
		}
		printf("T "); /* U-Boot's mark for a timeout */
		if (!c.rport)
			err = tftp_send_rrq(&c, file);
		else
			err = tftp_send_ack(&c, c.next - 1);
	}
	if (err == -EINTR)
		tftp_send_error(&c, 0, "Interrupted");
	udp_unbind(c.lport);
	if (o->progress)
		net_progress(dest->len, true);
	if (!err && c.err)
		err = c.err;
	if (err && c.msg[0])
		printf("TFTP: %s\n", c.msg);
	if (!err && c.tsize != UINT64_MAX && c.tsize != dest->len) {
		printf("TFTP: the server announced %llu bytes and sent %llu\n",
		       (unsigned long long)c.tsize, (unsigned long long)dest->len);
		err = -EIO;
	}
	return err;
}
