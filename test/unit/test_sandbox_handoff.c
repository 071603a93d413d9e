// SPDX-License-Identifier: MIT
/*
 * The sandbox's check at the jump to Linux: an Image and a DT in RAM, what
 * /chosen says, and every kind of leftover the simulator can report.
 */
#include <errno.h>
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../arch/sandbox/sandbox.h"
#include "../../arch/sandbox/sim/sim_internal.h"

#define RAM_SIZE (1 << 20)
#define DTB_OFF 0x10000

static uint8_t *ram;
static char said[4096];

static void out(const char *fmt, ...)
{
	size_t n = strlen(said);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(said + n, sizeof(said) - n, fmt, ap);
	va_end(ap);
}

static int setup(void **state)
{
	void *fdt;
	int chosen;

	ram = aligned_alloc(4096, RAM_SIZE);
	memset(ram, 0, RAM_SIZE);
	memcpy(ram + 56, "ARM\x64", 4);
	fdt = ram + DTB_OFF;
	assert_int_equal(fdt_create_empty_tree(fdt, 4096), 0);
	chosen = fdt_add_subnode(fdt, 0, "chosen");
	assert_true(chosen >= 0);
	assert_int_equal(
	    fdt_setprop_string(fdt, chosen, "bootargs", "console=hvc0 root=/dev/xvda1"), 0);
	assert_int_equal(fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x47c5d000), 0);
	assert_int_equal(fdt_setprop_u64(fdt, chosen, "linux,initrd-end", 0x47fff000), 0);
	said[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	free(ram);
	return 0;
}

static unsigned int payload(uintptr_t entry, uintptr_t dtb)
{
	return sandbox_check_payload(entry, dtb, (uintptr_t)ram, RAM_SIZE, out);
}

static void test_good_payload(void **state)
{
	assert_int_equal(payload((uintptr_t)ram, (uintptr_t)ram + DTB_OFF), 0);
	assert_non_null(strstr(said, "bootargs \"console=hvc0 root=/dev/xvda1\""));
	assert_non_null(strstr(said, "initrd 0x47c5d000-0x47fff000"));
}

static void test_no_image(void **state)
{
	ram[56] = 'X';
	assert_int_equal(payload((uintptr_t)ram, (uintptr_t)ram + DTB_OFF), 1);
	assert_non_null(strstr(said, "no arm64 Image header"));
	said[0] = '\0';
	assert_int_equal(payload((uintptr_t)ram + RAM_SIZE - 32, (uintptr_t)ram + DTB_OFF), 1);
	assert_non_null(strstr(said, "no arm64 Image header")); /* header would cross the end */
}

static void test_bad_dt(void **state)
{
	assert_int_equal(payload((uintptr_t)ram, (uintptr_t)ram + 0x20000), 1); /* zeroes */
	assert_non_null(strstr(said, "no valid device tree"));
	assert_int_equal(payload((uintptr_t)ram, (uintptr_t)ram + RAM_SIZE - 16), 1);
	/* a DT whose total size runs past the end of RAM */
	memmove(ram + RAM_SIZE - 1024, ram + DTB_OFF, 1024);
	fdt_set_totalsize(ram + RAM_SIZE - 1024, 4096);
	assert_int_equal(payload((uintptr_t)ram, (uintptr_t)ram + RAM_SIZE - 1024), 1);
}

static void test_mismatched_initrd_props_ignored(void **state)
{
	void *fdt = ram + DTB_OFF;

	assert_int_equal(
	    fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/chosen"), "linux,initrd-end", 0x47fff000),
	    0);
	assert_int_equal(payload((uintptr_t)ram, (uintptr_t)ram + DTB_OFF), 0);
	assert_null(strstr(said, "initrd"));
}

static void test_leftovers_each_reported(void **state)
{
	struct sim_state clean = {0}, st;
	static const struct {
		size_t off;
		const char *msg;
	} cases[] = {
	    {offsetof(struct sim_state, grants_active), "grant reference(s) still give access"},
	    {offsetof(struct sim_state, gnttab_frames),
	     "grant-table frame(s) still in the physmap"},
	    {offsetof(struct sim_state, gnttab_mapped), "a backend still maps"},
	    {offsetof(struct sim_state, ports_open), "event channel(s) open"},
	    {offsetof(struct sim_state, holes), "removed and not repopulated"},
	};

	assert_int_equal(sandbox_check_leftovers(&clean, out), 0);
	assert_string_equal(said, "");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		st = clean;
		*(unsigned int *)((char *)&st + cases[i].off) = 2;
		said[0] = '\0';
		assert_int_equal(sandbox_check_leftovers(&st, out), 1);
		assert_non_null(strstr(said, cases[i].msg));
	}
	st = clean;
	st.shared_info_mapped = true;
	said[0] = '\0';
	assert_int_equal(sandbox_check_leftovers(&st, out), 1);
	assert_non_null(strstr(said, "shared_info is still in the physmap"));
	st.ports_open = 1;
	st.holes = 1;
	assert_int_equal(sandbox_check_leftovers(&st, out), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_good_payload, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_image, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_dt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mismatched_initrd_props_ignored, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_leftovers_each_reported, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
