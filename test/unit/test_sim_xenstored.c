// SPDX-License-Identifier: MIT
/*
 * The sandbox's simulated xenstored, driven through a hand-written ring:
 * framing (split, wrapped, batched, oversized requests), replies and errors,
 * permissions, watches, transactions and the reply faults.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "../../arch/sandbox/sim/sim_internal.h"
#include "../../arch/sandbox/sim/xenstored.h"

#define PORT 1

static struct xenstore_domain_interface *ring;
static unsigned int notified, violations;

/* ---- what xenstored.c needs from the rest of the simulator ---- */
void sim_log(const char *fmt, ...)
{
}
void sim_violation(const char *fmt, ...)
{
	violations++;
}
void sim_note_activity(void)
{
}
uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
void sim_evtchn_notify_guest(evtchn_port_t p)
{
	assert_int_equal(p, PORT);
	notified++;
}
bool sim_evtchn_backend_pending(evtchn_port_t p)
{
	return false;
}
evtchn_port_t sim_evtchn_alloc_pair(void)
{
	return PORT;
}
void *sim_magic_page(unsigned int which)
{
	return ring;
}
void sim_backend_register(struct sim_backend *be)
{
}
void sim_run_backends(void)
{
	xs_server_poll();
}
void sim_evtchn_on_notify(evtchn_port_t p, void (*fn)(void))
{
}

/* ---- the guest's side of the ring ---- */
static void put_bytes(const void *data, size_t len)
{
	const char *p = data;

	for (size_t i = 0; i < len; i++) {
		for (int tries = 0; ring->req_prod - ring->req_cons == XENSTORE_RING_SIZE;
		     tries++) {
			assert_true(tries < 3); /* the server must make room */
			xs_server_poll();
		}
		ring->req[MASK_XENSTORE_IDX(ring->req_prod)] = p[i];
		ring->req_prod++;
	}
}

static void send_msg(uint32_t type, uint32_t req_id, uint32_t tx_id, const void *payload,
		     size_t len)
{
	struct xsd_sockmsg h = {type, req_id, tx_id, len};

	put_bytes(&h, sizeof(h));
	put_bytes(payload, len);
}

/* Send "a\0b\0..." built from strings (each NUL-terminated on the wire). */
static void send_args(uint32_t type, uint32_t req_id, uint32_t tx_id, int n, ...)
{
	char buf[8192];
	size_t off = 0;
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		const char *s = va_arg(ap, const char *);
		size_t l = strlen(s) + 1;

		memcpy(buf + off, s, l);
		off += l;
	}
	va_end(ap);
	send_msg(type, req_id, tx_id, buf, off);
}

/* XS_WRITE: path\0 then the value without a NUL. */
static void send_write(uint32_t req_id, uint32_t tx_id, const char *path, const char *value)
{
	char buf[8192];
	size_t pl = strlen(path) + 1, vl = strlen(value);

	memcpy(buf, path, pl);
	memcpy(buf + pl, value, vl);
	send_msg(XS_WRITE, req_id, tx_id, buf, pl + vl);
}

static size_t rsp_avail(void)
{
	return ring->rsp_prod - ring->rsp_cons;
}

static void get_bytes(void *data, size_t len)
{
	char *p = data;

	for (size_t i = 0; i < len; i++) {
		while (!rsp_avail())
			xs_server_poll();
		p[i] = ring->rsp[MASK_XENSTORE_IDX(ring->rsp_cons)];
		ring->rsp_cons++;
	}
}

struct reply {
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

static void get_reply(struct reply *r)
{
	xs_server_poll();
	assert_true(rsp_avail() >= sizeof(r->h));
	get_bytes(&r->h, sizeof(r->h));
	assert_true(r->h.len <= XENSTORE_PAYLOAD_MAX);
	get_bytes(r->body, r->h.len);
	r->body[r->h.len] = '\0';
}

static void expect_reply(uint32_t type, uint32_t req_id, const char *body, size_t len)
{
	struct reply r;

	get_reply(&r);
	assert_int_equal(r.h.type, type);
	assert_int_equal(r.h.req_id, req_id);
	assert_int_equal(r.h.len, len);
	assert_memory_equal(r.body, body, len);
}

static void expect_error(uint32_t req_id, const char *err)
{
	expect_reply(XS_ERROR, req_id, err, strlen(err) + 1);
}

static void expect_ok(uint32_t type, uint32_t req_id)
{
	expect_reply(type, req_id, "OK", 3);
}

static int setup(void **state)
{
	ring = aligned_alloc(4096, 4096);
	assert_non_null(ring);
	sim_fault_clear();
	xs_server_reset();
	xs_server_attach(ring, PORT);
	assert_int_equal(xs_write_perms("/local/domain/1", "", "n0,r1"), 0);
	assert_int_equal(xs_write_perms("/local/domain/1/name", "guest", "n0,r1"), 0);
	assert_int_equal(xs_write_perms("/local/domain/1/data", "", "n1"), 0);
	assert_int_equal(xs_write_perms("/local/domain/0/backend/x", "secret", "n0"), 0);
	notified = violations = 0;
	return 0;
}

static int teardown(void **state)
{
	free(ring);
	return 0;
}

/* The flood faults: the ring stays full of what nobody asked for. */
static void test_flood_events_then_the_reply(void **state)
{
	struct reply r;
	unsigned int events = 0;

	assert_int_equal(sim_fault_add_checked("xs-flood-events"), 0);
	send_args(XS_READ, 9, 0, 1, "name");
	for (;;) {
		get_reply(&r);
		if (r.h.type != XS_WATCH_EVENT)
			break;
		assert_string_equal(r.body, "flood/path");
		assert_string_equal(r.body + strlen(r.body) + 1, "flood-token");
		events++;
	}
	/* The real reply gets through (here first), and the events never stop. */
	assert_int_equal(r.h.type, XS_READ);
	assert_int_equal(r.h.req_id, 9);
	for (int i = 0; i < 1000; i++, events++) {
		get_reply(&r);
		assert_int_equal(r.h.type, XS_WATCH_EVENT);
	}
	assert_true(events >= 1000);
}

static void test_flood_strays_starve_the_reply(void **state)
{
	struct reply r;

	assert_int_equal(sim_fault_add_checked("xs-flood-stray"), 0);
	send_args(XS_READ, 9, 0, 1, "name");
	for (int i = 0; i < 1000; i++) {
		get_reply(&r);
		assert_int_equal(r.h.type, XS_READ);
		assert_true(r.h.req_id != 9);
		assert_string_equal(r.body, "flood");
	}
}

/* dom0less: XenStore comes up late, and says so when it does. */
static void test_late_store(void **state)
{
	assert_int_equal(sim_fault_add_checked("xs-late"), 0);
	assert_int_equal(sim_xs_store_pfn(0x39001), ~0ULL);
	sim_fault_clear();
	assert_int_equal(sim_fault_add_checked("xs-late-unset"), 0);
	assert_int_equal(sim_xs_store_pfn(0x39001), 0);
	xs_server_poll(); /* not up: nothing served, nobody notified */
	assert_int_equal(notified, 0);
	sim_fault_clear(); /* init-dom0less has run */
	assert_int_equal(sim_xs_store_pfn(0x39001), 0x39001);
	xs_server_poll();
	assert_int_equal(notified, 1);
	send_args(XS_READ, 7, 0, 1, "name");
	expect_reply(XS_READ, 7, "guest", 5);
}

static void test_unconnected_store(void **state)
{
	assert_int_equal(sim_fault_add_checked("xs-unconnected"), 0);
	xs_server_attach(ring, PORT);
	assert_int_equal(ring->connection, XENSTORE_RECONNECT);
	assert_int_equal(sim_xs_store_pfn(0x39001), 0x39001); /* the page is there */
	send_args(XS_READ, 7, 0, 1, "name");
	xs_server_poll();
	assert_int_equal(ring->req_cons, 0); /* and nobody reads it */
	sim_fault_clear();
	xs_server_poll();
	assert_int_equal(ring->connection, XENSTORE_CONNECTED);
	assert_true(notified > 0);
	expect_reply(XS_READ, 7, "guest", 5);
}

static void test_read_absolute_and_relative(void **state)
{
	send_args(XS_READ, 7, 0, 1, "/local/domain/1/name");
	expect_reply(XS_READ, 7, "guest", 5); /* value without NUL, req_id echoed */
	send_args(XS_READ, 8, 0, 1, "name");
	expect_reply(XS_READ, 8, "guest", 5);
	assert_true(notified > 0);
	assert_int_equal(ring->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION,
			 XENSTORE_SERVER_FEATURE_RECONNECTION);
}

static void test_errors_are_errno_names(void **state)
{
	send_args(XS_READ, 1, 0, 1, "no/such");
	expect_error(1, "ENOENT");
	send_args(XS_READ, 2, 0, 1, "/local/domain/0/backend/x");
	expect_error(2, "EACCES");
	send_write(3, 0, "/local/domain/1/name", "mine");
	expect_error(3, "EACCES");
	send_args(XS_READ, 4, 0, 1, "bad//path");
	expect_error(4, "EINVAL");
	send_args(XS_READ, 5, 0, 1, "trailing/");
	expect_error(5, "EINVAL");
	send_msg(XS_READ, 6, 0, "no-nul", 6);
	expect_error(6, "EINVAL");
	send_args(XS_INTRODUCE, 9, 0, 1, "x");
	expect_error(9, "EACCES");
	send_args(XS_TYPE_COUNT + 5, 10, 0, 1, "x");
	expect_error(10, "EINVAL");
}

static void test_write_mkdir_directory_rm(void **state)
{
	send_write(1, 0, "data/a/b", "v1"); /* missing parent "a" created too */
	expect_ok(XS_WRITE, 1);
	send_args(XS_MKDIR, 2, 0, 1, "data/c");
	expect_ok(XS_MKDIR, 2);
	send_args(XS_DIRECTORY, 3, 0, 1, "data");
	expect_reply(XS_DIRECTORY, 3, "a\0c\0", 4); /* creation order */
	send_args(XS_READ, 4, 0, 1, "data/a/b");
	expect_reply(XS_READ, 4, "v1", 2);
	send_args(XS_GET_PERMS, 5, 0, 1, "data/a/b");
	expect_reply(XS_GET_PERMS, 5, "n1\0", 3); /* inherited, owned by the guest */
	send_args(XS_RM, 6, 0, 1, "data/a");
	expect_ok(XS_RM, 6);
	send_args(XS_READ, 7, 0, 1, "data/a/b");
	expect_error(7, "ENOENT");
	send_args(XS_RM, 8, 0, 1, "data/a"); /* gone, parent exists: xenstored says OK */
	expect_ok(XS_RM, 8);
	send_args(XS_RM, 9, 0, 1, "data/x/y");
	expect_error(9, "ENOENT");
	send_args(XS_DIRECTORY, 10, 0, 1, "data/c");
	expect_reply(XS_DIRECTORY, 10, "", 0);
}

static void test_directory_part(void **state)
{
	char name[40];
	struct reply r;
	size_t total = 0, off, l;
	unsigned int seen = 0;

	/* 300 children of ~20 bytes: more than one 4 KiB reply. */
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "/local/domain/1/data/child-%04d-xxxxxxx", i);
		assert_int_equal(sim_xs_write(name, ""), 0);
		total += strlen(name) - strlen("/local/domain/1/data/") + 1;
	}
	send_args(XS_DIRECTORY, 1, 0, 1, "data");
	expect_error(1, "E2BIG");
	for (off = 0;;) {
		char offs[16];
		size_t gl, p;
		bool last;

		snprintf(offs, sizeof(offs), "%zu", off);
		send_args(XS_DIRECTORY_PART, 2, 0, 2, "data", offs);
		get_reply(&r);
		assert_int_equal(r.h.type, XS_DIRECTORY_PART);
		gl = strlen(r.body) + 1; /* generation */
		assert_true(gl > 1);
		last = r.body[r.h.len - 1] == '\0' && r.body[r.h.len - 2] == '\0';
		for (p = gl; p < r.h.len - (last ? 1 : 0); p += l) {
			l = strlen(r.body + p) + 1;
			snprintf(name, sizeof(name), "child-%04u-xxxxxxx", seen);
			assert_string_equal(r.body + p, name);
			seen++;
			off += l;
		}
		if (last)
			break;
	}
	assert_int_equal(seen, 300);
	assert_int_equal(off, total);
	send_args(XS_DIRECTORY_PART, 3, 0, 2, "data", "999999");
	expect_error(3, "EINVAL");
}

static void test_set_perms_owner_only(void **state)
{
	send_write(1, 0, "data/p", "x");
	expect_ok(XS_WRITE, 1);
	send_msg(XS_SET_PERMS, 2, 0, "data/p\0n1\0r0\0", 13);
	expect_ok(XS_SET_PERMS, 2);
	send_args(XS_GET_PERMS, 3, 0, 1, "data/p");
	expect_reply(XS_GET_PERMS, 3, "n1\0r0\0", 6);
	send_msg(XS_SET_PERMS, 4, 0, "name\0b1\0", 8); /* owned by dom0 */
	expect_error(4, "EACCES");
	send_msg(XS_SET_PERMS, 5, 0, "data/p\0zz\0", 10);
	expect_error(5, "EINVAL");
}

static void test_framing_split_wrapped_batched(void **state)
{
	struct xsd_sockmsg h = {XS_READ, 11, 0, 5};

	/* Header in two pieces, payload later: nothing until the request is whole. */
	put_bytes(&h, 6);
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0);
	put_bytes((char *)&h + 6, sizeof(h) - 6);
	put_bytes("na", 2);
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0);
	put_bytes("me\0", 3);
	expect_reply(XS_READ, 11, "guest", 5);

	/* Enough traffic to wrap both rings several times, requests batched. */
	for (int round = 0; round < 40; round++) {
		for (int i = 0; i < 3; i++)
			send_args(XS_READ, 100 + i, 0, 1, "/local/domain/1/name");
		for (int i = 0; i < 3; i++)
			expect_reply(XS_READ, 100 + i, "guest", 5);
	}
	assert_int_equal(violations, 0);
}

static void test_long_reply_through_small_ring(void **state)
{
	char value[3001], path[] = "data/big";
	struct reply r;

	memset(value, 'z', 3000);
	value[3000] = '\0';
	send_write(1, 0, path, value);
	expect_ok(XS_WRITE, 1);
	send_args(XS_READ, 2, 0, 1, path);
	get_reply(&r); /* 3016 bytes through a 1 KiB ring: written as the guest consumes */
	assert_int_equal(r.h.len, 3000);
	assert_memory_equal(r.body, value, 3000);
}

static void test_oversized_request_is_a_violation(void **state)
{
	struct xsd_sockmsg h = {XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1};

	put_bytes(&h, sizeof(h));
	xs_server_poll();
	assert_int_equal(violations, 1);
	assert_int_equal(ring->error, XENSTORE_ERROR_PROTO);
	send_args(XS_READ, 2, 0, 1, "name");
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0); /* not served any more... */
	ring->connection = XENSTORE_RECONNECT;
	xs_server_poll(); /* ...until the guest asks for a fresh connection */
	assert_int_equal(ring->error, XENSTORE_ERROR_NONE);
	send_args(XS_READ, 3, 0, 1, "name");
	expect_reply(XS_READ, 3, "guest", 5);
	assert_int_equal(violations, 1);
}

static void test_bad_ring_index_is_a_violation(void **state)
{
	ring->req_prod = ring->req_cons + XENSTORE_RING_SIZE + 1;
	xs_server_poll();
	assert_int_equal(violations, 1);
	assert_int_equal(ring->error, XENSTORE_ERROR_RINGIDX);
}

static void expect_event(const char *path, const char *token)
{
	struct reply r;
	size_t pl = strlen(path) + 1;

	get_reply(&r);
	assert_int_equal(r.h.type, XS_WATCH_EVENT);
	assert_int_equal(r.h.req_id, 0);
	assert_int_equal(r.h.len, pl + strlen(token) + 1);
	assert_string_equal(r.body, path);
	assert_string_equal(r.body + pl, token);
}

static void test_watch_initial_change_and_unwatch(void **state)
{
	assert_int_equal(xs_write_perms("/local/domain/1/data/w/hidden", "x", "n0"), 0);
	send_args(XS_WATCH, 1, 0, 2, "data/w", "tok");
	expect_ok(XS_WATCH, 1);
	expect_event("data/w", "tok"); /* fires once when set, node or not */
	assert_int_equal(sim_xs_write("/local/domain/1/data/w/state", "4"), 0);
	expect_event("data/w/state", "tok"); /* relative watch: relative path */
	assert_int_equal(sim_xs_write("/local/domain/1/data/other", "1"), 0);
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0); /* not below the watch */
	assert_int_equal(sim_xs_write("/local/domain/1/data/w/hidden", "y"), 0);
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0); /* a node the guest may not read: no event */
	send_args(XS_WATCH, 2, 0, 2, "/local/domain/1/data/w", "abs");
	expect_ok(XS_WATCH, 2);
	expect_event("/local/domain/1/data/w", "abs");
	assert_int_equal(sim_xs_rm("/local/domain/1/data"), 0); /* parent removed */
	/* both watches see it: xenstored fires watches below a removed node */
	{
		struct reply a, b;

		get_reply(&a);
		get_reply(&b);
		assert_int_equal(a.h.type, XS_WATCH_EVENT);
		assert_int_equal(b.h.type, XS_WATCH_EVENT);
	}
	send_args(XS_UNWATCH, 3, 0, 2, "data/w", "tok");
	expect_ok(XS_UNWATCH, 3);
	send_args(XS_UNWATCH, 4, 0, 2, "data/w", "tok");
	expect_error(4, "ENOENT");
	send_args(XS_WATCH, 5, 0, 2, "/local/domain/1/data/w", "abs");
	expect_error(5, "EEXIST");
}

static uint32_t tx_start(void)
{
	struct reply r;

	send_args(XS_TRANSACTION_START, 50, 0, 1, "");
	get_reply(&r);
	assert_int_equal(r.h.type, XS_TRANSACTION_START);
	assert_int_equal(r.h.len, strlen(r.body) + 1);
	return strtoul(r.body, NULL, 10);
}

static void test_transaction_commit_isolated(void **state)
{
	uint32_t t = tx_start();

	assert_true(t != 0);
	send_write(1, t, "data/t", "in-tx");
	expect_reply(XS_WRITE, 1, "OK", 3);
	send_args(XS_READ, 2, 0, 1, "data/t");
	expect_error(2, "ENOENT"); /* not visible outside before commit */
	send_args(XS_READ, 3, t, 1, "data/t");
	expect_reply(XS_READ, 3, "in-tx", 5);
	send_args(XS_TRANSACTION_END, 4, t, 1, "T");
	expect_ok(XS_TRANSACTION_END, 4);
	send_args(XS_READ, 5, 0, 1, "data/t");
	expect_reply(XS_READ, 5, "in-tx", 5);
	send_args(XS_TRANSACTION_END, 6, t, 1, "T");
	expect_error(6, "ENOENT"); /* ended already */
}

static void test_transaction_conflict_and_abort(void **state)
{
	uint32_t t = tx_start(), u;

	send_args(XS_READ, 1, t, 1, "name");
	expect_reply(XS_READ, 1, "guest", 5);
	send_write(2, t, "data/t2", "x");
	expect_ok(XS_WRITE, 2);
	assert_int_equal(sim_xs_write("/local/domain/1/name", "renamed"), 0);
	send_args(XS_TRANSACTION_END, 3, t, 1, "T");
	expect_error(3, "EAGAIN"); /* something it read changed */
	send_args(XS_READ, 4, 0, 1, "data/t2");
	expect_error(4, "ENOENT"); /* and nothing of it was applied */

	u = tx_start(); /* unrelated changes do not conflict */
	send_write(5, u, "data/t3", "y");
	expect_ok(XS_WRITE, 5);
	assert_int_equal(sim_xs_write("/local/domain/0/backend/x", "other"), 0);
	send_args(XS_TRANSACTION_END, 6, u, 1, "T");
	expect_ok(XS_TRANSACTION_END, 6);

	u = tx_start();
	send_write(7, u, "data/t4", "z");
	expect_ok(XS_WRITE, 7);
	send_args(XS_TRANSACTION_END, 8, u, 1, "F"); /* abort */
	expect_ok(XS_TRANSACTION_END, 8);
	send_args(XS_READ, 9, 0, 1, "data/t4");
	expect_error(9, "ENOENT");
	send_args(XS_READ, 10, 12345, 1, "name");
	expect_error(10, "ENOENT"); /* unknown transaction */
}

static void test_fault_eagain(void **state)
{
	uint32_t t;

	sim_fault_add("xs-eagain=2");
	for (int i = 0; i < 2; i++) {
		t = tx_start();
		send_args(XS_TRANSACTION_END, 1, t, 1, "T");
		expect_error(1, "EAGAIN");
	}
	t = tx_start();
	send_args(XS_TRANSACTION_END, 2, t, 1, "T");
	expect_ok(XS_TRANSACTION_END, 2);
}

static void test_fault_error_wrong_reqid_after(void **state)
{
	struct reply r;

	sim_fault_add("xs-after=1");
	sim_fault_add("xs-error=EACCES");
	send_args(XS_READ, 1, 0, 1, "name");
	expect_reply(XS_READ, 1, "guest", 5); /* the first reply is still good */
	send_args(XS_READ, 2, 0, 1, "name");
	expect_error(2, "EACCES");
	sim_fault_clear();
	sim_fault_add("xs-wrong-reqid");
	send_args(XS_READ, 3, 0, 1, "name");
	get_reply(&r);
	assert_int_not_equal(r.h.req_id, 3);
}

static void test_fault_garbage_oversize_truncated_stall(void **state)
{
	struct xsd_sockmsg h;
	struct reply r;

	sim_fault_add("xs-garbage");
	send_args(XS_READ, 1, 0, 1, "name");
	get_reply(&r);
	assert_true(r.h.type >= XS_TYPE_COUNT);
	sim_fault_clear();

	sim_fault_add("xs-oversize");
	send_args(XS_READ, 2, 0, 1, "name");
	xs_server_poll();
	get_bytes(&h, sizeof(h));
	assert_true(h.len > XENSTORE_PAYLOAD_MAX);
	ring->rsp_cons = ring->rsp_prod; /* a client gives up on the stream here */
	sim_fault_clear();

	sim_fault_add("xs-truncated");
	send_args(XS_READ, 3, 0, 1, "name");
	xs_server_poll();
	get_bytes(&h, sizeof(h));
	assert_int_equal(rsp_avail(), 5); /* "guest" only ... */
	assert_true(h.len > 5);		  /* ... of a longer announced payload */
	ring->rsp_cons = ring->rsp_prod;
	sim_fault_clear();

	sim_fault_add("xs-stall");
	send_args(XS_READ, 4, 0, 1, "name");
	for (int i = 0; i < 10; i++)
		xs_server_poll();
	assert_int_equal(rsp_avail(), 0);
	assert_int_equal(ring->req_cons, ring->req_prod); /* taken, never answered */
}

static void test_fault_drop_and_delay(void **state)
{
	uint64_t t0;

	sim_fault_add("xs-drop=2");
	send_args(XS_READ, 1, 0, 1, "name");
	send_args(XS_READ, 2, 0, 1, "name");
	send_args(XS_READ, 3, 0, 1, "name");
	expect_reply(XS_READ, 3, "guest", 5); /* 1 and 2 lost, 3 answered */
	sim_fault_clear();

	sim_fault_add("xs-delay=30");
	t0 = sim_now_ns();
	send_args(XS_READ, 4, 0, 1, "name");
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0); /* held back */
	while (!rsp_avail() && sim_now_ns() - t0 < 2000000000ull)
		xs_server_poll();
	expect_reply(XS_READ, 4, "guest", 5);
	assert_true(sim_now_ns() - t0 >= 30000000);
}

static void test_backend_change_polling(void **state)
{
	unsigned long gen = 0;

	assert_true(sim_xs_changed("/local/domain/1/data", &gen));
	assert_false(sim_xs_changed("/local/domain/1/data", &gen));
	send_write(1, 0, "data/s", "1");
	expect_ok(XS_WRITE, 1);
	assert_true(sim_xs_changed("/local/domain/1/data", &gen)); /* a child changed */
	assert_false(sim_xs_changed("/local/domain/1/data", &gen));
	char *v = sim_xs_read("/local/domain/1/data/s");
	assert_string_equal(v, "1");
	free(v);
	assert_null(sim_xs_read("/local/domain/1/data/none"));
}

static void test_reconnect_resets_the_connection(void **state)
{
	send_args(XS_WATCH, 1, 0, 2, "data", "t");
	expect_ok(XS_WATCH, 1);
	expect_event("data", "t");
	ring->connection = XENSTORE_RECONNECT;
	xs_server_poll();
	assert_int_equal(ring->connection, XENSTORE_CONNECTED);
	assert_int_equal(ring->req_prod, 0);
	assert_int_equal(sim_xs_write("/local/domain/1/data/q", "1"), 0);
	xs_server_poll();
	assert_int_equal(rsp_avail(), 0); /* the watch went with the old connection */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_absolute_and_relative, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flood_events_then_the_reply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_late_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unconnected_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flood_strays_starve_the_reply, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors_are_errno_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_mkdir_directory_rm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_set_perms_owner_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_directory_part, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_framing_split_wrapped_batched, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_reply_through_small_ring, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oversized_request_is_a_violation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_ring_index_is_a_violation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_watch_initial_change_and_unwatch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transaction_commit_isolated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transaction_conflict_and_abort, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fault_eagain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fault_error_wrong_reqid_after, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fault_garbage_oversize_truncated_stall, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_fault_drop_and_delay, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backend_change_polling, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reconnect_resets_the_connection, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
