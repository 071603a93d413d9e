/* SPDX-License-Identifier: MIT */
/*
 * Pure blkif helpers, kept free of Xen services so that unit tests and the
 * fuzzer can drive them: response validation and request splitting.
 */
#ifndef PVBOOT_BLKIF_RING_H
#define PVBOOT_BLKIF_RING_H

#include <pvboot/compiler.h>
#include <pvboot/arch.h>

/* <xen/io/ring.h> expects the includer to provide the barriers. */
#ifndef mb
#define mb() arch_mb()
#define rmb() arch_rmb()
#define wmb() arch_wmb()
#endif
#include <xen/xen.h>
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
/* Since interface 0x00030208 the includer provides xen_mb() and friends too. */
#ifndef xen_mb
#define xen_mb() arch_mb()
#define xen_rmb() arch_rmb()
#define xen_wmb() arch_wmb()
#endif

#define BLKIF_SECTOR_SHIFT 9 /* blkif sectors are always 512 bytes */
#define BLKIF_SECTORS_PER_PAGE (PAGE_SIZE >> BLKIF_SECTOR_SHIFT)
#define BLKIF_SEGS_PER_INDIRECT_PAGE (PAGE_SIZE / sizeof(struct blkif_request_segment))
#define BLKIF_MAX_RING_ORDER 4

/* One segment: a part of one page, in 512-byte sectors within that page. */
struct blkif_seg_plan {
	uintptr_t page; /* page-aligned address */
	uint8_t first_sect;
	uint8_t last_sect;
};

/*
 * Cut the next request out of [addr, addr + len): at most max_segs segments,
 * one per page touched. addr and len must be multiples of 512. Returns the
 * bytes covered (> 0), or 0 if the arguments are invalid.
 */
size_t blkif_plan_segments(uintptr_t addr, size_t len, unsigned int max_segs,
			   struct blkif_seg_plan *segs, unsigned int *nsegs);

/*
 * The smallest ring order, at most max_order, whose ring has room for
 * entries requests (max_order when none has). A page more than that is a
 * grant and two XenStore round trips (its key written at connect, removed
 * at hand-off) that buy nothing.
 */
unsigned int blkif_ring_order_for(unsigned int max_order, unsigned int entries);

/* Requests needed for len bytes at addr with max_segs segments each. */
uint64_t blkif_count_requests(uintptr_t addr, uint64_t len, unsigned int max_segs);

/*
 * Is the backend's rsp_prod plausible? It may not run ahead of the requests
 * we have pushed (req_prod) nor be behind rsp_cons. 0 or -EPROTO.
 */
int blkif_check_rsp_prod(RING_IDX rsp_cons, RING_IDX rsp_prod, RING_IDX req_prod,
			 unsigned int nr_ents);

/* What the frontend knows about an id it handed out. */
struct blkif_pending {
	uint64_t id;	   /* full id, including the generation bits */
	uint8_t operation; /* BLKIF_OP_* the response must echo (indirect_op for indirect) */
	bool inflight;
};

/* Result of checking one response. */
enum blkif_rsp_verdict {
	BLKIF_RSP_VALID,   /* slot found, status OKAY */
	BLKIF_RSP_IOERR,   /* slot found, status ERROR or unknown value */
	BLKIF_RSP_NOTSUPP, /* slot found, status EOPNOTSUPP */
	BLKIF_RSP_BAD_ID,  /* no such id: ring inconsistent */
	BLKIF_RSP_DUP_ID,  /* id not in flight (already answered): ring inconsistent */
	BLKIF_RSP_BAD_OP,  /* operation does not echo the request: ring inconsistent */
};

/*
 * Validate a response copied out of the shared ring (never read the ring
 * twice). On any verdict but BAD_ID, *slot is the slot of the id.
 */
enum blkif_rsp_verdict blkif_check_response(const struct blkif_response *rsp,
					    const struct blkif_pending *pend, unsigned int nr_slots,
					    unsigned int *slot);

/* Id for slot with generation gen; slot is recoverable from the low bits. */
static inline uint64_t blkif_make_id(unsigned int slot, uint32_t gen)
{
	return ((uint64_t)gen << 32) | slot;
}

const char *blkif_verdict_str(enum blkif_rsp_verdict v);

#endif
