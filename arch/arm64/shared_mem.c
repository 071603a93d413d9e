// SPDX-License-Identifier: MIT
/*
 * Memory shared with backends. On Xen every page of guest RAM may be
 * granted, so rings, indirect pages and pools come from the heap (whole,
 * zeroed pages); a grant v1 entry holds a 32-bit frame number, which is
 * the only limit on what can be granted.
 */
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>

void *arch_shared_alloc(size_t size)
{
	size_t len = ALIGN_UP(size ? size : 1, PAGE_SIZE);
	void *p = aligned_alloc(PAGE_SIZE, len);

	if (p)
		memset(p, 0, len);
	return p;
}

void arch_shared_free(void *p, size_t size)
{
	free(p);
}

bool arch_grantable(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	return len && a + len - 1 >= a && virt_to_pfn((const void *)(a + len - 1)) <= UINT32_MAX;
}
