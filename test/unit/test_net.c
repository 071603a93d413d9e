// SPDX-License-Identifier: MIT
/*
 * The network stack's pure parsers and helpers with crafted input: DHCP
 * replies (options, overload, truncation), HTTP response headers, TCP
 * options, netif RX responses, addresses and checksums.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/console.h>
#include "../../net/net_priv.h"
#include "../../drivers/net/netif_ring.h"

/* The platform under the stack (nothing here sends or waits). */
uint64_t arch_counter(void)
{
	return 0;
}
uint64_t arch_counter_freq(void)
{
	return 1000000;
}
void arch_cpu_relax(void)
{
}
bool ctrlc(void)
{
	return false;
}

static const uint8_t mac[6] = {0x00, 0x16, 0x3e, 1, 2, 3};

/* A BOOTP reply for xid 0x11223344 to mac, then opts. */
static size_t reply(uint8_t *b, const uint8_t *opts, size_t n)
{
	memset(b, 0, 240);
	b[0] = 2, b[1] = 1, b[2] = 6;
	b[4] = 0x11, b[5] = 0x22, b[6] = 0x33, b[7] = 0x44;
	b[16] = 10, b[19] = 5; /* yiaddr 10.0.0.5 */
	b[20] = 10, b[23] = 1; /* siaddr 10.0.0.1 */
	memcpy(b + 28, mac, 6);
	memcpy(b + 108, "file.bin", 8);
	b[236] = 0x63, b[237] = 0x82, b[238] = 0x53, b[239] = 0x63;
	memcpy(b + 240, opts, n);
	return 240 + n;
}

static void test_dhcp_ack(void **state)
{
	static const uint8_t o[] = {53,	 1,   5,  54, 4, 10,  0,   0,	9,   1, 4,  255,
				    255, 255, 0,  3,  4, 10,  0,   0,	254, 6, 4,  10,
				    0,	 0,   53, 12, 3, 'v', 'm', '1', 0,   0, 255};
	struct dhcp_lease l;
	uint8_t b[600], type;
	uint32_t sid;
	size_t n = reply(b, o, sizeof(o));

	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), 0);
	assert_int_equal(type, 5);
	assert_int_equal(sid, 0x0a000009);
	assert_int_equal(l.ip, 0x0a000005);
	assert_int_equal(l.netmask, 0xffffff00);
	assert_int_equal(l.gateway, 0x0a0000fe);
	assert_int_equal(l.dns, 0x0a000035);
	assert_int_equal(l.server, 0x0a000001);
	assert_string_equal(l.hostname, "vm1");
	assert_string_equal(l.bootfile, "file.bin");
}

static void test_dhcp_rejects(void **state)
{
	static const uint8_t ok[] = {53, 1, 2, 255};
	static const uint8_t trunc[] = {53, 1, 2, 12, 200, 'x'}; /* length past the end */
	static const uint8_t nolen[] = {53, 1, 2, 12};		 /* code without length */
	struct dhcp_lease l;
	uint8_t b[600], type;
	uint32_t sid;
	size_t n = reply(b, ok, sizeof(ok));

	assert_int_equal(dhcp_parse(b, n, 0x11223345, mac, &l, &type, &sid), -EPROTO); /* xid */
	b[30] ^= 1;
	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), -EPROTO); /* chaddr */
	b[30] ^= 1;
	assert_int_equal(dhcp_parse(b, 239, 0x11223344, mac, &l, &type, &sid), -EPROTO);
	n = reply(b, trunc, sizeof(trunc));
	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), -EPROTO);
	n = reply(b, nolen, sizeof(nolen));
	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), -EPROTO);
	n = reply(b, ok + 3, 1); /* no message type: plain BOOTP */
	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), -EPROTO);
}

static void test_dhcp_overload(void **state)
{
	static const uint8_t o[] = {53, 1, 5, 52, 1, 1, 255};
	struct dhcp_lease l;
	uint8_t b[600], type;
	uint32_t sid;
	size_t n = reply(b, o, sizeof(o));

	/* The file field holds options now: a boot file and the END. */
	memset(b + 108, 0, 128);
	memcpy(b + 108, "\x43\x05k.efi\xff", 8);
	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), 0);
	assert_string_equal(l.bootfile, "k.efi");
	/* An option in the file field running past it is refused. */
	memcpy(b + 108 + 120, "\x0c\x40", 2);
	b[108 + 7] = 0;
	assert_int_equal(dhcp_parse(b, n, 0x11223344, mac, &l, &type, &sid), -EPROTO);
}

static void test_http_header(void **state)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-length:  1234 \r\n\r\n";
	static const char noreason[] = "HTTP/1.0 404\r\n\r\n";
	static const char two[] =
	    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n";
	static const char chunked[] = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n";
	static const char huge[] =
	    "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n";
	static const char bad[] = "HTTP/1.1 2x0 OK\r\n\r\n";
	static const char noend[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n";
	struct http_resp r;

	assert_int_equal(http_parse_header(ok, sizeof(ok) - 1, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.content_length, 1234);
	assert_string_equal(r.reason, "OK");
	assert_int_equal(http_parse_header(noreason, sizeof(noreason) - 1, &r), 0);
	assert_int_equal(r.status, 404);
	assert_true(r.content_length == UINT64_MAX);
	assert_int_equal(http_parse_header(two, sizeof(two) - 1, &r), -EPROTO);
	assert_int_equal(http_parse_header(chunked, sizeof(chunked) - 1, &r), 0);
	assert_true(r.chunked);
	assert_int_equal(http_parse_header(huge, sizeof(huge) - 1, &r), -EPROTO);
	assert_int_equal(http_parse_header(bad, sizeof(bad) - 1, &r), -EPROTO);
	assert_int_equal(http_parse_header(noend, sizeof(noend) - 1, &r), -EPROTO);
	assert_int_equal(http_parse_header(ok, 10, &r), -EPROTO);
}

static void test_tcp_options(void **state)
{
	static const uint8_t good[] = {2, 4, 5, 0xb4, 1, 3, 3, 20, 0};
	static const uint8_t loop[] = {5, 0};	  /* length 0: would never advance */
	static const uint8_t past[] = {2, 40, 5}; /* length past the end */
	uint16_t mss = 0;
	int ws = -1;

	assert_int_equal(tcp_parse_options(good, sizeof(good), &mss, &ws), 0);
	assert_int_equal(mss, 1460);
	assert_int_equal(ws, 14); /* larger shifts mean 14 */
	assert_int_equal(tcp_parse_options(loop, sizeof(loop), &mss, &ws), -EINVAL);
	assert_int_equal(tcp_parse_options(past, sizeof(past), &mss, &ws), -EINVAL);
	assert_int_equal(tcp_parse_options(good, 1, &mss, &ws), -EINVAL);
}

static void test_netif_rx(void **state)
{
	struct netif_rx_response r[4] = {{.id = 7, .offset = 0, .flags = 0, .status = 60}};
	uint16_t posted[4] = {7, 8, 9, 10};
	struct netif_rx_packet p;

	assert_int_equal(netif_rx_check(r, posted, 1, 1514, &p), NETIF_RX_OK);
	assert_int_equal(p.slots, 1);
	assert_int_equal(p.len, 60);
	r[0].id = 8; /* not what was posted in this slot */
	assert_int_equal(netif_rx_check(r, posted, 1, 1514, &p), NETIF_RX_BAD_ID);
	r[0].id = 7;
	r[0].status = 1515;
	assert_int_equal(netif_rx_check(r, posted, 1, 1514, &p), NETIF_RX_OVERSIZE);
	r[0].status = 100;
	r[0].offset = 4000; /* past the page */
	assert_int_equal(netif_rx_check(r, posted, 1, 1514, &p), NETIF_RX_OVERSIZE);
	r[0].offset = 0;
	r[0].status = -1;
	assert_int_equal(netif_rx_check(r, posted, 1, 1514, &p), NETIF_RX_DROP);
	/* more_data (feature-sg): incomplete until the second slot comes; the sizes add up. */
	r[0].status = 100;
	r[0].flags = NETRXF_more_data;
	assert_int_equal(netif_rx_check(r, posted, 1, 1514, &p), NETIF_RX_INCOMPLETE);
	r[1] = (struct netif_rx_response){.id = 8, .status = 50};
	assert_int_equal(netif_rx_check(r, posted, 2, 1514, &p), NETIF_RX_OK);
	assert_int_equal(p.slots, 2);
	assert_int_equal(p.frags, 1);
	assert_int_equal(p.len, 150);
	r[1].id = 9; /* a later fragment's id is checked too */
	assert_int_equal(netif_rx_check(r, posted, 2, 1514, &p), NETIF_RX_BAD_ID);
	r[1].id = 8;
	r[1].status = -1; /* an error in a later fragment: the packet is dropped */
	assert_int_equal(netif_rx_check(r, posted, 2, 1514, &p), NETIF_RX_DROP);
	r[1].status = 50;
	r[1].offset = 4090; /* a later fragment past its page */
	assert_int_equal(netif_rx_check(r, posted, 2, 1514, &p), NETIF_RX_OVERSIZE);
	r[1].offset = 0;
	r[1].status = 1415; /* each fits its page, together more than a frame */
	assert_int_equal(netif_rx_check(r, posted, 2, 1514, &p), NETIF_RX_OVERSIZE);
	assert_int_equal(netif_rx_check(r, posted, 2, 1515, &p), NETIF_RX_OK);
	/* extra info: the frame is good, the next slot is consumed with it. */
	r[0].flags = NETRXF_extra_info;
	memset(&r[1], 0, sizeof(r[1]));
	assert_int_equal(netif_rx_check(r, posted, 2, 1514, &p), NETIF_RX_OK);
	assert_int_equal(p.slots, 2);
	assert_int_equal(p.len, 100);
	/* GSO: fragment 1, an extra-info slot, fragment 2 (its size counts, the extra's not). */
	r[0].flags = NETRXF_extra_info | NETRXF_more_data;
	/* The extra overlays the response: type GSO, no MORE flag, then GSO data, not an id. */
	r[1] = (struct netif_rx_response){.id = XEN_NETIF_EXTRA_TYPE_GSO, .status = 0x7fff};
	r[2] = (struct netif_rx_response){.id = 9, .status = 4096};
	assert_int_equal(netif_rx_check(r, posted, 2, 65549, &p), NETIF_RX_INCOMPLETE);
	assert_int_equal(netif_rx_check(r, posted, 3, 65549, &p), NETIF_RX_OK);
	assert_int_equal(p.slots, 3);
	assert_int_equal(p.frags, 2);
	assert_int_equal(p.len, 4196);
	assert_int_equal(netif_check_rsp_prod(10, 12, 20), 0);
	assert_int_equal(netif_check_rsp_prod(10, 21, 20), -EPROTO);
	assert_int_equal(netif_check_rsp_prod(10, 9, 20), -EPROTO);
}

static void test_addresses(void **state)
{
	uint32_t ip;
	char s[16];

	assert_int_equal(net_parse_ip("192.168.77.10", &ip), 0);
	assert_int_equal(ip, 0xc0a84d0a);
	assert_string_equal(net_ip_str(ip, s), "192.168.77.10");
	assert_int_equal(net_parse_ip("256.1.1.1", &ip), -EINVAL);
	assert_int_equal(net_parse_ip("1.2.3", &ip), -EINVAL);
	assert_int_equal(net_parse_ip("1.2.3.4.", &ip), -EINVAL);
	assert_int_equal(net_parse_ip("1.2.3.0004", &ip), -EINVAL);
	assert_int_equal(net_parse_ip("", &ip), -EINVAL);
}

static void test_checksum(void **state)
{
	/* RFC 1071's example: the sum of these words is ddf2, its complement 220d. */
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	assert_int_equal(net_csum(d, sizeof(d), 0), 0x220d);
	assert_int_equal(net_csum(d, 3, 0), (uint16_t) ~(0x0001 + 0xf200));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dhcp_ack),	  cmocka_unit_test(test_dhcp_rejects),
	    cmocka_unit_test(test_dhcp_overload), cmocka_unit_test(test_http_header),
	    cmocka_unit_test(test_tcp_options),	  cmocka_unit_test(test_netif_rx),
	    cmocka_unit_test(test_addresses),	  cmocka_unit_test(test_checksum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
