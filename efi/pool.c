// SPDX-License-Identifier: MIT
/*
 * AllocatePool/FreePool over the page allocator. The memory keeps the type
 * asked for (the map must say what the OS may reuse): small requests share
 * 64 KiB arenas of that type (lib/heap.c inside them), large ones get pages
 * of their own. The bookkeeping lives in pvboot's heap, not beside the
 * caller's data, so an image that overruns a buffer cannot redirect it.
 */
#include <stdlib.h>
#include <pvboot/heap.h>
#include "efi_internal.h"

#define ARENA_PAGES 16
#define LARGE (ARENA_PAGES * PAGE_SIZE / 4)

struct pool_block {
	struct pool_block *next;
	uint64_t start, pages;
	uint32_t type;
	bool arena;
	struct heap heap;
};

static struct pool_block *blocks;

static struct pool_block *new_block(uint32_t type, uint64_t pages, bool arena)
{
	struct pool_block *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	if (efi_mem_alloc(AllocateAnyPages, type, pages, 0, &b->start) != EFI_SUCCESS) {
		free(b);
		return NULL;
	}
	b->pages = pages;
	b->type = type;
	b->arena = arena;
	if (arena)
		heap_init(&b->heap, (void *)(uintptr_t)b->start, pages * PAGE_SIZE);
	b->next = blocks;
	blocks = b;
	return b;
}

static void free_block(struct pool_block *b)
{
	struct pool_block **pp = &blocks;

	while (*pp != b)
		pp = &(*pp)->next;
	*pp = b->next;
	efi_mem_free(b->start, b->pages);
	free(b);
}

EFI_STATUS efi_pool_alloc(EFI_MEMORY_TYPE type, UINTN size, void **out)
{
	struct pool_block *b;
	void *p;

	if (!out)
		return EFI_INVALID_PARAMETER;
	if (size > LARGE) {
		if (size > (1ull << 40))
			return EFI_OUT_OF_RESOURCES;
		b = new_block(type, DIV_ROUND_UP(size, PAGE_SIZE), false);
		if (!b)
			return EFI_OUT_OF_RESOURCES;
		*out = (void *)(uintptr_t)b->start;
		return EFI_SUCCESS;
	}
	for (b = blocks; b; b = b->next) {
		if (b->arena && b->type == type && (p = heap_alloc(&b->heap, size, 16))) {
			*out = p;
			return EFI_SUCCESS;
		}
	}
	b = new_block(type, ARENA_PAGES, true);
	if (!b)
		return EFI_OUT_OF_RESOURCES;
	p = heap_alloc(&b->heap, size, 16);
	if (!p) { /* cannot happen for size <= LARGE: say so rather than loop */
		free_block(b);
		return EFI_OUT_OF_RESOURCES;
	}
	*out = p;
	return EFI_SUCCESS;
}

EFI_STATUS efi_pool_free(void *p)
{
	uint64_t a = (uintptr_t)p;

	for (struct pool_block *b = blocks; b; b = b->next) {
		if (a < b->start || a >= b->start + b->pages * PAGE_SIZE)
			continue;
		if (!b->arena) {
			if (a != b->start)
				return EFI_INVALID_PARAMETER;
			free_block(b);
			return EFI_SUCCESS;
		}
		if (!heap_usable_size(&b->heap, p))
			return EFI_INVALID_PARAMETER;
		heap_free(&b->heap, p);
		if (!b->heap.nr_allocs)
			free_block(b);
		return EFI_SUCCESS;
	}
	return EFI_INVALID_PARAMETER;
}

/* Forget every block (their pages go with the map). */
void efi_pool_exit(void)
{
	while (blocks) {
		struct pool_block *b = blocks;

		blocks = b->next;
		free(b);
	}
}
