// SPDX-License-Identifier: MIT
/*
 * Xen PV network frontend, data path and lifetime. The RX ring is kept
 * full of granted pages that netback copies frames into; each response is
 * checked against the id we posted in its slot, and the frame is copied to
 * private memory before anyone parses it (the backend can still write the
 * page). TX frames are copied into small buffers in pages granted once,
 * read-only, and reclaimed by id. A ring that stops making sense, or a
 * backend that leaves, disables the device with a clear error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/device.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/netfront.h>
#include <pvboot/timer.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/xenstore.h>
#include "netfront_priv.h"

#define NF_STATE_CHECK_MS 500 /* between looks at the backend's state */
/*
 * For a free TX buffer. Generous: a busy host can keep a live backend (or,
 * in the sandbox, pvboot itself) off the CPU for seconds; a backend that
 * left is seen sooner, by its state.
 */
#define NF_TX_WAIT_MS 10000

static struct netfront_dev *nf_list;
static int nf_count;

static struct netfront_dev *to_nf(struct eth_dev *dev)
{
	return container_of(dev, struct netfront_dev, eth);
}

static int nf_end_grant(struct netfront_dev *nf, int ref)
{
	int ret;

	if (ref < 0)
		return 0;
	ret = gnttab_end_access((grant_ref_t)ref);
	if (ret == -EBUSY && !nf->leaked++)
		pr_err("%s: the backend did not let go of grant %d\n", nf->eth.name, ref);
	return ret;
}

/* ---- set-up and release ------------------------------------------------------ */

static int nf_grant(struct netfront_dev *nf, void *page, bool readonly)
{
	return gnttab_grant_access(nf->xb.otherend_id, virt_to_pfn(page), readonly);
}

static int nf_alloc_rings(struct netfront_dev *nf)
{
	int ret;

	nf->tx_ring_mem = arch_shared_alloc(PAGE_SIZE);
	nf->rx_ring_mem = arch_shared_alloc(PAGE_SIZE);
	if (!nf->tx_ring_mem || !nf->rx_ring_mem)
		return -ENOMEM;
	SHARED_RING_INIT((netif_tx_sring_t *)nf->tx_ring_mem);
	FRONT_RING_INIT(&nf->tx, (netif_tx_sring_t *)nf->tx_ring_mem, PAGE_SIZE);
	SHARED_RING_INIT((netif_rx_sring_t *)nf->rx_ring_mem);
	FRONT_RING_INIT(&nf->rx, (netif_rx_sring_t *)nf->rx_ring_mem, PAGE_SIZE);
	nf->tx_ring_ref = nf_grant(nf, nf->tx_ring_mem, false);
	if (nf->tx_ring_ref < 0)
		return nf->tx_ring_ref;
	nf->rx_ring_ref = nf_grant(nf, nf->rx_ring_mem, false);
	if (nf->rx_ring_ref < 0)
		return nf->rx_ring_ref;
	ret = evtchn_alloc_unbound(nf->xb.otherend_id, &nf->port);
	if (ret)
		return ret;
	nf->port_open = true;
	return 0;
}

static int nf_alloc_buffers(struct netfront_dev *nf)
{
	unsigned int i;
	int ref;

	/* A small domU gets fewer RX buffers rather than no network. */
	for (nf->nrx = NF_RX_BUFS; nf->nrx >= NF_MIN_RX_BUFS; nf->nrx /= 2) {
		nf->rx_pages = arch_shared_alloc((size_t)nf->nrx * PAGE_SIZE);
		if (nf->rx_pages)
			break;
	}
	nf->tx_pages = arch_shared_alloc((size_t)NF_TX_PAGES * PAGE_SIZE);
	if (!nf->rx_pages || !nf->tx_pages) {
		pr_err("%s: no memory for the packet buffers\n", nf->eth.name);
		return -ENOMEM;
	}
	for (i = 0; i < nf->nrx; i++) {
		ref = nf_grant(nf, nf->rx_pages + (size_t)i * PAGE_SIZE, false);
		if (ref < 0)
			return ref;
		nf->rx_ref[nf->nrx_granted++] = (grant_ref_t)ref;
		nf->free_rx[nf->nfree_rx++] = (uint16_t)i;
	}
	for (i = 0; i < NF_TX_PAGES; i++) {
		ref = nf_grant(nf, nf->tx_pages + (size_t)i * PAGE_SIZE, true);
		if (ref < 0)
			return ref;
		nf->tx_ref[nf->ntx_granted++] = (grant_ref_t)ref;
	}
	for (i = 0; i < NF_TX_BUFS; i++)
		nf->free_tx[nf->nfree_tx++] = (uint16_t)(NF_TX_BUFS - 1 - i);
	return 0;
}

/* Only once the backend let go (Closed), or never mapped anything. */
static void nf_release(struct netfront_dev *nf)
{
	bool rx_leak = false, tx_leak = false, ring_leak = false;

	nf->leaked = 0;
	if (nf->port_open) {
		evtchn_close(nf->port);
		nf->port_open = false;
	}
	while (nf->nrx_granted)
		rx_leak |= nf_end_grant(nf, (int)nf->rx_ref[--nf->nrx_granted]) != 0;
	while (nf->ntx_granted)
		tx_leak |= nf_end_grant(nf, (int)nf->tx_ref[--nf->ntx_granted]) != 0;
	ring_leak |= nf_end_grant(nf, nf->tx_ring_ref) != 0;
	ring_leak |= nf_end_grant(nf, nf->rx_ring_ref) != 0;
	nf->tx_ring_ref = nf->rx_ring_ref = -1;
	/* A page the backend still maps is never reused: it stays allocated. */
	if (!rx_leak && nf->rx_pages)
		arch_shared_free(nf->rx_pages, (size_t)nf->nrx * PAGE_SIZE);
	if (!tx_leak && nf->tx_pages)
		arch_shared_free(nf->tx_pages, (size_t)NF_TX_PAGES * PAGE_SIZE);
	if (!ring_leak) {
		if (nf->tx_ring_mem)
			arch_shared_free(nf->tx_ring_mem, PAGE_SIZE);
		if (nf->rx_ring_mem)
			arch_shared_free(nf->rx_ring_mem, PAGE_SIZE);
	}
	nf->rx_pages = nf->tx_pages = NULL;
	nf->tx_ring_mem = nf->rx_ring_mem = NULL;
	nf->nfree_rx = nf->nfree_tx = 0;
	if (nf->leaked)
		pr_err("%s: the backend still maps %u of our pages: they stay granted to it "
		       "(quarantined), and an OS cannot be started safely\n",
		       nf->eth.name, nf->leaked);
}

/* ---- RX ---------------------------------------------------------------------- */

/* Give every free buffer back to the backend; notify it if it asked. */
static void nf_post_rx(struct netfront_dev *nf)
{
	int notify;

	if (!nf->nfree_rx)
		return;
	while (nf->nfree_rx && !RING_FULL(&nf->rx)) {
		RING_IDX i = nf->rx.req_prod_pvt++;
		netif_rx_request_t *req = RING_GET_REQUEST(&nf->rx, i);
		uint16_t id = nf->free_rx[--nf->nfree_rx];

		nf->slot_id[i & (NF_RX_BUFS - 1)] = id;
		req->id = id;
		req->gref = nf->rx_ref[id];
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->rx, notify);
	if (notify) {
		nf->st.notifies++;
		evtchn_send(nf->port);
	}
}

static void nf_fail(struct netfront_dev *nf, const char *why)
{
	if (nf->failed)
		return;
	pr_err("%s: %s; device disabled\n", nf->eth.name, why);
	nf->failed = true;
}

/* The backend is closing: follow it to Closed so it lets go, then release ours. */
static void nf_backend_left(struct netfront_dev *nf)
{
	nf_fail(nf, "backend closed the device");
	netfront_xs_disconnect(nf);
	nf_release(nf);
}

/*
 * Every NF_STATE_CHECK_MS, busy or not, one look at the backend's state: a
 * netback told to go (xl network-detach) goes Closing but keeps the data
 * flowing, so silence cannot be what reveals it.
 * 0, -ENODEV (gone, let go of) or -EINTR (the state read saw a Ctrl-C).
 */
static int nf_check_backend(struct netfront_dev *nf)
{
	int gone;

	if (get_timer(nf->state_checked) < NF_STATE_CHECK_MS)
		return 0;
	nf->state_checked = get_timer(0);
	gone = xenbus_otherend_gone(&nf->xb);
	if (gone <= 0)
		return gone;
	nf_backend_left(nf);
	return -ENODEV;
}

/*
 * Copy a checked packet's fragments, each from the page posted in its slot,
 * into the private frame: the backend can still write those pages.
 */
static void nf_gather(struct netfront_dev *nf, const struct netif_rx_response *rsp,
		      const uint16_t *posted, const struct netif_rx_packet *pkt)
{
	size_t at = 0;

	for (unsigned int i = 0; i < pkt->slots; i = i ? i + 1 : pkt->frags) {
		size_t n = (size_t)rsp[i].status;

		memcpy(nf->frame + at, nf->rx_pages + (size_t)posted[i] * PAGE_SIZE + rsp[i].offset,
		       n);
		at += n;
	}
}

static int nf_poll(struct eth_dev *dev, eth_rx_fn rx, void *ctx, unsigned int budget)
{
	struct netfront_dev *nf = to_nf(dev);
	struct netif_rx_response rsp[NF_RX_BUFS];
	uint16_t posted[NF_RX_BUFS];
	unsigned int done = 0;
	RING_IDX prod;
	int ret;

	if (nf->failed || !nf->connected)
		return -ENODEV;
	ret = nf_check_backend(nf);
	if (ret)
		return ret;
	prod = READ_ONCE(nf->rx.sring->rsp_prod);
	arch_rmb(); /* responses after the index that announces them */
	if (netif_check_rsp_prod(nf->rx.rsp_cons, prod, nf->rx.req_prod_pvt)) {
		pr_err("%s: backend rx rsp_prod %u is impossible (consumed %u, posted %u)\n",
		       dev->name, prod, nf->rx.rsp_cons, nf->rx.req_prod_pvt);
		nf_fail(nf, "RX ring inconsistent");
		return -EPROTO;
	}
	while (nf->rx.rsp_cons != prod && done < budget) {
		unsigned int avail = prod - nf->rx.rsp_cons, i, n;
		struct netif_rx_packet pkt;
		enum netif_rx_verdict v;

		/*
		 * Private copies first: the shared slots are read exactly once. A
		 * packet normally takes one slot; only a chained one needs the rest.
		 */
		memcpy(&rsp[0], RING_GET_RESPONSE(&nf->rx, nf->rx.rsp_cons), sizeof(rsp[0]));
		n = rsp[0].flags & (NETRXF_more_data | NETRXF_extra_info) ? avail : 1;
		for (i = 0; i < n; i++) {
			RING_IDX idx = nf->rx.rsp_cons + i;

			if (i)
				memcpy(&rsp[i], RING_GET_RESPONSE(&nf->rx, idx), sizeof(rsp[i]));
			posted[i] = nf->slot_id[idx & (NF_RX_BUFS - 1)];
		}
		v = netif_rx_check(rsp, posted, n, ETH_RX_MAX, &pkt);
		/* Every posted buffer answered and still incomplete: it never will be. */
		if (v == NETIF_RX_INCOMPLETE && avail == nf->rx.req_prod_pvt - nf->rx.rsp_cons)
			v = NETIF_RX_BAD_ID;
		if (v == NETIF_RX_INCOMPLETE)
			break;
		if (v == NETIF_RX_BAD_ID) {
			pr_err("%s: %s (id %u in slot %u)\n", dev->name, netif_rx_verdict_str(v),
			       rsp[0].id, nf->rx.rsp_cons & (NF_RX_BUFS - 1));
			nf_fail(nf, "RX ring inconsistent");
			return -EPROTO;
		}
		if (v == NETIF_RX_OK) {
			unsigned int flags = pkt.flags & (NETRXF_data_validated | NETRXF_csum_blank)
						 ? ETH_RX_CSUM_TRUSTED
						 : 0;

			nf_gather(nf, rsp, posted, &pkt);
			dev->st.rx_packets++;
			dev->st.rx_bytes += pkt.len;
			if (pkt.slots > pkt.frags || pkt.frags > 1) {
				nf->st.rx_multi++;
				nf->st.rx_largest = MAX(nf->st.rx_largest, pkt.len);
			}
			rx(ctx, nf->frame, pkt.len, flags);
		} else {
			dev->st.rx_dropped++;
			if (v == NETIF_RX_OVERSIZE)
				nf->st.rx_oversize++;
			else
				nf->st.rx_errors++;
		}
		/* Every slot of the packet frees the buffer posted in it. */
		for (i = 0; i < pkt.slots; i++) {
			RING_IDX idx = nf->rx.rsp_cons + i;

			nf->free_rx[nf->nfree_rx++] = nf->slot_id[idx & (NF_RX_BUFS - 1)];
		}
		nf->rx.rsp_cons += pkt.slots;
		done++;
		if (nf->failed)
			return -ENODEV; /* the receive handler's send found the device gone */
	}
	nf_post_rx(nf);
	return (int)done;
}

/* ---- TX ---------------------------------------------------------------------- */

static int nf_reap_tx(struct netfront_dev *nf)
{
	RING_IDX prod = READ_ONCE(nf->tx.sring->rsp_prod);

	arch_rmb();
	if (netif_check_rsp_prod(nf->tx.rsp_cons, prod, nf->tx.req_prod_pvt)) {
		pr_err("%s: backend tx rsp_prod %u is impossible (consumed %u, sent %u)\n",
		       nf->eth.name, prod, nf->tx.rsp_cons, nf->tx.req_prod_pvt);
		nf_fail(nf, "TX ring inconsistent");
		return -EPROTO;
	}
	while (nf->tx.rsp_cons != prod) {
		struct netif_tx_response r;

		memcpy(&r, RING_GET_RESPONSE(&nf->tx, nf->tx.rsp_cons), sizeof(r));
		nf->tx.rsp_cons++;
		if (r.status == NETIF_RSP_NULL)
			continue; /* the slot of an extra-info request: we send none, harmless */
		if (r.id >= NF_TX_BUFS || !nf->tx_busy[r.id]) {
			pr_err("%s: TX response for id %u that is not in flight\n", nf->eth.name,
			       r.id);
			nf_fail(nf, "TX ring inconsistent");
			return -EPROTO;
		}
		if (r.status != NETIF_RSP_OKAY) {
			nf->st.tx_errors++;
			nf->eth.st.tx_errors++;
		}
		nf->tx_busy[r.id] = false;
		nf->free_tx[nf->nfree_tx++] = r.id;
	}
	return 0;
}

static int nf_wait_event(struct netfront_dev *nf, unsigned long ms, bool rx);

static int nf_send(struct eth_dev *dev, const void *frame, size_t len)
{
	struct netfront_dev *nf = to_nf(dev);
	uint64_t deadline = deadline_ms(NF_TX_WAIT_MS);
	netif_tx_request_t *req;
	uint16_t id;
	int ret, notify;

	if (len > ETH_FRAME_MAX || len < ETH_HLEN)
		return -EMSGSIZE;
	for (;;) {
		if (nf->failed || !nf->connected)
			return -ENODEV;
		ret = nf_reap_tx(nf);
		if (ret)
			return ret;
		if (nf->nfree_tx && !RING_FULL(&nf->tx))
			break;
		if (deadline_passed(deadline)) {
			nf_fail(nf, "backend does not take our frames");
			return -ETIMEDOUT;
		}
		/* Only TX completions free a buffer: frames waiting on RX are no news here. */
		ret = nf_wait_event(nf, 20, false);
		if (ret && ret != -ETIMEDOUT)
			return ret;
	}
	id = nf->free_tx[--nf->nfree_tx];
	nf->tx_busy[id] = true;
	memcpy(nf->tx_pages + (size_t)id * NF_TX_BUF_SIZE, frame, len);
	req = RING_GET_REQUEST(&nf->tx, nf->tx.req_prod_pvt);
	req->gref = nf->tx_ref[id * NF_TX_BUF_SIZE / PAGE_SIZE];
	req->offset = (uint16_t)((id * NF_TX_BUF_SIZE) % PAGE_SIZE);
	req->flags = 0; /* checksums are complete: no offload */
	req->id = id;
	req->size = (uint16_t)len;
	nf->tx.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->tx, notify);
	if (notify) {
		nf->st.notifies++;
		evtchn_send(nf->port);
	}
	dev->st.tx_packets++;
	dev->st.tx_bytes += len;
	return 0;
}

/* ---- waiting ------------------------------------------------------------------- */

/*
 * Sleep on the event channel until the backend has news (received frames
 * count only if rx), up to ms; now and then make sure it is still there.
 */
static int nf_wait_event(struct netfront_dev *nf, unsigned long ms, bool rx)
{
	int more, ret;

	/* TX completions are taken here too: left on the ring they would look like news. */
	ret = nf_reap_tx(nf);
	if (ret)
		return ret;
	if (rx) {
		RING_FINAL_CHECK_FOR_RESPONSES(&nf->rx, more);
		if (more)
			return 0;
	}
	RING_FINAL_CHECK_FOR_RESPONSES(&nf->tx, more);
	if (more)
		return 0;
	ret = evtchn_poll(nf->port, ms);
	if (ret == -ETIMEDOUT) {
		int gone = nf_check_backend(nf);

		if (gone)
			return gone;
	}
	return ret;
}

static int nf_wait(struct eth_dev *dev, unsigned long ms)
{
	struct netfront_dev *nf = to_nf(dev);

	if (nf->failed || !nf->connected)
		return -ENODEV;
	return nf_wait_event(nf, ms, true);
}

static void nf_print_info(struct eth_dev *dev)
{
	struct netfront_dev *nf = to_nf(dev);

	printf("            Xen: %s, backend %s (domain %u)%s\n", nf->xb.nodename, nf->xb.otherend,
	       nf->xb.otherend_id,
	       nf->failed ? " FAILED" : (nf->connected ? "" : " not connected"));
	printf("            rings: 1 TX, 1 RX (%u buffers), copy mode, receive: scatter-gather, "
	       "TCP segmentation (GSO), checksum offload\n",
	       nf->nrx);
	printf("            received in several slots: %llu (largest %u bytes)\n",
	       (unsigned long long)nf->st.rx_multi, nf->st.rx_largest);
	printf("            dropped: %llu errors, %llu oversize; TX errors: %llu; notifications "
	       "sent: %llu\n",
	       (unsigned long long)nf->st.rx_errors, (unsigned long long)nf->st.rx_oversize,
	       (unsigned long long)nf->st.tx_errors, (unsigned long long)nf->st.notifies);
}

static const struct eth_ops netfront_ops = {
    .send = nf_send,
    .poll = nf_poll,
    .wait = nf_wait,
    .print_info = nf_print_info,
};

/* ---- lifetime ------------------------------------------------------------------ */

static int nf_connect(struct netfront_dev *nf)
{
	int ret = netfront_xs_read_mac(nf);

	if (!ret)
		ret = netfront_xs_wait_backend(nf);
	if (!ret)
		ret = netfront_xs_read_features(nf);
	if (!ret)
		ret = nf_alloc_rings(nf);
	if (!ret)
		ret = nf_alloc_buffers(nf);
	if (!ret)
		ret = netfront_xs_publish(nf);
	if (ret)
		return ret;
	/* Buffers on the RX ring before netback connects: it may send at once. */
	nf_post_rx(nf);
	return netfront_xs_connect(nf);
}

static int nf_probe_one(const char *id)
{
	struct netfront_dev *nf = calloc(1, sizeof(*nf));
	int ret;

	if (!nf)
		return -ENOMEM;
	nf->tx_ring_ref = nf->rx_ring_ref = -1;
	snprintf(nf->eth.name, sizeof(nf->eth.name), "netfront%d", nf_count);
	ret = xenbus_device_init(&nf->xb, "vif", id);
	if (!ret)
		ret = nf_connect(nf);
	if (!ret) {
		nf->eth.mtu = 1500;
		nf->eth.ops = &netfront_ops;
		nf->eth.priv = nf;
		ret = eth_register(&nf->eth);
	}
	if (ret) {
		pr_err("netfront: device/vif/%s: not connected (%s), skipped\n", id,
		       errno_str(ret));
		if (nf->keys_written)
			netfront_xs_disconnect(nf);
		nf_release(nf);
		free(nf);
		return ret;
	}
	nf_count++;
	nf->next = nf_list;
	nf_list = nf;
	return 0;
}

/* Give every vif back so that the OS's netfront connects from scratch. */
static int netfront_quiesce(void)
{
	int err = 0;

	while (nf_list) {
		struct netfront_dev *nf = nf_list;

		nf_list = nf->next;
		eth_unregister(&nf->eth);
		if (nf->connected || nf->keys_written) {
			int ret = netfront_xs_disconnect(nf);

			err = err ?: ret;
		}
		nf_release(nf);
		if (nf->leaked)
			err = err ?: -EBUSY;
		free(nf);
	}
	nf_count = 0;
	return err;
}

static int netfront_remove(struct device *dev)
{
	(void)dev;
	return netfront_quiesce();
}

/*
 * The vifs as one device of the registry, which gives them back before an
 * OS starts (and at the end of a sandbox run) as it does for disks.
 */
static const struct device_driver netfront_driver = {
    .name = "netfront",
    .flags = DEVICE_FLAG_OS_PREPARE,
    .remove = netfront_remove,
};

static struct device netfront_vifs = {
    .drv = &netfront_driver,
    .class = DEVICE_CLASS_NET,
    .name = "netfront",
    .seq = 0,
};

int netfront_init(void)
{
	char **ids = NULL;
	unsigned int n = 0;
	int ret = xenbus_list_devices("vif", &ids, &n);

	if (ret) {
		pr_err("netfront: cannot list device/vif: %s\n", errno_str(ret));
		return ret;
	}
	if (!n)
		return 0;
	if (!netfront_vifs.handle) {
		ret = device_register(&netfront_vifs);
		if (ret) {
			pr_err("netfront: cannot register: %s\n", errno_str(ret));
			xenstore_free_list(ids, n);
			return ret;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		nf_probe_one(ids[i]);
	xenstore_free_list(ids, n);
	return 0;
}

int netfront_rescan(void)
{
	int ret = netfront_quiesce();

	if (ret)
		pr_warn("netfront: disconnect before rescan: %s\n", errno_str(ret));
	ret = netfront_init();
	return ret < 0 ? ret : nf_count;
}
