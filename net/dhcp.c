// SPDX-License-Identifier: MIT
/*
 * DHCP client (RFC 2131/2132): DISCOVER, OFFER, REQUEST, ACK, with
 * retransmissions and a deadline. dhcp_parse() reads one server message,
 * every option bounded by the message's real length.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/timer.h>
#include "net_priv.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_MAGIC 0x63825363u
#define DHCP_TRIES 5
#define DHCP_FIRST_WAIT_MS 1000
#define DHCP_MAX_WAIT_MS 4000 /* 1 + 2 + 4 + 4 + 4 s in all */
#define DHCP_TOTAL_MS 60000   /* NAKs and offers restart the tries, never beyond this */

enum { BOOTREQUEST = 1, BOOTREPLY = 2 };
enum { DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK };
enum {
	OPT_PAD = 0,
	OPT_NETMASK = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_REQ_IP = 50,
	OPT_LEASE = 51,
	OPT_OVERLOAD = 52,
	OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PARAMS = 55,
	OPT_MAX_SIZE = 57,
	OPT_CLASS_ID = 60,
	OPT_TFTP_SERVER = 66,
	OPT_BOOTFILE = 67,
	OPT_END = 255,
};

/* The fixed BOOTP part (RFC 951), then the magic cookie and options. */
struct bootp {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16];
	char sname[64];
	char file[128];
	uint32_t magic;
} __packed;

#define BOOTP_BROADCAST 0x8000

static void copy_str(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = strnlen((const char *)src, MIN(len, size - 1));

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Options that carry one 32-bit value (the first, if a list), and where it goes. */
static const struct {
	uint8_t code, off;
} addr_opts[] = {
    {OPT_NETMASK, offsetof(struct dhcp_lease, netmask)},
    {OPT_ROUTER, offsetof(struct dhcp_lease, gateway)},
    {OPT_DNS, offsetof(struct dhcp_lease, dns)},
    {OPT_LEASE, offsetof(struct dhcp_lease, lease_s)},
};

/* Walk one options area; returns the overload value seen (0 if none) or -EPROTO. */
static int parse_options(const uint8_t *p, size_t len, struct dhcp_lease *l, uint8_t *type,
			 uint32_t *server_id)
{
	int overload = 0;
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i++], olen;
		const uint8_t *v;

		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return overload;
		if (i >= len)
			return -EPROTO;
		olen = p[i++];
		if (olen > len - i)
			return -EPROTO;
		v = p + i;
		i += olen;
		for (size_t k = 0; k < ARRAY_SIZE(addr_opts); k++)
			if (code == addr_opts[k].code && olen >= 4)
				*(uint32_t *)((uint8_t *)l + addr_opts[k].off) = get_be32(v);
		switch (code) {
		case OPT_SERVER_ID:
			if (olen >= 4)
				*server_id = get_be32(v);
			break;
		case OPT_MSG_TYPE:
			if (olen >= 1)
				*type = v[0];
			break;
		case OPT_OVERLOAD:
			if (olen >= 1 && v[0] <= 3)
				overload = v[0];
			break;
		case OPT_HOSTNAME:
			copy_str(l->hostname, sizeof(l->hostname), v, olen);
			break;
		case OPT_DOMAIN:
			copy_str(l->domain, sizeof(l->domain), v, olen);
			break;
		case OPT_BOOTFILE:
			copy_str(l->bootfile, sizeof(l->bootfile), v, olen);
			break;
		case OPT_TFTP_SERVER: /* a name or a dotted quad: only the latter is usable */
		{
			char s[16];
			uint32_t ip;

			copy_str(s, sizeof(s), v, olen);
			if (!net_parse_ip(s, &ip))
				l->server = ip;
			break;
		}
		default:
			break;
		}
	}
	return overload; /* no END: tolerated, as most clients do */
}

int dhcp_parse(const uint8_t *p, size_t len, uint32_t xid, const uint8_t mac[ETH_ALEN],
	       struct dhcp_lease *l, uint8_t *type, uint32_t *server_id)
{
	struct bootp b;
	int overload;

	if (len < sizeof(b))
		return -EPROTO;
	memcpy(&b, p, sizeof(b));
	if (b.op != BOOTREPLY || b.htype != 1 || b.hlen != ETH_ALEN || be32(b.xid) != xid ||
	    memcmp(b.chaddr, mac, ETH_ALEN) || be32(b.magic) != DHCP_MAGIC)
		return -EPROTO;
	memset(l, 0, sizeof(*l));
	*type = 0;
	*server_id = 0;
	l->ip = be32(b.yiaddr);
	l->server = be32(b.siaddr); /* next-server; option 66 may override */
	overload = parse_options(p + sizeof(b), len - sizeof(b), l, type, server_id);
	if (overload < 0)
		return overload;
	/* Option overload (RFC 2132 9.3): file and sname hold more options. */
	if ((overload & 1) &&
	    parse_options((const uint8_t *)b.file, sizeof(b.file), l, type, server_id) < 0)
		return -EPROTO;
	if ((overload & 2) &&
	    parse_options((const uint8_t *)b.sname, sizeof(b.sname), l, type, server_id) < 0)
		return -EPROTO;
	if (!(overload & 1) && !l->bootfile[0])
		copy_str(l->bootfile, sizeof(l->bootfile), (const uint8_t *)b.file, sizeof(b.file));
	if (!*type)
		return -EPROTO; /* plain BOOTP: not what we asked for */
	return 0;
}

struct dhcp_ctx {
	uint32_t xid;
	int state; /* DHCPOFFER: waiting for an offer; DHCPACK: for the ack */
	uint32_t offered_ip, server_id;
	struct dhcp_lease *lease;
	bool done, nak;
};

static void dhcp_rx(void *arg, const struct ip_rx *rx, uint16_t sport, const uint8_t *data,
		    size_t len)
{
	struct dhcp_ctx *c = arg;
	struct dhcp_lease l;
	uint8_t type;
	uint32_t sid;

	if (sport != DHCP_SERVER_PORT ||
	    dhcp_parse(data, len, c->xid, net.cfg.mac, &l, &type, &sid)) {
		net.st.rx_bad++;
		return;
	}
	if (c->state == DHCPOFFER && type == DHCPOFFER && l.ip && l.ip != IP_BROADCAST) {
		c->offered_ip = l.ip;
		c->server_id = sid ? sid : rx->src;
		c->state = DHCPACK;
	} else if (c->state == DHCPACK && (!sid || sid == c->server_id)) {
		if (type == DHCPACK && l.ip == c->offered_ip) {
			*c->lease = l;
			if (!c->lease->server)
				c->lease->server = c->server_id;
			c->done = true;
		} else if (type == DHCPNAK) {
			c->nak = true;
		}
	}
}

static int dhcp_send(struct dhcp_ctx *c, uint8_t type, unsigned long elapsed_ms)
{
	static const uint8_t params[] = {OPT_NETMASK,	OPT_ROUTER,	 OPT_DNS,
					 OPT_HOSTNAME,	OPT_DOMAIN,	 OPT_LEASE,
					 OPT_SERVER_ID, OPT_TFTP_SERVER, OPT_BOOTFILE};
	uint8_t msg[sizeof(struct bootp) + 64];
	struct bootp *b = (struct bootp *)msg;
	uint8_t *o = msg + sizeof(*b);

	memset(msg, 0, sizeof(msg));
	b->op = BOOTREQUEST;
	b->htype = 1;
	b->hlen = ETH_ALEN;
	b->xid = be32(c->xid);
	b->secs = be16((uint16_t)MIN(elapsed_ms / 1000, 0xffffUL));
	b->flags = be16(BOOTP_BROADCAST); /* we cannot take unicast before we have an address */
	memcpy(b->chaddr, net.cfg.mac, ETH_ALEN);
	b->magic = be32(DHCP_MAGIC);
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = type;
	*o++ = OPT_MAX_SIZE;
	*o++ = 2;
	*o++ = 1500 >> 8;
	*o++ = 1500 & 0xff;
	*o++ = OPT_CLASS_ID; /* what PXE servers match on */
	*o++ = 9;
	memcpy(o, "PXEClient", 9);
	o += 9;
	if (type == DHCPREQUEST) {
		*o++ = OPT_REQ_IP;
		*o++ = 4;
		put_be32(o, c->offered_ip);
		o += 4;
		*o++ = OPT_SERVER_ID;
		*o++ = 4;
		put_be32(o, c->server_id);
		o += 4;
	}
	*o++ = OPT_PARAMS;
	*o++ = sizeof(params);
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o++ = OPT_END;
	return udp_send(IP_BROADCAST, NULL, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, msg,
			(size_t)(o - msg));
}

int net_dhcp(struct dhcp_lease *lease)
{
	struct dhcp_ctx c = {.xid = net_random(), .state = DHCPOFFER, .lease = lease};
	unsigned long wait = DHCP_FIRST_WAIT_MS, t0 = get_timer(0);
	uint64_t overall = deadline_ms(DHCP_TOTAL_MS);
	int err, tries = 0;

	net.cfg.ip = 0; /* a new lease: forget the old address */
	err = udp_bind(DHCP_CLIENT_PORT, dhcp_rx, &c);
	if (err)
		return err;
	while (!c.done && tries < DHCP_TRIES && !deadline_passed(overall)) {
		int sent_state = c.state;
		uint64_t deadline = deadline_ms(wait);

		if (c.nak) { /* start over, as RFC 2131 says */
			printf("DHCP: server refused the request (NAK), starting over\n");
			c.nak = false;
			c.state = sent_state = DHCPOFFER;
		}
		/* U-Boot's progress lines: one per message sent. */
		printf("%s broadcast %d\n", c.state == DHCPOFFER ? "BOOTP" : "DHCP", tries + 1);
		err =
		    dhcp_send(&c, c.state == DHCPOFFER ? DHCPDISCOVER : DHCPREQUEST, get_timer(t0));
		if (err)
			break;
		tries++;
		while (!c.done && !c.nak && c.state == sent_state && !deadline_passed(deadline)) {
			err = net_poll(20);
			if (err)
				goto out;
		}
		if (c.state != sent_state) {
			tries = 0; /* an offer came: the REQUEST gets its own tries */
			wait = DHCP_FIRST_WAIT_MS;
		} else if (!c.done) {
			wait = MIN(wait * 2, (unsigned long)DHCP_MAX_WAIT_MS);
		}
	}
	if (!err && !c.done)
		err = -ETIMEDOUT;
out:
	udp_unbind(DHCP_CLIENT_PORT);
	if (!err) {
		net.cfg.ip = lease->ip;
		net.cfg.netmask = lease->netmask;
		net.cfg.gateway = lease->gateway;
	}
	return err;
}
