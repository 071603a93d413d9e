// SPDX-License-Identifier: MIT
/* Pure blkif helpers: request splitting and response validation. */
#include <errno.h>
#include "blkif_ring.h"

size_t blkif_plan_segments(uintptr_t addr, size_t len, unsigned int max_segs,
			   struct blkif_seg_plan *segs, unsigned int *nsegs)
{
	size_t done = 0;
	unsigned int n = 0;

	*nsegs = 0;
	if (!len || !max_segs || (addr | len) & ((1u << BLKIF_SECTOR_SHIFT) - 1))
		return 0;
	while (done < len && n < max_segs) {
		uintptr_t cur = addr + done;
		size_t in_page = cur & (PAGE_SIZE - 1);
		size_t chunk = MIN(len - done, PAGE_SIZE - in_page);

		segs[n].page = cur - in_page;
		segs[n].first_sect = in_page >> BLKIF_SECTOR_SHIFT;
		segs[n].last_sect = ((in_page + chunk) >> BLKIF_SECTOR_SHIFT) - 1;
		done += chunk;
		n++;
	}
	*nsegs = n;
	return done;
}

unsigned int blkif_ring_order_for(unsigned int max_order, unsigned int entries)
{
	unsigned int order = 0;

	while (order < max_order && __CONST_RING_SIZE(blkif, PAGE_SIZE << order) < entries)
		order++;
	return order;
}

uint64_t blkif_count_requests(uintptr_t addr, uint64_t len, unsigned int max_segs)
{
	uint64_t pages;

	if (!len || !max_segs)
		return 0;
	pages = ((addr & (PAGE_SIZE - 1)) + len + PAGE_SIZE - 1) / PAGE_SIZE;
	return DIV_ROUND_UP(pages, max_segs);
}

int blkif_check_rsp_prod(RING_IDX rsp_cons, RING_IDX rsp_prod, RING_IDX req_prod,
			 unsigned int nr_ents)
{
	RING_IDX ready = rsp_prod - rsp_cons;	    /* unsigned: wraps if behind */
	RING_IDX outstanding = req_prod - rsp_cons; /* requests not yet answered */

	if (ready > outstanding || ready > nr_ents)
		return -EPROTO;
	return 0;
}

enum blkif_rsp_verdict blkif_check_response(const struct blkif_response *rsp,
					    const struct blkif_pending *pend, unsigned int nr_slots,
					    unsigned int *slot)
{
	uint64_t id = rsp->id;
	unsigned int s = (unsigned int)(id & 0xffffffffu);
	const struct blkif_pending *p;

	if (s >= nr_slots)
		return BLKIF_RSP_BAD_ID;
	p = &pend[s];
	if (p->id != id) /* stale generation or forged upper bits */
		return BLKIF_RSP_BAD_ID;
	*slot = s;
	if (!p->inflight)
		return BLKIF_RSP_DUP_ID;
	if (rsp->operation != p->operation)
		return BLKIF_RSP_BAD_OP;
	switch (rsp->status) {
	case BLKIF_RSP_OKAY:
		return BLKIF_RSP_VALID;
	case BLKIF_RSP_EOPNOTSUPP:
		return BLKIF_RSP_NOTSUPP;
	default:
		return BLKIF_RSP_IOERR;
	}
}

const char *blkif_verdict_str(enum blkif_rsp_verdict v)
{
	switch (v) {
	case BLKIF_RSP_VALID:
		return "ok";
	case BLKIF_RSP_IOERR:
		return "I/O error reported by the backend";
	case BLKIF_RSP_NOTSUPP:
		return "operation not supported by the backend";
	case BLKIF_RSP_BAD_ID:
		return "response with an unknown id";
	case BLKIF_RSP_DUP_ID:
		return "duplicate response for an id";
	case BLKIF_RSP_BAD_OP:
		return "response operation does not match the request";
	}
	return "?";
}
