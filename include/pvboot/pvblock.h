/* SPDX-License-Identifier: MIT */
/* Xen PV block frontend (blkfront): one blk_desc "pvblock N" per device/vbd/<id>. */
#ifndef PVBOOT_PVBLOCK_H
#define PVBOOT_PVBLOCK_H

#include <pvboot/blk.h>

/*
 * Enumerate the device/vbd directory, connect each disk and register it. Disks that fail
 * to connect are reported and skipped. Returns 0 (even if some disk was
 * skipped), or -errno if the vbd directory cannot be read.
 */
int pvblock_init(void);
/*
 * Disconnect every disk (as for an OS hand-off) and probe again; the env
 * variable pvblock_persistent (0/1) chooses persistent grants. Returns disks.
 */
int pvblock_rescan(void);

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
