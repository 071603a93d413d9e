// SPDX-License-Identifier: MIT
/*
 * The sandbox's simulated grant table: frames only inside the /hypervisor
 * region, and backend mappings checked as Xen's map_grant_ref checks them
 * (permit_access, domid, read-only), with GTF_reading/GTF_writing while held.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "../../arch/sandbox/sim/sim_internal.h"
#include <xen/memory.h>

#define REGION_PAGES 4
#define DATA_GFN 0x40123 /* a page of "guest RAM" */

static struct sim_layout layout;
static uint8_t *region;
static uint8_t data_page[4096] __attribute__((aligned(4096)));
static unsigned int violations;

void sim_log(const char *fmt, ...)
{
}
void sim_violation(const char *fmt, ...)
{
	violations++;
}
const struct sim_layout *sim_get_layout(void)
{
	return &layout;
}
void *sim_gfn_to_ptr(uint64_t gfn)
{
	return gfn == DATA_GFN ? data_page : NULL;
}

static uint64_t region_gfn(unsigned int page)
{
	return ((uintptr_t)region >> 12) + page;
}

static grant_entry_v1_t *table(void)
{
	return (grant_entry_v1_t *)region;
}

static int setup(void **state)
{
	region = mmap(NULL, REGION_PAGES * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(region != MAP_FAILED);
	layout.gnttab_base = (uintptr_t)region;
	layout.gnttab_size = REGION_PAGES * 4096;
	sim_gnttab_reset();
	violations = 0;
	assert_int_equal(sim_gnttab_map_frame(0, region_gfn(0)), 0);
	return 0;
}

static int teardown(void **state)
{
	sim_gnttab_reset();
	munmap(region, REGION_PAGES * 4096);
	return 0;
}

static void grant(grant_ref_t ref, domid_t dom, uint32_t frame, uint16_t flags)
{
	table()[ref].frame = frame;
	table()[ref].domid = dom;
	__atomic_store_n(&table()[ref].flags, flags, __ATOMIC_SEQ_CST);
}

static void test_frames_only_in_region(void **state)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	assert_int_equal(sim_gnttab_map_frame(1, 0x12345), -EINVAL);
	assert_int_equal(violations, 1);
	assert_int_equal(sim_gnttab_map_frame(SIM_GNTTAB_MAX_FRAMES, region_gfn(1)), -EINVAL);
	assert_int_equal(sim_gnttab_map_frame(1 | XENMAPIDX_grant_table_status, region_gfn(1)),
			 -EINVAL);
	assert_int_equal(sim_gnttab_map_frame(1, region_gfn(1)), 0);
	assert_int_equal(sim_gnttab_frames(), 2);
	assert_int_equal(sim_gnttab_op(GNTTABOP_query_size, &q, 1), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 2);
	assert_int_equal(q.max_nr_frames, SIM_GNTTAB_MAX_FRAMES);
	assert_int_equal(sim_gnttab_op(GNTTABOP_setup_table, &q, 1), -ENOSYS);
}

static void test_read_mapping_sets_and_clears_reading(void **state)
{
	grant(3, 0, DATA_GFN, GTF_permit_access | GTF_readonly);
	assert_ptr_equal(sim_gnttab_map(3, false), data_page);
	assert_true(table()[3].flags & GTF_reading);
	assert_false(table()[3].flags & GTF_writing);
	assert_int_equal(sim_gnttab_mapped(), 1);
	sim_gnttab_unmap(3);
	assert_false(table()[3].flags & (GTF_reading | GTF_writing));
	assert_int_equal(sim_gnttab_mapped(), 0);
	assert_int_equal(violations, 0);
}

static void test_write_mapping(void **state)
{
	grant(4, 0, DATA_GFN, GTF_permit_access);
	assert_ptr_equal(sim_gnttab_map(4, true), data_page);
	assert_int_equal(table()[4].flags & (GTF_reading | GTF_writing), GTF_reading | GTF_writing);
	assert_ptr_equal(sim_gnttab_map(4, false), data_page); /* a second, read-only map */
	sim_gnttab_unmap(4);
	assert_int_equal(table()[4].flags & (GTF_reading | GTF_writing), GTF_reading);
	sim_gnttab_unmap(4);
	assert_int_equal(table()[4].flags, GTF_permit_access);
	assert_int_equal(violations, 0);
}

static void test_refused_mappings_are_violations(void **state)
{
	grant(5, 0, DATA_GFN, GTF_permit_access | GTF_readonly);
	assert_null(sim_gnttab_map(5, true)); /* writing a read-only grant */
	assert_int_equal(violations, 1);
	assert_int_equal(table()[5].flags, GTF_permit_access | GTF_readonly); /* untouched */

	grant(6, 7, DATA_GFN, GTF_permit_access); /* granted to domain 7 */
	assert_null(sim_gnttab_map(6, false));
	assert_int_equal(violations, 2);

	grant(7, 0, DATA_GFN, GTF_invalid); /* never granted, or ended */
	assert_null(sim_gnttab_map(7, false));
	assert_int_equal(violations, 3);

	grant(8, 0, 0x99999, GTF_permit_access); /* not guest RAM */
	assert_null(sim_gnttab_map(8, false));
	assert_int_equal(violations, 4);
	assert_false(table()[8].flags & GTF_reading);

	assert_null(sim_gnttab_map(512, false)); /* beyond the one-frame table */
	assert_int_equal(violations, 5);
	assert_int_equal(sim_gnttab_mapped(), 0);
}

static void test_guest_ending_a_mapped_grant_is_seen(void **state)
{
	grant(9, 0, DATA_GFN, GTF_permit_access);
	assert_non_null(sim_gnttab_map(9, false));
	__atomic_store_n(&table()[9].flags, 0, __ATOMIC_SEQ_CST); /* guest ends it anyway */
	sim_gnttab_unmap(9);
	assert_int_equal(violations, 1);
	sim_gnttab_unmap(9); /* and unmapping what is not mapped */
	assert_int_equal(violations, 2);
}

static void test_unmap_frame_keeps_entries_and_counts(void **state)
{
	grant(10, 0, DATA_GFN, GTF_permit_access);
	assert_int_equal(sim_gnttab_active(), 1);
	assert_int_equal(sim_gnttab_unmap_frame(region_gfn(0)), 0);
	assert_int_equal(sim_gnttab_frames(), 0);
	assert_int_equal(sim_gnttab_active(), 1); /* still granted: Xen keeps the table */
	assert_int_equal(sim_gnttab_unmap_frame(region_gfn(0)), -ENOENT);
	assert_non_null(sim_gnttab_map(10, false)); /* Xen's copy still answers */
	sim_gnttab_unmap(10);
	assert_int_equal(sim_gnttab_map_frame(0, region_gfn(2)), 0); /* back, elsewhere */
	assert_int_equal(((grant_entry_v1_t *)(region + 2 * 4096))[10].frame, DATA_GFN);
	assert_int_equal(violations, 0);
}

static void test_unmapping_a_frame_under_a_backend_is_a_violation(void **state)
{
	grant(11, 0, DATA_GFN, GTF_permit_access);
	assert_non_null(sim_gnttab_map(11, true));
	assert_int_equal(sim_gnttab_unmap_frame(region_gfn(0)), 0);
	assert_int_equal(violations, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_frames_only_in_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_mapping_sets_and_clears_reading, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_write_mapping, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_mappings_are_violations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_guest_ending_a_mapped_grant_is_seen, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_unmap_frame_keeps_entries_and_counts, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_unmapping_a_frame_under_a_backend_is_a_violation,
					    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
