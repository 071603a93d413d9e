/* SPDX-License-Identifier: MIT */
/* Grant table v1: give backends access to our pages. */
#ifndef PVBOOT_XEN_GNTTAB_H
#define PVBOOT_XEN_GNTTAB_H

#include <pvboot/compiler.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/*
 * Map as many grant frames as Xen allows (at most 64) into [base, base +
 * size): the region the DT's /hypervisor node reserves for them.
 */
int gnttab_init(uint64_t base, uint64_t size);
/* End every grant and remove the frames from the physmap (before booting an OS). */
int gnttab_teardown(void);

/*
 * Grant domid access to frame (a gfn). Writes frame and domid, barrier, then
 * flags. Returns a reference >= 0 or -ENOSPC.
 */
int gnttab_grant_access(domid_t domid, uint64_t frame, bool readonly);
/*
 * End access. Returns 0, or -EBUSY if the backend still has it mapped
 * (GTF_reading/GTF_writing): the reference is then not reused, and counted as busy.
 */
int gnttab_end_access(grant_ref_t ref);

unsigned int gnttab_in_use(void);   /* references granted and not ended */
unsigned int gnttab_busy(void);	    /* references whose end failed (leaked to a live mapping) */
unsigned int gnttab_capacity(void); /* usable references */

#endif
