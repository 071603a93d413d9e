// SPDX-License-Identifier: MIT
/*
 * Default arch_shared_alloc(): the heap, which is guest RAM on Xen. Weak so
 * that an arch whose heap is not grantable (the sandbox) supplies its own.
 */
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>

__attribute__((weak)) void *arch_shared_alloc(size_t size)
{
	void *p = aligned_alloc(PAGE_SIZE, ALIGN_UP(size, PAGE_SIZE));

	if (p)
		memset(p, 0, ALIGN_UP(size, PAGE_SIZE));
	return p;
}

__attribute__((weak)) void arch_shared_free(void *p, size_t size)
{
	(void)size;
	free(p);
}
