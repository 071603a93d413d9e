// SPDX-License-Identifier: MIT
/*
 * Simulated netback, modelled on Linux's xen-netback: libxl's vif nodes,
 * the probe's features and InitWait, Connected only once the frontend is
 * Connected and the hotplug script said "connected", one TX and one RX
 * ring in copy mode, TX requests checked as netback checks them (a frame
 * crossing a page is fatal), frames for the guest queued until it posts RX
 * buffers, and notifications as the ring's event indexes ask. A frontend
 * that takes scatter-gather, GSO and checksum offload gets the HTTP
 * server's TCP segments uncut (up to 64 KiB: page-sized slots, a GSO
 * extra-info slot after the first), as dom0's stack hands them to netback. The frames
 * go to and come from netpeer.c. Faults (--sim-fault=net-*):
 *   net-no-rx-copy      do not offer feature-rx-copy
 *   net-no-hotplug      the hotplug script never reports: never Connected
 *   net-stall           stop serving both rings
 *   net-close-midway=N  after N frames from the guest go Closing, serve no more
 *   net-vanish=N        after N frames the backend's directory disappears
 *   net-detach[=N]      after N frames go Closing but keep serving, as netback
 *                       does after xl network-detach until the frontend lets go
 *   net-bad-id          RX responses carry an id never posted in that slot
 *   net-garbage         RX responses are random bytes
 *   net-oversize        RX responses claim a frame larger than a frame, past the page
 *   net-rsp-prod-garbage RX rsp_prod far ahead of the requests
 *   net-tx-bad-id       TX responses carry an id not in flight
 *   net-tx-error        TX responses say ERROR (the frame is dropped)
 *   net-multi           every frame comes in two slots (more_data): half, rest
 *   net-extra           every frame's first slot is followed by an extra-info slot
 *   net-csum-blank      UDP/TCP checksums left blank, flagged NETRXF_csum_blank
 *   net-drop=N          every Nth frame for the guest is lost
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netback.h"
#include "xenstored.h"

bool nb_fault(struct netback *nb, const char *name)
{
	return sim_fault(name);
}

long nb_fault_value(struct netback *nb, const char *name, long def)
{
	return sim_fault_value(name, def);
}

static void nb_write(struct netback *nb, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void nb_write(struct netback *nb, const char *key, const char *fmt, ...)
{
	char path[128], val[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", nb->vif->backend, key);
	sim_xs_write(path, val);
}

static bool nb_fe_u64(struct netback *nb, const char *key, uint64_t *v)
{
	char path[128], *s, *end;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", nb->vif->frontend, key);
	s = sim_xs_read(path);
	if (!s)
		return false;
	*v = strtoull(s, &end, 10);
	ok = *s && !*end;
	free(s);
	return ok;
}

static void nb_set_state(struct netback *nb, XenbusState st)
{
	nb->state = st;
	nb_write(nb, "state", "%d", st);
}

/* ---- toolstack and probe ------------------------------------------------------- */

static void nb_node(const char *dir, const char *key, const char *value, const char *perms)
{
	char path[128];

	snprintf(path, sizeof(path), "%s%s%s", dir, key[0] ? "/" : "", key);
	if (xs_write_perms(path, value, perms))
		sim_log("netback: cannot preload %s", path);
}

/* What libxl writes for vif = [...] before the guest runs (the frontend's dir is the guest's). */
static void nb_toolstack_nodes(struct netback *nb)
{
	const struct sim_vif *v = nb->vif;
	const char *fe = v->frontend, *be = v->backend;
	char mac[18], handle[12], domid[12];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1], v->mac[2],
		 v->mac[3], v->mac[4], v->mac[5]);
	snprintf(handle, sizeof(handle), "%u", v->index);
	snprintf(domid, sizeof(domid), "%d", SIM_GUEST_DOMID);
	nb_node("/local/domain/1/device/vif", "", "", "n0,r1");
	nb_node("/local/domain/0/backend/vif", "", "", "n0");
	nb_node("/local/domain/0/backend/vif/1", "", "", "n0");
	nb_node(fe, "", "", "n1,r0");
	nb_node(fe, "backend", be, "n1,r0");
	nb_node(fe, "backend-id", "0", "n1,r0");
	nb_node(fe, "state", "1", "n1,r0");
	nb_node(fe, "handle", handle, "n1,r0");
	nb_node(fe, "mac", mac, "n1,r0");
	nb_node(fe, "trusted", "1", "n1,r0");
	nb_node(be, "", "", "n0,r1");
	nb_node(be, "frontend", fe, "n0,r1");
	nb_node(be, "frontend-id", domid, "n0,r1");
	nb_node(be, "online", "1", "n0,r1");
	nb_node(be, "state", "1", "n0,r1");
	nb_node(be, "script", "/etc/xen/scripts/vif-bridge", "n0,r1");
	nb_node(be, "mac", mac, "n0,r1");
	nb_node(be, "bridge", "xenbr0", "n0,r1");
	nb_node(be, "handle", handle, "n0,r1");
	nb_node(be, "type", "vif", "n0,r1");
}

/* What xen-netback's probe publishes before InitWait. */
static void nb_probe(struct netback *nb)
{
	static const char *const on[] = {
	    "feature-sg",
	    "feature-gso-tcpv4",
	    "feature-gso-tcpv6",
	    "feature-ipv6-csum-offload",
	    "feature-multicast-control",
	    "feature-dynamic-multicast-control",
	    "feature-split-event-channels",
	    "feature-ctrl-ring",
	};

	for (size_t i = 0; i < ARRAY_SIZE(on); i++)
		nb_write(nb, on[i], "1");
	nb_write(nb, "feature-rx-copy", "%d", nb_fault(nb, "net-no-rx-copy") ? 0 : 1);
	nb_write(nb, "feature-rx-flip", "0");
	nb_write(nb, "multi-queue-max-queues", "2");
	nb_set_state(nb, XenbusStateInitWait);
	/* The hotplug script (vif-bridge) puts the vif on the bridge and reports. */
	if (!nb_fault(nb, "net-no-hotplug"))
		nb_write(nb, "hotplug-status", "connected");
}

/* ---- connection ------------------------------------------------------------------ */

static void nb_dequeue(struct netback *nb)
{
	free(nb->queue[nb->q_head].data);
	nb->queue[nb->q_head].data = NULL;
	nb->q_head = (nb->q_head + 1) % NB_QUEUE;
	nb->q_len--;
}

static void nb_unmap(struct netback *nb)
{
	if (nb->tx_page)
		sim_gnttab_unmap(nb->tx_ref);
	if (nb->rx_page)
		sim_gnttab_unmap(nb->rx_ref);
	nb->tx_page = nb->rx_page = NULL;
	nb->connected = false;
	while (nb->q_len)
		nb_dequeue(nb);
}

/* connect_data_rings() and read_xenbus_vif_flags() of netback, with their refusals. */
static int nb_connect(struct netback *nb)
{
	uint64_t tx, rx, port, v;
	char path[160], *hs;

	snprintf(path, sizeof(path), "%s/hotplug-status", nb->vif->backend);
	hs = sim_xs_read(path);
	if (!hs || strcmp(hs, "connected")) {
		free(hs);
		return -EAGAIN; /* netback waits for its hotplug script */
	}
	free(hs);
	if (!nb_fe_u64(nb, "tx-ring-ref", &tx) || !nb_fe_u64(nb, "rx-ring-ref", &rx) ||
	    !nb_fe_u64(nb, "event-channel", &port)) {
		sim_log("%s: frontend published no rings", nb->name);
		return -EINVAL;
	}
	if (!nb_fe_u64(nb, "request-rx-copy", &v) || v != 1) {
		sim_log("%s: frontend did not request rx-copy: refused, as netback does", nb->name);
		return -EINVAL;
	}
	if (!nb_fe_u64(nb, "feature-rx-notify", &v) || v != 1) {
		sim_log("%s: frontend lacks feature-rx-notify: refused, as netback does", nb->name);
		return -EINVAL;
	}
	nb->csum_offload = !(nb_fe_u64(nb, "feature-no-csum-offload", &v) && v == 1);
	nb->sg = nb_fe_u64(nb, "feature-sg", &v) && v == 1;
	/* As xenvif_fix_features(): TSO needs scatter-gather and checksum offload. */
	nb->gso = nb->sg && nb->csum_offload && nb_fe_u64(nb, "feature-gso-tcpv4", &v) && v == 1;
	nb->tx_ref = (grant_ref_t)tx;
	nb->rx_ref = (grant_ref_t)rx;
	nb->tx_page = sim_gnttab_map(nb->tx_ref, true);
	nb->rx_page = sim_gnttab_map(nb->rx_ref, true);
	if (!nb->tx_page || !nb->rx_page) {
		nb_unmap(nb);
		return -EINVAL;
	}
	BACK_RING_INIT(&nb->tx, (netif_tx_sring_t *)nb->tx_page, PAGE_SIZE);
	BACK_RING_INIT(&nb->rx, (netif_rx_sring_t *)nb->rx_page, PAGE_SIZE);
	nb->port = (evtchn_port_t)port;
	if (sim_evtchn_bind(nb->port)) {
		sim_violation("%s: cannot bind event channel %u", nb->name, nb->port);
		nb_unmap(nb);
		return -EINVAL;
	}
	nb->connected = true;
	return 0;
}

static void nb_frontend_changed(struct netback *nb)
{
	uint64_t fe;

	if (!nb_fe_u64(nb, "state", &fe))
		return;
	switch (fe) {
	case XenbusStateInitialising:
		if (nb->state == XenbusStateClosed && nb->detached) {
			sim_log("%s: detached, frontend let go", nb->name);
		} else if (nb->state == XenbusStateClosed) {
			char path[128], *left;

			snprintf(path, sizeof(path), "%s/tx-ring-ref", nb->vif->frontend);
			left = sim_xs_read(path);
			sim_log("%s: frontend reset%s, InitWait for the next one", nb->name,
				left ? " but left its tx-ring-ref" : " cleanly");
			free(left);
			nb->closed_midway =
			    false; /* a new connection: the fault may strike again */
			nb->tx_frames = nb->rx_frames = 0;
			nb_set_state(nb, XenbusStateInitWait);
		}
		break;
	case XenbusStateConnected:
		if (nb->state == XenbusStateInitWait) {
			int err = nb_connect(nb);

			if (!err)
				nb_set_state(nb, XenbusStateConnected);
			else if (err != -EAGAIN)
				nb_set_state(nb, XenbusStateClosing);
		}
		break;
	case XenbusStateClosing:
		if (nb->state != XenbusStateClosing && nb->state != XenbusStateClosed)
			nb_set_state(nb, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		if (nb->state != XenbusStateClosed) {
			nb_unmap(nb);
			nb_set_state(nb, XenbusStateClosed);
			sim_log("%s: frontend closed after %llu frames out, %llu in", nb->name,
				(unsigned long long)nb->tx_frames,
				(unsigned long long)nb->rx_frames);
		}
		break;
	default:
		break;
	}
}

/* ---- data ------------------------------------------------------------------------- */

void nb_deliver(struct netback *nb, const void *frame, size_t len)
{
	struct nb_frame *f;
	long every = nb_fault_value(nb, "net-drop", 0);
	uint8_t *data;

	if (!nb->connected || len > (nb->gso ? NB_RX_MAX : NB_FRAME_MAX) || nb->q_len == NB_QUEUE ||
	    (every > 0 && ++nb->offered % (uint64_t)every == 0))
		return;
	data = malloc(len);
	if (!data)
		return;
	memcpy(data, frame, len);
	f = &nb->queue[(nb->q_head + nb->q_len++) % NB_QUEUE];
	f->data = data;
	f->len = (uint32_t)len;
	f->flags = 0;
}

/* An IPv4 UDP/TCP frame with its checksum blanked, as a checksum-offloading sender leaves it. */
static void nb_blank_csum(struct nb_frame *f)
{
	uint8_t *ip = f->data + 14;
	size_t ihl;

	if (f->len < 14 + 20 || f->data[12] != 0x08 || f->data[13] != 0)
		return;
	ihl = (size_t)(ip[0] & 15) * 4;
	/* A sender that offloads checksums fills them in before it fragments (Linux does). */
	if ((ip[6] & 0x3f) || ip[7])
		return;
	if (ip[9] == 17 && f->len >= 14 + ihl + 8)
		ip[ihl + 6] = ip[ihl + 7] = 0x5a; /* garbage, not 0: must not be checked */
	else if (ip[9] == 6 && f->len >= 14 + ihl + 18)
		ip[ihl + 16] = ip[ihl + 17] = 0x5a;
	else
		return;
	f->flags |= NETRXF_csum_blank | NETRXF_data_validated;
}

static void nb_put_rx(struct netback *nb, const netif_rx_response_t *r)
{
	memcpy(RING_GET_RESPONSE(&nb->rx, nb->rx.rsp_prod_pvt), r, sizeof(*r));
	nb->rx.rsp_prod_pvt++;
}

/*
 * The slots a frame takes, as xenvif_rx_skb() lays it out: the data in
 * page-sized pieces from offset 0, and after the first one a GSO extra-info
 * slot for a segment longer than a wire frame. net-multi splits every frame
 * in two, net-extra adds an extra-info slot to every frame.
 */
static unsigned int nb_rx_pieces(struct netback *nb, const struct nb_frame *f)
{
	if (nb_fault(nb, "net-multi") && f->len > 1 && f->len <= PAGE_SIZE)
		return 2;
	return (unsigned int)DIV_ROUND_UP(f->len, PAGE_SIZE);
}

static bool nb_rx_extra(struct netback *nb, const struct nb_frame *f)
{
	return f->len > NB_FRAME_MAX || nb_fault(nb, "net-extra");
}

/* Take the next RX request and copy len bytes of the frame into its page. */
static int nb_rx_slot(struct netback *nb, const uint8_t *data, size_t len, netif_rx_response_t *r)
{
	netif_rx_request_t req;
	uint8_t *page;

	memcpy(&req, RING_GET_REQUEST(&nb->rx, nb->rx.req_cons), sizeof(req));
	nb->rx.req_cons++;
	memset(r, 0, sizeof(*r));
	r->id = req.id;
	if (!len)
		return 0;
	page = sim_gnttab_map(req.gref, true); /* netback's grant copy writes it */
	if (!page)
		return -EFAULT;
	memcpy(page, data, len);
	sim_gnttab_unmap(req.gref);
	r->status = (int16_t)len;
	return 0;
}

static void nb_rx(struct netback *nb)
{
	RING_IDX prod = __atomic_load_n(&nb->rx.sring->req_prod, __ATOMIC_ACQUIRE);
	int notify;
	bool any = false;

	if (prod - nb->rx.req_cons > RING_SIZE(&nb->rx)) {
		sim_violation("%s: rx req_prod %u runs more than a ring ahead of %u", nb->name,
			      prod, nb->rx.req_cons);
		nb->rx.req_cons = prod;
		return;
	}
	while (nb->q_len) {
		struct nb_frame *f = &nb->queue[nb->q_head];
		unsigned int pieces = nb_rx_pieces(nb, f), extra = nb_rx_extra(nb, f);
		size_t piece = pieces == 2 && f->len <= PAGE_SIZE ? f->len / 2 : PAGE_SIZE;
		size_t off = MIN(piece, f->len);
		netif_rx_response_t r;

		if (prod - nb->rx.req_cons < pieces + extra)
			break;
		if (nb->csum_offload || nb_fault(nb, "net-csum-blank"))
			nb_blank_csum(f);
		if (nb_rx_slot(nb, f->data, off, &r))
			return;
		r.flags = f->flags | (pieces > 1 ? NETRXF_more_data : 0) |
			  (extra ? NETRXF_extra_info : 0);
		if (nb_fault(nb, "net-bad-id"))
			r.id ^= 0x55;
		if (nb_fault(nb, "net-oversize")) /* more than a frame, and past the page */
			r.status = (int16_t)(PAGE_SIZE - 16), r.offset = 32;
		if (nb_fault(nb, "net-garbage")) {
			for (size_t i = 0; i < sizeof(r); i++)
				((uint8_t *)&r)[i] = (uint8_t)rand();
		}
		nb_put_rx(nb, &r);
		if (extra) {
			struct netif_extra_info *x = (struct netif_extra_info *)&r;

			nb_rx_slot(nb, NULL, 0, &r);
			memset(&r, 0, sizeof(r));
			if (f->len > NB_FRAME_MAX) {
				x->type = XEN_NETIF_EXTRA_TYPE_GSO;
				x->u.gso.size = NB_FRAME_MAX - 14 - 40;
				x->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
			} else {
				x->type = XEN_NETIF_EXTRA_TYPE_HASH;
			}
			nb_put_rx(nb, &r);
		}
		for (unsigned int k = 1; k < pieces; k++) {
			size_t n = k + 1 == pieces ? f->len - off : piece;

			if (nb_rx_slot(nb, f->data + off, n, &r))
				return;
			off += n;
			r.flags = k + 1 < pieces ? NETRXF_more_data : 0;
			nb_put_rx(nb, &r);
		}
		nb_dequeue(nb);
		nb->rx_frames++;
		any = true;
	}
	if (!any)
		return;
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&nb->rx, notify);
	if (nb_fault(nb, "net-rsp-prod-garbage"))
		nb->rx.sring->rsp_prod += 0x8000;
	if (notify)
		sim_evtchn_notify_guest(nb->port);
}

/* After xl network-detach netback is Closing, and its data path still runs. */
static bool nb_serving(struct netback *nb)
{
	return nb->state == XenbusStateConnected ||
	       (nb->state == XenbusStateClosing && nb->detached);
}

static void nb_tx_respond(struct netback *nb, uint16_t id, int16_t status)
{
	netif_tx_response_t r = {.id = id, .status = status};

	if (nb_fault(nb, "net-tx-bad-id"))
		r.id = (uint16_t)(id + 1000);
	if (nb_fault(nb, "net-tx-error"))
		r.status = NETIF_RSP_ERROR;
	memcpy(RING_GET_RESPONSE(&nb->tx, nb->tx.rsp_prod_pvt), &r, sizeof(r));
	nb->tx.rsp_prod_pvt++;
}

static void nb_tx(struct netback *nb)
{
	RING_IDX prod = __atomic_load_n(&nb->tx.sring->req_prod, __ATOMIC_ACQUIRE);
	int notify;
	bool any = false;

	if (prod - nb->tx.req_cons > RING_SIZE(&nb->tx)) {
		sim_violation("%s: tx req_prod %u runs more than a ring ahead of %u", nb->name,
			      prod, nb->tx.req_cons);
		nb->tx.req_cons = prod;
		return;
	}
	while (nb->tx.req_cons != prod && nb_serving(nb)) {
		netif_tx_request_t req;
		uint8_t frame[NB_FRAME_MAX];
		const uint8_t *page;

		memcpy(&req, RING_GET_REQUEST(&nb->tx, nb->tx.req_cons), sizeof(req));
		nb->tx.req_cons++;
		any = true;
		if (req.offset + req.size > PAGE_SIZE) {
			/* Linux netback disables the interface for this (xenvif_fatal_tx_err). */
			sim_violation("%s: TX frame of %u bytes at offset %u crosses its page",
				      nb->name, req.size, req.offset);
			nb_tx_respond(nb, req.id, NETIF_RSP_ERROR);
			continue;
		}
		if (req.flags & (NETTXF_more_data | NETTXF_extra_info)) {
			sim_violation("%s: multi-slot TX request (flags 0x%x) never negotiated",
				      nb->name, req.flags);
			nb_tx_respond(nb, req.id, NETIF_RSP_ERROR);
			continue;
		}
		if (req.size < 14 || req.size > NB_FRAME_MAX) {
			nb_tx_respond(nb, req.id, NETIF_RSP_ERROR);
			continue;
		}
		page = sim_gnttab_map(req.gref, false);
		if (!page) {
			nb_tx_respond(nb, req.id, NETIF_RSP_ERROR);
			continue;
		}
		memcpy(frame, page + req.offset, req.size);
		sim_gnttab_unmap(req.gref);
		nb_tx_respond(nb, req.id, NETIF_RSP_OKAY);
		nb->tx_frames++;
		if (!nb_fault(nb, "net-tx-error"))
			netpeer_input(nb->peer, frame, req.size);
		if (nb_fault(nb, "net-close-midway") && !nb->closed_midway &&
		    nb->tx_frames >= (uint64_t)nb_fault_value(nb, "net-close-midway", 4)) {
			sim_log("%s: fault net-close-midway: going Closing after %llu frames",
				nb->name, (unsigned long long)nb->tx_frames);
			nb->closed_midway = true;
			nb_set_state(nb, XenbusStateClosing);
		}
		if (nb_fault(nb, "net-detach") && !nb->detached &&
		    nb->tx_frames >= (uint64_t)nb_fault_value(nb, "net-detach", 1)) {
			sim_log("%s: fault net-detach: going Closing, still serving", nb->name);
			nb->detached = true;
			nb_set_state(nb, XenbusStateClosing);
		}
		if (nb_fault(nb, "net-vanish") && !nb->closed_midway &&
		    nb->tx_frames >= (uint64_t)nb_fault_value(nb, "net-vanish", 4)) {
			sim_log("%s: fault net-vanish: the backend's directory is gone", nb->name);
			nb->closed_midway = nb->vanished = true;
			sim_xs_rm(nb->vif->backend);
			nb_unmap(nb); /* its mappings went with it */
			break;
		}
	}
	if (!any || !nb->connected)
		return;
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&nb->tx, notify);
	if (notify)
		sim_evtchn_notify_guest(nb->port);
}

static void nb_poll(struct sim_backend *be)
{
	struct netback *nb = (struct netback *)be;
	char path[128];

	if (nb->vanished)
		return; /* as if dom0 unloaded netback: nothing answers any more */
	snprintf(path, sizeof(path), "%s/state", nb->vif->frontend);
	if (sim_xs_changed(path, &nb->fe_gen))
		nb_frontend_changed(nb);
	if (!nb->connected || nb->closed_midway || nb_fault(nb, "net-stall"))
		return;
	sim_evtchn_backend_pending(nb->port);
	nb_tx(nb);
	netpeer_poll(nb->peer);
	nb_rx(nb);
}

int sim_netback_attach(struct sim_vif *vif)
{
	struct netback *nb = calloc(1, sizeof(*nb));

	if (!nb)
		return -ENOMEM;
	nb->queue = calloc(NB_QUEUE, sizeof(*nb->queue));
	nb->vif = vif;
	nb->peer = nb->queue ? netpeer_new(nb) : NULL;
	if (!nb->peer) {
		free(nb->queue);
		free(nb);
		return -ENOMEM;
	}
	snprintf(nb->name, sizeof(nb->name), "netback%u", vif->index);
	nb->be.name = nb->name;
	nb->be.poll = nb_poll;
	nb_toolstack_nodes(nb);
	nb_probe(nb);
	sim_backend_register(&nb->be);
	return 0;
}
