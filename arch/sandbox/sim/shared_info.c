// SPDX-License-Identifier: MIT
/*
 * shared_info. Xen keeps the page; the guest sees it once it maps it with
 * XENMEM_add_to_physmap(XENMAPSPACE_shared_info) at a gfn of its choosing.
 * Here the page at that gfn becomes the shared_info (the sim's copy is
 * moved in), and on XENMEM_remove_from_physmap it is moved back out and
 * the gfn left a hole until XENMEM_populate_physmap.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "sim_internal.h"

static struct shared_info own __attribute__((aligned(4096)));
static struct shared_info *mapped;

_Static_assert(sizeof(struct shared_info) <= PAGE_SIZE, "shared_info fits a page");

struct shared_info *sim_shared_info(void)
{
	return mapped ? mapped : &own;
}

bool sim_shinfo_mapped(void)
{
	return mapped != NULL;
}

bool sim_gfn_addressable(uint64_t gpfn)
{
	unsigned char vec;
	const struct sim_layout *l = sim_get_layout();
	uint64_t gpa = gpfn << PAGE_SHIFT;

	if (!gpfn || gpfn > ((1ull << 47) >> PAGE_SHIFT))
		return false;
	if (gpa >= l->gnttab_base && gpa - l->gnttab_base < l->gnttab_size)
		return false; /* reserved for grant frames */
	if (gpa >= l->magic_base && gpa - l->magic_base < SIM_MAGIC_PAGES * PAGE_SIZE)
		return false;
	return mincore((void *)(uintptr_t)gpa, PAGE_SIZE, &vec) == 0;
}

int sim_shinfo_map(uint64_t gpfn)
{
	struct shared_info *page = (void *)(uintptr_t)(gpfn << PAGE_SHIFT);

	if (!sim_gfn_addressable(gpfn)) {
		sim_log("add_to_physmap(shared_info): gfn 0x%llx is not guest memory",
			(unsigned long long)gpfn);
		return -EINVAL;
	}
	if (mapped == page)
		return 0;
	if (mapped) /* Xen moves the page: the old gfn becomes a hole */
		sim_shinfo_unmap((uintptr_t)mapped >> PAGE_SHIFT);
	/* Over a hole: the frame is replaced. Over RAM: that page is stranded. */
	if (sim_hole_fill(gpfn))
		sim_page_stranded(gpfn);
	memcpy(page, &own, sizeof(own));
	memset((char *)page + sizeof(own), 0, PAGE_SIZE - sizeof(own));
	mapped = page;
	return 0;
}

int sim_shinfo_unmap(uint64_t gpfn)
{
	if (!mapped || (uintptr_t)mapped != (uintptr_t)(gpfn << PAGE_SHIFT))
		return -ENOENT;
	memcpy(&own, mapped, sizeof(own));
	mapped = NULL;
	sim_hole_add(gpfn);
	return 0;
}
