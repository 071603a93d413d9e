// SPDX-License-Identifier: MIT
/*
 * The map is an array of regions in address order that always covers bank
 * 0 exactly; every change rewrites a range and merges equal neighbours, so
 * the array stays as short as the map it describes. The key changes with
 * every change, as ExitBootServices needs.
 */
#include <stdlib.h>
#include <string.h>
#include "memory.h"

static struct efi_mem_region *regions;
static unsigned int nr_regions;
static UINTN map_key;

/* What AllocatePages may hand out: the UEFI types, and the OEM and OS loader ranges. */
static bool allocatable(uint32_t type)
{
	return type != EfiConventionalMemory && (type < EfiMaxMemoryType || type >= 0x70000000u);
}

static void merge(void)
{
	unsigned int out = 0;

	for (unsigned int i = 0; i < nr_regions; i++) {
		struct efi_mem_region *prev = out ? &regions[out - 1] : NULL;

		if (regions[i].end <= regions[i].start)
			continue;
		if (prev && prev->end == regions[i].start && prev->type == regions[i].type &&
		    prev->firmware == regions[i].firmware)
			prev->end = regions[i].end;
		else
			regions[out++] = regions[i];
	}
	nr_regions = out;
}

/* Give [start, end) (inside bank 0, page aligned) a type. */
static EFI_STATUS set_range(uint64_t start, uint64_t end, uint32_t type, bool firmware)
{
	struct efi_mem_region *r;
	unsigned int i;

	if (nr_regions + 2 > EFI_MEM_MAX_REGIONS)
		return EFI_OUT_OF_RESOURCES;
	for (i = 0; i < nr_regions && regions[i].end <= start; i++)
		;
	/* Split the region holding start, then the one holding end. */
	if (regions[i].start < start) {
		memmove(&regions[i + 1], &regions[i], (nr_regions - i) * sizeof(*regions));
		nr_regions++;
		regions[i].end = start;
		regions[++i].start = start;
	}
	for (unsigned int j = i; j < nr_regions && regions[j].start < end; j++) {
		r = &regions[j];
		if (r->end > end) {
			memmove(&regions[j + 1], r, (nr_regions - j) * sizeof(*regions));
			nr_regions++;
			r->end = end;
			regions[j + 1].start = end;
		}
		r->type = type;
		r->firmware = firmware;
	}
	merge();
	map_key++;
	return EFI_SUCCESS;
}

EFI_STATUS efi_mem_init(uint64_t ram_start, uint64_t ram_end, const struct efi_reserved *res,
			unsigned int nr_res)
{
	efi_mem_exit();
	ram_start = ALIGN_UP(ram_start, PAGE_SIZE);
	ram_end = ALIGN_DOWN(ram_end, PAGE_SIZE);
	if (ram_end <= ram_start)
		return EFI_INVALID_PARAMETER;
	regions = malloc(EFI_MEM_MAX_REGIONS * sizeof(*regions));
	if (!regions)
		return EFI_OUT_OF_RESOURCES;
	regions[0] = (struct efi_mem_region){ram_start, ram_end, EfiConventionalMemory, false};
	nr_regions = 1;
	for (unsigned int i = 0; i < nr_res; i++) {
		uint64_t s = MAX(ALIGN_DOWN(res[i].start, PAGE_SIZE), ram_start);
		uint64_t e = MIN(ALIGN_UP(res[i].end, PAGE_SIZE), ram_end);

		if (e > s && set_range(s, e, res[i].type, true)) {
			efi_mem_exit();
			return EFI_OUT_OF_RESOURCES;
		}
	}
	return EFI_SUCCESS;
}

void efi_mem_exit(void)
{
	free(regions);
	regions = NULL;
	nr_regions = 0;
}

/* Highest aligned block of `size` bytes inside free memory below `limit` (exclusive). */
static bool find_top(uint64_t size, uint64_t align, uint64_t limit, uint64_t *addr)
{
	for (unsigned int i = nr_regions; i-- > 0;) {
		const struct efi_mem_region *r = &regions[i];
		uint64_t end = MIN(r->end, limit);

		if (r->type != EfiConventionalMemory || end < r->start + size)
			continue;
		*addr = ALIGN_DOWN(end - size, align);
		if (*addr >= r->start)
			return true;
	}
	return false;
}

/* Is [start, end) inside bank 0 and entirely of `type` (and not pvboot's)? */
static bool range_is(uint64_t start, uint64_t end, uint32_t type)
{
	for (unsigned int i = 0; i < nr_regions && start < end; i++) {
		const struct efi_mem_region *r = &regions[i];

		if (r->end <= start)
			continue;
		if (r->start > start || r->type != type || r->firmware)
			return false;
		start = r->end;
	}
	return start >= end;
}

EFI_STATUS efi_mem_alloc(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, uint64_t pages,
			 uint64_t align, uint64_t *addr)
{
	uint64_t size = pages << PAGE_SHIFT, a;

	if (!regions)
		return EFI_NOT_READY;
	if (!allocatable(type))
		return EFI_INVALID_PARAMETER;
	if (!pages || pages > (1ull << (64 - PAGE_SHIFT - 1)) || !addr)
		return EFI_INVALID_PARAMETER;
	align = MAX(align, PAGE_SIZE);
	switch (how) {
	case AllocateAnyPages:
		if (!find_top(size, align, ~0ull, &a))
			return EFI_OUT_OF_RESOURCES;
		break;
	case AllocateMaxAddress:
		if (*addr == ~0ull ? !find_top(size, align, ~0ull, &a)
				   : !find_top(size, align, *addr + 1, &a))
			return EFI_OUT_OF_RESOURCES;
		break;
	case AllocateAddress:
		a = *addr;
		if (a % PAGE_SIZE)
			return EFI_INVALID_PARAMETER;
		if (a + size < a || !range_is(a, a + size, EfiConventionalMemory))
			return EFI_NOT_FOUND;
		break;
	default:
		return EFI_INVALID_PARAMETER;
	}
	if (set_range(a, a + size, type, false))
		return EFI_OUT_OF_RESOURCES;
	*addr = a;
	return EFI_SUCCESS;
}

bool efi_mem_is_allocated(uint64_t addr, uint64_t size)
{
	for (unsigned int i = 0; i < nr_regions; i++) {
		const struct efi_mem_region *r = &regions[i];

		if (addr >= r->start && addr < r->end)
			return allocatable(r->type) && !r->firmware && addr + size >= addr &&
			       range_is(addr, addr + size, r->type);
	}
	return false;
}

EFI_STATUS efi_mem_free(uint64_t addr, uint64_t pages)
{
	uint64_t size = pages << PAGE_SHIFT;

	if (addr % PAGE_SIZE)
		return EFI_INVALID_PARAMETER;
	if (!pages || pages > (1ull << (64 - PAGE_SHIFT - 1)) || !efi_mem_is_allocated(addr, size))
		return EFI_NOT_FOUND;
	return set_range(addr, addr + size, EfiConventionalMemory, false);
}

static uint64_t attributes(uint32_t type)
{
	bool rt = type == EfiRuntimeServicesCode || type == EfiRuntimeServicesData;

	return EFI_MEMORY_WB | (rt ? EFI_MEMORY_RUNTIME : 0);
}

EFI_STATUS efi_mem_get_map(UINTN *map_size, EFI_MEMORY_DESCRIPTOR *map, UINTN *key,
			   UINTN *desc_size, UINT32 *desc_version)
{
	UINTN need = nr_regions * sizeof(EFI_MEMORY_DESCRIPTOR);

	if (!map_size)
		return EFI_INVALID_PARAMETER;
	if (desc_size)
		*desc_size = sizeof(EFI_MEMORY_DESCRIPTOR);
	if (desc_version)
		*desc_version = EFI_MEMORY_DESCRIPTOR_VERSION;
	if (*map_size < need) {
		*map_size = need;
		return EFI_BUFFER_TOO_SMALL;
	}
	if (!map)
		return EFI_INVALID_PARAMETER;
	*map_size = need;
	for (unsigned int i = 0; i < nr_regions; i++) {
		map[i] = (EFI_MEMORY_DESCRIPTOR){
		    .Type = regions[i].type,
		    .PhysicalStart = regions[i].start,
		    .VirtualStart = 0,
		    .NumberOfPages = (regions[i].end - regions[i].start) >> PAGE_SHIFT,
		    .Attribute = attributes(regions[i].type),
		};
	}
	if (key)
		*key = map_key;
	return EFI_SUCCESS;
}

UINTN efi_mem_map_key(void)
{
	return map_key;
}

const struct efi_mem_region *efi_mem_regions(unsigned int *n)
{
	*n = nr_regions;
	return regions;
}
