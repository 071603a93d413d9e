// SPDX-License-Identifier: MIT
/* Page rights for EFI images and the memory they allocate (see arch.h). */
#include <errno.h>
#include <pvboot/arch.h>
#include "arm64.h"

int arch_mem_protect(uint64_t start, uint64_t size, enum arch_mem_prot prot)
{
	static const enum map_type map[] = {
	    [ARCH_MEM_RW] = MAP_NORMAL_RW,
	    [ARCH_MEM_RO] = MAP_NORMAL_RO,
	    [ARCH_MEM_RX] = MAP_NORMAL_RX,
	    [ARCH_MEM_RWX] = MAP_NORMAL_RWX,
	};

	if ((unsigned int)prot >= ARRAY_SIZE(map))
		return -EINVAL;
	return mmu_protect(start, size, map[prot]);
}
