// SPDX-License-Identifier: MIT
/* lmb_check_load(): loads must stay in RAM bank 0 and off everything pvboot owns. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/board.h>
#include <pvboot/fs.h>
#include "fileblk.h"

struct board_info board;

static int setup(void **state)
{
	memset(&board, 0, sizeof(board));
	board.nr_banks = 1;
	board.banks[0].start = 0x40000000;
	board.banks[0].size = 0x8000000; /* 128 MiB */
	board.reserved_start = 0x46000000;
	board.fdt = 0x47f00000;
	board.fdt_size = 0x20000;
	board.reloc_addr = 0x47c00000;
	board.image_end = 0x47c80000;
	board.heap_start = 0x46800000;
	board.heap_end = 0x47800000;
	board.stack_base = 0x47800000;
	board.stack_top = 0x47810000;
	return 0;
}

static const char *check(uintptr_t addr, uint64_t len, int want)
{
	const char *out;

	stdout_capture_start();
	assert_int_equal(lmb_check_load(addr, len), want);
	out = stdout_capture_end();
	if (!want)
		assert_string_equal(out, "");
	return out;
}

static void test_allowed(void **state)
{
	check(0x40000000, 0x6000000, 0); /* all of free RAM */
	check(0x40200000, 64 << 20, 0);
	check(0x45fff000, 0x1000, 0); /* ends exactly at reserved_start */
	check(0x47000000, 0, 0);      /* nothing to write */
}

static void test_refused(void **state)
{
	assert_non_null(
	    strstr(check(0x46800000, 16, -EFAULT),
		   "** Reading file would overwrite pvboot's heap at 0x46800000-0x47800000 **"));
	assert_non_null(strstr(check(0x47c10000, 1, -EFAULT), "pvboot's image at 0x47c00000"));
	assert_non_null(strstr(check(0x47800000, 0x100, -EFAULT), "pvboot's stack"));
	assert_non_null(strstr(check(0x47f00010, 8, -EFAULT), "the device tree at 0x47f00000"));
	assert_non_null(
	    strstr(check(0x45fff000, 0x1001, -EFAULT), "memory reserved by pvboot at 0x46000000"));
	assert_non_null(strstr(check(0x3ffff000, 0x2000, -EFAULT), "outside RAM"));
	assert_non_null(strstr(check(0x48000000, 1, -EFAULT), "outside RAM"));
	assert_non_null(strstr(check(0x40000000, UINT64_MAX, -EFAULT), "outside RAM"));
	/* A range that wraps around the address space. */
	assert_non_null(strstr(check(UINTPTR_MAX - 10, 100, -EFAULT), "outside RAM"));
}

static void test_no_ram(void **state)
{
	board.nr_banks = 0;
	check(0x40000000, 1, -EFAULT);
	board.nr_banks = 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_allowed),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_no_ram),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
