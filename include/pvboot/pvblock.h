/* SPDX-License-Identifier: MIT */
/* Xen PV block frontend (blkfront): one blk_desc "pvblock N" per device/vbd/<id>. */
#ifndef PVBOOT_PVBLOCK_H
#define PVBOOT_PVBLOCK_H

#include <pvboot/blk.h>

/* How disks are connected. */
struct pvblock_options {
	bool persistent; /* use persistent grants when the backend offers them */
};

/*
 * Enumerate the device/vbd directory, connect each disk and register it,
 * with the options of the last rescan (at first: the Kconfig defaults).
 * Disks that fail to connect are reported and skipped. Returns 0 (even if
 * some disk was skipped), or -errno if the vbd directory cannot be read.
 */
int pvblock_init(void);
/*
 * Queue, without waiting, a read that makes each connected disk's backend
 * map all of its persistent grants, so that the first big load does not
 * (start-up runs it once it has read what it needs). Always 0.
 */
int pvblock_warm_up_all(void);
/*
 * Remove every disk (as for an OS hand-off) and probe again with opts (NULL:
 * the same as before). Returns the number of disks, or -errno.
 */
int pvblock_rescan(const struct pvblock_options *opts);
/* The options the disks were (or will be) connected with. */
void pvblock_get_options(struct pvblock_options *opts);

/* Print negotiated features, geometry and counters of one disk (`pvblock info`). */
void pvblock_print_info(struct blk_desc *dev);

struct pvblock_stats {
	uint64_t requests;	/* ring requests sent */
	uint64_t bytes;		/* data moved */
	uint64_t bounce_copies; /* chunks of unaligned buffers copied through the pool */
	uint64_t bounce_bytes;
	uint64_t pool_copies; /* chunks copied out of/into the persistent-grant pool */
	uint64_t pool_bytes;
	uint64_t errors;	   /* failed requests */
	unsigned int max_inflight; /* most requests in flight at once */
};
int pvblock_get_stats(struct blk_desc *dev, struct pvblock_stats *st);

#endif
