/* SPDX-License-Identifier: MIT */
/*
 * The UEFI memory map of RAM bank 0 and the page allocator over it. The map
 * is exact: its regions cover bank 0 with no gap and no overlap, every page
 * has one type, and pvboot's own regions (given at init, never freeable)
 * are in it as boot services code or data. Allocations are whole pages,
 * from the top of RAM down unless an address is asked for.
 */
#ifndef EFI_MEMORY_H
#define EFI_MEMORY_H

#include <pvboot/efi_abi.h>

#define EFI_MEM_MAX_REGIONS 512

/* A range pvboot keeps for itself while UEFI runs. */
struct efi_reserved {
	uint64_t start, end; /* [start, end), rounded out to pages */
	uint32_t type;	     /* EfiBootServicesCode or EfiBootServicesData */
	const char *what;
};

struct efi_mem_region {
	uint64_t start, end; /* page aligned */
	uint32_t type;	     /* EFI_MEMORY_TYPE */
	bool firmware;	     /* pvboot's own: FreePages refuses it */
};

/* Bank 0 = [ram_start, ram_end); reserved ranges outside it are ignored. */
EFI_STATUS efi_mem_init(uint64_t ram_start, uint64_t ram_end, const struct efi_reserved *res,
			unsigned int nr_res);
void efi_mem_exit(void);

EFI_STATUS efi_mem_alloc(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, uint64_t pages,
			 uint64_t align, uint64_t *addr);
EFI_STATUS efi_mem_free(uint64_t addr, uint64_t pages);
/* Is [addr, addr + size) entirely allocated with one allocatable type? */
bool efi_mem_is_allocated(uint64_t addr, uint64_t size);

/* The map: GetMemoryMap's semantics. */
EFI_STATUS efi_mem_get_map(UINTN *map_size, EFI_MEMORY_DESCRIPTOR *map, UINTN *key,
			   UINTN *desc_size, UINT32 *desc_version);
UINTN efi_mem_map_key(void);
/* For efidebug and tests: the regions, in address order. */
const struct efi_mem_region *efi_mem_regions(unsigned int *n);

#endif
