// SPDX-License-Identifier: MIT
/*
 * The UEFI memory map and page allocator: the map always covers bank 0
 * exactly (checked against a page-by-page model through thousands of
 * random allocations and frees), pvboot's reserved regions can be neither
 * allocated nor freed, and every bad request is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../efi/memory.h"

#define RAM 0x40000000ull
#define PAGES 1024
#define P(n) (RAM + (uint64_t)(n)*PAGE_SIZE)

static uint32_t model[PAGES]; /* the type of every page */
static bool model_fw[PAGES];  /* pvboot's own */

static const struct efi_reserved reserved[] = {
    {P(768), P(1024), EfiBootServicesData, "pvboot"},
    {P(800) + 5, P(810) - 7, EfiBootServicesCode, "image, unaligned"},
    {0x10000000, 0x10001000, EfiBootServicesData, "outside RAM"},
    {P(1000), P(1100), EfiBootServicesData, "past the end"},
};

static int setup(void **state)
{
	assert_int_equal(efi_mem_init(RAM, P(PAGES), reserved, ARRAY_SIZE(reserved)), EFI_SUCCESS);
	for (int i = 0; i < PAGES; i++) {
		model[i] = i >= 768 ? EfiBootServicesData : EfiConventionalMemory;
		model_fw[i] = i >= 768;
	}
	for (int i = 800; i < 810; i++)
		model[i] = EfiBootServicesCode;
	return 0;
}

static int teardown(void **state)
{
	efi_mem_exit();
	return 0;
}

/* The map equals the model: contiguous, sorted, merged, from RAM to its end. */
static void check_map(void)
{
	UINTN size = 0, key, dsize;
	UINT32 ver;
	EFI_MEMORY_DESCRIPTOR map[EFI_MEM_MAX_REGIONS];
	uint64_t next = RAM;
	int page = 0;

	assert_int_equal(efi_mem_get_map(&size, NULL, &key, &dsize, &ver), EFI_BUFFER_TOO_SMALL);
	assert_int_equal(dsize, sizeof(EFI_MEMORY_DESCRIPTOR));
	assert_int_equal(efi_mem_get_map(&size, map, &key, &dsize, &ver), EFI_SUCCESS);
	assert_int_equal(ver, EFI_MEMORY_DESCRIPTOR_VERSION);
	for (size_t i = 0; i < size / dsize; i++) {
		assert_true(map[i].PhysicalStart == next);
		assert_true(map[i].NumberOfPages > 0);
		assert_true(map[i].Attribute & EFI_MEMORY_WB);
		if (i)
			assert_false(map[i].Type == map[i - 1].Type &&
				     map[i].Type == EfiConventionalMemory);
		for (uint64_t p = 0; p < map[i].NumberOfPages; p++, page++)
			if (model[page] != map[i].Type)
				fail_msg("page %d: map says type %u, model %u", page, map[i].Type,
					 model[page]);
		next += map[i].NumberOfPages * PAGE_SIZE;
	}
	assert_true(next == P(PAGES));
	assert_int_equal(page, PAGES);
}

static void test_init_reserves(void **state)
{
	unsigned int n;
	const struct efi_mem_region *r = efi_mem_regions(&n);

	check_map();
	assert_int_equal(n, 4); /* free | data | code | data */
	assert_true(r[2].firmware && r[2].start == P(800) && r[2].end == P(810));
}

static void test_alloc_from_top_and_free(void **state)
{
	uint64_t a;
	UINTN key = efi_mem_map_key();

	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiLoaderData, 4, 0, &a), EFI_SUCCESS);
	assert_true(a == P(764)); /* just below pvboot */
	assert_true(efi_mem_map_key() != key);
	for (int i = 764; i < 768; i++)
		model[i] = EfiLoaderData;
	check_map();
	assert_true(efi_mem_is_allocated(a, 4 * PAGE_SIZE));
	assert_false(efi_mem_is_allocated(a, 5 * PAGE_SIZE)); /* runs into pvboot */
	assert_int_equal(efi_mem_free(a, 4), EFI_SUCCESS);
	for (int i = 764; i < 768; i++)
		model[i] = EfiConventionalMemory;
	check_map();
	assert_int_equal(efi_mem_free(a, 4), EFI_NOT_FOUND);
}

static void test_alloc_kinds(void **state)
{
	uint64_t a = P(100) - 1, b;

	/* Max address: the highest block that ends at or below it. */
	assert_int_equal(efi_mem_alloc(AllocateMaxAddress, EfiLoaderCode, 2, 0, &a), EFI_SUCCESS);
	assert_true(a == P(98));
	/* Alignment. */
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiLoaderData, 1, SZ_64K, &b),
			 EFI_SUCCESS);
	assert_true(b % SZ_64K == 0 && b < P(768));
	/* An address: free pages only. */
	b = P(200);
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiBootServicesData, 3, 0, &b),
			 EFI_SUCCESS);
	b = P(201);
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiBootServicesData, 1, 0, &b),
			 EFI_NOT_FOUND);
	b = P(767);
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiBootServicesData, 2, 0, &b),
			 EFI_NOT_FOUND); /* into pvboot */
	b = P(805);
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiLoaderData, 1, 0, &b), EFI_NOT_FOUND);
	b = RAM - PAGE_SIZE;
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiLoaderData, 1, 0, &b), EFI_NOT_FOUND);
	b = P(10) + 1;
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiLoaderData, 1, 0, &b),
			 EFI_INVALID_PARAMETER);
	b = ~0ull & ~(PAGE_SIZE - 1);
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiLoaderData, 2, 0, &b), EFI_NOT_FOUND);
	/* OEM and OS loader types are allocatable; conventional and the gap are not. */
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, 0x80000001, 1, 0, &b), EFI_SUCCESS);
	assert_int_equal(efi_mem_free(b, 1), EFI_SUCCESS);
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiConventionalMemory, 1, 0, &b),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiMaxMemoryType, 1, 0, &b),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiLoaderData, 0, 0, &b),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiLoaderData, 1ull << 60, 0, &b),
			 EFI_INVALID_PARAMETER);
	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiLoaderData, PAGES, 0, &b),
			 EFI_OUT_OF_RESOURCES);
	assert_int_equal(efi_mem_alloc(MaxAllocateType, EfiLoaderData, 1, 0, &b),
			 EFI_INVALID_PARAMETER);
	/* pvboot's own pages cannot be freed, nor half of an allocation's neighbour. */
	assert_int_equal(efi_mem_free(P(800), 1), EFI_NOT_FOUND);
	assert_int_equal(efi_mem_free(P(770), 1), EFI_NOT_FOUND);
	assert_int_equal(efi_mem_free(P(202), 2), EFI_NOT_FOUND);
	assert_int_equal(efi_mem_free(P(202) + 8, 1), EFI_INVALID_PARAMETER);
	assert_int_equal(efi_mem_free(P(202), 1), EFI_SUCCESS); /* part of one is fine */
	/* Same type as pvboot's data, right below it: a free must not reach into pvboot. */
	b = P(766);
	assert_int_equal(efi_mem_alloc(AllocateAddress, EfiBootServicesData, 2, 0, &b),
			 EFI_SUCCESS);
	assert_int_equal(efi_mem_free(P(766), 3), EFI_NOT_FOUND);
	assert_int_equal(efi_mem_free(P(766), 2), EFI_SUCCESS);
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Thousands of random operations: the map always equals the page model. */
static void test_random_against_model(void **state)
{
	static const uint32_t types[] = {EfiLoaderData, EfiLoaderCode, EfiBootServicesData,
					 EfiRuntimeServicesData, EfiACPIReclaimMemory};

	for (int round = 0; round < 4000; round++) {
		uint64_t pages = 1 + next_rand() % 24, a = P(next_rand() % PAGES);
		uint32_t type = types[next_rand() % ARRAY_SIZE(types)];
		int first = (a - RAM) / PAGE_SIZE;
		bool free_ok = first + pages <= PAGES, alloc_ok = free_ok;
		EFI_STATUS ret;

		for (uint64_t i = 0; i < pages && first + i < PAGES; i++) {
			int p = first + i;

			alloc_ok &= model[p] == EfiConventionalMemory;
			free_ok &= !model_fw[p] && model[p] != EfiConventionalMemory &&
				   model[p] == model[first];
		}
		if (next_rand() & 1) {
			ret = efi_mem_alloc(AllocateAddress, type, pages, 0, &a);
			assert_int_equal(ret, alloc_ok ? EFI_SUCCESS : EFI_NOT_FOUND);
			for (uint64_t i = 0; alloc_ok && i < pages; i++)
				model[first + i] = type;
		} else {
			ret = efi_mem_free(a, pages);
			assert_int_equal(ret, free_ok ? EFI_SUCCESS : EFI_NOT_FOUND);
			for (uint64_t i = 0; free_ok && i < pages; i++)
				model[first + i] = EfiConventionalMemory;
		}
		if (round % 50 == 0)
			check_map();
	}
	check_map();
}

static void test_runtime_attribute(void **state)
{
	uint64_t a;
	UINTN size = sizeof(EFI_MEMORY_DESCRIPTOR) * EFI_MEM_MAX_REGIONS, key, dsize;
	UINT32 ver;
	EFI_MEMORY_DESCRIPTOR map[EFI_MEM_MAX_REGIONS];

	assert_int_equal(efi_mem_alloc(AllocateAnyPages, EfiRuntimeServicesData, 1, 0, &a),
			 EFI_SUCCESS);
	assert_int_equal(efi_mem_get_map(&size, map, &key, &dsize, &ver), EFI_SUCCESS);
	for (size_t i = 0; i < size / dsize; i++)
		if (map[i].PhysicalStart == a)
			assert_true(map[i].Attribute == (EFI_MEMORY_WB | EFI_MEMORY_RUNTIME));
		else
			assert_true(map[i].Attribute == EFI_MEMORY_WB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_reserves, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alloc_from_top_and_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alloc_kinds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_runtime_attribute, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
