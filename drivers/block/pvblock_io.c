// SPDX-License-Identifier: MIT
/*
 * Xen PV block frontend, transfers between the disk and a caller's buffer,
 * over the data path's verbs (pvblock_ring.c). The whole pages of a buffer
 * go to the backend directly (no copy); anything else, and every transfer
 * with persistent grants, is copied through a pool of pages that pvboot
 * owns, used as two halves so that copying one chunk overlaps the I/O of
 * the next.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/log.h>
#include <pvboot/xen/gnttab.h>
#include "pvblock_priv.h"

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

		if (ref < 0)
			break;
		d->pool_ref[i] = ref;
	}
	if (i < d->pool_pages)
		pr_warn("pvblock %d: grants for %u of %u pool pages only\n", d->blk.devnum, i,
			d->pool_pages);
	d->pool_pages = i; /* use what could be granted, down to one page */
	if (!i) {
		pvblock_free_pool(d);
		return -ENOSPC;
	}
	return 0;
}

void pvblock_free_pool(struct pvblock_dev *d)
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

/* ---- transfers ------------------------------------------------------------- */

/* After a failed step: let what is still in flight finish (the disk fails otherwise). */
static void pvblock_drain(struct pvblock_dev *d)
{
	if (!d->failed)
		pvblock_wait_for(d, pvblock_idle, 0);
}

/* Where the pool's next byte goes to (or comes from): span i, byte off of it. */
struct pvblock_cursor {
	unsigned int i;
	size_t off;
};

/* The sector a cursor stands at. */
static uint64_t pvblock_cursor_sector(const struct pvblock_span *sp, struct pvblock_cursor c)
{
	return sp[c.i].sector + (c.off >> BLKIF_SECTOR_SHIFT);
}

/*
 * Where in the pool the piece at cursor c goes, the pool's first used bytes
 * being taken and the last transfer ending at sector next: a piece that does
 * not follow on the disk starts a transfer of its own, on a page of its own.
 * With persistent grants a pool page is one grant for good, and blkback must
 * not get a grant in two requests in flight at once (Linux's xen-blkback
 * then logs "requesting a grant already in use" and maps it per request).
 */
static size_t pvblock_piece_at(const struct pvblock_span *sp, struct pvblock_cursor c, size_t used,
			       uint64_t next)
{
	return used && pvblock_cursor_sector(sp, c) != next ? ALIGN_UP(used, PAGE_SIZE) : used;
}

/* Copy a read half (used bytes of the pool at p) out to the spans from c on, as filled. */
static void pvblock_copy_out(const struct pvblock_span *sp, unsigned int nspans,
			     struct pvblock_cursor c, const uint8_t *p, size_t used)
{
	size_t pos = 0;
	uint64_t next = 0;

	while (c.i < nspans && (pos = pvblock_piece_at(sp, c, pos, next)) < used) {
		size_t k = MIN(sp[c.i].len - c.off, used - pos);

		memcpy(sp[c.i].buf + c.off, p + pos, k);
		next = pvblock_cursor_sector(sp, c) + (k >> BLKIF_SECTOR_SHIFT);
		pos += k;
		c.off += k;
		if (c.off == sp[c.i].len) {
			c.i++;
			c.off = 0;
		}
	}
}

/*
 * Fill pool half hp (half bytes) from the spans at *c on, all queued
 * without waiting. Pieces that follow each other on the disk share one
 * transfer, whatever lies between them in memory (a hole of the file):
 * the pool holds them back to back, and the copy-out puts each in place.
 * *used: the pool bytes taken (pages left blank included); *moved: data.
 */
static int pvblock_fill_half(struct pvblock_dev *d, uint8_t op, const struct pvblock_span *sp,
			     unsigned int nspans, struct pvblock_cursor *c, uint8_t *hp,
			     size_t half, unsigned int tag, size_t *used, size_t *moved)
{
	uint64_t next = 0;
	size_t at;

	*used = *moved = 0;
	while (c->i < nspans && (at = pvblock_piece_at(sp, *c, *used, next)) < half) {
		struct pvblock_xfer x = {
		    .op = op,
		    .sector = pvblock_cursor_sector(sp, *c),
		    .addr = (uintptr_t)(hp + at),
		    .pooled = true,
		    .tag = tag,
		};
		int ret;

		*used = at;
		while (*used < half && c->i < nspans &&
		       pvblock_cursor_sector(sp, *c) == x.sector + (x.len >> BLKIF_SECTOR_SHIFT)) {
			const struct pvblock_span *s = &sp[c->i];
			size_t k = MIN(s->len - c->off, half - *used);

			if (op == BLKIF_OP_WRITE)
				memcpy(hp + *used, s->buf + c->off, k);
			x.len += k;
			*used += k;
			c->off += k;
			if (c->off == s->len) {
				c->i++;
				c->off = 0;
			}
		}
		*moved += x.len;
		next = x.sector + (x.len >> BLKIF_SECTOR_SHIFT);
		ret = pvblock_submit_all(d, &x);
		if (ret || (ret = d->io_err))
			return ret;
	}
	return 0;
}

/* How many halves the pool splits into (two, or one of a one-page pool), *half bytes each. */
static unsigned int pvblock_pool_halves(const struct pvblock_dev *d, size_t *half)
{
	unsigned int halves = MIN(d->pool_pages, PVBLOCK_HALVES);

	*half = (size_t)(d->pool_pages / halves) * PAGE_SIZE;
	return halves;
}

/*
 * Through the pool: the spans are packed one after the other into the
 * pool's halves; chunk k goes through half k % halves, and before a half
 * takes its next chunk, the requests of the previous one are waited for
 * (and, on a read, the data copied out). So the backend always has the
 * other half's requests, however small the spans are. A pool of one page
 * (the grant table had no room for more) is one half: no overlap, but every
 * chunk fills the page, so each turn of the loop moves data. Every span is
 * a whole number of blocks, none empty.
 */
static int pvblock_rw_pooled(struct pvblock_dev *d, uint8_t op, const struct pvblock_span *sp,
			     unsigned int nspans)
{
	struct pvblock_cursor cur = {0}, from[PVBLOCK_HALVES] = {0};
	size_t half, n[PVBLOCK_HALVES] = {0}, moved[PVBLOCK_HALVES] = {0};
	uint8_t *hp[PVBLOCK_HALVES];
	unsigned int k = 0, h, halves;
	int ret = pvblock_alloc_pool(d);

	if (ret)
		return ret;
	halves = pvblock_pool_halves(d, &half);
	for (h = 0; h < halves; h++)
		hp[h] = d->pool + h * half;
	for (; cur.i < nspans || n[0] || n[1]; k++) {
		h = k % halves;
		/* Half h held chunk k - halves: finish it first. */
		if (n[h]) {
			ret = pvblock_wait_for(d, pvblock_tag_idle, h);
			if (ret || (ret = d->io_err))
				goto fail;
			if (op == BLKIF_OP_READ)
				pvblock_copy_out(sp, nspans, from[h], hp[h], n[h]);
			pvblock_count_copy(d, moved[h]);
			n[h] = 0;
		}
		from[h] = cur;
		ret = pvblock_fill_half(d, op, sp, nspans, &cur, hp[h], half, h, &n[h], &moved[h]);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	pvblock_drain(d);
	return ret;
}

static int pvblock_rw_pooled_one(struct pvblock_dev *d, uint8_t op, uint64_t sector, uint8_t *buf,
				 size_t len)
{
	struct pvblock_span sp = {.sector = sector, .buf = buf, .len = len};

	return pvblock_rw_pooled(d, op, &sp, len ? 1 : 0);
}

/* ---- warm-up --------------------------------------------------------------- */

/*
 * blkback maps a persistent grant the first time a request names it, so
 * the first transfer to use the whole pool (the kernel's load, as a rule)
 * paid for 256 mappings: on the rig a 32 MiB read right after connect took
 * 55-74 ms, the next 37-40 ms, and after a 1 MiB read first 39-55 ms. Once
 * start-up has read what it needs, one read of the pool's size from the
 * disk's start names every pool page, queued without waiting: the backend
 * maps them while pvboot connects the network, counts down or waits at the
 * prompt. Its data is dropped; an error in it is reported as any read's.
 */
int pvblock_warm_up(struct pvblock_dev *d)
{
	uint64_t disk = (uint64_t)d->blk.lba * d->blk.blksz;
	size_t half, left;
	unsigned int h, halves;
	int ret;

	if (!d->persistent || !d->connected || d->failed || d->inflight || d->warming)
		return 0;
	ret = pvblock_alloc_pool(d);
	if (ret)
		return ret;
	halves = pvblock_pool_halves(d, &half);
	left = (size_t)MIN((uint64_t)halves * half, ALIGN_DOWN(disk, d->blk.blksz));
	for (h = 0; h < halves && left; h++) {
		struct pvblock_xfer x = {
		    .op = BLKIF_OP_READ,
		    .sector = ((uint64_t)h * half) >> BLKIF_SECTOR_SHIFT,
		    .addr = (uintptr_t)(d->pool + (size_t)h * half),
		    .len = MIN(half, left),
		    .pooled = true,
		    .tag = h,
		};

		left -= x.len;
		/* What the ring cannot take now is left out: a warm-up need not be whole. */
		ret = pvblock_submit(d, &x);
		if (ret)
			break;
	}
	d->warming = d->inflight != 0;
	return ret;
}

int pvblock_settle(struct pvblock_dev *d)
{
	int ret = 0;

	if (d->warming) {
		d->warming = false;
		if (!d->failed)
			ret = pvblock_wait_for(d, pvblock_idle, 0); /* a failure marks the disk */
		if (!ret && d->io_err == -EINTR)
			ret = -EINTR; /* the Ctrl-C was for the transfer that waited */
	}
	d->io_err = 0;
	return ret;
}

/*
 * A backend given a page may write all of it, whatever the request's
 * segment says. So with direct grants only the pages the buffer covers
 * entirely go to the backend; a partial page at either end goes through the
 * pool (pvboot's own pages), while the whole pages are in flight. A buffer
 * that is not block-aligned, or that a grant cannot name, goes through the
 * pool altogether; with persistent grants everything does.
 */
int pvblock_transfer(struct pvblock_dev *d, uint8_t op, uint64_t sector, void *buf, size_t len)
{
	uintptr_t start = (uintptr_t)buf, end = start + len;
	uintptr_t lo = ALIGN_UP(start, PAGE_SIZE), hi = ALIGN_DOWN(end, PAGE_SIZE);
	struct pvblock_xfer whole;
	int ret = pvblock_settle(d), wait;

	if (ret)
		return ret;
	if (d->persistent || !IS_ALIGNED(start, d->blk.blksz) || lo >= hi ||
	    !arch_grantable((void *)lo, hi - lo))
		return pvblock_rw_pooled_one(d, op, sector, buf, len);
	whole = (struct pvblock_xfer){
	    .op = op,
	    .sector = sector + ((lo - start) >> BLKIF_SECTOR_SHIFT),
	    .addr = lo,
	    .len = hi - lo,
	    .tag = PVBLOCK_TAG_DIRECT,
	};
	ret = pvblock_submit_all(d, &whole);
	if (!ret && lo > start)
		ret = pvblock_rw_pooled_one(d, op, sector, buf, lo - start);
	if (!ret && end > hi)
		ret = pvblock_rw_pooled_one(d, op, sector + ((hi - start) >> BLKIF_SECTOR_SHIFT),
					    (uint8_t *)hi, end - hi);
	wait = pvblock_wait_for(d, pvblock_idle, 0);
	if (wait && wait != -EIO)
		return wait; /* the disk failed */
	return ret ?: d->io_err;
}

int pvblock_read_spans(struct pvblock_dev *d, const struct pvblock_span *sp, unsigned int n)
{
	unsigned int i;
	int ret = pvblock_settle(d);

	if (ret)
		return ret;
	if (d->persistent)
		return pvblock_rw_pooled(d, BLKIF_OP_READ, sp, n);
	/* Direct grants: each span's whole pages go straight to the backend. */
	for (i = 0; i < n && !ret; i++)
		ret = pvblock_transfer(d, BLKIF_OP_READ, sp[i].sector, sp[i].buf, sp[i].len);
	return ret;
}

int pvblock_flush_cache(struct pvblock_dev *d)
{
	struct pvblock_xfer x = {.op = d->flush_cache ? BLKIF_OP_FLUSH_DISKCACHE
						      : BLKIF_OP_WRITE_BARRIER};
	int ret = pvblock_settle(d);

	if (ret)
		return ret;
	return pvblock_run(d, &x);
}
