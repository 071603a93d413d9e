// SPDX-License-Identifier: MIT
/*
 * arch_map_xen_page() in the sandbox: the magic pages are mapped from the
 * start (guest.c), as Xen maps them for an arm64 guest; a page anywhere
 * else would fault, so it is refused, as the arm64 page tables refuse a
 * page inside RAM.
 */
#include <errno.h>
#include <pvboot/arch.h>
#include "sim/sim_internal.h"

int arch_map_xen_page(uint64_t pfn)
{
	const struct sim_layout *l = sim_get_layout();
	uint64_t first = l->magic_base >> PAGE_SHIFT;

	if (pfn >= first && pfn - first < SIM_MAGIC_PAGES)
		return 0;
	return -EINVAL;
}
