// SPDX-License-Identifier: MIT
/*
 * Faults of the simulated blkback (--sim-fault=NAME[=VALUE]):
 *   blk-error[=N]        status ERROR for data requests after N good ones
 *   blk-eopnotsupp[=N]   status EOPNOTSUPP likewise
 *   blk-wrong-id         responses carry an id never handed out
 *   blk-dup-id           a batch's responses all carry its first id
 *   blk-rsp-prod-garbage rsp_prod far ahead of the requests
 *   blk-stall            requests are consumed, never answered
 *   blk-close-midway[=N] after N requests go Closing and answer no more
 *   blk-never-connect    stay in InitWait whatever the frontend does
 *   blk-keep-mapped      never unmap the frontend's pages, even once Closed
 *   blk-write-whole-page on reads, also write the rest of every granted page
 *                        (what a writable grant lets a backend do)
 *   blk-detach           go Closing but keep serving (xl block-detach); use
 *                        `sim fault blk-detach` at the prompt
 *   blk-bad-sectors[=S], blk-bad-sector-size[=S], blk-bad-ring-order[=S],
 *   blk-bad-indirect[=S] publish S (a bogus default) for that key
 *   blk-no-indirect, blk-no-persistent, blk-no-flush, blk-ring-order=N
 *                        negotiate without a feature / with a smaller ring
 *   blk-write-error=N    write requests after N good ones fail, the image untouched
 *   blk-cut-after-writes=N  the domain is destroyed the moment its Nth write
 *                        request has reached the image: the process kills
 *                        itself (SIGKILL), nothing after it lands
 *   blk-flip=S:T[:N]     the first read of 512-byte sectors S..S+N-1 (N = 1 by
 *                        default) returns what is on the disk, every later one
 *                        the content of sectors T..T+N-1: a disk that changes
 *                        under its reader, or a backend that lies on a re-read
 *   blk-slow-reinit[=MS] once a frontend let go, stay Closed MS ms (default
 *                        300) before InitWait for the next one, as Xen 4.20's
 *                        dom0 does: a rescan finds the backend Closed
 *   blk-disk=N           the blk-* faults apply to disk N only (default: all)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pvboot/sandbox.h>
#include "blkback.h"

#define BB_WHOLE_PAGE_BYTE 0xee /* what blk-write-whole-page leaves outside the segment */

bool bb_fault(struct blkback *b, const char *name)
{
	if (!sim_fault(name))
		return false;
	return !sim_fault("blk-disk") || sim_fault_value("blk-disk", 0) == (long)b->disk->index;
}

long bb_fault_value(struct blkback *b, const char *name, long def)
{
	return sim_fault_value(name, def);
}

static void bb_key(struct blkback *b, const char *key, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", b->disk->backend, key);
	sim_xs_write(path, val);
}

static const char *bb_bogus(struct blkback *b, const char *fault, const char *def)
{
	const char *v = bb_fault(b, fault) ? sim_fault_string(fault) : NULL;

	return v && *v ? v : def;
}

void bb_fault_features(struct blkback *b, unsigned int max_order, unsigned int max_indirect)
{
	char v[32];

	b->max_order = max_order;
	if (bb_fault(b, "blk-ring-order"))
		b->max_order = (unsigned int)bb_fault_value(b, "blk-ring-order", 0) & 0xf;
	b->max_indirect = bb_fault(b, "blk-no-indirect") ? 0 : max_indirect;
	b->offer_persistent = !bb_fault(b, "blk-no-persistent");
	if (bb_fault(b, "blk-bad-ring-order")) {
		bb_key(b, "max-ring-page-order", bb_bogus(b, "blk-bad-ring-order", "99"));
	} else {
		snprintf(v, sizeof(v), "%u", b->max_order);
		bb_key(b, "max-ring-page-order", v);
	}
	if (bb_fault(b, "blk-bad-indirect")) {
		bb_key(b, "feature-max-indirect-segments",
		       bb_bogus(b, "blk-bad-indirect", "100000"));
	} else if (b->max_indirect) {
		snprintf(v, sizeof(v), "%u", b->max_indirect);
		bb_key(b, "feature-max-indirect-segments", v);
	}
	bb_key(b, "multi-queue-max-queues", "1");
}

void bb_fault_write_geometry(struct blkback *b)
{
	char v[32];

	if (bb_fault(b, "blk-bad-sectors")) {
		bb_key(b, "sectors", bb_bogus(b, "blk-bad-sectors", "0"));
	} else {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)b->sectors);
		bb_key(b, "sectors", v);
	}
	if (bb_fault(b, "blk-bad-sector-size")) {
		bb_key(b, "sector-size", bb_bogus(b, "blk-bad-sector-size", "1000"));
	} else {
		snprintf(v, sizeof(v), "%u", b->disk->sector_size);
		bb_key(b, "sector-size", v);
	}
	snprintf(v, sizeof(v), "%d", b->disk->readonly ? VDISK_READONLY : 0);
	bb_key(b, "info", v);
}

void bb_fault_batch_start(struct blkback *b)
{
	b->batch_n = 0;
}

bool bb_fault_swallow(struct blkback *b)
{
	if (bb_fault(b, "blk-stall"))
		return true;
	return b->closed_midway;
}

bool bb_fault_close_now(struct blkback *b)
{
	if (b->closed_midway || !bb_fault(b, "blk-close-midway"))
		return false;
	if (b->requests < (uint64_t)bb_fault_value(b, "blk-close-midway", 4))
		return false;
	sim_log("blkback %u: fault blk-close-midway: going Closing after %llu requests",
		b->disk->index, (unsigned long long)b->requests);
	b->closed_midway = true;
	return true;
}

uint64_t bb_fault_id(struct blkback *b, uint64_t id)
{
	if (bb_fault(b, "blk-wrong-id"))
		return id ^ 0x5a5a00000000ull;
	if (bb_fault(b, "blk-dup-id")) {
		if (b->batch_n++ == 0)
			b->batch_first_id = id;
		return b->batch_first_id;
	}
	return id;
}

int16_t bb_fault_status(struct blkback *b, uint8_t op, int16_t status)
{
	bool data = op == BLKIF_OP_READ || op == BLKIF_OP_WRITE || op == BLKIF_OP_INDIRECT;

	if (!data)
		return status;
	if (bb_fault(b, "blk-error") && b->requests > (uint64_t)bb_fault_value(b, "blk-error", 0))
		return BLKIF_RSP_ERROR;
	if (bb_fault(b, "blk-eopnotsupp") &&
	    b->requests > (uint64_t)bb_fault_value(b, "blk-eopnotsupp", 0))
		return BLKIF_RSP_EOPNOTSUPP;
	return status;
}

void bb_fault_fill_page(uint8_t *page, unsigned int first, unsigned int last)
{
	memset(page, BB_WHOLE_PAGE_BYTE, first * 512u);
	memset(page + (last + 1u) * 512u, BB_WHOLE_PAGE_BYTE, PAGE_SIZE - (last + 1u) * 512u);
}

RING_IDX bb_fault_rsp_prod(struct blkback *b, RING_IDX prod)
{
	return bb_fault(b, "blk-rsp-prod-garbage") ? prod + 0x8000 : prod;
}

static bool bb_is_write(const union blkif_sring_entry *e)
{
	return e->req.operation == BLKIF_OP_WRITE ||
	       (e->req.operation == BLKIF_OP_INDIRECT &&
		((const struct blkif_request_indirect *)&e->req)->indirect_op == BLKIF_OP_WRITE);
}

bool bb_fault_refuse_write(struct blkback *b, const union blkif_sring_entry *e)
{
	return bb_is_write(e) && bb_fault(b, "blk-write-error") &&
	       b->writes >= (uint64_t)bb_fault_value(b, "blk-write-error", 0);
}

void bb_fault_after_write(struct blkback *b, const union blkif_sring_entry *e)
{
	if (!bb_is_write(e))
		return;
	b->writes++;
	if (bb_fault(b, "blk-cut-after-writes") &&
	    b->writes >= (uint64_t)bb_fault_value(b, "blk-cut-after-writes", 1)) {
		sim_log("blkback %u: fault blk-cut-after-writes: domain destroyed after write %llu",
			b->disk->index, (unsigned long long)b->writes);
		/* Like xl destroy: no teardown, no flush of anything pvboot still holds. */
		sandbox_destroyed("destroyed (blk-cut-after-writes)");
	}
}

/* "S:T[:N]" (any base strtoull takes) into f[0..2]; N defaults to 1. */
static bool parse_flip(const char *v, unsigned long long f[3])
{
	char *end;

	f[2] = 1;
	for (int i = 0; v && i < 3; i++) {
		f[i] = strtoull(v, &end, 0);
		if (end == v || (*end && *end != ':'))
			return false;
		if (!*end)
			return i >= 1 && f[2];
		v = end + 1;
	}
	return false;
}

void bb_fault_flip(struct blkback *b, uint64_t sector, uint8_t *buf, size_t len)
{
	const char *v = bb_fault(b, "blk-flip") ? sim_fault_string("blk-flip") : NULL;
	unsigned long long f[3];
	uint64_t s, t, n, first, last;

	if (!parse_flip(v, f))
		return;
	s = f[0];
	t = f[1];
	n = f[2];
	first = MAX(sector, (uint64_t)s);
	last = MIN(sector + len / 512, (uint64_t)(s + n));
	if (first >= last || !b->flip_reads++)
		return;
	sim_log("blkback %u: fault blk-flip: sectors %llu..%llu re-read as %llu..%llu",
		b->disk->index, (unsigned long long)first, (unsigned long long)(last - 1),
		(unsigned long long)(t + first - s), (unsigned long long)(t + last - 1 - s));
	if (pread(b->fd, buf + (first - sector) * 512, (last - first) * 512,
		  (off_t)((t + first - s) * 512)) != (ssize_t)((last - first) * 512))
		sim_log("blkback %u: fault blk-flip: cannot read sector %llu", b->disk->index,
			(unsigned long long)(t + first - s));
}

bool bb_fault_defer_reinit(struct blkback *b)
{
	long ms;

	if (!bb_fault(b, "blk-slow-reinit"))
		return false;
	if (!b->reinit_at_ns) {
		ms = bb_fault_value(b, "blk-slow-reinit", 300);
		b->reinit_at_ns = sim_now_ns() + (uint64_t)(ms > 0 ? ms : 1) * 1000000;
		sim_log("blkback %u: fault blk-slow-reinit: Closed for %ld ms more", b->disk->index,
			ms);
	}
	return true;
}

bool bb_fault_reinit_due(struct blkback *b)
{
	if (!b->reinit_at_ns || sim_now_ns() < b->reinit_at_ns)
		return false;
	b->reinit_at_ns = 0;
	return true;
}
