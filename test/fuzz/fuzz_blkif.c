// SPDX-License-Identifier: MIT
/*
 * The blkif response ring is written by another domain. Input: the
 * frontend's table of pending ids, the ring indexes, then raw response
 * entries; every verdict must be consistent with the table (an accepted
 * response names a slot that was in flight with that exact id and op), and
 * each id is accepted at most once. The tail also drives the segment
 * planner with arbitrary addresses and lengths.
 */
#include <stdlib.h>
#include <string.h>
#include "../../drivers/block/blkif_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SLOTS 64

static size_t take(const uint8_t **d, size_t *n, void *out, size_t len)
{
	size_t k = len < *n ? len : *n;

	memset(out, 0, len);
	memcpy(out, *d, k);
	*d += k;
	*n -= k;
	return k;
}

static void fuzz_plan(const uint8_t *d, size_t n)
{
	struct blkif_seg_plan segs[300];
	uint64_t addr = 0, len = 0;
	uint16_t max = 0;
	unsigned int nseg, i;
	size_t done, sum = 0;

	take(&d, &n, &addr, sizeof(addr));
	take(&d, &n, &len, sizeof(len));
	take(&d, &n, &max, sizeof(max));
	addr &= ~(uint64_t)511 & 0xffffffffffffull;
	len = (len & 0xfffffff) & ~(uint64_t)511;
	max %= 300;
	done = blkif_plan_segments((uintptr_t)addr, len, max, segs, &nseg);
	if (!len || !max) {
		if (done || nseg)
			abort();
		return;
	}
	if (!done || nseg > max || done > len)
		abort();
	for (i = 0; i < nseg; i++) {
		if (segs[i].page & (PAGE_SIZE - 1) || segs[i].first_sect > segs[i].last_sect ||
		    segs[i].last_sect >= BLKIF_SECTORS_PER_PAGE)
			abort();
		/* Contiguous: each segment starts where the previous one ended. */
		if (segs[i].page + segs[i].first_sect * 512u != addr + sum)
			abort();
		sum += (segs[i].last_sect - segs[i].first_sect + 1u) * 512u;
	}
	if (sum != done)
		abort();
	if (blkif_count_requests((uintptr_t)addr, len, max) < 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkif_pending pend[MAX_SLOTS];
	uint8_t nslots = 0, hdr[MAX_SLOTS * 2];
	RING_IDX idx[3];
	unsigned int i, nr_ents = 32;
	const uint8_t *d = data;
	size_t n = size;

	take(&d, &n, &nslots, 1);
	nslots = 1 + nslots % MAX_SLOTS;
	take(&d, &n, hdr, 2u * nslots);
	for (i = 0; i < nslots; i++) {
		static const uint8_t ops[] = {BLKIF_OP_READ, BLKIF_OP_WRITE,
					      BLKIF_OP_FLUSH_DISKCACHE, BLKIF_OP_WRITE_BARRIER};

		pend[i].id = blkif_make_id(i, hdr[2 * i] % 4);
		pend[i].operation = ops[hdr[2 * i + 1] % 4];
		pend[i].inflight = hdr[2 * i + 1] & 0x80;
	}
	take(&d, &n, idx, sizeof(idx));
	if (blkif_check_rsp_prod(idx[0], idx[1], idx[2], nr_ents) == 0) {
		RING_IDX ready = idx[1] - idx[0];

		/* Accepted: never more than a ring, never more than requested. */
		if (ready > nr_ents || ready > (RING_IDX)(idx[2] - idx[0]))
			abort();
	}
	/* Responses: whatever follows, 16 bytes each, bounded as a ring would be. */
	for (i = 0; i < nr_ents && n >= sizeof(struct blkif_response); i++) {
		struct blkif_response rsp;
		enum blkif_rsp_verdict v;
		unsigned int slot = ~0u;

		take(&d, &n, &rsp, sizeof(rsp));
		v = blkif_check_response(&rsp, pend, nslots, &slot);
		if (v == BLKIF_RSP_BAD_ID)
			continue;
		if (slot >= nslots || pend[slot].id != rsp.id)
			abort();
		if (v == BLKIF_RSP_DUP_ID) {
			if (pend[slot].inflight)
				abort();
			continue;
		}
		if (!pend[slot].inflight)
			abort();
		if (v == BLKIF_RSP_BAD_OP) {
			if (rsp.operation == pend[slot].operation)
				abort();
			continue;
		}
		if (rsp.operation != pend[slot].operation)
			abort();
		if ((v == BLKIF_RSP_VALID) != (rsp.status == BLKIF_RSP_OKAY))
			abort();
		pend[slot].inflight = false; /* a second answer must now be refused */
	}
	fuzz_plan(d, n);
	return 0;
}
