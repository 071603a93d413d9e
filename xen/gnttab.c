// SPDX-License-Identifier: MIT
/*
 * Grant table v1 (the only version ARM has). Frames are mapped into the
 * region the DT's /hypervisor node reserves for them; nothing assumes
 * GUEST_GNTTAB_BASE. Free references form an O(1) singly linked list. A
 * reference whose end fails because the backend still maps it is
 * quarantined: counted as busy and never handed out again until a later end
 * succeeds (reusing it would give a stranger's page to that backend).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/stats.h>
#include <xen/memory.h>

/* 64 frames = 32768 references: more than Xen 4.17's default domU limit needs. */
#define GNTTAB_MAX_FRAMES 64
#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define REF_NONE UINT32_MAX

enum ref_state { REF_FREE, REF_USED, REF_BUSY };

static struct {
	struct grant_entry_v1 *table;
	uint64_t base_gfn;
	unsigned int frames, max_frames;
	unsigned int nr_refs;
	uint32_t *next; /* free list links */
	uint8_t *state;
	uint32_t free_head;
	unsigned int in_use, busy;
	uint64_t grants, ends;
} gt;

static void free_ref(grant_ref_t ref)
{
	gt.state[ref] = REF_FREE;
	gt.next[ref] = gt.free_head;
	gt.free_head = ref;
}

static int map_frames(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct xen_add_to_physmap xatp = {
		    .domid = DOMID_SELF,
		    .space = XENMAPSPACE_grant_table,
		    .idx = i,
		    .gpfn = gt.base_gfn + i,
		};
		long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

		if (rc < 0) {
			pr_err("gnttab: cannot map frame %u (error %ld)\n", i, rc);
			return (int)rc;
		}
		gt.frames = i + 1;
	}
	return 0;
}

static int unmap_frames(void)
{
	int first = 0;

	while (gt.frames) {
		struct xen_remove_from_physmap xrfp = {
		    .domid = DOMID_SELF,
		    .gpfn = gt.base_gfn + gt.frames - 1,
		};
		long rc = HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &xrfp);

		if (rc < 0 && !first) {
			pr_err("gnttab: cannot unmap frame %u (error %ld)\n", gt.frames - 1, rc);
			first = (int)rc;
		}
		gt.frames--;
	}
	return first;
}

static void release_arrays(void)
{
	free(gt.next);
	free(gt.state);
	memset(&gt, 0, sizeof(gt));
}

int gnttab_init(uint64_t base, uint64_t size)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	unsigned int want, region_frames;
	long rc;

	if (gt.table)
		return 0;
	if (size < PAGE_SIZE || !IS_ALIGNED(base, PAGE_SIZE) || base + size < base) {
		pr_err("gnttab: no usable grant-table region in the DT /hypervisor node\n");
		return -ENODEV;
	}
	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
	if (rc < 0 || q.status != GNTST_okay) {
		pr_err("gnttab: GNTTABOP_query_size failed (%ld/%d)\n", rc, q.status);
		return rc < 0 ? (int)rc : -EIO;
	}
	region_frames = MIN(size / PAGE_SIZE, (uint64_t)GNTTAB_MAX_FRAMES);
	want = MIN(MIN(q.max_nr_frames, region_frames), GNTTAB_MAX_FRAMES);
	if (!want) {
		pr_err("gnttab: Xen allows no grant frames\n");
		return -ENOSPC;
	}
	gt.base_gfn = base >> PAGE_SHIFT;
	gt.max_frames = q.max_nr_frames;
	gt.next = calloc(want * ENTRIES_PER_FRAME, sizeof(*gt.next));
	gt.state = calloc(want * ENTRIES_PER_FRAME, sizeof(*gt.state));
	if (!gt.next || !gt.state) {
		release_arrays();
		return -ENOMEM;
	}
	rc = map_frames(want);
	if (rc < 0 && gt.frames == 0) {
		release_arrays();
		return (int)rc;
	}
	/* Keep what did map: fewer references, still working. */
	gt.table = phys_to_virt(base);
	gt.nr_refs = gt.frames * ENTRIES_PER_FRAME;
	gt.free_head = REF_NONE;
	for (grant_ref_t ref = gt.nr_refs; ref-- > GNTTAB_NR_RESERVED_ENTRIES;)
		free_ref(ref);
	for (grant_ref_t ref = 0; ref < GNTTAB_NR_RESERVED_ENTRIES; ref++)
		gt.state[ref] = REF_USED; /* the toolstack's, never ours */
	return 0;
}

int gnttab_grant_access(domid_t domid, uint64_t frame, bool readonly)
{
	struct grant_entry_v1 *e;
	grant_ref_t ref;

	if (!gt.table)
		return -ENODEV;
	if (frame > UINT32_MAX) /* v1 entries hold a 32-bit frame number */
		return -ERANGE;
	ref = gt.free_head;
	if (ref == REF_NONE)
		return -ENOSPC;
	gt.free_head = gt.next[ref];
	gt.state[ref] = REF_USED;
	gt.in_use++;
	gt.grants++;

	e = &gt.table[ref];
	e->frame = (uint32_t)frame;
	e->domid = domid;
	/* Frame and domid must be visible before the flags make the entry valid. */
	arch_wmb();
	__atomic_store_n(&e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0),
			 __ATOMIC_RELEASE);
	return (int)ref;
}

/* Clear the flags unless the remote side still has the page mapped. */
static bool try_end(grant_ref_t ref)
{
	uint16_t *flags = &gt.table[ref].flags;
	uint16_t old = __atomic_load_n(flags, __ATOMIC_ACQUIRE);

	do {
		if (old & (GTF_reading | GTF_writing))
			return false;
	} while (!__atomic_compare_exchange_n(flags, &old, 0, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_ACQUIRE));
	return true;
}

int gnttab_end_access(grant_ref_t ref)
{
	if (!gt.table)
		return -ENODEV;
	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= gt.nr_refs || gt.state[ref] == REF_FREE)
		return -EINVAL;
	if (!try_end(ref)) {
		if (gt.state[ref] == REF_USED) {
			gt.state[ref] = REF_BUSY;
			gt.in_use--;
			gt.busy++;
			pr_debug("gnttab: ref %u still mapped by domain %u, quarantined\n", ref,
				 gt.table[ref].domid);
		}
		return -EBUSY;
	}
	if (gt.state[ref] == REF_BUSY)
		gt.busy--;
	else
		gt.in_use--;
	gt.ends++;
	free_ref(ref);
	return 0;
}

int gnttab_teardown(void)
{
	int rc = 0, urc;

	if (!gt.table)
		return 0;
	for (grant_ref_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < gt.nr_refs; ref++) {
		if (gt.state[ref] != REF_FREE && gnttab_end_access(ref) < 0)
			rc = -EBUSY;
	}
	if (rc) {
		/*
		 * The table stays: an OS would reuse these refs and hand the
		 * backend's mapping pages it thinks are its own. The hand-off
		 * fails, and the quarantine keeps being tracked at the prompt.
		 */
		pr_err("gnttab: %u grant(s) still mapped by a backend at hand-off\n", gt.busy);
		return rc;
	}
	urc = unmap_frames();
	release_arrays();
	return rc ? rc : urc;
}

unsigned int gnttab_in_use(void)
{
	return gt.in_use;
}

unsigned int gnttab_busy(void)
{
	return gt.busy;
}

unsigned int gnttab_capacity(void)
{
	return gt.nr_refs > GNTTAB_NR_RESERVED_ENTRIES ? gt.nr_refs - GNTTAB_NR_RESERVED_ENTRIES
						       : 0;
}

int gnttab_get_stats(struct gnttab_stats *st)
{
	if (!gt.table)
		return -ENODEV;
	*st = (struct gnttab_stats){
	    .base_gfn = gt.base_gfn,
	    .frames = gt.frames,
	    .max_frames = gt.max_frames,
	    .capacity = gnttab_capacity(),
	    .in_use = gt.in_use,
	    .busy = gt.busy,
	    .grants = gt.grants,
	    .ends = gt.ends,
	};
	return 0;
}
