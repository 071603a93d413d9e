/* SPDX-License-Identifier: MIT */
/* State of one PV disk, shared by the data path and the XenStore negotiation. */
#ifndef PVBOOT_PVBLOCK_PRIV_H
#define PVBOOT_PVBLOCK_PRIV_H

#include <pvboot/blk.h>
#include <pvboot/pvblock.h>
#include <pvboot/xen/xenbus.h>
#include <pvboot/xen/events.h>
#include "blkif_ring.h"

#define PVBLOCK_MAX_SEGS 256   /* per indirect request: 1 MiB, one indirect page */
#define PVBLOCK_MAX_SLOTS 64   /* requests in flight: up to 64 MiB with indirect */
#define PVBLOCK_POOL_PAGES 256 /* bounce pool for unaligned buffers: 1 MiB */
/*
 * Persistent pool, also 1 MiB. blkback maps each persistent grant at its
 * first use, which the first read after a connect (the kernel's load) pays
 * for: on the rig a 3.75 MiB pool read 64 MiB first at a median 237 MiB/s,
 * this one at 460, and later reads at 646 against 577 (5 alternated runs of
 * test/system/bench-pvblock each). Far below the 1056 grants Linux's blkback
 * keeps mapped per ring, with the indirect pages.
 */
#define PVBLOCK_PERSISTENT_POOL_PAGES 256
#define PVBLOCK_MIN_POOL_PAGES 16 /* below this, give up (-ENOMEM) */

struct pvblock_slot {
	grant_ref_t *gref;			/* [segs_per_req] data grants of the request */
	unsigned int ngrants;			/* how many of gref to end on completion */
	struct blkif_request_segment *indirect; /* one page, NULL without indirect */
	int indirect_ref;			/* grant of the indirect page (kept), or -1 */
	unsigned int tag;			/* which half of the pool (pipelined copies) */
};

struct pvblock_dev {
	struct blk_desc blk;
	struct xenbus_device xb;
	blkif_vdev_t handle; /* virtual-device number, as Linux's blkfront sends it */

	/* Negotiated with the backend (validated). */
	unsigned int ring_order;   /* ours: min(backend's, 4) */
	unsigned int max_indirect; /* backend's segment limit; 0: no indirect */
	bool be_persistent;	   /* backend offers feature-persistent */
	bool persistent;	   /* we use it */
	unsigned int leaked;	   /* grants the backend would not let go (last release) */
	bool flush_cache, barrier, discard;
	uint64_t sectors; /* 512-byte units, always */
	unsigned int sector_size;
	unsigned int info;
	bool readonly;

	/* Shared ring and event channel. */
	void *ring_mem;
	grant_ref_t ring_ref[1u << BLKIF_MAX_RING_ORDER];
	unsigned int nr_ring_refs; /* granted so far */
	blkif_front_ring_t ring;
	evtchn_port_t port;
	bool port_open;

	/* Request slots: the id of a request names its slot. */
	struct blkif_pending *pend;
	struct pvblock_slot *slots;
	unsigned int *free_slots;
	unsigned int nfree, nslots, segs_per_req, inflight;
	unsigned int tag_inflight[2]; /* requests in flight per pool half */
	uint32_t gen;

	/* Pool for unaligned buffers (bounce) or persistent grants. */
	uint8_t *pool;
	unsigned int pool_pages;
	size_t pool_size;      /* bytes allocated */
	grant_ref_t *pool_ref; /* persistent grants of the pool, NULL when not persistent */

	struct pvblock_stats st;
	bool failed;	/* ring inconsistent or backend gone: no more I/O */
	bool connected; /* XenStore handshake done */
	bool keys_written;
};

/* Policy: use persistent grants when the backend offers them (pvblock_init sets it). */
extern bool pvblock_want_persistent;

/* pvblock_xs.c: the XenStore side of the handshake. */
int pvblock_xs_wait_backend(struct pvblock_dev *d);
int pvblock_xs_read_features(struct pvblock_dev *d);
int pvblock_xs_publish(struct pvblock_dev *d);
int pvblock_xs_connect(struct pvblock_dev *d);
int pvblock_xs_disconnect(struct pvblock_dev *d);
void pvblock_xs_remove_keys(struct pvblock_dev *d);
bool pvblock_xs_backend_gone(struct pvblock_dev *d);

#endif
