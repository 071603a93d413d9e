// SPDX-License-Identifier: MIT
/*
 * The memory gate: the map built from a board description (arm64 at the top
 * of RAM, the sandbox, pvboot stayed where Xen loaded it) and every answer
 * the gate gives from it: reads, writes, busy ranges, wrap-around, unknown
 * RAM, readable length and room.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <errno.h>
#include <pvboot/board.h>
#include <pvboot/memgate.h>
#include "stdout_capture.h"

struct board_info board;
static const char *out; /* what the code under test printed last */

/* What arch/arm64/layout.c makes of a 128 MiB guest (see test_arm64_layout). */
static void arm64_board(struct board_info *b)
{
	memset(b, 0, sizeof(*b));
	b->nr_banks = 1;
	b->banks[0].start = 0x40000000;
	b->banks[0].size = 0x8000000;
	b->fdt = 0x46f00000;
	b->fdt_size = 0x20000;
	b->heap_start = 0x46f20000;
	b->heap_end = 0x47f6f000;
	b->stack_base = 0x47f70000; /* guard page at 0x47f6f000 */
	b->stack_top = 0x47fa0000;
	b->reloc_addr = 0x47fa0000;
	b->image_end = 0x47ff2000;
	b->reserved_start = b->fdt;
	b->gnttab_base = 0x38000000;
	b->gnttab_size = 0x1000000;
}

static int setup(void **state)
{
	mem_gate_init(&board);
	arm64_board(&board);
	return 0;
}

static const char *gate(uint64_t addr, uint64_t len, enum mem_access how, int want)
{
	int ret;

	stdout_capture_begin();
	ret = mem_gate(addr, len, how);
	out = stdout_captured();
	if (ret != want)
		fail_msg("mem_gate(0x%llx, 0x%llx, %s) = %d, want %d; said: %s",
			 (unsigned long long)addr, (unsigned long long)len,
			 how == MEM_WRITE ? "write" : "read", ret, want, out);
	if (!want)
		assert_string_equal(out, "");
	return out;
}

#define REFUSED(addr, len, how, text) assert_non_null(strstr(gate(addr, len, how, -EFAULT), text))

static void test_map_arm64(void **state)
{
	const struct mem_map *m = mem_map_board();
	uint64_t at = m->ram.start;

	assert_int_equal(m->ram.start, 0x40000000);
	assert_int_equal(m->ram.end, 0x48000000);
	assert_false(m->overflow);
	/* Sorted, disjoint, inside RAM; pvboot's DT, heap, guard, stack, image, tail. */
	for (unsigned int i = 0; i < m->nr; i++) {
		assert_true(m->region[i].range.start >= at);
		assert_true(m->region[i].range.end > m->region[i].range.start);
		at = m->region[i].range.end;
	}
	assert_true(at <= m->ram.end);
	assert_int_equal(m->nr, 6);
	assert_string_equal(m->region[0].range.name, "pvboot's device tree");
	assert_string_equal(m->region[1].range.name, "pvboot's heap");
	assert_string_equal(m->region[2].range.name, "the stack guard page");
	assert_int_equal(m->region[2].type, MEM_UNMAPPED);
	assert_int_equal(m->region[2].range.start, 0x47f6f000);
	assert_string_equal(m->region[3].range.name, "pvboot's stack");
	assert_string_equal(m->region[4].range.name, "pvboot's image");
	assert_string_equal(m->region[5].range.name, "memory reserved by pvboot");
	assert_int_equal(m->region[5].range.start, 0x47ff2000);
	assert_int_equal(m->region[5].range.end, 0x48000000);
	/* The grant-table region is outside RAM: not in the map. */
}

static void test_allowed(void **state)
{
	gate(0x40000000, 0x6f00000, MEM_WRITE, 0); /* all of free RAM */
	gate(0x46eff000, 0x1000, MEM_WRITE, 0);	   /* ends exactly where pvboot starts */
	gate(0x47000000, 0, MEM_WRITE, 0);	   /* nothing to touch */
	gate(0x46f00000, 0x100, MEM_READ, 0);	   /* pvboot's DT may be read */
	gate(0x47fa0000, 0x52000, MEM_READ, 0);	   /* so may its image */
	gate(0x47fff000, 0x1000, MEM_READ, 0);	   /* the last page of RAM */
}

static void test_refused(void **state)
{
	REFUSED(0x46f20000, 16, MEM_WRITE,
		"## Cannot write 0x46f20000-0x46f20010: it would overwrite pvboot's heap "
		"(0x46f20000-0x47f6f000)\n");
	REFUSED(0x47fa1000, 1, MEM_WRITE, "pvboot's image (0x47fa0000-");
	REFUSED(0x47f70000, 0x100, MEM_WRITE, "pvboot's stack");
	REFUSED(0x46f00010, 8, MEM_WRITE, "pvboot's device tree (0x46f00000-0x46f20000)");
	REFUSED(0x46eff000, 0x1001, MEM_WRITE, "pvboot's device tree");
	REFUSED(0x47ff8000, 4, MEM_WRITE, "memory reserved by pvboot (0x47ff2000-0x48000000)");
	/* The guard page faults even on a read. */
	REFUSED(0x47f6eff0, 0x20, MEM_READ,
		"## Cannot read 0x47f6eff0-0x47f6f010: not mapped: the stack guard page "
		"(0x47f6f000-0x47f70000)\n");
	REFUSED(0x3ffff000, 0x2000, MEM_READ,
		"## Cannot read 0x3ffff000-0x40001000: outside RAM (0x40000000-0x48000000)\n");
	REFUSED(0x48000000, 1, MEM_READ, "outside RAM");
	REFUSED(0x47ffffc0, 0x41, MEM_READ, "outside RAM"); /* one byte past the end */
	REFUSED(0, 0x40, MEM_READ, "outside RAM");
	REFUSED(0x40000000, UINT64_MAX, MEM_READ, "wraps around");
	REFUSED(UINT64_MAX - 10, 100, MEM_WRITE,
		"## Cannot write 0xfffffffffffffff5+0x64: the range wraps around\n");
	/* Grant-table frames are not RAM. */
	REFUSED(0x38000000, 0x1000, MEM_READ, "outside RAM");
}

static void test_no_ram(void **state)
{
	board.nr_banks = 0;
	REFUSED(0x40000000, 1, MEM_READ, "no RAM is known");
	assert_int_equal(mem_gate_readable(mem_map_board(), 0x40000000), 0);
	assert_int_equal(mem_gate_room(mem_map_board(), 0x40000000, NULL, 0), 0);
}

static void test_busy(void **state)
{
	const struct mem_range busy[] = {{0x43700000, 0x43800000, "the initrd"},
					 {0x41000000, 0x41000000, "an empty range"}};
	const struct mem_map *m = mem_map_board();

	stdout_capture_begin();
	assert_int_equal(mem_gate_map(m, 0x436ff000, 0x1001, MEM_WRITE, busy, 2, false), -EFAULT);
	out = stdout_captured();
	assert_string_equal(out, "## Cannot write 0x436ff000-0x43700001: it would overwrite the "
				 "initrd (0x43700000-0x43800000)\n");
	/* A read may overlap a busy range; an empty busy range blocks nothing. */
	assert_int_equal(mem_gate_map(m, 0x43700000, 0x10, MEM_READ, busy, 2, true), 0);
	assert_int_equal(mem_gate_map(m, 0x40f00000, 0x200000, MEM_WRITE, busy, 2, true), 0);
	/* Quiet: nothing printed. */
	stdout_capture_begin();
	assert_int_equal(mem_gate_map(m, 0x43700000, 1, MEM_WRITE, busy, 1, true), -EFAULT);
	assert_string_equal((out = stdout_captured()), "");
}

static void test_readable_and_room(void **state)
{
	const struct mem_map *m = mem_map_board();
	const struct mem_range busy[] = {{0x43600000, 0x43800000, "the initrd"}};

	assert_int_equal(mem_gate_readable(m, 0x40000000), 0x47f6f000 - 0x40000000);
	assert_int_equal(mem_gate_readable(m, 0x47f70000), 0x90000); /* stack to end of RAM */
	assert_int_equal(mem_gate_readable(m, 0x47f6f800), 0);	     /* in the guard page */
	assert_int_equal(mem_gate_readable(m, 0x48000000), 0);
	assert_int_equal(mem_gate_readable(m, 0x3fffffff), 0);

	assert_int_equal(mem_gate_room(m, 0x40000000, NULL, 0), 0x6f00000);
	assert_int_equal(mem_gate_room(m, 0x40000000, busy, 1), 0x3600000);
	/* A busy range that starts below addr and reaches into it leaves no room. */
	assert_int_equal(mem_gate_room(m, 0x43700000, busy, 1), 0);
	assert_int_equal(mem_gate_room(m, 0x43800000, busy, 1), 0x46f00000 - 0x43800000);
	assert_int_equal(mem_gate_room(m, 0x46f00000, NULL, 0), 0); /* pvboot's own */
	assert_int_equal(mem_gate_room(m, 0x48000000, NULL, 0), 0);
}

static void test_map_sandbox(void **state)
{
	const struct mem_map *m;

	/* The sandbox: image, stack and heap are the host process's, outside guest RAM. */
	board.reloc_addr = 0x555555554000;
	board.image_end = 0x555555800000;
	board.stack_base = 0x7ffd00000000;
	board.stack_top = 0x7ffd00800000;
	board.heap_start = board.heap_end = 0;
	board.fdt = 0x47fe0000;
	board.reserved_start = 0x46fe0000; /* pages shared with backends, then the DT */
	m = mem_map_board();
	assert_int_equal(m->nr, 2);
	assert_string_equal(m->region[0].range.name, "memory reserved by pvboot");
	assert_int_equal(m->region[0].range.start, 0x46fe0000);
	assert_int_equal(m->region[0].range.end, 0x47fe0000);
	assert_string_equal(m->region[1].range.name, "pvboot's device tree");
	REFUSED(0x47000000, 4, MEM_WRITE, "memory reserved by pvboot");
	gate(0x46fdf000, 0x1000, MEM_WRITE, 0);
}

static void test_map_in_place(void **state)
{
	const struct mem_map *m;

	/*
	 * pvboot stayed where Xen loaded it (RAM too small to move to its top):
	 * image, guard page, stack and heap after it, Xen's DT where Xen put it.
	 */
	board.nr_banks = 1;
	board.banks[0].start = 0x40000000;
	board.banks[0].size = 0x1000000;
	board.reloc_addr = board.load_addr = board.reserved_start = 0x40200000;
	board.image_end = 0x40252000;
	board.stack_base = 0x40254000;
	board.stack_top = 0x40264000;
	board.heap_start = 0x40264000;
	board.heap_end = 0x40464000;
	board.fdt = 0x40e00000;
	board.fdt_size = 0x1000;
	m = mem_map_board();
	assert_false(m->overflow);
	REFUSED(0x40253000, 8, MEM_READ, "the stack guard page");
	REFUSED(0x40e00000, 8, MEM_WRITE, "pvboot's device tree");
	REFUSED(0x40500000, 8, MEM_WRITE, "memory reserved by pvboot");
	gate(0x40000000, 0x200000, MEM_WRITE, 0); /* below the image */
	assert_int_equal(mem_gate_room(m, 0x40000000, NULL, 0), 0x200000);
}

static void test_overflow(void **state)
{
	struct board_info b;
	struct mem_map m;

	/* Every field crossing a region of its own cannot overflow 16 entries... */
	arm64_board(&b);
	mem_map_build(&b, &m);
	assert_false(m.overflow);
	/* ...and a map that did overflow refuses everything. */
	m.overflow = true;
	stdout_capture_begin();
	assert_int_equal(mem_gate_map(&m, 0x40000000, 1, MEM_READ, NULL, 0, false), -EFAULT);
	assert_non_null(strstr((out = stdout_captured()), "no RAM is known"));
	assert_int_equal(mem_gate_room(&m, 0x40000000, NULL, 0), 0);
	assert_int_equal(mem_gate_readable(&m, 0x40000000), 0);
}

static void test_wrapping_bank(void **state)
{
	board.banks[0].start = UINT64_MAX - 0xfff;
	board.banks[0].size = 0x2000;
	REFUSED(UINT64_MAX - 0xfff, 1, MEM_READ, "no RAM is known");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_map_arm64, setup),
	    cmocka_unit_test_setup(test_allowed, setup),
	    cmocka_unit_test_setup(test_refused, setup),
	    cmocka_unit_test_setup(test_no_ram, setup),
	    cmocka_unit_test_setup(test_busy, setup),
	    cmocka_unit_test_setup(test_readable_and_room, setup),
	    cmocka_unit_test_setup(test_map_sandbox, setup),
	    cmocka_unit_test_setup(test_map_in_place, setup),
	    cmocka_unit_test_setup(test_overflow, setup),
	    cmocka_unit_test_setup(test_wrapping_bank, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
