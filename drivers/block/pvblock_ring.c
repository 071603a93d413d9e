// SPDX-License-Identifier: MIT
/*
 * Xen PV block frontend, the data path, as three verbs:
 *   pvblock_submit()    queue as much of a transfer as the ring, the free
 *                       slots and the grant table allow, then notify;
 *   pvblock_complete()  take every response the backend published, check
 *                       it, end its grants and free its slot;
 *   pvblock_wait_for()  complete until a condition holds, waiting on the
 *                       event channel under a deadline and Ctrl-C.
 * Responses come in any order and are matched by id (slot + generation);
 * each is copied out of the ring once and validated before it is believed.
 * Nothing here disconnects or frees the disk: a ring that cannot be
 * trusted, or a backend that left or stopped answering, marks it failed,
 * and the driver (or the device registry) lets it go.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include <pvboot/timer.h>
#include <pvboot/xen/gnttab.h>
#include "pvblock_priv.h"

#define PVBLOCK_POLL_SLICE_MS 20
#define PVBLOCK_STATE_CHECK_MS 500

/* ---- grants and slots ------------------------------------------------------ */

int pvblock_end_grant(struct pvblock_dev *d, grant_ref_t ref)
{
	int ret = gnttab_end_access(ref);

	if (ret == -EBUSY && !d->leaked++)
		pr_err("pvblock %d: the backend did not let go of grant %u\n", d->blk.devnum, ref);
	return ret;
}

int pvblock_alloc_slots(struct pvblock_dev *d)
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

void pvblock_free_slots(struct pvblock_dev *d)
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
	d->nslots = d->nfree = d->inflight = 0;
	memset(d->tag_inflight, 0, sizeof(d->tag_inflight));
}

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

void pvblock_mark_failed(struct pvblock_dev *d, const char *why)
{
	unsigned int i;

	pr_err("pvblock %d: %s; disk disabled\n", d->blk.devnum, why);
	d->failed = true;
	/* Revoke what the backend may still use; busy grants are reported, never reused. */
	for (i = 0; i < d->nslots; i++)
		if (d->pend[i].inflight)
			pvblock_release_slot(d, i);
}

/* The first error of a transfer is the one it returns. */
static void pvblock_note_error(struct pvblock_dev *d, int err)
{
	if (!d->io_err)
		d->io_err = err;
}

/* ---- submit ---------------------------------------------------------------- */

/* Grant the pages of one request, or take the pool's persistent grants. */
static int pvblock_grant_segments(struct pvblock_dev *d, struct pvblock_slot *s,
				  const struct pvblock_xfer *x, const struct blkif_seg_plan *plan,
				  unsigned int nseg)
{
	unsigned int i;

	s->ngrants = 0;
	for (i = 0; i < nseg; i++) {
		int ref;

		if (x->pooled && d->pool_ref) {
			/* Persistent: the pool keeps its grants, nothing to end. */
			s->gref[i] = d->pool_ref[(plan[i].page - (uintptr_t)d->pool) >> PAGE_SHIFT];
			continue;
		}
		/* The backend writes our page on a read, only reads it on a write. */
		ref = gnttab_grant_access(d->xb.otherend_id, plan[i].page >> PAGE_SHIFT,
					  x->op == BLKIF_OP_WRITE);
		if (ref < 0) {
			while (s->ngrants)
				pvblock_end_grant(d, s->gref[--s->ngrants]);
			return ref;
		}
		s->gref[i] = ref;
		s->ngrants++;
	}
	return 0;
}

/* Write the request for slot into the ring (plain, or indirect for many segments). */
static void pvblock_put_request(struct pvblock_dev *d, unsigned int slot,
				const struct pvblock_xfer *x, const struct blkif_seg_plan *plan,
				unsigned int nseg)
{
	struct pvblock_slot *s = &d->slots[slot];
	union {
		struct blkif_request rw;
		struct blkif_request_indirect ind;
	} req;
	unsigned int i;

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
		req.ind.indirect_op = x->op;
		req.ind.nr_segments = nseg;
		req.ind.id = blkif_make_id(slot, d->gen);
		req.ind.sector_number = x->sector;
		req.ind.handle = d->handle;
		req.ind.indirect_grefs[0] = s->indirect_ref;
	} else {
		req.rw.operation = x->op;
		req.rw.nr_segments = nseg;
		req.rw.handle = d->handle;
		req.rw.id = blkif_make_id(slot, d->gen);
		req.rw.sector_number = x->sector;
		for (i = 0; i < nseg; i++) {
			req.rw.seg[i].gref = s->gref[i];
			req.rw.seg[i].first_sect = plan[i].first_sect;
			req.rw.seg[i].last_sect = plan[i].last_sect;
		}
	}
	d->pend[slot].id = blkif_make_id(slot, d->gen);
	/* Responses echo the data operation, also for indirect requests (Linux blkback). */
	d->pend[slot].operation = x->op;
	d->pend[slot].inflight = true;
	memcpy(RING_GET_REQUEST(&d->ring, d->ring.req_prod_pvt), &req,
	       sizeof(struct blkif_request));
	d->ring.req_prod_pvt++;
}

/* Queue the next request of x. Returns the bytes it covers (0 for a flush) or -errno. */
static long pvblock_queue(struct pvblock_dev *d, const struct pvblock_xfer *x)
{
	struct blkif_seg_plan plan[PVBLOCK_MAX_SEGS];
	unsigned int nseg = 0, slot;
	size_t n = 0;
	int ret;

	if (x->len) {
		n = blkif_plan_segments(x->addr, x->len, d->segs_per_req, plan, &nseg);
		if (!n)
			return -EINVAL;
	}
	slot = d->free_slots[--d->nfree];
	ret = pvblock_grant_segments(d, &d->slots[slot], x, plan, nseg);
	if (ret) {
		d->free_slots[d->nfree++] = slot;
		return ret;
	}
	pvblock_put_request(d, slot, x, plan, nseg);
	d->slots[slot].tag = x->tag;
	d->inflight++;
	d->tag_inflight[x->tag]++;
	d->st.requests++;
	if (d->inflight > d->st.max_inflight)
		d->st.max_inflight = d->inflight;
	return (long)n;
}

int pvblock_submit(struct pvblock_dev *d, struct pvblock_xfer *x)
{
	bool pushed = false;
	int ret = 0, notify;

	if (d->failed)
		return -EIO;
	/* A read or write of nothing would be a request without segments. */
	if (x->tag >= PVBLOCK_TAGS ||
	    (!x->len && !x->queued && (x->op == BLKIF_OP_READ || x->op == BLKIF_OP_WRITE)))
		return -EINVAL;
	while (!x->queued && d->nfree && !RING_FULL(&d->ring)) {
		long n = pvblock_queue(d, x);

		if (n == -ENOSPC && d->inflight)
			break; /* out of grants: responses bring some back */
		if (n < 0) {
			ret = (int)n;
			break;
		}
		x->sector += (size_t)n >> BLKIF_SECTOR_SHIFT;
		x->addr += n;
		x->len -= n;
		x->queued = !x->len;
		pushed = true;
	}
	if (pushed) {
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&d->ring, notify);
		if (notify)
			evtchn_send(d->port);
	}
	return ret;
}

/* ---- complete -------------------------------------------------------------- */

/* One response copied out of the ring: 0, or -EPROTO if the ring is inconsistent. */
static int pvblock_complete_one(struct pvblock_dev *d, const struct blkif_response *rsp)
{
	unsigned int slot;
	enum blkif_rsp_verdict v = blkif_check_response(rsp, d->pend, d->nslots, &slot);

	switch (v) {
	case BLKIF_RSP_BAD_ID:
	case BLKIF_RSP_DUP_ID:
	case BLKIF_RSP_BAD_OP:
		pr_err("pvblock %d: %s (id %#llx)\n", d->blk.devnum, blkif_verdict_str(v),
		       (unsigned long long)rsp->id);
		return -EPROTO;
	case BLKIF_RSP_IOERR:
	case BLKIF_RSP_NOTSUPP:
		if (!d->io_err)
			pr_err("pvblock %d: %s (status %d)\n", d->blk.devnum, blkif_verdict_str(v),
			       rsp->status);
		d->st.errors++;
		pvblock_note_error(d, v == BLKIF_RSP_NOTSUPP ? -EOPNOTSUPP : -EIO);
		break;
	case BLKIF_RSP_VALID:
		break;
	}
	if (pvblock_release_slot(d, slot))
		pvblock_note_error(d, -EIO);
	d->completed++;
	return 0;
}

int pvblock_complete(struct pvblock_dev *d)
{
	RING_IDX prod;
	int n = 0;

	if (d->failed)
		return -EIO;
	prod = READ_ONCE(d->ring.sring->rsp_prod);
	arch_rmb(); /* responses after the index that announces them */
	if (blkif_check_rsp_prod(d->ring.rsp_cons, prod, d->ring.req_prod_pvt,
				 RING_SIZE(&d->ring))) {
		pr_err(
		    "pvblock %d: backend rsp_prod %u is impossible (consumed %u, requested %u)\n",
		    d->blk.devnum, prod, d->ring.rsp_cons, d->ring.req_prod_pvt);
		pvblock_mark_failed(d, "ring inconsistent");
		return -EPROTO;
	}
	while (d->ring.rsp_cons != prod) {
		struct blkif_response rsp;

		memcpy(&rsp, RING_GET_RESPONSE(&d->ring, d->ring.rsp_cons), sizeof(rsp));
		d->ring.rsp_cons++;
		if (pvblock_complete_one(d, &rsp)) {
			pvblock_mark_failed(d, "ring inconsistent");
			return -EPROTO;
		}
		n++;
	}
	return n;
}

/* ---- wait ------------------------------------------------------------------ */

bool pvblock_idle(const struct pvblock_dev *d, unsigned long unused)
{
	return !d->inflight;
}

bool pvblock_tag_idle(const struct pvblock_dev *d, unsigned long tag)
{
	return tag >= PVBLOCK_TAGS || !d->tag_inflight[tag];
}

/* Something completed since the count was `since` (room for more requests). */
static bool pvblock_progressed(const struct pvblock_dev *d, unsigned long since)
{
	return d->completed != (uint64_t)since;
}

/* One slice of waiting on the event channel, noticing a backend that went away. */
static int pvblock_wait_event(struct pvblock_dev *d, uint64_t deadline, unsigned long *since_check)
{
	int ret = evtchn_poll(d->port, PVBLOCK_POLL_SLICE_MS);

	if (ret != -ETIMEDOUT)
		return ret; /* 0: an event; -EINTR: Ctrl-C */
	*since_check += PVBLOCK_POLL_SLICE_MS;
	/* The state watch says at once; a periodic read covers a lost watch. */
	if (xenbus_otherend_changed(&d->xb) || *since_check >= PVBLOCK_STATE_CHECK_MS) {
		*since_check = 0;
		ret = xenbus_otherend_gone(&d->xb);
		if (ret)
			return ret > 0 ? -ENODEV : ret;
	}
	return deadline_passed(deadline) ? -ETIMEDOUT : 0;
}

int pvblock_wait_for(struct pvblock_dev *d, pvblock_cond_fn cond, unsigned long arg)
{
	uint64_t deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
	unsigned long since_check = 0;

	for (;;) {
		int ret = pvblock_complete(d), more;

		if (ret < 0)
			return ret;
		if (ret > 0)
			deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
		/* Never wait for nothing: with nothing in flight no response can come. */
		if (cond(d, arg) || !d->inflight)
			return 0;
		RING_FINAL_CHECK_FOR_RESPONSES(&d->ring, more);
		if (more)
			continue;
		ret = pvblock_wait_event(d, deadline, &since_check);
		if (!ret)
			continue;
		if (ret == -EINTR && !d->io_err) {
			/* Ctrl-C: the caller submits nothing more; what is in flight finishes. */
			pr_err("pvblock %d: interrupted\n", d->blk.devnum);
			pvblock_note_error(d, -EINTR);
			deadline = deadline_ms(CONFIG_XEN_WAIT_TIMEOUT_MS);
			continue;
		}
		if (ret == -EINTR) {
			pvblock_mark_failed(d, "interrupted twice with requests in flight");
		} else if (ret == -ENODEV) {
			d->backend_gone = true;
			pvblock_mark_failed(d, "backend closed the device");
		} else {
			pvblock_mark_failed(d, "backend does not answer");
		}
		return ret;
	}
}

/* ---- whole transfers ------------------------------------------------------- */

int pvblock_submit_all(struct pvblock_dev *d, struct pvblock_xfer *x)
{
	while (!x->queued && !d->io_err) {
		uint64_t seen = d->completed;
		int ret = pvblock_submit(d, x);

		if (ret)
			return ret;
		if (x->queued)
			break;
		if (!d->inflight)
			return -EIO; /* nothing queued, nothing to wait for: cannot go on */
		ret = pvblock_wait_for(d, pvblock_progressed, (unsigned long)seen);
		if (ret)
			return ret;
	}
	return 0;
}

int pvblock_run(struct pvblock_dev *d, struct pvblock_xfer *x)
{
	int ret = pvblock_submit_all(d, x);
	int wait = pvblock_wait_for(d, pvblock_idle, 0);

	if (wait && wait != -EIO)
		return wait; /* the disk failed */
	return ret ?: d->io_err;
}
