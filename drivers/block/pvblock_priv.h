/* SPDX-License-Identifier: MIT */
/*
 * State of one PV disk, shared by the driver (pvblock.c: lifetime, blk
 * ops), its transfers (pvblock_io.c), the data path (pvblock_ring.c) and
 * the XenStore negotiation (pvblock_xs.c).
 */
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
 * first use: on the rig a 3.75 MiB pool read 64 MiB first at a median 237
 * MiB/s, this one at 460, and later reads at 646 against 577 (5 alternated
 * runs of test/system/bench-pvblock each). Far below the 1056 grants Linux's
 * blkback keeps mapped per ring, with the indirect pages. pvblock_warm_up()
 * has the backend map them all before the first big read.
 */
#define PVBLOCK_PERSISTENT_POOL_PAGES 256
#define PVBLOCK_MIN_POOL_PAGES 16 /* below this, give up (-ENOMEM) */
#define PVBLOCK_HALVES 2	  /* of the pool: one is copied while the other is in flight */
/* What requests are waited for by: a pool half, or the caller's own pages. */
#define PVBLOCK_TAG_DIRECT PVBLOCK_HALVES
#define PVBLOCK_TAGS (PVBLOCK_HALVES + 1)

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
	blkif_vdev_t handle;  /* virtual-device number, as Linux's blkfront sends it */
	bool want_persistent; /* the choice given to pvblock_probe (struct pvblock_options) */
	uint64_t t_start;     /* bootstage: when the handshake began */

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
	unsigned int tag_inflight[PVBLOCK_TAGS]; /* requests in flight per tag */
	uint32_t gen;
	uint64_t completed; /* responses taken: what waiting for progress watches */
	int io_err;	    /* first error of the transfer in progress: status, Ctrl-C */

	/* Pool for unaligned buffers (bounce) or persistent grants. */
	uint8_t *pool;
	unsigned int pool_pages;
	size_t pool_size;      /* bytes allocated */
	grant_ref_t *pool_ref; /* persistent grants of the pool, NULL when not persistent */

	struct pvblock_stats st;
	bool failed;	   /* ring inconsistent or backend gone: no more I/O */
	bool backend_gone; /* the backend left: the driver lets go of it */
	bool connected;	   /* XenStore handshake done */
	bool keys_written;
	bool warming; /* the pool's warm-up is (or may be) in flight: pvblock_settle */
};

/*
 * A transfer: what is left of it to queue. The pool's persistent grants are
 * used when it lies in the pool; tag names the pool half it fills.
 */
struct pvblock_xfer {
	uint8_t op;	 /* BLKIF_OP_READ, _WRITE, _FLUSH_DISKCACHE or _WRITE_BARRIER */
	uint64_t sector; /* next sector to queue, 512-byte units */
	uintptr_t addr;	 /* next byte of the buffer */
	size_t len;	 /* bytes left to queue; none for a flush */
	bool pooled;
	unsigned int tag;
	bool queued; /* all of it is on the ring */
};

/* pvblock_ring.c: the data path. Nothing there disconnects or frees the disk. */
int pvblock_alloc_slots(struct pvblock_dev *d);
void pvblock_free_slots(struct pvblock_dev *d);
/* End a grant; one the backend still maps is quarantined, counted in d->leaked. */
int pvblock_end_grant(struct pvblock_dev *d, grant_ref_t ref);
/* Queue as much of x as the ring, the free slots and the grants allow; notify. */
int pvblock_submit(struct pvblock_dev *d, struct pvblock_xfer *x);
/* Take every published response: check, end grants, free slots. Count or -EPROTO. */
int pvblock_complete(struct pvblock_dev *d);
/*
 * Complete until cond(d, arg) holds (or nothing is in flight), waiting on the
 * event channel with a deadline and Ctrl-C. 0, or -errno with the disk
 * marked failed (-ENODEV: the backend left, d->backend_gone).
 */
typedef bool (*pvblock_cond_fn)(const struct pvblock_dev *d, unsigned long arg);
int pvblock_wait_for(struct pvblock_dev *d, pvblock_cond_fn cond, unsigned long arg);
bool pvblock_idle(const struct pvblock_dev *d, unsigned long unused);
bool pvblock_tag_idle(const struct pvblock_dev *d, unsigned long tag);
/* Submit all of x, waiting for room when the ring or the grants run out. */
int pvblock_submit_all(struct pvblock_dev *d, struct pvblock_xfer *x);
/* Submit all of x and wait until nothing is in flight. 0 or the first -errno. */
int pvblock_run(struct pvblock_dev *d, struct pvblock_xfer *x);
/* The ring cannot be used any more: revoke what is in flight, refuse further I/O. */
void pvblock_mark_failed(struct pvblock_dev *d, const char *why);

/* pvblock_io.c: transfers between the disk and a caller's buffer. */
int pvblock_transfer(struct pvblock_dev *d, uint8_t op, uint64_t sector, void *buf, size_t len);
/* One piece of a read of many: len bytes (whole blocks, not 0) at sector into buf. */
struct pvblock_span {
	uint64_t sector;
	uint8_t *buf;
	size_t len;
};
/*
 * Read all spans with the ring kept busy across them (with persistent
 * grants: packed into the pool; otherwise span after span). 0 or -errno.
 */
int pvblock_read_spans(struct pvblock_dev *d, const struct pvblock_span *sp, unsigned int n);
int pvblock_flush_cache(struct pvblock_dev *d);
void pvblock_free_pool(struct pvblock_dev *d);
/*
 * Queue one read that names every page of the persistent pool, and return
 * without waiting (see pvblock_io.c). 0, or -errno: nothing queued.
 */
int pvblock_warm_up(struct pvblock_dev *d);
/*
 * Every transfer (and the hand-off) starts so: collect a warm-up still in
 * flight, clear io_err. 0, or -errno: the disk failed, or Ctrl-C meanwhile.
 */
int pvblock_settle(struct pvblock_dev *d);

/* pvblock_xs.c: the XenStore side of the handshake. */
int pvblock_xs_wait_backend(struct pvblock_dev *d);
int pvblock_xs_read_features(struct pvblock_dev *d);
/* Write the ring's keys and go Initialised: the backend connects meanwhile. */
int pvblock_xs_publish(struct pvblock_dev *d);
/* Wait for the backend's Connected, read what it offers, go Connected. */
int pvblock_xs_connect(struct pvblock_dev *d);
int pvblock_xs_disconnect(struct pvblock_dev *d);
void pvblock_xs_remove_keys(struct pvblock_dev *d);

#endif
