// SPDX-License-Identifier: MIT
/*
 * Xen PV block frontend, data path. The ring is kept full: a transfer is cut
 * into as many requests as the ring, the slots and the indirect limit allow,
 * all are pushed, and responses are reaped in any order, matched by id.
 * Aligned buffers are granted directly (no copy); unaligned ones go through
 * a pool. Every response is validated before it is believed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/xenstore.h>
#include "pvblock_priv.h"

#define PVBLOCK_POLL_SLICE_MS 20
#define PVBLOCK_STATE_CHECK_MS 500

#ifdef CONFIG_PVBLOCK_PERSISTENT
bool pvblock_want_persistent = true;
#else
bool pvblock_want_persistent;
#endif

static struct pvblock_dev *to_pv(struct blk_desc *blk)
{
	return container_of(blk, struct pvblock_dev, blk);
}

static const char *pv_name(struct pvblock_dev *d)
{
	return d->xb.nodename;
}

/* ---- grants ---------------------------------------------------------------- */

/* A grant the backend still maps stays quarantined by gnttab; counted, reported once. */
static int pvblock_end_grant(struct pvblock_dev *d, grant_ref_t ref)
{
	int ret = gnttab_end_access(ref);

	if (ret == -EBUSY && !d->leaked++)
		pr_err("pvblock %d: the backend did not let go of grant %u\n", d->blk.devnum, ref);
	return ret;
}

/* ---- request slots ------------------------------------------------------- */

static int pvblock_alloc_slots(struct pvblock_dev *d)
{
	unsigned int i, budget;
	bool indirect = d->segs_per_req > BLKIF_MAX_SEGMENTS_PER_REQUEST;

	d->nslots = MIN(RING_SIZE(&d->ring), PVBLOCK_MAX_SLOTS);
	/* Leave half of the grant table to others: a full read must not starve it. */
	budget = gnttab_capacity() / 2;
	d->nslots = MAX(1u, MIN(d->nslots, budget / (d->segs_per_req + 1)));
	d->pend = calloc(d->nslots, sizeof(*d->pend));
	d->slots = calloc(d->nslots, sizeof(*d->slots));
	d->free_slots = calloc(d->nslots, sizeof(*d->free_slots));
	if (!d->pend || !d->slots || !d->free_slots)
		return -ENOMEM;
	for (i = 0; i < d->nslots; i++) {
		struct pvblock_slot *s = &d->slots[i];
		int ref;

		s->indirect_ref = -1;
		s->gref = calloc(d->segs_per_req, sizeof(*s->gref));
		if (!s->gref)
			return -ENOMEM;
		d->free_slots[d->nfree++] = d->nslots - 1 - i;
		if (!indirect)
			continue;
		s->indirect = arch_shared_alloc(PAGE_SIZE);
		if (!s->indirect)
			return -ENOMEM;
		/* Persistent backends map every grant writable, so grant it that way then. */
		ref = gnttab_grant_access(d->xb.otherend_id, virt_to_pfn(s->indirect),
					  !d->persistent);
		if (ref < 0)
			return ref;
		s->indirect_ref = ref;
	}
	return 0;
}

static void pvblock_free_slots(struct pvblock_dev *d)
{
	unsigned int i;

	for (i = 0; d->slots && i < d->nslots; i++) {
		struct pvblock_slot *s = &d->slots[i];

		if (s->indirect_ref < 0 || pvblock_end_grant(d, s->indirect_ref) == 0)
			arch_shared_free(s->indirect, PAGE_SIZE);
		/* else: still mapped by the backend, never reuse the page */
		free(s->gref);
	}
	free(d->slots);
	free(d->pend);
	free(d->free_slots);
	d->slots = NULL;
	d->pend = NULL;
	d->free_slots = NULL;
	d->nslots = d->nfree = 0;
}

/* ---- pool ------------------------------------------------------------------ */

static int pvblock_alloc_pool(struct pvblock_dev *d)
{
	unsigned int i;

	if (d->pool)
		return 0;
	/* Allocated at first use; a small domU (or many disks) gets a smaller pool. */
	d->pool_pages = d->persistent ? PVBLOCK_PERSISTENT_POOL_PAGES : PVBLOCK_POOL_PAGES;
	for (;;) {
		d->pool_size = (size_t)d->pool_pages * PAGE_SIZE;
		d->pool = arch_shared_alloc(d->pool_size);
		if (d->pool || d->pool_pages <= PVBLOCK_MIN_POOL_PAGES)
			break;
		d->pool_pages /= 2;
	}
	if (!d->pool) {
		pr_err("pvblock %d: no memory for a %zu KiB I/O pool\n", d->blk.devnum,
		       d->pool_size >> 10);
		d->pool_pages = 0;
		return -ENOMEM;
	}
	if (!d->persistent)
		return 0;
	d->pool_ref = calloc(d->pool_pages, sizeof(*d->pool_ref));
	if (!d->pool_ref) {
		arch_shared_free(d->pool, d->pool_size);
		d->pool = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < d->pool_pages; i++) {
		int ref = gnttab_grant_access(d->xb.otherend_id,
					      virt_to_pfn(d->pool + i * PAGE_SIZE), false);

		if (ref < 0) {
			d->pool_pages = i; /* use what we could grant */
			break;
		}
		d->pool_ref[i] = ref;
	}
	return d->pool_pages ? 0 : -ENOSPC;
}

static void pvblock_free_pool(struct pvblock_dev *d)
{
	unsigned int i;
	bool leaked = false;

	for (i = 0; d->pool_ref && i < d->pool_pages; i++)
		if (pvblock_end_grant(d, d->pool_ref[i]))
			leaked = true;
	free(d->pool_ref);
	d->pool_ref = NULL;
	if (!leaked && d->pool)
		arch_shared_free(d->pool, d->pool_size);
	d->pool = NULL;
	d->pool_pages = 0;
}

/* ---- ring ------------------------------------------------------------------ */

static int pvblock_alloc_ring(struct pvblock_dev *d)
{
	size_t size = PAGE_SIZE << d->ring_order;
	unsigned int i;
	int ret;

	d->ring_mem = arch_shared_alloc(size);
	if (!d->ring_mem)
		return -ENOMEM;
	SHARED_RING_INIT((blkif_sring_t *)d->ring_mem);
	FRONT_RING_INIT(&d->ring, (blkif_sring_t *)d->ring_mem, size);
	for (i = 0; i < (1u << d->ring_order); i++) {
		ret = gnttab_grant_access(
		    d->xb.otherend_id, virt_to_pfn((uint8_t *)d->ring_mem + i * PAGE_SIZE), false);
		if (ret < 0)
			return ret;
		d->ring_ref[i] = ret;
		d->nr_ring_refs++;
	}
	ret = evtchn_alloc_unbound(d->xb.otherend_id, &d->port);
	if (ret)
		return ret;
	d->port_open = true;
	return 0;
}

/* Only once the backend has let go of the ring (Closed), or it never mapped it. */
static void pvblock_free_ring(struct pvblock_dev *d)
{
	bool leaked = false;

	if (d->port_open) {
		evtchn_close(d->port);
		d->port_open = false;
	}
	while (d->nr_ring_refs)
		if (pvblock_end_grant(d, d->ring_ref[--d->nr_ring_refs]))
			leaked = true;
	if (!leaked && d->ring_mem)
		arch_shared_free(d->ring_mem, PAGE_SIZE << d->ring_order);
	d->ring_mem = NULL;
}

/* ---- requests -------------------------------------------------------------- */

/* End the data grants of a slot and free it. */
static int pvblock_release_slot(struct pvblock_dev *d, unsigned int slot)
{
	struct pvblock_slot *s = &d->slots[slot];
	int ret = 0;
	unsigned int i;

	for (i = 0; i < s->ngrants; i++)
		if (pvblock_end_grant(d, s->gref[i]))
			ret = -EIO;
	s->ngrants = 0;
	d->pend[slot].inflight = false;
	d->free_slots[d->nfree++] = slot;
	d->inflight--;
	d->tag_inflight[s->tag]--;
	return ret;
}

/*
 * Queue one request for the start of [addr, addr + len) at sector. len == 0
 * for flush/barrier. Returns bytes covered (0 for a flush), or -errno.
 */
static long pvblock_queue(struct pvblock_dev *d, uint8_t op, uint64_t sector, uintptr_t addr,
			  size_t len, bool pooled, unsigned int tag)
{
	struct blkif_seg_plan plan[PVBLOCK_MAX_SEGS];
	union {
		struct blkif_request rw;
		struct blkif_request_indirect ind;
	} req;
	struct pvblock_slot *s;
	unsigned int nseg = 0, i, slot;
	size_t n = 0;

	if (len) {
		n = blkif_plan_segments(addr, len, d->segs_per_req, plan, &nseg);
		if (!n)
			return -EINVAL;
	}
	slot = d->free_slots[--d->nfree];
	s = &d->slots[slot];
	s->ngrants = 0;
	for (i = 0; i < nseg; i++) {
		int ref;

		if (pooled && d->pool_ref) {
			s->gref[i] = d->pool_ref[(plan[i].page - (uintptr_t)d->pool) >> PAGE_SHIFT];
			continue;
		}
		/* The backend writes our page on a read, only reads it on a write. */
		ref = gnttab_grant_access(d->xb.otherend_id, plan[i].page >> PAGE_SHIFT,
					  op == BLKIF_OP_WRITE);
		if (ref < 0) {
			while (s->ngrants)
				pvblock_end_grant(d, s->gref[--s->ngrants]);
			d->free_slots[d->nfree++] = slot;
			return ref;
		}
		s->gref[i] = ref;
		s->ngrants++;
	}

	if (++d->gen == 0)
		d->gen = 1;
	memset(&req, 0, sizeof(req));
	if (nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		for (i = 0; i < nseg; i++) {
			s->indirect[i].gref = s->gref[i];
			s->indirect[i].first_sect = plan[i].first_sect;
			s->indirect[i].last_sect = plan[i].last_sect;
		}
		req.ind.operation = BLKIF_OP_INDIRECT;
		req.ind.indirect_op = op;
		req.ind.nr_segments = nseg;
		req.ind.id = blkif_make_id(slot, d->gen);
		req.ind.sector_number = sector;
		req.ind.handle = d->handle;
		req.ind.indirect_grefs[0] = s->indirect_ref;
	} else {
		req.rw.operation = op;
		req.rw.nr_segments = nseg;
		req.rw.handle = d->handle;
		req.rw.id = blkif_make_id(slot, d->gen);
		req.rw.sector_number = sector;
		for (i = 0; i < nseg; i++) {
			req.rw.seg[i].gref = s->gref[i];
			req.rw.seg[i].first_sect = plan[i].first_sect;
			req.rw.seg[i].last_sect = plan[i].last_sect;
		}
	}
	if (pooled && d->pool_ref)
		s->ngrants = 0; /* persistent: the pool keeps its grants */
	d->pend[slot].id = blkif_make_id(slot, d->gen);
	/* Responses echo the data operation, also for indirect requests (Linux blkback). */
	d->pend[slot].operation = op;
	d->pend[slot].inflight = true;
	memcpy(RING_GET_REQUEST(&d->ring, d->ring.req_prod_pvt), &req,
	       sizeof(struct blkif_request));
	d->ring.req_prod_pvt++;
	d->inflight++;
	s->tag = tag;
	d->tag_inflight[tag]++;
	d->st.requests++;
	if (d->inflight > d->st.max_inflight)
		d->st.max_inflight = d->inflight;
	return (long)n;
}

static void pvblock_release(struct pvblock_dev *d);

/* The ring can no longer be trusted: stop using the device. */
static void pvblock_mark_failed(struct pvblock_dev *d, const char *why)
{
	unsigned int i;

	pr_err("pvblock %d: %s; disk disabled\n", d->blk.devnum, why);
	d->failed = true;
	/* Revoke what the backend may still use; busy grants are reported, never reused. */
	for (i = 0; i < d->nslots; i++)
		if (d->pend[i].inflight)
			pvblock_release_slot(d, i);
}

/*
 * The backend is closing (xl block-detach, dom0 shutting down): follow it
 * to Closed so that it can free its side, and let go of ours.
 */
static void pvblock_backend_left(struct pvblock_dev *d)
{
	pvblock_mark_failed(d, "backend closed the device");
	pvblock_xs_disconnect(d);
	pvblock_release(d);
}

/* Consume available responses. Returns how many, or -EPROTO if the ring is inconsistent. */
static int pvblock_reap(struct pvblock_dev *d, int *err)
{
	RING_IDX prod = READ_ONCE(d->ring.sring->rsp_prod);
	int n = 0;

	arch_rmb(); /* responses after the index that announces them */
	if (blkif_check_rsp_prod(d->ring.rsp_cons, prod, d->ring.req_prod_pvt,
				 RING_SIZE(&d->ring))) {
		pr_err(
		    "pvblock %d: backend rsp_prod %u is impossible (consumed %u, requested %u)\n",
		    d->blk.devnum, prod, d->ring.rsp_cons, d->ring.req_prod_pvt);
		return -EPROTO;
	}
	while (d->ring.rsp_cons != prod) {
		struct blkif_response rsp;
		enum blkif_rsp_verdict v;
		unsigned int slot;

		memcpy(&rsp, RING_GET_RESPONSE(&d->ring, d->ring.rsp_cons), sizeof(rsp));
		d->ring.rsp_cons++;
		v = blkif_check_response(&rsp, d->pend, d->nslots, &slot);
		switch (v) {
		case BLKIF_RSP_BAD_ID:
		case BLKIF_RSP_DUP_ID:
		case BLKIF_RSP_BAD_OP:
			pr_err("pvblock %d: %s (id %#llx)\n", d->blk.devnum, blkif_verdict_str(v),
			       (unsigned long long)rsp.id);
			return -EPROTO;
		case BLKIF_RSP_IOERR:
		case BLKIF_RSP_NOTSUPP:
			if (!*err)
				pr_err("pvblock %d: %s (status %d)\n", d->blk.devnum,
				       blkif_verdict_str(v), rsp.status);
			d->st.errors++;
			if (!*err)
				*err = v == BLKIF_RSP_NOTSUPP ? -EOPNOTSUPP : -EIO;
			break;
		case BLKIF_RSP_VALID:
			break;
		}
		if (pvblock_release_slot(d, slot) && !*err)
			*err = -EIO;
		n++;
	}
	return n;
}

/* Wait for the event channel in slices, noticing a backend that went away. */
static int pvblock_wait(struct pvblock_dev *d, uint64_t deadline, unsigned long *since_check)
{
	int ret = evtchn_poll(d->port, PVBLOCK_POLL_SLICE_MS);

	if (ret == 0 || ret == -EINTR)
		return ret;
	if (ret != -ETIMEDOUT)
		return ret;
	*since_check += PVBLOCK_POLL_SLICE_MS;
	/* The state watch says at once; a periodic read covers a lost watch. */
	if (xenbus_otherend_changed(&d->xb) || *since_check >= PVBLOCK_STATE_CHECK_MS) {
		*since_check = 0;
		if (pvblock_xs_backend_gone(d))
			return -ENODEV;
	}
	return deadline_passed(deadline) ? -ETIMEDOUT : 0;
}

#define PVBLOCK_WAIT_ALL (-1)  /* wait until nothing is in flight */
#define PVBLOCK_WAIT_NONE (-2) /* return once everything is queued */

static unsigned int pvblock_pending(struct pvblock_dev *d, int wait_tag)
{
	if (wait_tag == PVBLOCK_WAIT_ALL)
		return d->inflight;
	if (wait_tag == PVBLOCK_WAIT_NONE)
		return 0;
	return d->tag_inflight[wait_tag];
}

/*
 * Queue len bytes between the disk at sector and addr (granted directly, or
 * pool pages when pooled) as requests tagged tag, then wait until the
 * requests of wait_tag have completed. Every request is pushed before any is
 * waited for; responses of any tag are reaped as they come.
 */
static int pvblock_xfer_tagged(struct pvblock_dev *d, uint8_t op, uint64_t sector, uintptr_t addr,
			       size_t len, bool pooled, unsigned int tag, int wait_tag)
{
	uint64_t deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
	unsigned long since_check = 0;
	bool flush = op == BLKIF_OP_FLUSH_DISKCACHE || op == BLKIF_OP_WRITE_BARRIER;
	int err = 0;

	while (((len || flush) && !err) || pvblock_pending(d, wait_tag)) {
		bool pushed = false;
		int more, ret;

		while ((len || flush) && !err && d->nfree && !RING_FULL(&d->ring)) {
			long n = pvblock_queue(d, op, sector, addr, len, pooled, tag);

			if (n < 0) {
				if (n != -ENOSPC || !d->inflight)
					err =
					    (int)n; /* out of grants: wait for some to come back */
				break;
			}
			sector += (size_t)n >> BLKIF_SECTOR_SHIFT;
			addr += n;
			len -= n;
			flush = false;
			pushed = true;
		}
		if (pushed) {
			RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&d->ring, more);
			if (more)
				evtchn_send(d->port);
		}
		ret = pvblock_reap(d, &err);
		if (ret < 0) {
			pvblock_mark_failed(d, "ring inconsistent");
			return ret;
		}
		if (ret > 0) {
			deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
			continue;
		}
		/* Wait only for a free slot or for the tag asked for, never for nothing. */
		if (!d->inflight || !(((len || flush) && !err) || pvblock_pending(d, wait_tag)))
			continue;
		RING_FINAL_CHECK_FOR_RESPONSES(&d->ring, more);
		if (more)
			continue;
		ret = pvblock_wait(d, deadline, &since_check);
		if (ret == -EINTR && !err) {
			/* Ctrl-C: submit nothing more, let what is in flight finish. */
			pr_err("pvblock %d: interrupted\n", d->blk.devnum);
			err = -EINTR;
			deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
			continue;
		}
		if (ret) {
			if (ret == -EINTR)
				pvblock_mark_failed(d, "interrupted twice with requests in flight");
			else if (ret == -ENODEV)
				pvblock_backend_left(d);
			else
				pvblock_mark_failed(d, "backend does not answer");
			return ret;
		}
	}
	return err;
}

static int pvblock_xfer(struct pvblock_dev *d, uint8_t op, uint64_t sector, uintptr_t addr,
			size_t len, bool pooled)
{
	return pvblock_xfer_tagged(d, op, sector, addr, len, pooled, 0, PVBLOCK_WAIT_ALL);
}

/* After a failed pipeline step: let what is still in flight finish (or fail the disk). */
static void pvblock_drain(struct pvblock_dev *d)
{
	if (d->inflight && !d->failed)
		pvblock_xfer_tagged(d, BLKIF_OP_READ, 0, 0, 0, true, 0, PVBLOCK_WAIT_ALL);
}

static int pvblock_check_usable(struct pvblock_dev *d)
{
	if (d->failed) {
		pr_err("pvblock %d: device failed earlier, no I/O\n", d->blk.devnum);
		return -EIO;
	}
	if (!d->connected)
		return -ENODEV;
	/* A backend that is closing (xl block-detach) still answers: do not use it. */
	if (xenbus_otherend_changed(&d->xb) && pvblock_xs_backend_gone(d)) {
		pr_err("pvblock %d: backend is closing (disk detached?)\n", d->blk.devnum);
		pvblock_backend_left(d);
		return -ENODEV;
	}
	return 0;
}

/* Persistent grants copy every transfer (by design); otherwise only unaligned buffers bounce. */
static void pvblock_count_copy(struct pvblock_dev *d, size_t n)
{
	if (d->persistent) {
		d->st.pool_copies++;
		d->st.pool_bytes += n;
	} else {
		d->st.bounce_copies++;
		d->st.bounce_bytes += n;
	}
}

/*
 * Unaligned buffer, or persistent grants: copy through the pool. The pool is
 * used as two halves so that copying one chunk overlaps the I/O of the next.
 */
static int pvblock_rw_pooled(struct pvblock_dev *d, uint8_t op, uint64_t sector, uint8_t *buf,
			     size_t len)
{
	size_t half, off[2] = {0, 0}, n[2] = {0, 0};
	uint8_t *hp[2];
	unsigned int k = 0, h;
	int ret = pvblock_alloc_pool(d);

	if (ret)
		return ret;
	half = (size_t)(d->pool_pages / 2) * PAGE_SIZE;
	hp[0] = d->pool;
	hp[1] = d->pool + half;
	/* Stage k: chunk k goes through half k % 2. */
	for (size_t done = 0; done < len || n[0] || n[1]; k++) {
		h = k % 2;
		/* Half h held chunk k - 2: finish it first. */
		if (n[h]) {
			ret = pvblock_xfer_tagged(d, op, 0, 0, 0, true, h, h);
			if (ret)
				goto fail;
			if (op == BLKIF_OP_READ)
				memcpy(buf + off[h], hp[h], n[h]);
			pvblock_count_copy(d, n[h]);
			n[h] = 0;
		}
		if (done < len) {
			n[h] = MIN(len - done, half);
			off[h] = done;
			if (op == BLKIF_OP_WRITE)
				memcpy(hp[h], buf + done, n[h]);
			ret =
			    pvblock_xfer_tagged(d, op, sector + (done >> BLKIF_SECTOR_SHIFT),
						(uintptr_t)hp[h], n[h], true, h, PVBLOCK_WAIT_NONE);
			if (ret)
				goto fail;
			done += n[h];
		}
	}
	return 0;
fail:
	pvblock_drain(d);
	return ret;
}

/* A grant v1 entry holds a 32-bit frame number: higher pages cannot be granted. */
static bool pvblock_grantable(const void *buf, size_t len)
{
	return virt_to_pfn((const uint8_t *)buf + len - 1) <= UINT32_MAX;
}

static long pvblock_rw(struct pvblock_dev *d, uint8_t op, uint64_t lba, uint64_t cnt, void *buf)
{
	uint64_t sector = lba * (d->blk.blksz >> BLKIF_SECTOR_SHIFT);
	size_t len = cnt * d->blk.blksz;
	int ret = pvblock_check_usable(d);

	if (ret)
		return ret;
	/* Direct grants need block alignment (4 KiB-sector backends need whole pages). */
	if (!d->persistent && IS_ALIGNED((uintptr_t)buf, d->blk.blksz) &&
	    pvblock_grantable(buf, len))
		ret = pvblock_xfer(d, op, sector, (uintptr_t)buf, len, false);
	else
		ret = pvblock_rw_pooled(d, op, sector, buf, len);
	if (ret)
		return ret;
	d->st.bytes += len;
	return (long)cnt;
}

static long pvblock_read(struct blk_desc *blk, uint64_t lba, uint64_t cnt, void *buf)
{
	return pvblock_rw(to_pv(blk), BLKIF_OP_READ, lba, cnt, buf);
}

static long pvblock_write(struct blk_desc *blk, uint64_t lba, uint64_t cnt, const void *buf)
{
	struct pvblock_dev *d = to_pv(blk);

	if (d->readonly) {
		pr_err("pvblock %d: disk is read-only (backend mode 'r'): write refused\n",
		       blk->devnum);
		return -EROFS;
	}
	return pvblock_rw(d, BLKIF_OP_WRITE, lba, cnt, (void *)buf);
}

static int pvblock_flush(struct blk_desc *blk)
{
	struct pvblock_dev *d = to_pv(blk);
	int ret = pvblock_check_usable(d);

	if (ret)
		return ret;
	if (d->readonly)
		return 0;
	if (d->flush_cache)
		ret = pvblock_xfer(d, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0, false);
	else if (d->barrier)
		ret = pvblock_xfer(d, BLKIF_OP_WRITE_BARRIER, 0, 0, 0, false);
	/* else: the backend offers neither, its writes are not cached */
	if (ret == -EOPNOTSUPP) {
		/* Offered, then refused (as Linux's blkfront, stop asking). */
		pr_warn("pvblock %d: backend refused the flush; flushes disabled\n", blk->devnum);
		d->flush_cache = d->barrier = false;
		ret = 0;
	}
	return ret;
}

static const struct blk_ops pvblock_ops = {
    .read = pvblock_read,
    .write = pvblock_write,
    .flush = pvblock_flush,
};

/* ---- device lifetime ------------------------------------------------------- */

static void pvblock_release(struct pvblock_dev *d)
{
	xenbus_device_exit(&d->xb);
	d->leaked = 0;
	pvblock_free_slots(d);
	pvblock_free_pool(d);
	pvblock_free_ring(d);
	if (d->leaked)
		pr_err("pvblock %d: the backend still maps %u of our pages: they stay granted to "
		       "it (quarantined), and an OS cannot be started safely\n",
		       d->blk.devnum, d->leaked);
}

static int pvblock_connect(struct pvblock_dev *d)
{
	int ret;

	ret = pvblock_xs_wait_backend(d);
	if (ret)
		return ret;
	ret = pvblock_xs_read_features(d);
	if (ret)
		return ret;
	d->segs_per_req = d->max_indirect ? MIN(d->max_indirect, PVBLOCK_MAX_SEGS)
					  : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	ret = pvblock_alloc_ring(d);
	if (ret) {
		pr_err("pvblock: %s: cannot set up the ring: %s\n", pv_name(d), errno_str(ret));
		return ret;
	}
	ret = pvblock_xs_publish(d);
	if (!ret)
		ret = pvblock_xs_connect(d);
	if (ret)
		return ret;
	/* Slots after Connected: persistent grants are known only now. Pool at first use. */
	ret = pvblock_alloc_slots(d);
	if (ret)
		pr_err("pvblock: %s: cannot allocate requests: %s\n", pv_name(d), errno_str(ret));
	return ret;
}

/*
 * Stop a disk for the registry (rescan, hand-off): write back the backend's
 * cache, give the backend back so that the next frontend (the OS's) starts
 * from scratch, end every grant. A disk whose backend already left was let
 * go of then; only its memory is left, for pvblock_free.
 */
static int pvblock_remove(struct device *dev)
{
	struct pvblock_dev *d = container_of(dev, struct pvblock_dev, blk.dev);
	int err = 0, ret;

	if (d->connected && !d->failed && !d->readonly) {
		ret = pvblock_flush(&d->blk);
		if (ret)
			pr_err("pvblock %d: flush before disconnecting failed: %s\n", d->blk.devnum,
			       errno_str(ret));
		err = ret;
	}
	if (d->connected) {
		ret = pvblock_xs_disconnect(d);
		err = err ?: ret;
	}
	pvblock_release(d);
	return err;
}

static void pvblock_free(struct device *dev)
{
	free(container_of(dev, struct pvblock_dev, blk.dev));
}

static const struct device_driver pvblock_driver = {
    .name = "pvblock",
    .flags = DEVICE_FLAG_OS_PREPARE,
    .remove = pvblock_remove,
    .free = pvblock_free,
};

static int pvblock_probe_one(const char *id)
{
	struct pvblock_dev *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return -ENOMEM;
	ret = xenbus_device_init(&d->xb, "vbd", id);
	if (ret) {
		pr_err("pvblock: device/vbd/%s: %s\n", id, errno_str(ret));
		goto free;
	}
	d->handle = (blkif_vdev_t)strtoul(d->xb.devid, NULL, 10);
	ret = pvblock_connect(d);
	if (ret) {
		pr_err("pvblock: %s: not connected (%s), disk skipped\n", pv_name(d),
		       errno_str(ret));
		goto release;
	}
	d->blk.dev.drv = &pvblock_driver;
	d->blk.if_type = "pvblock";
	d->blk.devnum = -1; /* the lowest free number: XenStore's order after a rescan */
	d->blk.blksz = d->sector_size;
	d->blk.lba = d->sectors / (d->sector_size >> BLKIF_SECTOR_SHIFT);
	d->blk.readonly = d->readonly;
	d->blk.ops = &pvblock_ops;
	d->blk.priv = d;
	snprintf(d->blk.vendor, sizeof(d->blk.vendor), "Xen");
	snprintf(d->blk.product, sizeof(d->blk.product), "Virtual disk %s", d->xb.devid);
	snprintf(d->blk.revision, sizeof(d->blk.revision), "1");
	ret = blk_register(&d->blk);
	if (ret)
		goto release;
	return 0; /* the registry owns it from here */

release:
	if (d->keys_written)
		pvblock_xs_disconnect(d);
	pvblock_release(d);
free:
	free(d);
	return ret;
}

int pvblock_rescan(void)
{
	const char *p = env_get("pvblock_persistent");
	int ret = device_remove_driver(&pvblock_driver);

	if (p)
		pvblock_want_persistent = p[0] == '1' || p[0] == 'y';
	if (ret)
		pr_warn("pvblock: disconnect before rescan: %s\n", errno_str(ret));
	ret = pvblock_init();
	return ret < 0 ? ret : (int)device_count(DEVICE_CLASS_BLK, "pvblock");
}

int pvblock_init(void)
{
	char **ids = NULL;
	unsigned int n = 0, i;
	int ret;

	ret = xenbus_list_devices("vbd", &ids, &n);
	if (ret == -ENOENT || (!ret && !n)) {
		pr_info("pvblock: no PV disks\n");
		return 0;
	}
	if (ret) {
		pr_err("pvblock: cannot list device/vbd: %s\n", errno_str(ret));
		return ret;
	}
	for (i = 0; i < n; i++)
		pvblock_probe_one(ids[i]);
	xenstore_free_list(ids, n);
	return 0; /* a disk that failed was reported and skipped: not fatal for boot */
}

int pvblock_get_stats(struct blk_desc *blk, struct pvblock_stats *st)
{
	if (!blk || blk->dev.drv != &pvblock_driver || !st)
		return -EINVAL;
	*st = to_pv(blk)->st;
	return 0;
}

void pvblock_print_info(struct blk_desc *blk)
{
	struct pvblock_dev *d = to_pv(blk);
	uint64_t bytes = blk->lba * blk->blksz;

	printf("  Device %d: Vendor: %s Prod.: %s Rev: %s\n", blk->devnum, blk->vendor,
	       blk->product, blk->revision);
	printf("            Type: Hard Disk%s\n", d->readonly ? " (read-only)" : "");
	printf("            Capacity: %llu.%llu MB = %llu.%llu GB (%llu x %u)\n",
	       (unsigned long long)(bytes >> 20),
	       (unsigned long long)(((bytes & (SZ_1M - 1)) * 10) >> 20),
	       (unsigned long long)(bytes >> 30),
	       (unsigned long long)(((bytes & (SZ_1G - 1)) * 10) >> 30),
	       (unsigned long long)blk->lba, blk->blksz);
	printf("            Xen: %s, backend %s (domain %u)%s\n", d->xb.nodename, d->xb.otherend,
	       d->xb.otherend_id, d->failed ? " FAILED" : "");
	printf("            ring: %u page(s), %u slots, %u segments/request%s%s%s%s\n",
	       1u << d->ring_order, d->nslots, d->segs_per_req, d->max_indirect ? ", indirect" : "",
	       d->persistent ? ", persistent" : "",
	       d->flush_cache ? ", flush" : (d->barrier ? ", barrier" : ""),
	       d->discard ? ", discard" : "");
	printf("            requests: %llu, bytes: %llu, errors: %llu, max in flight: %u\n",
	       (unsigned long long)d->st.requests, (unsigned long long)d->st.bytes,
	       (unsigned long long)d->st.errors, d->st.max_inflight);
	printf("            bounce copies: %llu (%llu bytes), persistent-pool copies: %llu (%llu "
	       "bytes)\n",
	       (unsigned long long)d->st.bounce_copies, (unsigned long long)d->st.bounce_bytes,
	       (unsigned long long)d->st.pool_copies, (unsigned long long)d->st.pool_bytes);
}
