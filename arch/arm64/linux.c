// SPDX-License-Identifier: MIT
/*
 * Hand-off to an arm64 Linux Image as Documentation/arch/arm64/booting.rst
 * asks: everything we wrote cleaned to the point of coherency, MMU and
 * caches off, x0 = DT, x1-x3 = 0. Set/way maintenance is not for guests,
 * so RAM bank 0 is cleaned by VA (the stack guard page is not mapped: skip it),
 * and pvboot's own areas too when it stayed where Xen loaded it.
 */
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include "arm64.h"

static void flush_range(uint64_t start, uint64_t end)
{
	if (end > start)
		arch_dcache_flush((void *)(uintptr_t)start, end - start);
}

__noreturn void arch_boot_linux(uintptr_t entry, uintptr_t dtb)
{
	const struct mem_bank *ram = &board.banks[0];
	uint64_t guard = board.stack_base - PAGE_SIZE;
	uint64_t end = ram->start + ram->size;

	/* RAM bank 0 is mapped in both layouts (see map.c), but for the guard page. */
	if (board.nr_banks && board.stack_base && guard >= ram->start && guard < end) {
		flush_range(ram->start, guard);
		flush_range(guard + PAGE_SIZE, end);
	} else if (board.nr_banks) {
		flush_range(ram->start, end);
	}
	/* Stayed where Xen loaded us: our own areas may lie outside bank 0. */
	if (board.reloc_addr == board.load_addr) {
		flush_range(board.load_addr, board.image_end);
		flush_range(board.stack_base, board.heap_end);
		flush_range(board.fdt, board.fdt + board.fdt_size);
	}
	boot_linux_tail(entry, dtb);
}
