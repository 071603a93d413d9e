// SPDX-License-Identifier: MIT
/*
 * Simulated blkback over an image file: publishes the backend directory as
 * Linux's xen-blkback does (InitWait with ring order and indirect limit,
 * then Connected with geometry and features), maps the frontend's ring and
 * data grants through the checked grant table, serves read, write, flush,
 * barrier and indirect requests, and misbehaves on request (blkback_faults.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "blkback.h"

#define BB_MAX_INDIRECT 256
#define BB_MAX_ORDER 4

static void bb_write(struct blkback *b, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bb_write(struct blkback *b, const char *key, const char *fmt, ...)
{
	char path[128], val[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s/%s", b->disk->backend, key);
	sim_xs_write(path, val);
}

/* Frontend key as unsigned; false if missing or not a number. */
static bool bb_fe_u64(struct blkback *b, const char *key, uint64_t *v)
{
	char path[128], *s, *end;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", b->disk->frontend, key);
	s = sim_xs_read(path);
	if (!s)
		return false;
	*v = strtoull(s, &end, 10);
	ok = *s && !*end;
	free(s);
	return ok;
}

static void bb_set_state(struct blkback *b, XenbusState st)
{
	b->state = st;
	bb_write(b, "state", "%d", st);
}

/* ---- ring access: the ring is several separately mapped pages ---------------- */

static void bb_ring_copy(struct blkback *b, size_t off, void *buf, size_t len, bool to_ring)
{
	uint8_t *p = buf;

	while (len) {
		size_t page = off / PAGE_SIZE, in = off % PAGE_SIZE;
		size_t n = len < PAGE_SIZE - in ? len : PAGE_SIZE - in;

		if (to_ring)
			memcpy(b->ring_page[page] + in, p, n);
		else
			memcpy(p, b->ring_page[page] + in, n);
		off += n;
		p += n;
		len -= n;
	}
}

#define BB_ENT_OFF(b, idx)                    \
	(offsetof(struct blkif_sring, ring) + \
	 (size_t)((idx) & ((b)->nr_ents - 1)) * sizeof(union blkif_sring_entry))

static struct blkif_sring *bb_sring(struct blkback *b)
{
	return (struct blkif_sring *)b->ring_page[0];
}

/* ---- data -------------------------------------------------------------------- */

static void *bb_map(struct blkback *b, grant_ref_t ref, bool write)
{
	unsigned int i;
	void *p;

	if (!b->persistent)
		return sim_gnttab_map(ref, write);
	/* Persistent: keep every mapping, writable as Linux blkback maps them. */
	for (i = 0; i < b->npmap; i++)
		if (b->pmap[i].ref == ref)
			return b->pmap[i].page;
	if (b->npmap == BB_MAX_PGRANTS) {
		/* Table full: Linux maps and unmaps such grants per request. */
		if (!b->pgrants_full_logged)
			sim_log(
			    "blkback %u: %d persistent grants in use, mapping the rest per request",
			    b->disk->index, BB_MAX_PGRANTS);
		b->pgrants_full_logged = true;
		return sim_gnttab_map(ref, true);
	}
	p = sim_gnttab_map(ref, true);
	if (p) {
		b->pmap[b->npmap].ref = ref;
		b->pmap[b->npmap].page = p;
		b->npmap++;
	}
	return p;
}

static void bb_unmap(struct blkback *b, grant_ref_t ref)
{
	unsigned int i;

	if (b->persistent)
		for (i = 0; i < b->npmap; i++)
			if (b->pmap[i].ref == ref)
				return; /* kept until the frontend closes */
	sim_gnttab_unmap(ref);
}

/* Segments of a request, wherever they came from. */
static int16_t bb_do_rw(struct blkback *b, uint8_t op, uint64_t sector,
			const struct blkif_request_segment *seg, unsigned int nseg)
{
	uint64_t off = sector * 512, total = 0;
	unsigned int spb = b->disk->sector_size / 512, i;
	bool whole_page;

	if (op == BLKIF_OP_WRITE && b->disk->readonly)
		return BLKIF_RSP_ERROR;
	for (i = 0; i < nseg; i++) {
		if (seg[i].last_sect >= PAGE_SIZE / 512 || seg[i].last_sect < seg[i].first_sect) {
			sim_violation("blkback %u: segment %u sectors %u..%u", b->disk->index, i,
				      seg[i].first_sect, seg[i].last_sect);
			return BLKIF_RSP_ERROR;
		}
		total += seg[i].last_sect - seg[i].first_sect + 1;
	}
	/* A 4 KiB-sector device refuses I/O that is not in whole sectors (as Linux). */
	if ((sector | total) % spb) {
		sim_log("blkback %u: misaligned I/O (sector %llu, %llu sectors) on a "
			"%u-byte-sector disk",
			b->disk->index, (unsigned long long)sector, (unsigned long long)total,
			b->disk->sector_size);
		return BLKIF_RSP_ERROR;
	}
	if (sector > b->sectors || total > b->sectors - sector)
		return BLKIF_RSP_ERROR;
	whole_page = op == BLKIF_OP_READ && bb_fault(b, "blk-write-whole-page");
	for (i = 0; i < nseg; i++) {
		size_t len = (size_t)(seg[i].last_sect - seg[i].first_sect + 1) * 512;
		uint8_t *page = bb_map(b, seg[i].gref, op == BLKIF_OP_READ);
		ssize_t n;

		if (!page)
			return BLKIF_RSP_ERROR;
		if (whole_page)
			bb_fault_fill_page(page, seg[i].first_sect, seg[i].last_sect);
		page += seg[i].first_sect * 512;
		if (op == BLKIF_OP_READ) {
			n = pread(b->fd, page, len, (off_t)off);
			if (n == (ssize_t)len)
				bb_fault_flip(b, off / 512, page, len);
		} else
			n = pwrite(b->fd, page, len, (off_t)off);
		bb_unmap(b, seg[i].gref);
		if (n != (ssize_t)len)
			return BLKIF_RSP_ERROR;
		off += len;
	}
	b->bytes += total * 512;
	return BLKIF_RSP_OKAY;
}

static int16_t bb_do_indirect(struct blkback *b, const struct blkif_request_indirect *req)
{
	struct blkif_request_segment segs[BB_MAX_INDIRECT] = {0};
	unsigned int nseg = req->nr_segments, npages, i;
	size_t per = PAGE_SIZE / sizeof(struct blkif_request_segment);

	if (!b->max_indirect || nseg == 0 || nseg > b->max_indirect ||
	    (req->indirect_op != BLKIF_OP_READ && req->indirect_op != BLKIF_OP_WRITE)) {
		sim_violation("blkback %u: bad indirect request (%u segments, op %u)",
			      b->disk->index, nseg, req->indirect_op);
		return BLKIF_RSP_ERROR;
	}
	npages = (nseg + per - 1) / per;
	for (i = 0; i < npages; i++) {
		unsigned int n = nseg - i * per < per ? nseg - i * per : per;
		void *p = bb_map(b, req->indirect_grefs[i], false);

		if (!p)
			return BLKIF_RSP_ERROR;
		memcpy(&segs[i * per], p, n * sizeof(segs[0]));
		bb_unmap(b, req->indirect_grefs[i]);
	}
	return bb_do_rw(b, req->indirect_op, req->sector_number, segs, nseg);
}

static int16_t bb_do_request(struct blkback *b, const union blkif_sring_entry *e, uint8_t *op)
{
	const struct blkif_request *req = &e->req;

	*op = req->operation;
	switch (req->operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (req->nr_segments == 0 || req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
			sim_violation("blkback %u: request with %u segments", b->disk->index,
				      req->nr_segments);
			return BLKIF_RSP_ERROR;
		}
		return bb_do_rw(b, req->operation, req->sector_number, req->seg, req->nr_segments);
	case BLKIF_OP_INDIRECT:
		/* Linux's blkback answers with the indirect operation, not INDIRECT. */
		*op = ((const struct blkif_request_indirect *)req)->indirect_op;
		return bb_do_indirect(b, (const struct blkif_request_indirect *)req);
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (!b->flush)
			return BLKIF_RSP_EOPNOTSUPP;
		b->flushes++;
		return fsync(b->fd) ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
	case BLKIF_OP_WRITE_BARRIER:
		b->flushes++;
		return fsync(b->fd) ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

static void bb_respond(struct blkback *b, uint64_t id, uint8_t op, int16_t status)
{
	struct blkif_response rsp = {.id = id, .operation = op, .status = status};

	bb_ring_copy(b, BB_ENT_OFF(b, b->rsp_prod_pvt), &rsp, sizeof(rsp), true);
	b->rsp_prod_pvt++;
}

/* Linux's blkback keeps serving a Closing ring until the frontend lets go. */
static bool bb_serving(struct blkback *b)
{
	return b->state == XenbusStateConnected || (b->state == XenbusStateClosing && b->detached);
}

static void bb_process(struct blkback *b)
{
	struct blkif_sring *s = bb_sring(b);
	RING_IDX prod = __atomic_load_n(&s->req_prod, __ATOMIC_ACQUIRE);
	unsigned int done = 0;

	sim_evtchn_backend_pending(b->port);
	bb_fault_batch_start(b);
	if (prod - b->req_cons > b->nr_ents) {
		sim_violation("blkback %u: req_prod %u runs more than a ring ahead of %u",
			      b->disk->index, prod, b->req_cons);
		b->req_cons = prod;
		return;
	}
	while (b->req_cons != prod && bb_serving(b)) {
		union blkif_sring_entry e;
		uint8_t op;
		int16_t st;

		bb_ring_copy(b, BB_ENT_OFF(b, b->req_cons), &e, sizeof(e), false);
		b->req_cons++;
		if (bb_fault_swallow(b))
			continue;
		if (bb_fault_refuse_write(b, &e)) {
			op =
			    e.req.operation == BLKIF_OP_INDIRECT ? BLKIF_OP_WRITE : e.req.operation;
			st = BLKIF_RSP_ERROR;
		} else {
			st = bb_do_request(b, &e, &op);
			if (st == BLKIF_RSP_OKAY)
				bb_fault_after_write(b, &e);
		}
		b->requests++;
		bb_respond(b, bb_fault_id(b, e.req.id), op, bb_fault_status(b, op, st));
		done++;
		if (bb_fault_close_now(b))
			bb_set_state(b, XenbusStateClosing);
	}
	if (!done)
		return;
	__atomic_store_n(&s->rsp_prod, bb_fault_rsp_prod(b, b->rsp_prod_pvt), __ATOMIC_RELEASE);
	sim_evtchn_notify_guest(b->port);
}

/* ---- connection -------------------------------------------------------------- */

static void bb_unmap_all(struct blkback *b)
{
	bool keep = bb_fault(b, "blk-keep-mapped");
	unsigned int i;

	if (keep && b->npmap + b->nr_ring_pages)
		sim_log("blkback %u: fault blk-keep-mapped: %u granted page(s) stay mapped",
			b->disk->index, b->npmap + b->nr_ring_pages);
	for (i = 0; i < b->npmap && !keep; i++)
		sim_gnttab_unmap(b->pmap[i].ref);
	b->npmap = 0;
	for (i = 0; i < b->nr_ring_pages && !keep; i++)
		sim_gnttab_unmap(b->ring_ref[i]);
	b->nr_ring_pages = 0;
	b->persistent = false;
}

/* What Linux's connect_ring() does with the frontend's keys. */
static int bb_connect_ring(struct blkback *b)
{
	char path[128], *proto;
	uint64_t order = 0, v;
	unsigned int i;

	if (bb_fe_u64(b, "ring-page-order", &order)) {
		if (order > b->max_order) {
			sim_log("blkback %u: frontend ring-page-order %llu > %u", b->disk->index,
				(unsigned long long)order, b->max_order);
			return -EINVAL;
		}
		for (i = 0; i < (1u << order); i++) {
			char key[16];

			snprintf(key, sizeof(key), "ring-ref%u", i);
			if (!bb_fe_u64(b, key, &v))
				return -EINVAL;
			b->ring_ref[i] = (grant_ref_t)v;
		}
	} else {
		if (!bb_fe_u64(b, "ring-ref", &v))
			return -EINVAL;
		b->ring_ref[0] = (grant_ref_t)v;
	}
	if (!bb_fe_u64(b, "event-channel", &v))
		return -EINVAL;
	b->port = (evtchn_port_t)v;
	snprintf(path, sizeof(path), "%s/protocol", b->disk->frontend);
	proto = sim_xs_read(path);
	if (!proto || strcmp(proto, XEN_IO_PROTO_ABI_ARM)) {
		sim_violation("blkback %u: frontend protocol '%s', expected '%s'", b->disk->index,
			      proto ? proto : "(none)", XEN_IO_PROTO_ABI_ARM);
		free(proto);
		return -EINVAL;
	}
	free(proto);
	v = 0;
	bb_fe_u64(b, "feature-persistent", &v);
	b->persistent = v == 1 && b->offer_persistent;
	for (i = 0; i < (1u << order); i++) {
		b->ring_page[i] = sim_gnttab_map(b->ring_ref[i], true);
		if (!b->ring_page[i]) {
			bb_unmap_all(b);
			return -EINVAL;
		}
		b->nr_ring_pages++;
	}
	b->nr_ents = __CONST_RING_SIZE(blkif, PAGE_SIZE << order);
	b->req_cons = 0;
	b->rsp_prod_pvt = 0;
	b->closed_midway = false; /* a new frontend is served (until the fault strikes again) */
	if (sim_evtchn_bind(b->port)) {
		sim_violation("blkback %u: cannot bind event channel %u", b->disk->index, b->port);
		bb_unmap_all(b);
		return -EINVAL;
	}
	return 0;
}

static void bb_connect(struct blkback *b)
{
	if (bb_connect_ring(b)) {
		bb_set_state(b, XenbusStateClosing);
		return;
	}
	bb_write(b, "feature-flush-cache", "%d", b->flush ? 1 : 0);
	bb_write(b, "feature-barrier", "1");
	bb_write(b, "feature-discard", "0");
	bb_write(b, "feature-persistent", "%d", b->offer_persistent ? 1 : 0);
	bb_fault_write_geometry(b);
	bb_write(b, "physical-sector-size", "%u", b->disk->sector_size);
	bb_set_state(b, XenbusStateConnected);
}

/* The next frontend must not find the previous one's ring keys. */
static void bb_check_fe_clean(struct blkback *b)
{
	static const char *const keys[] = {"ring-ref", "ring-ref0", "ring-page-order",
					   "event-channel", "protocol"};
	unsigned int i, left = 0;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char path[128], *v;

		snprintf(path, sizeof(path), "%s/%s", b->disk->frontend, keys[i]);
		v = sim_xs_read(path);
		if (v) {
			sim_log("blkback %u: frontend left %s = %s", b->disk->index, keys[i], v);
			left++;
		}
		free(v);
	}
	if (!left)
		sim_log("blkback %u: frontend reset cleanly, InitWait for the next one",
			b->disk->index);
}

static void bb_frontend_changed(struct blkback *b)
{
	uint64_t fe;

	if (!bb_fe_u64(b, "state", &fe))
		return;
	switch (fe) {
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (b->state == XenbusStateInitWait && !bb_fault(b, "blk-never-connect"))
			bb_connect(b);
		break;
	case XenbusStateClosing:
		if (b->state != XenbusStateClosing && b->state != XenbusStateClosed)
			bb_set_state(b, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		if (b->state != XenbusStateClosed) {
			bb_unmap_all(b);
			bb_set_state(b, XenbusStateClosed);
			sim_log("blkback %u: frontend closed after %llu requests, %llu flushes",
				b->disk->index, (unsigned long long)b->requests,
				(unsigned long long)b->flushes);
		}
		break;
	case XenbusStateInitialising:
		/* A new frontend (the OS after hand-off): get ready again. */
		if (b->state == XenbusStateClosed && b->detached) {
			sim_log("blkback %u: detached, frontend let go", b->disk->index);
		} else if (b->state == XenbusStateClosed) {
			bb_check_fe_clean(b);
			if (!bb_fault_defer_reinit(b))
				bb_set_state(b, XenbusStateInitWait);
		}
		break;
	default:
		break;
	}
}

static void bb_poll(struct sim_backend *be)
{
	struct blkback *b = (struct blkback *)be;
	char path[128];

	snprintf(path, sizeof(path), "%s/state", b->disk->frontend);
	if (sim_xs_changed(path, &b->fe_gen))
		bb_frontend_changed(b);
	if (bb_fault_reinit_due(b) && b->state == XenbusStateClosed) {
		sim_log("blkback %u: InitWait for the next frontend, late", b->disk->index);
		bb_set_state(b, XenbusStateInitWait);
	}
	if (bb_fault(b, "blk-detach") && b->state == XenbusStateConnected && !b->detached) {
		/* What xl block-detach does: the backend goes Closing, the ring stays. */
		sim_log("blkback %u: fault blk-detach: going Closing", b->disk->index);
		b->detached = true;
		bb_set_state(b, XenbusStateClosing);
	}
	if (bb_serving(b) && b->nr_ring_pages)
		bb_process(b);
}

int sim_blkback_attach(struct sim_disk *disk)
{
	struct blkback *b = calloc(1, sizeof(*b));
	struct stat st;

	if (!b)
		return -ENOMEM;
	b->disk = disk;
	b->fd = open(disk->path, disk->readonly ? O_RDONLY : O_RDWR);
	if (b->fd < 0 || fstat(b->fd, &st)) {
		int err = -errno;

		sim_log("blkback: %s: %s", disk->path, strerror(errno));
		free(b);
		return err;
	}
	b->sectors = ((uint64_t)st.st_size / disk->sector_size) * (disk->sector_size / 512);
	snprintf(b->name, sizeof(b->name), "blkback%u", disk->index);
	b->be.name = b->name;
	b->be.poll = bb_poll;
	b->flush = !bb_fault(b, "blk-no-flush");
	bb_fault_features(b, BB_MAX_ORDER, BB_MAX_INDIRECT);
	bb_set_state(b, XenbusStateInitWait);
	sim_backend_register(&b->be);
	return 0;
}
