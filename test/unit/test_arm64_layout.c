// SPDX-License-Identifier: MIT
/*
 * arch/arm64 placement and page tables, on the host: where pvboot puts
 * itself at the top of RAM bank 0 (layout.c) and what the identity map
 * built by mmu.c really translates, read back with a table walker written
 * from the architecture's descriptor format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <cmocka.h>
#include <pvboot/memgate.h>
#include "../../arch/arm64/arm64.h"
#include "../../arch/arm64/layout.h"

struct board_info board; /* the memory gate's own map reads it; unused here */

#define MiB (1024ULL * 1024)

/* ---- layout ---------------------------------------------------------------- */

static struct layout_req xen_128m(void)
{
	/* What Xen 4.17 gives a 128 MiB guest: pvboot at the start of RAM. */
	return (struct layout_req){
	    .ram_start = 0x40000000,
	    .ram_size = 128 * MiB,
	    .cur_start = 0x40000000,
	    .cur_end = 0x4005a000,
	    .image_mem = 0x5a000,
	    .fdt_size = 0x1000,
	    .heap_max = 16 * MiB,
	    .stack_size = 64 * 1024,
	};
}

static void check_sane(const struct layout_req *r, const struct board_info *b)
{
	uint64_t ram_end = r->ram_start + r->ram_size;

	/* Top down: image, stack, guard page, heap, DT, nothing overlapping. */
	assert_true(b->image_end <= ram_end);
	assert_int_equal(b->image_end - b->reloc_addr, r->image_mem);
	assert_int_equal(b->reloc_addr % 4096, 0);
	assert_int_equal(b->stack_top, b->reloc_addr);
	assert_true(b->stack_top - b->stack_base >= r->stack_size);
	assert_int_equal(b->heap_end, b->stack_base - 4096);
	assert_true(b->heap_start < b->heap_end);
	assert_true(b->fdt + b->fdt_size <= b->heap_start);
	assert_true(b->fdt_size >= r->fdt_size + LAYOUT_FDT_SLACK);
	assert_int_equal(b->reserved_start, b->fdt);
	assert_true(b->reserved_start >= r->ram_start);
	assert_true(b->reserved_start >= r->cur_end || b->image_end <= r->cur_start);
}

static void test_layout_128m(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	assert_int_equal(layout_plan(&r, &b), 0);
	check_sane(&r, &b);
	assert_int_equal(b.reloc_addr, 0x48000000 - 0x5a000);
	assert_int_equal(b.heap_end - b.heap_start, 16 * MiB);
}

static void test_layout_heap_capped_to_quarter(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	r.ram_size = 32 * MiB;
	assert_int_equal(layout_plan(&r, &b), 0);
	check_sane(&r, &b);
	assert_int_equal(b.heap_end - b.heap_start, 8 * MiB);
}

static void test_layout_unaligned_ram_end(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	r.ram_size = 33 * MiB + 0x800; /* a partial page at the end is not used */
	assert_int_equal(layout_plan(&r, &b), 0);
	check_sane(&r, &b);
	assert_int_equal(b.reloc_addr + 0x5a000, 0x40000000 + 33 * MiB);
}

static void test_layout_too_small(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	r.ram_size = 4 * MiB; /* heap 1 MiB + image + stack + DT would hit the running image */
	r.cur_end = 0x40000000 + 3 * MiB;
	assert_int_equal(layout_plan(&r, &b), -ENOMEM);
	r.ram_size = 64 * 1024;
	assert_int_equal(layout_plan(&r, &b), -ENOMEM);
}

static void test_layout_running_image_at_top(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	r.cur_start = 0x48000000 - 0x100000;
	r.cur_end = 0x48000000;
	assert_int_equal(layout_plan(&r, &b), -ENOMEM);
	/* Running above bank 0 entirely is fine. */
	r.cur_start = 0x50000000;
	r.cur_end = 0x50100000;
	assert_int_equal(layout_plan(&r, &b), 0);
	check_sane(&r, &b);
}

static void test_layout_keeps_initrd(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	/* Xen 4.17, memory = 128 with a ramdisk: initrd just below the DT at the top. */
	r.keep_start = 0x47c5d000;
	r.keep_end = 0x47fff000;
	assert_int_equal(layout_plan(&r, &b), 0);
	check_sane(&r, &b);
	assert_int_equal(b.image_end, 0x47c5d000);
	/* An initrd lower down is not in the way: top of RAM as usual. */
	r.keep_start = 0x41000000;
	r.keep_end = 0x42000000;
	assert_int_equal(layout_plan(&r, &b), 0);
	assert_int_equal(b.image_end, 0x48000000);
	/* No room below it: overwritten rather than failing to start. */
	r.ram_size = 32 * MiB;
	r.keep_start = 0x40100000;
	r.keep_end = 0x41fff000;
	assert_int_equal(layout_plan(&r, &b), 0);
	check_sane(&r, &b);
	assert_int_equal(b.image_end, 0x42000000);
}

static void test_layout_invalid(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	r.ram_size = 0;
	assert_int_equal(layout_plan(&r, &b), -EINVAL);
	r = xen_128m();
	r.fdt_size = 0;
	assert_int_equal(layout_plan(&r, &b), -EINVAL);
	r = xen_128m();
	r.ram_start = ~0ULL - 4096;
	assert_int_equal(layout_plan(&r, &b), -EINVAL);
}

/* ---- page tables --------------------------------------------------------------- */

struct xlat {
	bool valid;
	uint64_t pa;
	uint64_t attrs; /* leaf descriptor without address and type bits */
	int level;
};

/* Walk from the level-1 root like the MMU does for a 4K granule, T0SZ = 25. */
static struct xlat walk(uint64_t va)
{
	const uint64_t *t = (const uint64_t *)(uintptr_t)mmu_root();
	struct xlat x = {0};

	for (int level = 1; level <= 3; level++) {
		unsigned int shift = 12 + 9 * (3 - level);
		uint64_t d = t[(va >> shift) & 511];
		bool table = (d & 3) == 3 && level < 3;

		if (!(d & 1) || (level == 3 && (d & 3) != 3))
			return x;
		if (!table) {
			uint64_t mask = (1ULL << shift) - 1;

			x.valid = true;
			x.pa = (d & 0x0000fffffffff000ULL & ~mask) | (va & mask);
			x.attrs = d & ~0x0000fffffffff003ULL;
			x.level = level;
			return x;
		}
		t = (const uint64_t *)(uintptr_t)(d & 0x0000fffffffff000ULL);
	}
	return x;
}

#define AF (1ULL << 10)
#define RO (1ULL << 7)
#define PXN (1ULL << 53)
#define UXN (1ULL << 54)
#define SH_INNER (3ULL << 8)
#define ATTR_NORMAL (1ULL << 2)

static void test_mmu_ram_blocks(void **state)
{
	struct xlat x;

	mmu_reset();
	assert_int_equal(mmu_map(0x40000000, 128 * MiB, MAP_NORMAL_RW), 0);
	x = walk(0x40123456);
	assert_true(x.valid);
	assert_int_equal(x.pa, 0x40123456);
	assert_int_equal(x.level, 2); /* 2 MiB blocks, no level-3 tables needed */
	assert_int_equal(x.attrs, ATTR_NORMAL | SH_INNER | AF | PXN | UXN);
	assert_true(walk(0x47ffffff).valid);
	assert_false(walk(0x48000000).valid);
	assert_false(walk(0x3fffffff).valid);
	assert_int_equal(mmu_tables_used(), 2);
	/* A whole GiB is one level-1 block. */
	assert_int_equal(mmu_map(0x80000000, 1ULL << 30, MAP_NORMAL_RW), 0);
	assert_int_equal(walk(0xbfffffff).level, 1);
}

static void test_mmu_wx_image_inside_ram(void **state)
{
	uint64_t img = 0x47fa6000;
	struct xlat x;

	mmu_reset();
	assert_int_equal(mmu_map(img, 0x29000, MAP_NORMAL_RX), 0);
	assert_int_equal(mmu_map(img + 0x29000, 0xc000, MAP_NORMAL_RO), 0);
	assert_int_equal(mmu_map(img + 0x35000, 0x25000, MAP_NORMAL_RW), 0);
	assert_int_equal(mmu_map(0x40000000, 128 * MiB, MAP_NORMAL_RW), 0);

	x = walk(img + 0x1000); /* code: read-only, executable at EL1 */
	assert_int_equal(x.level, 3);
	assert_int_equal(x.attrs & (RO | PXN), RO);
	x = walk(img + 0x2a000); /* rodata: read-only, never executable */
	assert_int_equal(x.attrs & (RO | PXN), RO | PXN);
	x = walk(img + 0x40000); /* data */
	assert_int_equal(x.attrs & (RO | PXN), PXN);
	x = walk(img - 0x1000); /* RAM below the image, same 2 MiB region: pages */
	assert_int_equal(x.level, 3);
	assert_int_equal(x.attrs & (RO | PXN), PXN);
	assert_int_equal(walk(0x40000000).level, 2);
	/* Every address written with W is non-executable. */
	for (uint64_t va = 0x47e00000; va < 0x48000000; va += 0x1000) {
		x = walk(va);
		assert_true(x.valid);
		assert_true((x.attrs & RO) || (x.attrs & PXN));
	}
}

static void test_mmu_guard_hole(void **state)
{
	uint64_t guard = 0x47f95000;

	mmu_reset();
	assert_int_equal(mmu_map(0x40000000, guard - 0x40000000, MAP_NORMAL_RW), 0);
	assert_int_equal(mmu_map(guard + 0x1000, 0x48000000 - guard - 0x1000, MAP_NORMAL_RW), 0);
	assert_true(walk(guard - 1).valid);
	assert_false(walk(guard).valid);
	assert_false(walk(guard + 0xfff).valid);
	assert_true(walk(guard + 0x1000).valid);
}

static void test_mmu_never_replaces(void **state)
{
	mmu_reset();
	assert_int_equal(mmu_map(0x40000000, 2 * MiB, MAP_NORMAL_RW), 0);
	assert_int_equal(mmu_map(0x40001000, 0x1000, MAP_NORMAL_RX), 0);
	assert_int_equal(walk(0x40001000).level, 2);
	assert_int_equal(walk(0x40001000).attrs & PXN, PXN);
}

static void test_mmu_device_and_magic_page(void **state)
{
	struct xlat x;

	mmu_reset();
	assert_int_equal(mmu_map(0x39000000, 0x1000, MAP_NORMAL_RW), 0);
	assert_int_equal(mmu_map(0x03001000, 0x10000, MAP_DEVICE), 0);
	x = walk(0x39000abc);
	assert_int_equal(x.pa, 0x39000abc);
	assert_int_equal(x.attrs, ATTR_NORMAL | SH_INNER | AF | PXN | UXN);
	assert_false(walk(0x39001000).valid);
	x = walk(0x03005000);
	assert_int_equal(x.attrs & (7ULL << 2), 0); /* MAIR index 0: Device-nGnRnE */
	assert_int_equal(x.attrs & PXN, PXN);
}

static void test_mmu_limits(void **state)
{
	int err = 0;

	mmu_reset();
	assert_int_equal(mmu_map(1ULL << 39, 0x1000, MAP_NORMAL_RW), -ERANGE);
	assert_int_equal(mmu_map(~0ULL - 0xfff, 0x2000, MAP_NORMAL_RW), -ERANGE);
	assert_int_equal(mmu_map(0x40000000, 0, MAP_NORMAL_RW), 0);
	/* Scattered pages in distinct GiBs use up the pool: an error, not a crash. */
	for (uint64_t g = 0; g < 64 && !err; g++)
		err = mmu_map(g << 30 | 0x1000, 0x1000, MAP_NORMAL_RW);
	assert_int_equal(err, -ENOMEM);
}

/* ---- the memory gate and the page tables agree ----------------------------- */

/* Every page of RAM bank 0 the gate lets a command read is mapped, and the guard page is not. */
static void check_gate_within_tables(const struct board_info *b)
{
	struct mem_map m;
	uint64_t guard = b->stack_base - 0x1000;
	unsigned int allowed = 0;

	mem_map_build(b, &m);
	for (uint64_t va = m.ram.start; va < m.ram.end; va += 0x1000) {
		if (mem_gate_map(&m, va, 0x1000, MEM_READ, NULL, 0, true))
			continue;
		allowed++;
		if (!walk(va).valid)
			fail_msg("the gate allows 0x%llx, which is not mapped",
				 (unsigned long long)va);
	}
	assert_true(allowed > 0);
	assert_false(walk(guard).valid);
	assert_int_equal(mem_gate_map(&m, guard, 1, MEM_READ, NULL, 0, true), -EFAULT);
}

static void test_in_place_gate_within_tables(void **state)
{
	uint64_t base = 0x40200000, image = 0x52000, dtb = 0x40e00000;
	struct board_info b = {.nr_banks = 1, .banks = {{0x40000000, 16 * MiB}}};

	/* What early_setup() mapped before deciding to stay: image and DT. */
	mmu_reset();
	assert_int_equal(mmu_map(base, image, MAP_NORMAL_RWX), 0);
	assert_int_equal(mmu_map(dtb, 0x1000, MAP_NORMAL_RW), 0);
	layout_in_place(base, image, 64 * 1024, 2 * MiB, dtb, 0x1000, &b);
	assert_int_equal(b.stack_base, base + image + 0x1000); /* after the guard page */
	assert_int_equal(b.heap_start, b.stack_top);
	assert_int_equal(b.reserved_start, base);
	assert_int_equal(map_in_place(&b), 0);
	check_gate_within_tables(&b);
	/* RAM below the image may be loaded into, and is mapped. */
	assert_true(walk(0x40000000).valid);
	assert_true(walk(base - 1).valid);
}

static void test_in_place_without_ram(void **state)
{
	struct board_info b = {0};
	struct mem_map m;

	/* No /memory: stack and heap are mapped, and the gate refuses everything. */
	mmu_reset();
	layout_in_place(0x40200000, 0x52000, 64 * 1024, 2 * MiB, 0x40e00000, 0x1000, &b);
	assert_int_equal(map_in_place(&b), 0);
	assert_true(walk(b.heap_start).valid);
	mem_map_build(&b, &m);
	assert_int_equal(mem_gate_map(&m, b.heap_start, 1, MEM_READ, NULL, 0, true), -EFAULT);
}

static void test_top_of_ram_gate_within_tables(void **state)
{
	struct layout_req r = xen_128m();
	struct board_info b = {0};

	/* What relocated_setup() maps: image, stack, RAM without the guard page. */
	assert_int_equal(layout_plan(&r, &b), 0);
	b.nr_banks = 1;
	b.banks[0] = (struct mem_bank){r.ram_start, r.ram_size};
	mmu_reset();
	assert_int_equal(mmu_map(b.reloc_addr, r.image_mem, MAP_NORMAL_RX), 0);
	assert_int_equal(mmu_map(b.stack_base, b.stack_top - b.stack_base, MAP_NORMAL_RW), 0);
	assert_int_equal(map_board_ram(&b, MAP_NORMAL_RW), 0);
	check_gate_within_tables(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_128m),
	    cmocka_unit_test(test_layout_heap_capped_to_quarter),
	    cmocka_unit_test(test_layout_unaligned_ram_end),
	    cmocka_unit_test(test_layout_too_small),
	    cmocka_unit_test(test_layout_running_image_at_top),
	    cmocka_unit_test(test_layout_keeps_initrd),
	    cmocka_unit_test(test_layout_invalid),
	    cmocka_unit_test(test_mmu_ram_blocks),
	    cmocka_unit_test(test_mmu_wx_image_inside_ram),
	    cmocka_unit_test(test_mmu_guard_hole),
	    cmocka_unit_test(test_mmu_never_replaces),
	    cmocka_unit_test(test_mmu_device_and_magic_page),
	    cmocka_unit_test(test_mmu_limits),
	    cmocka_unit_test(test_in_place_gate_within_tables),
	    cmocka_unit_test(test_in_place_without_ram),
	    cmocka_unit_test(test_top_of_ram_gate_within_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
