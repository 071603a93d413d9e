// SPDX-License-Identifier: MIT
/*
 * Grant table v1 as Xen keeps it for the guest: up to 64 frames, which the
 * guest maps into its /hypervisor region with XENMEM_add_to_physmap
 * (XENMAPSPACE_grant_table). Backends reach guest memory only through
 * sim_gnttab_map(), which checks the entry like Xen's map_grant_ref does
 * and marks it GTF_reading/GTF_writing while mapped.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "sim_internal.h"
#include <xen/memory.h>

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define MAX_REFS (SIM_GNTTAB_MAX_FRAMES * ENTRIES_PER_FRAME)

/* Xen's own copy of each frame, used while the guest has it unmapped. */
static grant_entry_v1_t own[SIM_GNTTAB_MAX_FRAMES][ENTRIES_PER_FRAME]
    __attribute__((aligned(4096)));
static uint64_t frame_gpfn[SIM_GNTTAB_MAX_FRAMES]; /* 0: not in the physmap */
static unsigned int nr_frames = 1;		   /* grows as the guest maps frames, as in Xen */
static uint16_t map_count[MAX_REFS][2];		   /* [ref][0] read-only maps, [1] writable maps */

static grant_entry_v1_t *frame_entries(unsigned int idx)
{
	return frame_gpfn[idx] ? (void *)(uintptr_t)(frame_gpfn[idx] << PAGE_SHIFT) : own[idx];
}

static grant_entry_v1_t *entry(grant_ref_t ref)
{
	return &frame_entries(ref / ENTRIES_PER_FRAME)[ref % ENTRIES_PER_FRAME];
}

static bool in_region(uint64_t gpfn)
{
	const struct sim_layout *l = sim_get_layout();
	uint64_t gpa = gpfn << PAGE_SHIFT;

	return gpa >= l->gnttab_base && gpa - l->gnttab_base < l->gnttab_size &&
	       l->gnttab_size - (gpa - l->gnttab_base) >= PAGE_SIZE;
}

int sim_gnttab_map_frame(unsigned long idx, uint64_t gpfn)
{
	void *page = (void *)(uintptr_t)(gpfn << PAGE_SHIFT);

	if (idx & XENMAPIDX_grant_table_status)
		return -EINVAL; /* v2 status frames: ARM guests use v1 */
	if (idx >= SIM_GNTTAB_MAX_FRAMES)
		return -EINVAL;
	if (!in_region(gpfn)) {
		sim_violation("grant frame %lu mapped at gfn 0x%llx, outside the /hypervisor "
			      "region the DT gives for it",
			      idx, (unsigned long long)gpfn);
		return -EINVAL;
	}
	if (frame_gpfn[idx] == gpfn)
		return 0;
	for (unsigned int i = 0; i < SIM_GNTTAB_MAX_FRAMES; i++)
		if (frame_gpfn[i] == gpfn) /* the gfn held another frame: that one leaves */
			sim_gnttab_unmap_frame(gpfn);
	if (frame_gpfn[idx])
		sim_gnttab_unmap_frame(frame_gpfn[idx]);
	if (mprotect(page, PAGE_SIZE, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	memcpy(page, own[idx], PAGE_SIZE);
	frame_gpfn[idx] = gpfn;
	if (idx + 1 > nr_frames)
		nr_frames = idx + 1;
	return 0;
}

int sim_gnttab_unmap_frame(uint64_t gpfn)
{
	for (unsigned int i = 0; i < SIM_GNTTAB_MAX_FRAMES; i++) {
		void *page = (void *)(uintptr_t)(gpfn << PAGE_SHIFT);

		if (frame_gpfn[i] != gpfn)
			continue;
		for (unsigned int r = 0; r < ENTRIES_PER_FRAME; r++) {
			unsigned int ref = i * ENTRIES_PER_FRAME + r;

			if (map_count[ref][0] || map_count[ref][1])
				sim_violation("grant frame %u unmapped while a backend still maps "
					      "ref %u",
					      i, ref);
		}
		memcpy(own[i], page, PAGE_SIZE);
		frame_gpfn[i] = 0;
		/* The region is address space only: an unmapped frame faults. */
		mprotect(page, PAGE_SIZE, PROT_NONE);
		return 0;
	}
	return -ENOENT;
}

unsigned int sim_gnttab_frames(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SIM_GNTTAB_MAX_FRAMES; i++)
		n += frame_gpfn[i] != 0;
	return n;
}

unsigned int sim_gnttab_active(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr_frames; i++) {
		grant_entry_v1_t *e = frame_entries(i);

		for (unsigned int r = 0; r < ENTRIES_PER_FRAME; r++)
			n += (__atomic_load_n(&e[r].flags, __ATOMIC_SEQ_CST) & GTF_type_mask) !=
			     GTF_invalid;
	}
	return n;
}

void sim_gnttab_reset(void)
{
	for (unsigned int i = 0; i < SIM_GNTTAB_MAX_FRAMES; i++)
		if (frame_gpfn[i])
			sim_gnttab_unmap_frame(frame_gpfn[i]);
	memset(own, 0, sizeof(own));
	memset(map_count, 0, sizeof(map_count));
	nr_frames = 1;
}

void *sim_gnttab_map(grant_ref_t ref, bool write)
{
	grant_entry_v1_t *e;
	uint16_t flags, want;
	void *page;

	if (ref >= nr_frames * ENTRIES_PER_FRAME) {
		sim_violation("backend given grant ref %u: beyond the grant table (%u frames)", ref,
			      nr_frames);
		return NULL;
	}
	e = entry(ref);
	flags = __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);
	do {
		if ((flags & GTF_type_mask) != GTF_permit_access) {
			sim_violation("grant ref %u: not GTF_permit_access (flags 0x%x)", ref,
				      flags);
			return NULL;
		}
		if (e->domid != SIM_BACKEND_DOMID) {
			sim_violation("grant ref %u: granted to domain %u, not to the backend's %d",
				      ref, e->domid, SIM_BACKEND_DOMID);
			return NULL;
		}
		if (write && (flags & GTF_readonly)) {
			sim_violation("grant ref %u: backend needs to write a read-only grant",
				      ref);
			return NULL;
		}
		want = flags | GTF_reading | (write ? GTF_writing : 0);
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, want, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	page = sim_gfn_to_ptr(e->frame);
	if (!page) {
		sim_violation("grant ref %u: frame 0x%x is not guest RAM", ref, e->frame);
		__atomic_store_n(&e->flags, flags, __ATOMIC_SEQ_CST);
		return NULL;
	}
	map_count[ref][write]++;
	return page;
}

void sim_gnttab_unmap(grant_ref_t ref)
{
	grant_entry_v1_t *e;
	uint16_t clear = 0;

	if (ref >= MAX_REFS || (!map_count[ref][0] && !map_count[ref][1])) {
		sim_violation("backend unmaps grant ref %u that it has not mapped", ref);
		return;
	}
	if (map_count[ref][1])
		map_count[ref][1]--;
	else
		map_count[ref][0]--;
	e = entry(ref);
	if ((__atomic_load_n(&e->flags, __ATOMIC_SEQ_CST) & GTF_type_mask) != GTF_permit_access)
		sim_violation("grant ref %u was ended by the guest while a backend mapped it", ref);
	if (!map_count[ref][1])
		clear |= GTF_writing;
	if (!map_count[ref][0] && !map_count[ref][1])
		clear |= GTF_reading;
	__atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

unsigned int sim_gnttab_mapped(void)
{
	unsigned int n = 0;

	for (unsigned int r = 0; r < MAX_REFS; r++)
		n += map_count[r][0] + map_count[r][1];
	return n;
}

static long query_size(struct gnttab_query_size *q)
{
	if (q->dom != DOMID_SELF && q->dom != SIM_GUEST_DOMID) {
		q->status = GNTST_bad_domain;
		return 0;
	}
	q->nr_frames = nr_frames;
	q->max_nr_frames = SIM_GNTTAB_MAX_FRAMES;
	q->status = GNTST_okay;
	return 0;
}

long sim_gnttab_op(unsigned int cmd, void *uop, unsigned int count)
{
	if (!uop)
		return -EFAULT;
	switch (cmd) {
	case GNTTABOP_query_size:
		for (unsigned int i = 0; i < count; i++)
			query_size((struct gnttab_query_size *)uop + i);
		return 0;
	default:
		/* setup_table: ARM guests map frames with add_to_physmap instead. */
		return -ENOSYS;
	}
}
