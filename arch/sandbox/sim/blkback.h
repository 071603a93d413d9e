/* SPDX-License-Identifier: MIT */
/* The simulated blkback's state, shared with its fault injection. */
#ifndef SANDBOX_SIM_BLKBACK_H
#define SANDBOX_SIM_BLKBACK_H

#include <pvboot/compiler.h>
#include "sim_internal.h"
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>

#define BB_MAX_PGRANTS 1056 /* Linux blkback's default persistent grant limit */

struct blkback {
	struct sim_backend be; /* first: the poll callback casts back */
	struct sim_disk *disk;
	char name[16];
	int fd;
	uint64_t sectors; /* 512-byte units */
	XenbusState state;
	unsigned long fe_gen;

	/* What we offer. */
	unsigned int max_order, max_indirect;
	bool offer_persistent, flush;

	/* The connected ring. */
	grant_ref_t ring_ref[16];
	uint8_t *ring_page[16];
	unsigned int nr_ring_pages, nr_ents;
	RING_IDX req_cons, rsp_prod_pvt;
	evtchn_port_t port;
	bool persistent;
	struct {
		grant_ref_t ref;
		void *page;
	} pmap[BB_MAX_PGRANTS];
	unsigned int npmap;
	bool pgrants_full_logged;

	/* Counters, and fault state. */
	uint64_t requests, bytes, flushes;
	uint64_t writes; /* write requests that reached the image */
	uint64_t batch_first_id;
	unsigned int batch_n;
	bool closed_midway;
	bool detached; /* blk-detach: Closing but still serving, as after xl block-detach */
	unsigned int flip_reads; /* blk-flip: reads of the flipped sectors so far */
	uint64_t reinit_at_ns;	 /* blk-slow-reinit: when Closed turns InitWait (0: not pending) */
};

/* blkback_faults.c: --sim-fault=blk-* applied at the points real blkback acts. */
bool bb_fault(struct blkback *b, const char *name);
long bb_fault_value(struct blkback *b, const char *name, long def);
void bb_fault_features(struct blkback *b, unsigned int max_order, unsigned int max_indirect);
void bb_fault_write_geometry(struct blkback *b);
void bb_fault_batch_start(struct blkback *b);
bool bb_fault_swallow(struct blkback *b);
bool bb_fault_close_now(struct blkback *b);
uint64_t bb_fault_id(struct blkback *b, uint64_t id);
int16_t bb_fault_status(struct blkback *b, uint8_t op, int16_t status);
RING_IDX bb_fault_rsp_prod(struct blkback *b, RING_IDX prod);
/* blk-write-whole-page: fill the sectors of a granted page outside the segment. */
void bb_fault_fill_page(uint8_t *page, unsigned int first, unsigned int last);
bool bb_fault_refuse_write(struct blkback *b, const union blkif_sring_entry *e);
void bb_fault_after_write(struct blkback *b, const union blkif_sring_entry *e);
/* blk-slow-reinit: defer Closed -> InitWait (true), and end the delay when due. */
bool bb_fault_defer_reinit(struct blkback *b);
bool bb_fault_reinit_due(struct blkback *b);
/* blk-flip: a read of `len` bytes at 512-byte sector `sector` landed in buf. */
void bb_fault_flip(struct blkback *b, uint64_t sector, uint8_t *buf, size_t len);

#endif
