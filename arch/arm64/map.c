// SPDX-License-Identifier: MIT
/*
 * What pvboot maps of RAM, from the board description. Whatever the memory
 * gate lets a command touch must be mapped: RAM bank 0 is, whole, but for
 * the stack guard page, both at the top of RAM and when pvboot stays where
 * Xen loaded it (unit-tested on the host with mmu.c: gate and tables agree).
 */
#include "arm64.h"
#include "layout.h"

int map_board_ram(const struct board_info *b, enum map_type type)
{
	const struct mem_bank *ram = &b->banks[0];
	uint64_t guard = b->stack_base - PAGE_SIZE;
	int err;

	if (!b->nr_banks)
		return 0;
	if (!b->stack_base || guard < ram->start || guard >= ram->start + ram->size)
		return mmu_map(ram->start, ram->size, type);
	err = mmu_map(ram->start, guard - ram->start, type);
	if (!err)
		err = mmu_map(guard + PAGE_SIZE, ram->start + ram->size - guard - PAGE_SIZE, type);
	return err;
}

int map_in_place(const struct board_info *b)
{
	int err = mmu_map(b->stack_base, b->heap_end - b->stack_base, MAP_NORMAL_RW);

	if (!err && b->gnttab_size)
		err = mmu_map(b->gnttab_base, b->gnttab_size, MAP_NORMAL_RW);
	/* Loads may go below the image: RAM is mapped as it is at the top of RAM. */
	if (!err)
		err = map_board_ram(b, MAP_NORMAL_RW);
	return err;
}
