// SPDX-License-Identifier: MIT
/*
 * The simulated xenstored's connection to the guest: the xs_wire ring at
 * HVM_PARAM_STORE_PFN. Requests are reassembled from the ring (split,
 * wrapped, batched) and handed to xs_handle(); replies and watch events
 * queue here and go out as the guest makes room. The reply faults act here,
 * on the byte stream, as a broken xenstored would.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sim_internal.h"
#include "xenstored.h"

#define HDR sizeof(struct xsd_sockmsg)

static struct xenstore_domain_interface *intf;
static evtchn_port_t port;
static uint8_t in_buf[HDR + XENSTORE_PAYLOAD_MAX];
static size_t in_len;
static uint8_t *out_buf;
static size_t out_len, out_cap;
static unsigned long replies_sent, dropped, flood_sent;
static uint64_t hold_until; /* xs-delay: no reply leaves before this time */
/* After a protocol violation xenstored serves the ring no more until the guest reconnects. */
static bool broken;

static void break_connection(uint32_t error)
{
	intf->error = error;
	broken = true;
}

static void out_append(const void *data, size_t len)
{
	if (out_len + len > out_cap) {
		size_t cap = out_cap ? out_cap : 4096;
		uint8_t *n;

		while (cap < out_len + len)
			cap *= 2;
		n = realloc(out_buf, cap);
		if (!n) {
			sim_log("xenstored: out of memory, reply dropped");
			return;
		}
		out_buf = n;
		out_cap = cap;
	}
	memcpy(out_buf + out_len, data, len);
	out_len += len;
}

static void out_msg(uint32_t type, uint32_t req_id, uint32_t tx_id, const void *data, size_t len)
{
	struct xsd_sockmsg h = {type, req_id, tx_id, len};

	out_append(&h, HDR);
	out_append(data, len);
}

/* The xs-* fault name is in force: set, and past the first xs-after good replies. */
static bool fault_active(const char *name)
{
	return sim_fault(name) && replies_sent >= (unsigned long)sim_fault_value("xs-after", 0);
}

/*
 * A flooding xenstored keeps the response ring full of messages nobody asked
 * for: replies to requests never made (xs-flood-stray), or watch events for a
 * watch never set (xs-flood-events). It refills whatever the guest takes
 * (sim_evtchn_on_notify), so a client that only checks its deadline when the
 * ring is empty never gets there.
 */
static void flood_fill(void)
{
	static const char event[] = "flood/path\0flood-token";
	bool stray = fault_active("xs-flood-stray");

	if (!stray && !fault_active("xs-flood-events"))
		return;
	while (out_len < XENSTORE_RING_SIZE) {
		if (stray) /* ids the guest never uses: it counts up from 1 */
			out_msg(XS_READ, 0xf100d000u + (uint32_t)(flood_sent & 0xfff), 0, "flood",
				6);
		else
			out_msg(XS_WATCH_EVENT, 0, 0, event, sizeof(event));
		flood_sent++;
	}
}

/* A reply as the faults in force turn it into. */
static void fault_reply(uint32_t type, uint32_t req_id, uint32_t tx_id, const void *data,
			size_t len)
{
	static const char junk[] = "\xff\xfe garbage \x01\x02";
	const char *err = sim_fault_string("xs-error");

	if (replies_sent++ < (unsigned long)sim_fault_value("xs-after", 0)) {
		out_msg(type, req_id, tx_id, data, len);
		return;
	}
	if (sim_fault("xs-stall") || sim_fault("xs-flood-stray"))
		return; /* the flood of strays starves the real replies */
	if (dropped < (unsigned long)sim_fault_value("xs-drop", 0)) {
		dropped++;
		return;
	}
	if (sim_fault("xs-delay")) /* everything queued waits until then */
		hold_until = sim_now_ns() + (uint64_t)sim_fault_value("xs-delay", 0) * 1000000;
	if (sim_fault("xs-wrong-reqid"))
		req_id += 0x1000;
	if (err) {
		out_msg(XS_ERROR, req_id, tx_id, err, strlen(err) + 1);
	} else if (sim_fault("xs-garbage")) {
		out_msg(0x7777, req_id ^ 0x5a5a, tx_id, junk, sizeof(junk));
	} else if (sim_fault("xs-oversize")) {
		struct xsd_sockmsg h = {type, req_id, tx_id, XENSTORE_PAYLOAD_MAX + 512};

		out_append(&h, HDR);
		out_append(data, len); /* and nothing more: the length itself is the fault */
	} else if (sim_fault("xs-truncated")) {
		struct xsd_sockmsg h = {type, req_id, tx_id, len + 64};

		out_append(&h, HDR);
		out_append(data, len);
	} else {
		out_msg(type, req_id, tx_id, data, len);
	}
}

void xs_reply(const struct xsd_sockmsg *req, uint32_t type, const void *data, size_t len)
{
	fault_reply(type, req->req_id, req->tx_id, data, len);
}

void xs_reply_ok(const struct xsd_sockmsg *req)
{
	xs_reply(req, req->type, "OK", 3);
}

static const char *errname(int err)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EINVAL";
}

void xs_reply_error(const struct xsd_sockmsg *req, int err)
{
	const char *s = errname(err < 0 ? -err : err);

	xs_reply(req, XS_ERROR, s, strlen(s) + 1);
}

/* Watch events: only a stalled server withholds them. */
void xs_send_event(const void *data, size_t len)
{
	if (sim_fault("xs-stall") && replies_sent >= (unsigned long)sim_fault_value("xs-after", 0))
		return;
	out_msg(XS_WATCH_EVENT, 0, 0, data, len);
}

static void read_requests(void)
{
	XENSTORE_RING_IDX cons = intf->req_cons,
			  prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
	bool consumed = false;

	if (prod - cons > XENSTORE_RING_SIZE) {
		sim_violation("xenstore ring: req_prod %u - req_cons %u > ring size", prod, cons);
		break_connection(XENSTORE_ERROR_RINGIDX);
		return;
	}
	while (cons != prod) {
		const struct xsd_sockmsg *h = (const void *)in_buf;
		size_t need = in_len < HDR ? HDR : HDR + h->len;
		size_t chunk = MIN(prod - cons, XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons));

		chunk = MIN(chunk, need - in_len);
		memcpy(in_buf + in_len, intf->req + MASK_XENSTORE_IDX(cons), chunk);
		in_len += chunk;
		cons += chunk;
		consumed = true;
		if (in_len == HDR && h->len > XENSTORE_PAYLOAD_MAX) {
			sim_violation("xenstore request type %u with len %u > XENSTORE_PAYLOAD_MAX",
				      h->type, h->len);
			break_connection(XENSTORE_ERROR_PROTO);
			break;
		}
		if (in_len >= HDR && in_len == HDR + h->len) {
			struct xsd_sockmsg req = *h;

			sim_note_activity();
			xs_handle(&req, (const char *)in_buf + HDR);
			in_len = 0;
		}
	}
	__atomic_store_n(&intf->req_cons, cons, __ATOMIC_RELEASE);
	if (consumed)
		sim_evtchn_notify_guest(port); /* the guest may be waiting for ring space */
}

static void write_replies(void)
{
	XENSTORE_RING_IDX prod = intf->rsp_prod,
			  cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
	size_t done = 0;

	flood_fill();
	if (!out_len || sim_now_ns() < hold_until)
		return;
	if (prod - cons > XENSTORE_RING_SIZE) {
		sim_violation("xenstore ring: rsp_prod %u - rsp_cons %u > ring size", prod, cons);
		break_connection(XENSTORE_ERROR_RINGIDX);
		return;
	}
	while (done < out_len && prod - cons < XENSTORE_RING_SIZE) {
		size_t chunk = MIN(XENSTORE_RING_SIZE - (prod - cons),
				   XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod));

		chunk = MIN(chunk, out_len - done);
		memcpy(intf->rsp + MASK_XENSTORE_IDX(prod), out_buf + done, chunk);
		prod += chunk;
		done += chunk;
	}
	if (!done)
		return;
	memmove(out_buf, out_buf + done, out_len - done);
	out_len -= done;
	__atomic_store_n(&intf->rsp_prod, prod, __ATOMIC_RELEASE);
	sim_evtchn_notify_guest(port);
}

/*
 * A dom0less domain's XenStore comes up only once init-dom0less has run in
 * dom0: until then HVM_PARAM_STORE_PFN is ~0 (xs-late) or unset
 * (xs-late-unset), or the page is there but says XENSTORE_RECONNECT
 * (xs-unconnected). With =MS it comes up MS ms after the start, without a
 * value when the fault is cleared; then the port is notified, as xenstored
 * does when it takes the domain on.
 */
static uint64_t start_ns;

static bool not_up_by(const char *fault)
{
	long ms;

	if (!sim_fault(fault))
		return false;
	ms = sim_fault_value(fault, -1);
	return ms < 0 || sim_now_ns() - start_ns < (uint64_t)ms * 1000000;
}

static bool store_up(void)
{
	return !not_up_by("xs-late") && !not_up_by("xs-late-unset") && !not_up_by("xs-unconnected");
}

uint64_t sim_xs_store_pfn(uint64_t pfn)
{
	if (not_up_by("xs-late"))
		return ~0ULL;
	if (not_up_by("xs-late-unset"))
		return 0;
	return pfn;
}

/* false while XenStore is not up; the moment it comes up, connect and notify. */
static bool came_up(void)
{
	static bool was_down;

	if (!store_up()) {
		was_down = true;
		return false;
	}
	if (was_down) {
		was_down = false;
		__atomic_store_n(&intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
		sim_evtchn_notify_guest(port);
	}
	return true;
}

static void xenstored_poll(struct sim_backend *be)
{
	if (!intf)
		return;
	if (!came_up()) {
		sim_evtchn_backend_pending(port);
		return;
	}
	if (__atomic_load_n(&intf->connection, __ATOMIC_ACQUIRE) == XENSTORE_RECONNECT) {
		/* The guest asks for a fresh connection: forget everything in flight. */
		xs_forget_connection();
		in_len = out_len = 0;
		intf->req_cons = intf->req_prod = intf->rsp_cons = intf->rsp_prod = 0;
		intf->error = XENSTORE_ERROR_NONE;
		broken = false;
		__atomic_store_n(&intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
		sim_evtchn_notify_guest(port);
	}
	sim_evtchn_backend_pending(port); /* polled anyway: the flag only says "look" */
	if (broken)
		return;
	read_requests();
	write_replies();
}

static struct sim_backend xenstored_backend = {.name = "xenstored", .poll = xenstored_poll};

/*
 * A flooding server refills the ring at once, as xenstored on another CPU
 * would. A guest kept that busy never reaches its idle loops, where the
 * simulated backends run: run them all here, as other CPUs would.
 */
static void on_guest_notify(void)
{
	if (sim_fault("xs-flood-stray") || sim_fault("xs-flood-events"))
		sim_run_backends();
}

void xs_ring_reset(void)
{
	replies_sent = dropped = flood_sent = 0;
	hold_until = 0;
	in_len = out_len = 0;
	broken = false;
}

void xs_server_attach(struct xenstore_domain_interface *ring, evtchn_port_t p)
{
	intf = ring;
	port = p;
	memset(intf, 0, sizeof(*intf));
	intf->server_features =
	    XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;
	/* As newer Xen leaves a dom0less domain's page until xenstored takes it on. */
	intf->connection = sim_fault("xs-unconnected") ? XENSTORE_RECONNECT : XENSTORE_CONNECTED;
}

void xs_server_poll(void)
{
	xenstored_poll(&xenstored_backend);
}

static evtchn_port_t store_port;

evtchn_port_t sim_xenstore_port(void)
{
	return store_port;
}

void sim_xenstored_init(void)
{
	start_ns = sim_now_ns();
	xs_server_reset();
	store_port = sim_evtchn_alloc_pair();
	xs_server_attach(sim_magic_page(SIM_XENSTORE_PAGE), store_port);
	sim_evtchn_on_notify(store_port, on_guest_notify);
	sim_backend_register(&xenstored_backend);
}
