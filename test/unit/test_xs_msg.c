// SPDX-License-Identifier: MIT
/* xs_wire codec: framing, ring wrap-around, oversize, req_id, error strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pvboot/xen/xs_msg.h>

static char ring[XENSTORE_RING_SIZE];

/* A reply as xenstored would put it on the wire. */
static size_t make_msg(char *buf, uint32_t type, uint32_t req_id, const void *payload, uint32_t len)
{
	struct xsd_sockmsg h = {.type = type, .req_id = req_id, .len = len};

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, len);
	return sizeof(h) + len;
}

static void test_build_write_request(void **state)
{
	char out[XS_MSG_MAX];
	struct xs_part parts[2] = {{"device/vbd/51712/state", 23}, {"4", 1}};
	struct xsd_sockmsg h;
	int n = xs_msg_build(out, sizeof(out), XS_WRITE, 7, 3, parts, 2);

	assert_int_equal(n, sizeof(h) + 24);
	memcpy(&h, out, sizeof(h));
	assert_int_equal(h.type, XS_WRITE);
	assert_int_equal(h.req_id, 7);
	assert_int_equal(h.tx_id, 3);
	assert_int_equal(h.len, 24);
	/* Path with its NUL, value without one: what xenstored expects for XS_WRITE. */
	assert_memory_equal(out + sizeof(h), "device/vbd/51712/state\0004", 24);
}

static void test_build_too_big(void **state)
{
	static char big[XENSTORE_PAYLOAD_MAX + 1];
	char out[XS_MSG_MAX];
	struct xs_part p = {big, sizeof(big)};
	struct xs_part ok = {big, XENSTORE_PAYLOAD_MAX};
	struct xs_part two[2] = {{big, XENSTORE_PAYLOAD_MAX}, {"x", 1}};

	assert_int_equal(xs_msg_build(out, sizeof(out), XS_WRITE, 1, 0, &p, 1), -E2BIG);
	assert_int_equal(xs_msg_build(out, sizeof(out), XS_WRITE, 1, 0, two, 2), -E2BIG);
	assert_int_equal(xs_msg_build(out, sizeof(out), XS_WRITE, 1, 0, &ok, 1), XS_MSG_MAX);
	/* Output buffer too small is refused, not overrun. */
	assert_int_equal(xs_msg_build(out, 100, XS_WRITE, 1, 0, &ok, 1), -EINVAL);
}

static void test_ring_wraparound(void **state)
{
	char msg[64], back[64];
	XENSTORE_RING_IDX prod = 0xfffffff0u, cons = 0xfffffff0u; /* about to wrap 2^32 too */
	int n;

	for (int i = 0; i < 64; i++)
		msg[i] = (char)i;
	/* Place the data across the end of the ring buffer. */
	prod = cons = 0xfffffff0u - 40;
	n = xs_ring_put(ring, cons, &prod, msg, sizeof(msg));
	assert_int_equal(n, 64);
	assert_int_equal(prod - cons, 64);
	n = xs_ring_get(ring, &cons, prod, back, sizeof(back));
	assert_int_equal(n, 64);
	assert_memory_equal(msg, back, 64);
	assert_int_equal(cons, prod);
}

static void test_ring_full_and_partial(void **state)
{
	static char big[XENSTORE_RING_SIZE + 100];
	XENSTORE_RING_IDX prod = 5, cons = 5;
	char small[10];

	memset(big, 'a', sizeof(big));
	assert_int_equal(xs_ring_put(ring, cons, &prod, big, sizeof(big)), XENSTORE_RING_SIZE);
	assert_int_equal(xs_ring_put(ring, cons, &prod, big, 1), 0); /* full */
	assert_int_equal(xs_ring_get(ring, &cons, prod, small, sizeof(small)), 10);
	assert_int_equal(xs_ring_put(ring, cons, &prod, big, sizeof(big)), 10);
}

static void test_ring_hostile_indexes(void **state)
{
	XENSTORE_RING_IDX cons = 0, prod = XENSTORE_RING_SIZE + 1;
	char buf[8];

	/* The peer claims more data than the ring holds: refuse, copy nothing. */
	assert_int_equal(xs_ring_get(ring, &cons, prod, buf, sizeof(buf)), -EPROTO);
	assert_int_equal(cons, 0);
	cons = 100;
	prod = 50; /* consumer ahead of producer */
	assert_int_equal(xs_ring_get(ring, &cons, prod, buf, sizeof(buf)), -EPROTO);
	assert_int_equal(xs_ring_put(ring, 100, &prod, buf, sizeof(buf)), -EPROTO);
}

/* Feed a stream in pieces of `step` bytes; returns messages seen. */
static int feed_all(struct xs_rx *rx, const char *s, size_t len, size_t step, int *err,
		    struct xsd_sockmsg *last, char *last_payload)
{
	size_t pos = 0;
	int msgs = 0;

	*err = 0;
	while (pos < len) {
		bool done;
		int n = xs_rx_feed(rx, s + pos, MIN(step, len - pos), &done);

		if (n < 0) {
			*err = n;
			return msgs;
		}
		pos += n;
		if (done) {
			msgs++;
			*last = rx->hdr;
			memcpy(last_payload, rx->payload, rx->hdr.len + 1);
			xs_rx_reset(rx);
		}
	}
	return msgs;
}

static void test_rx_framing_any_split(void **state)
{
	static struct xs_rx rx;
	char stream[256], payload[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg last;
	size_t len = 0;
	int err;

	len += make_msg(stream + len, XS_READ, 1, "xenrig-0", 8);
	len += make_msg(stream + len, XS_WATCH_EVENT, 0, "backend/state\0tok\0", 18);
	len += make_msg(stream + len, XS_WRITE, 2, "OK", 3);
	for (size_t step = 1; step <= len; step++) {
		xs_rx_reset(&rx);
		assert_int_equal(feed_all(&rx, stream, len, step, &err, &last, payload), 3);
		assert_int_equal(err, 0);
		assert_int_equal(last.type, XS_WRITE);
		assert_int_equal(last.req_id, 2);
		assert_string_equal(payload, "OK");
	}
	/* A read value has no NUL on the wire: the assembler adds one. */
	xs_rx_reset(&rx);
	len = make_msg(stream, XS_READ, 1, "xenrig-0", 8);
	assert_int_equal(feed_all(&rx, stream, len, len, &err, &last, payload), 1);
	assert_string_equal(payload, "xenrig-0");
}

static void test_rx_oversize_rejected(void **state)
{
	static struct xs_rx rx;
	struct xsd_sockmsg h = {.type = XS_READ, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1};
	bool done;

	xs_rx_reset(&rx);
	assert_int_equal(xs_rx_feed(&rx, &h, sizeof(h), &done), -E2BIG);
	assert_false(done);
	h.len = UINT32_MAX;
	xs_rx_reset(&rx);
	assert_int_equal(xs_rx_feed(&rx, &h, sizeof(h), &done), -E2BIG);
	/* Exactly the maximum is fine. */
	h.len = XENSTORE_PAYLOAD_MAX;
	xs_rx_reset(&rx);
	assert_int_equal(xs_rx_feed(&rx, &h, sizeof(h), &done), sizeof(h));
	assert_true(xs_rx_partial(&rx));
}

static void test_rx_bad_type(void **state)
{
	static struct xs_rx rx;
	struct xsd_sockmsg h = {.type = XS_TYPE_COUNT, .len = 0};
	bool done;

	xs_rx_reset(&rx);
	assert_int_equal(xs_rx_feed(&rx, &h, sizeof(h), &done), -EPROTO);
	h.type = XS_INVALID;
	xs_rx_reset(&rx);
	assert_int_equal(xs_rx_feed(&rx, &h, sizeof(h), &done), -EPROTO);
}

static void test_rx_truncated_is_partial(void **state)
{
	static struct xs_rx rx;
	char stream[64];
	size_t first = make_msg(stream, XS_READ, 4, "abcdef", 6), len = first;
	bool done;

	xs_rx_reset(&rx);
	assert_int_equal(xs_rx_feed(&rx, stream, len - 2, &done), len - 2);
	assert_false(done);
	assert_true(xs_rx_partial(&rx));
	/* It stops at the message end and leaves the next message's bytes alone. */
	len += make_msg(stream + len, XS_READ, 5, "x", 1);
	assert_int_equal(xs_rx_feed(&rx, stream + first - 2, len - (first - 2), &done), 2);
	assert_true(done);
	assert_string_equal(rx.payload, "abcdef");
}

static void test_classify(void **state)
{
	struct xsd_sockmsg h = {.type = XS_READ, .req_id = 9};

	assert_int_equal(xs_rx_classify(&h, true, 9), XS_RX_REPLY);
	assert_int_equal(xs_rx_classify(&h, true, 8), XS_RX_STRAY);  /* wrong req_id */
	assert_int_equal(xs_rx_classify(&h, false, 9), XS_RX_STRAY); /* nobody waits */
	h.type = XS_WATCH_EVENT;
	assert_int_equal(xs_rx_classify(&h, true, 9), XS_RX_EVENT); /* even with our id */
	assert_int_equal(xs_rx_classify(&h, false, 0), XS_RX_EVENT);
}

static void test_error_strings(void **state)
{
	struct xsd_sockmsg h = {.type = XS_ERROR, .len = 7};

	assert_int_equal(xs_error_to_errno("ENOENT", 7), -ENOENT);
	assert_int_equal(xs_error_to_errno("EACCES", 7), -EACCES);
	assert_int_equal(xs_error_to_errno("EAGAIN", 7), -EAGAIN);
	assert_int_equal(xs_error_to_errno("E2BIG", 6), -E2BIG);
	assert_int_equal(xs_error_to_errno("EQUOTA", 7), -EPROTO); /* unknown */
	assert_int_equal(xs_error_to_errno("ENOENTX", 8), -EPROTO);
	assert_int_equal(xs_error_to_errno("ENO", 3), -EPROTO);	   /* prefix only */
	assert_int_equal(xs_error_to_errno("EINVAL", 6), -EINVAL); /* no NUL on the wire */
	assert_int_equal(xs_reply_check(&h, "EACCES", XS_READ), -EACCES);
	h.type = XS_DIRECTORY; /* an answer of another type */
	assert_int_equal(xs_reply_check(&h, "", XS_READ), -EPROTO);
	h.type = XS_READ;
	assert_int_equal(xs_reply_check(&h, "", XS_READ), 0);
}

static void test_split_strings(void **state)
{
	const char *s[4];

	assert_int_equal(xs_split_strings("51712\00051728\0", 12, s, 4), 2);
	assert_string_equal(s[0], "51712");
	assert_string_equal(s[1], "51728");
	assert_int_equal(xs_split_strings("", 0, s, 4), 0);
	assert_int_equal(xs_split_strings("abc", 3, s, 4), -EPROTO); /* unterminated */
	/* More strings than room: counted, only max stored. */
	assert_int_equal(xs_split_strings("a\0b\0c\0d\0e\0", 10, s, 4), 5);
	assert_int_equal(xs_split_strings("a\0b\0", 4, NULL, 0), 2);
}

static void test_watch_event(void **state)
{
	const char *path, *token;

	assert_int_equal(xs_parse_watch_event("a/b\0tok\0", 8, &path, &token), 0);
	assert_string_equal(path, "a/b");
	assert_string_equal(token, "tok");
	assert_int_equal(xs_parse_watch_event("a/b\0", 4, &path, &token), -EPROTO);
	assert_int_equal(xs_parse_watch_event("a/b\0tok", 7, &path, &token), -EPROTO);
}

static void test_dir_part(void **state)
{
	const char *gen, *names;
	uint32_t n;
	bool end;

	assert_int_equal(xs_dir_part_parse("7\0a\0b\0", 6, &gen, &names, &n, &end), 0);
	assert_string_equal(gen, "7");
	assert_int_equal(n, 4);
	assert_memory_equal(names, "a\0b\0", 4);
	assert_false(end);
	assert_int_equal(xs_dir_part_parse("7\0c\0\0", 5, &gen, &names, &n, &end), 0);
	assert_int_equal(n, 2);
	assert_true(end);
	assert_int_equal(xs_dir_part_parse("7\0\0", 3, &gen, &names, &n, &end), 0);
	assert_int_equal(n, 0); /* empty directory */
	assert_true(end);
	assert_int_equal(xs_dir_part_parse("7\0", 2, &gen, &names, &n, &end), -EPROTO);
	assert_int_equal(xs_dir_part_parse("7\0ab", 4, &gen, &names, &n, &end), -EPROTO);
	assert_int_equal(xs_dir_part_parse("77", 2, &gen, &names, &n, &end), -EPROTO);
	assert_int_equal(xs_dir_part_parse("\0a\0", 3, &gen, &names, &n, &end), -EPROTO);
}

static void test_parse_u64(void **state)
{
	uint64_t v;

	assert_int_equal(xs_parse_u64("51712", &v), 0);
	assert_int_equal(v, 51712);
	assert_int_equal(xs_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(xs_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(xs_parse_u64("", &v), -EINVAL);
	assert_int_equal(xs_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(xs_parse_u64("12a", &v), -EINVAL);
	assert_int_equal(xs_parse_u64(" 1", &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_build_write_request),
	    cmocka_unit_test(test_build_too_big),
	    cmocka_unit_test(test_ring_wraparound),
	    cmocka_unit_test(test_ring_full_and_partial),
	    cmocka_unit_test(test_ring_hostile_indexes),
	    cmocka_unit_test(test_rx_framing_any_split),
	    cmocka_unit_test(test_rx_oversize_rejected),
	    cmocka_unit_test(test_rx_bad_type),
	    cmocka_unit_test(test_rx_truncated_is_partial),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_error_strings),
	    cmocka_unit_test(test_split_strings),
	    cmocka_unit_test(test_watch_event),
	    cmocka_unit_test(test_dir_part),
	    cmocka_unit_test(test_parse_u64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
