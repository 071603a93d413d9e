// SPDX-License-Identifier: MIT
/*
 * IPv4 reassembly (net/ip_defrag.c) through ip_receive, with fragments
 * built here: a datagram in order, out of order and with an odd end is
 * handed to UDP (or TCP) once, exactly as sent; each hostile case (out of
 * bounds, misaligned, empty, overlapping, duplicated, a second end, another
 * datagram midway, late, stale) is dropped and counted, and never
 * delivers bytes that were not sent.
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

#define PEER 0x0a000001u
#define US 0x0a000002u
#define PORT 4000
#define MF 0x2000

static uint64_t now_us;

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
}
bool ctrlc(void)
{
	return false;
}

static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
static uint8_t dgram[CONFIG_NET_MAXDEFRAG + 8]; /* the UDP datagram sent */
static size_t dgram_len;
static uint8_t got[CONFIG_NET_MAXDEFRAG];
static size_t got_len;
static unsigned int deliveries;

static void on_udp(void *ctx, const struct ip_rx *rx, uint16_t sport, const uint8_t *d, size_t len)
{
	assert_true(len <= sizeof(got));
	memcpy(got, d, len);
	got_len = len;
	deliveries++;
}

/* A UDP datagram from PEER to US with n bytes of a pattern seeded by seed. */
static void make_udp(size_t n, uint8_t seed)
{
	uint16_t c;

	for (size_t i = 0; i < n; i++)
		dgram[UDP_HLEN + i] = (uint8_t)(seed + i * 7 + (i >> 8));
	dgram_len = UDP_HLEN + n;
	dgram[0] = 0x9c, dgram[1] = 0x40;
	dgram[2] = PORT >> 8, dgram[3] = PORT & 0xff;
	dgram[4] = (uint8_t)(dgram_len >> 8), dgram[5] = (uint8_t)dgram_len;
	dgram[6] = dgram[7] = 0;
	c = net_csum(dgram, dgram_len, net_pseudo_sum(PEER, US, IPPROTO_UDP, dgram_len));
	dgram[6] = (uint8_t)(c >> 8), dgram[7] = (uint8_t)c;
}

/* A fragment: len bytes of p at byte offset off (a multiple of 8 unless testing that). */
static int frag_raw(uint16_t id, uint8_t proto, uint32_t src, size_t off, bool more,
		    const uint8_t *p, size_t len, unsigned int flags)
{
	uint8_t f[IP_HLEN + 1500];
	struct ip_hdr *h = (struct ip_hdr *)f;
	struct ip_rx rx;

	assert_true(len <= 1480);
	memset(f, 0, IP_HLEN);
	h->ver_ihl = 0x45;
	h->len = be16((uint16_t)(IP_HLEN + len));
	h->id = be16(id);
	h->frag = be16((uint16_t)((off / 8) | (more ? MF : 0)));
	h->ttl = 64;
	h->proto = proto;
	h->src = be32(src);
	h->dst = be32(US);
	h->csum = be16(net_csum(h, IP_HLEN, 0));
	memcpy(f + IP_HLEN, p, len);
	return ip_receive(mac, f, IP_HLEN + len, flags, &rx);
}

/* Fragment [off, off + len) of dgram, MF set unless it reaches its end. */
static void frag(uint16_t id, size_t off, size_t len)
{
	frag_raw(id, IPPROTO_UDP, PEER, off, off + len < dgram_len, dgram + off, len, 0);
}

static bool delivered_exactly(void)
{
	return deliveries == 1 && got_len == dgram_len - UDP_HLEN &&
	       !memcmp(got, dgram + UDP_HLEN, got_len);
}

static int setup(void **state)
{
	static const uint8_t junk[16];

	memset(&net, 0, sizeof(net));
	net.cfg.ip = US;
	net.cfg.netmask = 0xffffff00u;
	/* Complete a datagram of our own: what the last test left is no partial one now. */
	frag_raw(0xffff, IPPROTO_UDP, PEER, 0, true, junk, 8, 0);
	frag_raw(0xffff, IPPROTO_UDP, PEER, 8, false, junk + 8, 8, 0);
	memset(&net.st, 0, sizeof(net.st));
	deliveries = 0;
	got_len = 0;
	udp_unbind(PORT);
	assert_int_equal(udp_bind(PORT, on_udp, NULL), 0);
	return 0;
}

static void test_in_order(void **state)
{
	make_udp(4000, 1); /* 4008 bytes: 1480 + 1480 + 1048 */
	frag(1, 0, 1480);
	frag(1, 1480, 1480);
	assert_int_equal(deliveries, 0);
	frag(1, 2960, 1048);
	assert_true(delivered_exactly());
	assert_int_equal(net.st.ip_frags, 3);
	assert_int_equal(net.st.ip_reassembled, 1);
	assert_int_equal(net.st.ip_frag_dropped, 0);
}

static void test_out_of_order_odd_end(void **state)
{
	make_udp(16384 + 4, 2); /* a 16384-byte TFTP block: 11 x 1480 + 116 */
	frag(2, 11 * 1480, 116);
	for (int i = 10; i >= 0; i -= 2)
		frag(2, (size_t)i * 1480, 1480);
	for (int i = 1; i < 11; i += 2)
		frag(2, (size_t)i * 1480, 1480);
	assert_true(delivered_exactly());
	/* Small pieces too: 8 bytes at a time, the last one 3. */
	make_udp(61, 3);
	for (size_t off = 0; off < dgram_len; off += 8)
		frag(3, off, MIN(8, dgram_len - off));
	assert_int_equal(deliveries, 2);
	assert_int_equal(got_len, 61);
	assert_memory_equal(got, dgram + UDP_HLEN, 61);
}

static void test_largest(void **state)
{
	size_t n = CONFIG_NET_MAXDEFRAG - UDP_HLEN, off;

	make_udp(n, 4);
	for (off = 0; off + 1480 < dgram_len; off += 1480)
		frag(4, off, 1480);
	frag(4, off, dgram_len - off);
	assert_true(delivered_exactly());
	/* One byte more than the buffer: refused, nothing delivered. */
	make_udp(n + 1, 5);
	for (off = 0; off + 1480 < dgram_len; off += 1480)
		frag(5, off, 1480);
	frag(5, off, dgram_len - off);
	assert_int_equal(deliveries, 1);
	assert_int_equal(net.st.ip_reassembled, 1);
	assert_true(net.st.ip_frag_dropped >= 1);
}

static void test_bounds(void **state)
{
	static const uint8_t junk[1480] = {1};

	make_udp(2000, 6);
	frag(6, 0, 1480);
	/* The largest offset the header can say (8191 x 8): far past the buffer. */
	frag_raw(6, IPPROTO_UDP, PEER, 8191 * 8, false, junk, 1480, 0);
	frag_raw(6, IPPROTO_UDP, PEER, 8191 * 8, true, junk, 8, 0);
	/* Empty, and not a multiple of 8 while more follow. */
	frag_raw(6, IPPROTO_UDP, PEER, 1480, false, junk, 0, 0);
	frag_raw(6, IPPROTO_UDP, PEER, 1480, true, junk, 0, 0);
	frag_raw(6, IPPROTO_UDP, PEER, 1480, true, junk, 100, 0);
	assert_int_equal(net.st.ip_frag_dropped, 5);
	assert_int_equal(deliveries, 0);
	/* None of them disturbed the datagram in progress. */
	frag(6, 1480, dgram_len - 1480);
	assert_true(delivered_exactly());
}

static void test_duplicate(void **state)
{
	make_udp(4000, 7);
	frag(8, 1480, 1480);
	frag(8, 1480, 1480); /* the same again: harmless, dropped */
	frag(8, 0, 1480);
	frag(8, 0, 1480);
	assert_int_equal(net.st.ip_frag_dropped, 2);
	frag(8, 2960, 1048);
	assert_true(delivered_exactly());
}

static void test_overlap(void **state)
{
	uint8_t other[1480];

	/* The same range again with other bytes: the datagram is gone, whatever follows. */
	make_udp(4000, 9);
	frag(9, 0, 1480);
	frag(9, 1480, 1480);
	memcpy(other, dgram + 1480, 1480);
	other[5] ^= 0xff;
	frag_raw(9, IPPROTO_UDP, PEER, 1480, true, other, 1480, 0);
	assert_int_equal(net.st.ip_frag_dropped, 3); /* the two held, and this one */
	frag(9, 2960, 1048);
	assert_int_equal(deliveries, 0);
	/* Partly over what is held, even with the same bytes: refused. */
	make_udp(4000, 10);
	frag(10, 0, 1480);
	frag(10, 1472, 1480);
	frag(10, 1480, 1480);
	frag(10, 2960, 1048);
	assert_int_equal(deliveries, 0);
	/* An overlap of the first fragment by a later one, from the end. */
	make_udp(4000, 11);
	frag(11, 2960, 1048);
	frag(11, 1480, 1480);
	frag(11, 8, 1480);
	frag(11, 0, 1480);
	assert_int_equal(deliveries, 0);
	assert_int_equal(net.st.ip_reassembled, 0);
}

static void test_two_ends(void **state)
{
	/* A second last fragment that says another end. */
	make_udp(4000, 12);
	frag(12, 2960, 1048);
	frag_raw(12, IPPROTO_UDP, PEER, 2960, false, dgram + 2960, 1040, 0);
	frag(12, 0, 1480);
	frag(12, 1480, 1480);
	assert_int_equal(deliveries, 0);
	/* An end before bytes already held. */
	make_udp(4000, 13);
	frag(13, 0, 1480);
	frag(13, 1480, 1480);
	frag_raw(13, IPPROTO_UDP, PEER, 1480, false, dgram + 1480, 8, 0);
	frag(13, 2960, 1048);
	assert_int_equal(deliveries, 0);
	/* A fragment past the end already known, as long as the hole it leaves: refused. */
	make_udp(4000, 14);
	frag(14, 2960, 1048);
	net.st.ip_frag_dropped = 0;
	frag_raw(14, IPPROTO_UDP, PEER, 4008, true, dgram, 1480, 0);
	assert_int_equal(net.st.ip_frag_dropped, 2);
	frag(14, 0, 1480);
	assert_int_equal(deliveries, 0);
	assert_int_equal(net.st.ip_reassembled, 0);
}

static void test_other_datagram(void **state)
{
	static const uint8_t junk[8];

	/* Another id, source or protocol midway: the old one is dropped, the new one goes on. */
	make_udp(4000, 15);
	frag(15, 0, 1480);
	frag(15, 1480, 1480);
	frag_raw(16, IPPROTO_UDP, PEER, 8, true, junk, 8, 0);
	assert_int_equal(net.st.ip_frag_dropped, 2);
	frag(15, 2960, 1048);
	frag_raw(15, IPPROTO_UDP, PEER + 1, 8, true, junk, 8, 0);
	frag_raw(15, IPPROTO_TCP, PEER, 8, true, junk, 8, 0);
	assert_int_equal(deliveries, 0);
	/* After all that, a whole datagram goes through. */
	make_udp(3000, 16);
	frag(17, 0, 1480);
	frag(17, 1480, 1480);
	frag(17, 2960, dgram_len - 2960);
	assert_true(delivered_exactly());
}

static void test_after_completion(void **state)
{
	make_udp(2000, 18);
	frag(18, 0, 1480);
	frag(18, 1480, dgram_len - 1480);
	assert_true(delivered_exactly());
	/* Copies of the fragments, late: not a second datagram. */
	frag(18, 1480, dgram_len - 1480);
	frag(18, 0, 1480);
	assert_int_equal(deliveries, 1);
	assert_int_equal(net.st.ip_frag_dropped, 2);
}

static void test_timeout(void **state)
{
	make_udp(4000, 19);
	frag(19, 0, 1480);
	frag(19, 1480, 1480);
	now_us += 1001 * 1000; /* more than a second later: the partial one is stale */
	frag(19, 2960, 1048);
	assert_int_equal(deliveries, 0);
	assert_int_equal(net.st.ip_frag_dropped, 2);
	/* Within the time it completes. */
	make_udp(4000, 20);
	frag(20, 0, 1480);
	now_us += 900 * 1000;
	frag(20, 1480, 1480);
	frag(20, 2960, 1048);
	assert_true(delivered_exactly());
}

static void test_checksum_and_dispatch(void **state)
{
	uint8_t seg[3000];
	struct ip_rx rx;
	uint8_t f[IP_HLEN + 1480];
	struct ip_hdr *h = (struct ip_hdr *)f;

	/* A backend's word for each frame is not a checksum of the whole: checked. */
	make_udp(2000, 21);
	dgram[100] ^= 1;
	frag_raw(21, IPPROTO_UDP, PEER, 0, true, dgram, 1480, ETH_RX_CSUM_TRUSTED);
	frag_raw(21, IPPROTO_UDP, PEER, 1480, false, dgram + 1480, dgram_len - 1480,
		 ETH_RX_CSUM_TRUSTED);
	assert_int_equal(net.st.ip_reassembled, 1);
	assert_int_equal(deliveries, 0);
	assert_int_equal(net.st.rx_bad, 1);
	/* TCP: handed back whole, as an unfragmented segment is. */
	memset(seg, 0x33, sizeof(seg));
	frag_raw(22, IPPROTO_TCP, PEER, 0, true, seg, 1480, 0);
	memset(f, 0, IP_HLEN);
	h->ver_ihl = 0x45;
	h->len = be16(IP_HLEN + 1000);
	h->id = be16(22);
	h->frag = be16(1480 / 8);
	h->proto = IPPROTO_TCP;
	h->src = be32(PEER);
	h->dst = be32(US);
	h->csum = be16(net_csum(h, IP_HLEN, 0));
	memcpy(f + IP_HLEN, seg, 1000);
	assert_int_equal(ip_receive(mac, f, IP_HLEN + 1000, 0, &rx), IPPROTO_TCP);
	assert_int_equal(rx.len, 2480);
	assert_int_equal(rx.src, PEER);
	assert_false(rx.csum_trusted);
	assert_int_equal(rx.data[2479], 0x33);
	/* An echo request larger than one reply frame: ignored, not answered (nor overrun). */
	memset(seg, 0, sizeof(seg));
	seg[0] = 8;
	put_be32(seg, 0x08000000u | net_csum(seg, 1580, 0));
	frag_raw(23, IPPROTO_ICMP, PEER, 0, true, seg, 1480, 0);
	frag_raw(23, IPPROTO_ICMP, PEER, 1480, false, seg + 1480, 100, 0);
	assert_int_equal(net.st.ip_reassembled, 3);
	assert_int_equal(net.st.tx_frames, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_in_order, setup),
	    cmocka_unit_test_setup(test_out_of_order_odd_end, setup),
	    cmocka_unit_test_setup(test_largest, setup),
	    cmocka_unit_test_setup(test_bounds, setup),
	    cmocka_unit_test_setup(test_duplicate, setup),
	    cmocka_unit_test_setup(test_overlap, setup),
	    cmocka_unit_test_setup(test_two_ends, setup),
	    cmocka_unit_test_setup(test_other_datagram, setup),
	    cmocka_unit_test_setup(test_after_completion, setup),
	    cmocka_unit_test_setup(test_timeout, setup),
	    cmocka_unit_test_setup(test_checksum_and_dispatch, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
