// SPDX-License-Identifier: MIT
/*
 * XenStore client and XenBus helpers over a real xs_wire ring page, served
 * by a small fake xenstored in this file that can misbehave: wrong req_id,
 * oversized/truncated/garbage replies, error strings, watch events
 * interleaved with replies, stalls, impossible ring indexes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/interrupt.h>
#include <pvboot/xen/stats.h>
#include <pvboot/xen/xenbus.h>
#include <pvboot/xen/xenstore.h>
#include <pvboot/xen/xs_msg.h>
#include <xen/hvm/params.h>

#define STORE_PORT 3

/* ---- fake platform ---------------------------------------------------- */
static uint64_t now_ms;
static struct xenstore_domain_interface *intf;
static unsigned int notifications;
static void server_step(void);

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}
int hvm_get_param(int idx, uint64_t *value)
{
	if (idx == HVM_PARAM_STORE_PFN)
		*value = virt_to_pfn(intf);
	else if (idx == HVM_PARAM_STORE_EVTCHN)
		*value = STORE_PORT;
	else
		return -EINVAL;
	return 0;
}
static bool flooding(void);
static unsigned long flood_notifications;
/* A client that takes this many flood messages in one wait never looks at its clock. */
#define FLOOD_SPIN_LIMIT 1000000

int evtchn_send(evtchn_port_t port)
{
	assert_int_equal(port, STORE_PORT);
	notifications++;
	if (flooding()) {
		/* Taking a message costs time; the server refills at once, as on another CPU. */
		now_ms++;
		if (++flood_notifications > FLOOD_SPIN_LIMIT)
			fail_msg("the client spins on a flooding server past its deadline");
		server_step();
	}
	return 0;
}
bool evtchn_clear_pending(evtchn_port_t port)
{
	return false;
}
void arch_mb(void)
{
	__sync_synchronize();
}
void arch_rmb(void)
{
	__sync_synchronize();
}
void arch_wmb(void)
{
	__sync_synchronize();
}
/* Every poll loop passes here: time moves and the server runs. */
void arch_cpu_relax(void)
{
	now_ms++;
	server_step();
}
uint64_t deadline_ms(unsigned long ms)
{
	return now_ms + ms;
}
uint64_t timer_us(void)
{
	return now_ms * 1000;
}
int arch_map_xen_page(uint64_t pfn)
{
	assert_int_equal(pfn, virt_to_pfn(intf));
	return 0;
}
bool deadline_passed(uint64_t deadline)
{
	return now_ms >= deadline;
}
void mdelay(unsigned long ms)
{
	now_ms += ms;
	server_step();
}
static bool ctrlc_pressed;
/* Handed down as the layer above does; xen/ must not call the console's ctrlc(). */
static bool user_interrupt(void)
{
	return ctrlc_pressed;
}

/* ---- fake xenstored --------------------------------------------------- */
enum fault {
	F_NONE,
	F_WRONG_REQID,
	F_OVERSIZE,
	F_TRUNCATED,
	F_GARBAGE,
	F_ERROR,
	F_STALL,
	F_EVENT_FIRST, /* a watch event before every reply */
	F_BAD_PROD,
	F_FLOOD_STRAY,	/* the ring kept full of replies nobody asked for; ours starve */
	F_FLOOD_EVENTS, /* the ring kept full of events for a watch never set */
};
static enum fault fault;
static bool reads_only_when_drained; /* like a server that waits for reply room */
static const char *fault_error = "EACCES";
static unsigned int eagain_ends;		 /* transaction ends answered EAGAIN */
static uint32_t dir_limit = 4096;		 /* longer lists: E2BIG, as xenstored */
static unsigned int dir_gen = 1, bump_gen_after; /* change the generation mid-way */

#define MAX_NODES 64
static struct node {
	char path[128];
	char value[4200];
} nodes[MAX_NODES];
static char watch_path[128], watch_token[64];

static char out[16384]; /* reply bytes waiting for ring space */
static size_t out_len, out_pos;
static struct xs_rx req_rx;

static struct node *find(const char *path)
{
	for (int i = 0; i < MAX_NODES; i++)
		if (nodes[i].path[0] && !strcmp(nodes[i].path, path))
			return &nodes[i];
	return NULL;
}

static void node_set(const char *path, const char *value)
{
	struct node *n = find(path);

	for (int i = 0; !n && i < MAX_NODES; i++)
		if (!nodes[i].path[0])
			n = &nodes[i];
	assert_non_null(n);
	snprintf(n->path, sizeof(n->path), "%s", path);
	snprintf(n->value, sizeof(n->value), "%s", value);
}

static void emit(uint32_t type, uint32_t req_id, const void *payload, uint32_t len)
{
	struct xsd_sockmsg h = {.type = type, .req_id = req_id, .len = len};

	assert_true(out_len + sizeof(h) + len <= sizeof(out));
	memcpy(out + out_len, &h, sizeof(h));
	memcpy(out + out_len + sizeof(h), payload, len);
	out_len += sizeof(h) + len;
}

static void fire_watch(const char *path)
{
	char ev[256];
	int n;

	if (!watch_path[0] || strncmp(path, watch_path, strlen(watch_path)))
		return;
	n = snprintf(ev, sizeof(ev), "%s%c%s", path, 0, watch_token);
	emit(XS_WATCH_EVENT, 0, ev, n + 1);
}

/* Distinct next path components below dir, NUL separated. */
static void list_children(const char *dir, char *buf, uint32_t *len)
{
	size_t dl = strlen(dir);

	*len = 0;
	for (int i = 0; i < MAX_NODES; i++) {
		const char *p = nodes[i].path, *name, *end;
		size_t nl;
		bool seen = false;

		if (!p[0] || strncmp(p, dir, dl) || p[dl] != '/')
			continue;
		name = p + dl + 1;
		end = strchr(name, '/');
		nl = end ? (size_t)(end - name) : strlen(name);
		for (uint32_t pos = 0; pos < *len; pos += strlen(buf + pos) + 1)
			if (strlen(buf + pos) == nl && !memcmp(buf + pos, name, nl))
				seen = true;
		if (seen)
			continue;
		memcpy(buf + *len, name, nl);
		buf[*len + nl] = '\0';
		*len += nl + 1;
	}
}

static void handle(const struct xsd_sockmsg *h, const char *p)
{
	static char big[XENSTORE_PAYLOAD_MAX + 1000];
	uint32_t id = h->req_id, len;
	struct node *n;

	switch (fault) {
	case F_STALL:
	case F_FLOOD_STRAY:
		return;
	case F_WRONG_REQID:
		emit(h->type, id + 1, "OK", 3);
		return;
	case F_OVERSIZE:
		memset(big, 'x', sizeof(big));
		emit(h->type, id, big, sizeof(big));
		return;
	case F_TRUNCATED: {
		struct xsd_sockmsg t = {.type = h->type, .req_id = id, .len = 10};

		memcpy(out + out_len, &t, sizeof(t));
		memcpy(out + out_len + sizeof(t), "abcd", 4);
		out_len += sizeof(t) + 4;
		return;
	}
	case F_GARBAGE:
		for (int i = 0; i < 64; i++)
			out[out_len++] = (char)(0xa5 ^ (i * 37));
		return;
	case F_ERROR:
		emit(XS_ERROR, id, fault_error, strlen(fault_error) + 1);
		return;
	case F_BAD_PROD:
		intf->rsp_prod = intf->rsp_cons + XENSTORE_RING_SIZE + 5;
		return;
	case F_EVENT_FIRST:
		emit(XS_WATCH_EVENT, 0, "some/path\0evtok\0", 16);
		break;
	case F_FLOOD_EVENTS:
	case F_NONE:
		break;
	}
	switch (h->type) {
	case XS_READ:
		n = find(p);
		if (n)
			emit(XS_READ, id, n->value, strlen(n->value));
		else
			emit(XS_ERROR, id, "ENOENT", 7);
		break;
	case XS_WRITE:
		assert_true(strlen(p) < h->len);
		memcpy(big, p + strlen(p) + 1, h->len - strlen(p) - 1);
		big[h->len - strlen(p) - 1] = '\0';
		node_set(p, big);
		emit(XS_WRITE, id, "OK", 3);
		fire_watch(p);
		break;
	case XS_RM:
		n = find(p);
		if (n)
			n->path[0] = '\0';
		emit(n ? XS_RM : XS_ERROR, id, n ? "OK" : "ENOENT", n ? 3 : 7);
		break;
	case XS_DIRECTORY:
		list_children(p, big, &len);
		if (len > dir_limit || !dir_limit)
			emit(XS_ERROR, id, "E2BIG", 6);
		else
			emit(XS_DIRECTORY, id, big, len);
		break;
	case XS_DIRECTORY_PART: {
		/* Parts of at most 100 bytes of names: several requests. */
		uint32_t off = strtoul(p + strlen(p) + 1, NULL, 10), end, k;
		char part[200];
		int g;

		list_children(p, big, &len);
		if (bump_gen_after && !--bump_gen_after)
			dir_gen++;
		g = snprintf(part, sizeof(part), "%u", dir_gen) + 1;
		for (end = off; end < len && end - off + strlen(big + end) + 1 <= 100;)
			end += strlen(big + end) + 1;
		memcpy(part + g, big + off, end - off);
		k = g + end - off;
		if (end >= len)
			part[k++] = '\0';
		emit(XS_DIRECTORY_PART, id, part, k);
		break;
	}
	case XS_WATCH:
		snprintf(watch_path, sizeof(watch_path), "%s", p);
		snprintf(watch_token, sizeof(watch_token), "%s", p + strlen(p) + 1);
		emit(XS_WATCH, id, "OK", 3);
		fire_watch(p); /* xenstored fires once on registration */
		break;
	case XS_UNWATCH:
		watch_path[0] = '\0';
		emit(XS_UNWATCH, id, "OK", 3);
		break;
	case XS_TRANSACTION_START:
		emit(XS_TRANSACTION_START, id, "17", 3);
		break;
	case XS_TRANSACTION_END:
		assert_int_equal(h->tx_id, 17);
		if (eagain_ends) {
			eagain_ends--;
			emit(XS_ERROR, id, "EAGAIN", 7);
		} else {
			emit(XS_TRANSACTION_END, id, "OK", 3);
		}
		break;
	case XS_GET_PERMS:
		emit(XS_GET_PERMS, id, "n0\0r1\0", 6);
		break;
	default:
		emit(XS_ERROR, id, "ENOSYS", 7);
	}
}

static bool flooding(void)
{
	return fault == F_FLOOD_STRAY || fault == F_FLOOD_EVENTS;
}

/* Keep at least a ring's worth of unasked-for messages queued. */
static void flood_fill(void)
{
	static uint32_t stray_id = 0xf100d000;

	memmove(out, out + out_pos, out_len - out_pos);
	out_len -= out_pos;
	out_pos = 0;
	while (out_len < XENSTORE_RING_SIZE) {
		if (fault == F_FLOOD_STRAY)
			emit(XS_READ, stray_id++, "flood", 6);
		else
			emit(XS_WATCH_EVENT, 0, "flood/path\0flood-token\0", 23);
	}
}

static void server_step(void)
{
	bool done = false;

	/* Requests. */
	while (intf->req_cons != intf->req_prod &&
	       !(reads_only_when_drained && out_pos < out_len)) {
		char c;

		assert_int_equal(xs_ring_get(intf->req, &intf->req_cons, intf->req_prod, &c, 1), 1);
		assert_true(xs_rx_feed(&req_rx, &c, 1, &done) == 1);
		if (done) {
			handle(&req_rx.hdr, req_rx.payload);
			xs_rx_reset(&req_rx);
		}
	}
	if (flooding())
		flood_fill();
	/* Replies, as far as the ring has room. */
	if (out_pos < out_len && fault != F_BAD_PROD) {
		int n = xs_ring_put(intf->rsp, intf->rsp_cons, &intf->rsp_prod, out + out_pos,
				    out_len - out_pos);

		assert_true(n >= 0);
		out_pos += n;
		if (out_pos == out_len)
			out_pos = out_len = 0;
	}
}

static int setup(void **state)
{
	static struct xenstore_domain_interface *page;

	if (!page)
		page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	intf = page;
	memset(intf, 0, PAGE_SIZE);
	memset(nodes, 0, sizeof(nodes));
	watch_path[0] = '\0';
	fault = F_NONE;
	eagain_ends = 0;
	dir_limit = 4096;
	bump_gen_after = 0;
	reads_only_when_drained = false;
	flood_notifications = 0;
	out_len = out_pos = 0;
	xs_rx_reset(&req_rx);
	xen_set_interrupt_check(user_interrupt);
	node_set("domid", "1");
	node_set("name", "xenrig-0");
	node_set("device/vbd/51712/backend", "/local/domain/0/backend/vbd/1/51712");
	node_set("device/vbd/51712/backend-id", "0");
	node_set("device/vbd/51712/state", "1");
	node_set("device/vbd/51728/backend", "/local/domain/0/backend/vbd/1/51728");
	node_set("device/vbd/51728/backend-id", "0");
	node_set("/local/domain/0/backend/vbd/1/51712/state", "2");
	assert_int_equal(xenstore_connect(0), 0);
	return 0;
}

static int teardown(void **state)
{
	xenstore_teardown();
	return 0;
}

/* ---- tests ------------------------------------------------------------ */
static void test_read_write_rm(void **state)
{
	char *v;

	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	assert_string_equal(v, "xenrig-0");
	free(v);
	assert_int_equal(xenstore_write(XBT_NIL, "data/x", "hello"), 0);
	assert_int_equal(xenstore_read(XBT_NIL, "data/x", &v), 0);
	assert_string_equal(v, "hello");
	free(v);
	assert_int_equal(xenstore_rm(XBT_NIL, "data/x"), 0);
	assert_int_equal(xenstore_read(XBT_NIL, "data/x", &v), -ENOENT);
	assert_int_equal(xenstore_printf(XBT_NIL, "data/n", "%d-%s", 42, "z"), 0);
	assert_int_equal(xenstore_read(XBT_NIL, "data/n", &v), 0);
	assert_string_equal(v, "42-z");
	free(v);
}

static void test_large_value_wraps(void **state)
{
	static char val[4000];
	char *v;

	/* Larger than the 1 KiB ring: the request is written in pieces. */
	for (size_t i = 0; i < sizeof(val) - 1; i++)
		val[i] = 'a' + i % 26;
	for (int round = 0; round < 3; round++) {
		assert_int_equal(xenstore_write(XBT_NIL, "data/big", val), 0);
		assert_int_equal(xenstore_read(XBT_NIL, "data/big", &v), 0);
		assert_string_equal(v, val);
		free(v);
	}
}

static void test_directory(void **state)
{
	char **names;
	unsigned int n;

	assert_int_equal(xenstore_directory(XBT_NIL, "device/vbd", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "51712");
	assert_string_equal(names[1], "51728");
	xenstore_free_list(names, n);
}

static void test_directory_in_parts(void **state)
{
	char path[64], **names;
	unsigned int n;

	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "data/many/node-%02d", i);
		node_set(path, "x");
	}
	dir_limit = 50; /* force the parts protocol */
	assert_int_equal(xenstore_directory(XBT_NIL, "data/many", &names, &n), 0);
	assert_int_equal(n, 40);
	assert_string_equal(names[0], "node-00");
	assert_string_equal(names[39], "node-39");
	xenstore_free_list(names, n);
	/* The directory changes while we read it: read again, same result. */
	bump_gen_after = 3;
	assert_int_equal(xenstore_directory(XBT_NIL, "data/many", &names, &n), 0);
	assert_int_equal(n, 40);
	xenstore_free_list(names, n);
	/* Empty directory through parts. */
	dir_limit = 0;
	node_set("data/empty", "");
	assert_int_equal(xenstore_directory(XBT_NIL, "data/empty", &names, &n), 0);
	assert_int_equal(n, 0);
}

static void test_error_string(void **state)
{
	char *v;

	fault = F_ERROR;
	fault_error = "EACCES";
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), -EACCES);
	fault_error = "EWHATEVER";
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), -EPROTO);
	fault = F_NONE;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	free(v);
}

/* After each fault, the next request on a well-behaved server works again. */
static void expect_fault_then_recover(enum fault f, int want)
{
	struct xenstore_stats st;
	char *v = NULL;
	uint64_t t0 = now_ms;

	fault = f;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), want);
	assert_null(v);
	assert_true(now_ms - t0 <= CONFIG_XEN_WAIT_TIMEOUT_MS + 1000 + 10);
	fault = F_NONE;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	assert_string_equal(v, "xenrig-0");
	free(v);
	assert_int_equal(xenstore_get_stats(&st), 0);
}

static void test_wrong_reqid(void **state)
{
	struct xenstore_stats st;

	expect_fault_then_recover(F_WRONG_REQID, -EPROTO);
	xenstore_get_stats(&st);
	assert_true(st.wrong_reqid >= 1);
	assert_true(st.timeouts >= 1);
}

static void test_oversize(void **state)
{
	struct xenstore_stats st;

	expect_fault_then_recover(F_OVERSIZE, -E2BIG);
	xenstore_get_stats(&st);
	assert_true(st.proto_errors >= 1);
}

static void test_truncated(void **state)
{
	expect_fault_then_recover(F_TRUNCATED, -EPROTO);
}

static void test_garbage(void **state)
{
	struct xenstore_stats st;
	char *v = NULL;

	fault = F_GARBAGE;
	assert_true(xenstore_read(XBT_NIL, "name", &v) < 0);
	assert_null(v);
	fault = F_NONE;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	free(v);
	xenstore_get_stats(&st);
	assert_true(st.proto_errors >= 1);
}

static void test_stall_times_out(void **state)
{
	expect_fault_then_recover(F_STALL, -ETIMEDOUT);
}

static void test_ctrlc(void **state)
{
	char *v;

	fault = F_STALL;
	ctrlc_pressed = true;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), -EINTR);
	ctrlc_pressed = false;
}

/*
 * A server that keeps the reply ring full of answers to requests nobody made
 * (ours never come): the read ends at its deadline with a clear error instead
 * of taking strays forever.
 */
static void test_flood_of_strays_is_bounded(void **state)
{
	struct xenstore_stats st;
	char *v = NULL;
	uint64_t t0 = now_ms;

	fault = F_FLOOD_STRAY;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), -EPROTO);
	assert_null(v);
	assert_true(now_ms - t0 >= CONFIG_XEN_WAIT_TIMEOUT_MS);
	assert_true(now_ms - t0 <= CONFIG_XEN_WAIT_TIMEOUT_MS + 10);
	xenstore_get_stats(&st);
	assert_true(st.wrong_reqid > 100);
	/* Ctrl-C ends it too, at once. */
	ctrlc_pressed = true;
	t0 = now_ms;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), -EINTR);
	assert_true(now_ms - t0 <= 2);
	ctrlc_pressed = false;
	/* The server stops flooding: the next request works. */
	fault = F_NONE;
	out_len = out_pos = 0;
	intf->rsp_cons = intf->rsp_prod;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	assert_string_equal(v, "xenrig-0");
	free(v);
}

/*
 * Events for a watch nobody set, without end: replies still get through,
 * a watch wait ends at its deadline, events for a real watch are not pushed
 * out of the queue by the flood, and a backend-state wait ends at its bound.
 */
static void test_flood_of_events_is_bounded(void **state)
{
	struct xenbus_device dev;
	struct xenstore_stats st;
	char *v, *path;
	uint64_t t0;

	assert_int_equal(xenstore_watch("some", "evtok"), 0); /* fires once */
	fault = F_FLOOD_EVENTS;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	assert_string_equal(v, "xenrig-0");
	free(v);
	assert_int_equal(xenstore_wait_watch("evtok", &path, 500), 0);
	assert_string_equal(path, "some");
	free(path);
	t0 = now_ms;
	assert_int_equal(xenstore_wait_watch("evtok", &path, 500), -ETIMEDOUT);
	assert_true(now_ms - t0 >= 500 && now_ms - t0 <= 510);
	xenstore_get_stats(&st);
	assert_int_equal(st.events_queued, 0); /* nothing kept for a watch never set */

	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), 0);
	t0 = now_ms;
	assert_int_equal(xenbus_wait_otherend(&dev, 1u << XenbusStateConnected, 500), -ETIMEDOUT);
	assert_true(now_ms - t0 >= 500 && now_ms - t0 <= 700);
	ctrlc_pressed = true;
	assert_int_equal(xenstore_wait_watch("evtok", &path, 100000), -EINTR);
	ctrlc_pressed = false;
	fault = F_NONE;
	assert_int_equal(xenstore_unwatch("some", "evtok"), 0);
}

static void test_bad_ring_index(void **state)
{
	char *v;

	fault = F_BAD_PROD;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), -EPROTO);
	/* The server repairs its ring; we must not be stuck. */
	intf->rsp_prod = intf->rsp_cons;
	fault = F_NONE;
	assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
	free(v);
}

static void test_events_interleaved(void **state)
{
	char *v, *path;

	assert_int_equal(xenstore_watch("some", "evtok"), 0);
	fault = F_EVENT_FIRST;
	for (int i = 0; i < 5; i++) {
		assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
		assert_string_equal(v, "xenrig-0");
		free(v);
	}
	fault = F_NONE;
	/* Registration event + one before each reply, in order, none lost. */
	for (int i = 0; i < 6; i++) {
		assert_int_equal(xenstore_wait_watch("evtok", &path, 10), 0);
		assert_string_equal(path, i ? "some/path" : "some");
		free(path);
	}
	assert_int_equal(xenstore_wait_watch("evtok", &path, 10), -ETIMEDOUT);
	assert_int_equal(xenstore_unwatch("some", "evtok"), 0);
}

/* The server has more events than the reply ring holds and reads no request
 * until they are taken: sending must keep taking them or it deadlocks. */
static void test_events_while_sending(void **state)
{
	static char val[3000];
	char *v;

	memset(val, 'v', sizeof(val) - 1);
	assert_int_equal(xenstore_watch("some", "evtok"), 0);
	for (int i = 0; i < 60; i++)
		emit(XS_WATCH_EVENT, 0, "some/path\0evtok\0", 16);
	reads_only_when_drained = true;
	assert_int_equal(xenstore_write(XBT_NIL, "data/big", val), 0);
	assert_int_equal(xenstore_read(XBT_NIL, "data/big", &v), 0);
	assert_string_equal(v, val);
	free(v);
}

static void test_event_queue_bounded(void **state)
{
	struct xenstore_stats st, before;
	char *v;

	xenstore_get_stats(&before);				   /* counters run across tests */
	assert_int_equal(xenstore_watch("unrelated", "evtok"), 0); /* its own event: 1 */
	fault = F_EVENT_FIRST;
	for (int i = 0; i < 40; i++) {
		assert_int_equal(xenstore_read(XBT_NIL, "name", &v), 0);
		free(v);
	}
	fault = F_NONE;
	xenstore_get_stats(&st);
	assert_int_equal(st.events_queued, 32);
	assert_int_equal(st.events_dropped - before.events_dropped, 9);
	xenstore_teardown(); /* frees the queue */
	xenstore_get_stats(&st);
	assert_int_equal(st.events_queued, 0);
}

static void test_transaction_retry(void **state)
{
	xs_transaction_t t;
	int rc, tries = 0;

	eagain_ends = 2;
	do {
		assert_int_equal(xenstore_transaction_start(&t), 0);
		assert_int_equal(t, 17);
		assert_int_equal(xenstore_write(t, "data/t", "1"), 0);
		rc = xenstore_transaction_end(t, false);
		tries++;
	} while (rc == -EAGAIN && tries < 5);
	assert_int_equal(rc, 0);
	assert_int_equal(tries, 3);
}

static void test_perms_and_u64(void **state)
{
	char *p;
	uint64_t v;

	assert_int_equal(xenstore_get_perms(XBT_NIL, "name", &p), 0);
	assert_string_equal(p, "n0,r1");
	free(p);
	assert_int_equal(xenstore_read_u64(XBT_NIL, "device/vbd/51712/backend-id", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(xenstore_read_u64(XBT_NIL, "name", &v), -EINVAL);
}

/* ---- XenBus on top ---------------------------------------------------- */
static void test_xenbus_device_init(void **state)
{
	struct xenbus_device dev;
	char **ids;
	unsigned int n;

	assert_int_equal(xenbus_list_devices("vbd", &ids, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(xenbus_device_init(&dev, "vbd", ids[0]), 0);
	assert_string_equal(dev.nodename, "device/vbd/51712");
	assert_string_equal(dev.otherend, "/local/domain/0/backend/vbd/1/51712");
	assert_int_equal(dev.otherend_id, 0);
	xenstore_free_list(ids, n);
	assert_int_equal(xenbus_list_devices("vif", &ids, &n), 0);
	assert_int_equal(n, 0);
}

static void test_xenbus_rejects_bad_backend(void **state)
{
	struct xenbus_device dev;

	node_set("device/vbd/51712/backend-id", "32752"); /* DOMID_FIRST_RESERVED */
	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), -EINVAL);
	node_set("device/vbd/51712/backend-id", "0x0");
	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), -EINVAL);
	node_set("device/vbd/51712/backend-id", "0");
	node_set("device/vbd/51712/backend", "relative/path");
	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), -EINVAL);
	assert_int_equal(xenbus_device_init(&dev, "vbd", "../x"), -EINVAL);
}

static void test_xenbus_wait_and_states(void **state)
{
	struct xenbus_device dev;
	XenbusState s;
	uint64_t t0;
	char *v;

	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), 0);
	assert_int_equal(xenbus_read_otherend_state(&dev, &s), 0);
	assert_int_equal(s, XenbusStateInitWait);
	assert_int_equal(xenbus_switch_state(&dev, XenbusStateInitialised), 0);
	assert_int_equal(xenstore_read(XBT_NIL, "device/vbd/51712/state", &v), 0);
	assert_string_equal(v, "3");
	free(v);
	/* Already there. */
	assert_int_equal(xenbus_wait_otherend(&dev, 1u << XenbusStateInitWait, 1000),
			 XenbusStateInitWait);
	/* A backend that never connects: bounded. */
	t0 = now_ms;
	assert_int_equal(xenbus_wait_otherend(&dev, 1u << XenbusStateConnected, 500), -ETIMEDOUT);
	assert_true(now_ms - t0 >= 500 && now_ms - t0 < 1000);
	/* Impossible state values are errors, not array indexes. */
	node_set("/local/domain/0/backend/vbd/1/51712/state", "99");
	assert_int_equal(xenbus_read_otherend_state(&dev, &s), -EPROTO);
	assert_string_equal(xenbus_strstate(99), "Invalid");
	assert_string_equal(xenbus_strstate(XenbusStateConnected), "Connected");
}

static void test_xenbus_disconnect(void **state)
{
	struct xenbus_device dev;
	char *v;

	assert_int_equal(xenbus_device_init(&dev, "vbd", "51712"), 0);
	node_set("/local/domain/0/backend/vbd/1/51712/state", "6"); /* Closed */
	assert_int_equal(xenbus_disconnect(&dev, 1000), 0);
	assert_int_equal(xenstore_read(XBT_NIL, "device/vbd/51712/state", &v), 0);
	assert_string_equal(v, "1"); /* Initialising again */
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_write_rm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_value_wraps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_directory_in_parts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_error_string, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_reqid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stall_times_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ctrlc, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flood_of_strays_is_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flood_of_events_is_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_ring_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_events_interleaved, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_events_while_sending, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_event_queue_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transaction_retry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_perms_and_u64, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xenbus_device_init, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xenbus_rejects_bad_backend, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xenbus_wait_and_states, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xenbus_disconnect, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
