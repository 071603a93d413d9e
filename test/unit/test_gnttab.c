// SPDX-License-Identifier: MIT
/*
 * Grant table against a fake hypercall layer: frames mapped where the DT
 * says, the free list, entry write order, busy quarantine, teardown.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pvboot/arch.h>
#include <pvboot/log.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/stats.h>
#include <xen/memory.h>

#define REGION_FRAMES 8
#define ENTRIES (PAGE_SIZE / sizeof(struct grant_entry_v1))

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
}

static uint8_t *region;
static unsigned int xen_max_frames = 4;
static bool mapped[REGION_FRAMES];
static int fail_map_at = -1;
static unsigned int wmb_calls;
static struct grant_entry_v1 snapshot; /* entry as seen at the barrier */
static struct grant_entry_v1 *watch_entry;

void arch_wmb(void)
{
	wmb_calls++;
	if (watch_entry)
		snapshot = *watch_entry;
}

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	uint64_t base = virt_to_pfn(region);

	if (op == __HYPERVISOR_grant_table_op && a0 == GNTTABOP_query_size) {
		struct gnttab_query_size *q = (void *)a1;

		assert_int_equal(a2, 1);
		assert_int_equal(q->dom, DOMID_SELF);
		q->nr_frames = 1;
		q->max_nr_frames = xen_max_frames;
		q->status = GNTST_okay;
		return 0;
	}
	if (op == __HYPERVISOR_memory_op && a0 == XENMEM_add_to_physmap) {
		struct xen_add_to_physmap *x = (void *)a1;

		assert_int_equal(x->space, XENMAPSPACE_grant_table);
		/* Frame i goes to the i-th page of the DT region, nowhere else. */
		assert_int_equal(x->gpfn, base + x->idx);
		assert_true(x->idx < REGION_FRAMES);
		if ((int)x->idx == fail_map_at)
			return -ENOMEM;
		mapped[x->idx] = true;
		return 0;
	}
	if (op == __HYPERVISOR_memory_op && a0 == XENMEM_remove_from_physmap) {
		struct xen_remove_from_physmap *x = (void *)a1;

		assert_true(x->gpfn >= base && x->gpfn < base + REGION_FRAMES);
		assert_true(mapped[x->gpfn - base]);
		mapped[x->gpfn - base] = false;
		return 0;
	}
	fail_msg("unexpected hypercall %lu/%lu", op, a0);
	abort(); /* fail_msg does not return; the compiler cannot know */
}

/* The DT region of this test: REGION_FRAMES pages. */
static int init_region(void)
{
	return gnttab_init(virt_to_phys(region), REGION_FRAMES * PAGE_SIZE);
}

static struct grant_entry_v1 *entry(int ref)
{
	return (struct grant_entry_v1 *)region + ref;
}

static int setup(void **state)
{
	if (!region)
		region = aligned_alloc(PAGE_SIZE, REGION_FRAMES * PAGE_SIZE);
	memset(region, 0, REGION_FRAMES * PAGE_SIZE);
	memset(mapped, 0, sizeof(mapped));
	xen_max_frames = 4;
	fail_map_at = -1;
	watch_entry = NULL;
	return 0;
}

static int teardown(void **state)
{
	/* Every backend lets go, so the table can go whatever the test left. */
	for (size_t i = 0; i < REGION_FRAMES * PAGE_SIZE / sizeof(struct grant_entry_v1); i++)
		entry((int)i)->flags &= ~(GTF_reading | GTF_writing);
	assert_int_equal(gnttab_teardown(), 0);
	for (int i = 0; i < REGION_FRAMES; i++)
		assert_false(mapped[i]);
	return 0;
}

static void test_init_maps_xen_limit(void **state)
{
	struct gnttab_stats st;

	assert_int_equal(init_region(), 0);
	assert_int_equal(gnttab_get_stats(&st), 0);
	assert_int_equal(st.frames, 4);
	assert_int_equal(st.capacity, 4 * ENTRIES - GNTTAB_NR_RESERVED_ENTRIES);
	assert_true(mapped[3] && !mapped[4]);
	assert_int_equal(gnttab_in_use(), 0);
}

static void test_init_capped_by_region(void **state)
{
	xen_max_frames = 64; /* Xen would allow more than the DT region holds */
	assert_int_equal(init_region(), 0);
	assert_int_equal(gnttab_capacity(), REGION_FRAMES * ENTRIES - GNTTAB_NR_RESERVED_ENTRIES);
}

static void test_init_no_region(void **state)
{
	assert_int_equal(gnttab_init(virt_to_phys(region), 0), -ENODEV);
	assert_int_equal(gnttab_init(virt_to_phys(region) + 8, PAGE_SIZE), -ENODEV);
	assert_int_equal(gnttab_init(-PAGE_SIZE, 2 * PAGE_SIZE), -ENODEV); /* wraps */
	assert_int_equal(gnttab_grant_access(0, 1, false), -ENODEV);
}

static void test_partial_map_keeps_working(void **state)
{
	fail_map_at = 2;
	assert_int_equal(init_region(), 0);
	assert_int_equal(gnttab_capacity(), 2 * ENTRIES - GNTTAB_NR_RESERVED_ENTRIES);
}

static void test_grant_writes_entry_in_order(void **state)
{
	int ref;

	assert_int_equal(init_region(), 0);
	/* The first free ref is the first after the toolstack's reserved ones. */
	watch_entry = entry(GNTTAB_NR_RESERVED_ENTRIES);
	wmb_calls = 0;
	ref = gnttab_grant_access(7, 0x41234, true);
	assert_int_equal(ref, GNTTAB_NR_RESERVED_ENTRIES);
	assert_true(wmb_calls >= 1);
	/* At the barrier: frame and domid written, flags not yet. */
	assert_int_equal(snapshot.frame, 0x41234);
	assert_int_equal(snapshot.domid, 7);
	assert_int_equal(snapshot.flags, 0);
	assert_int_equal(entry(ref)->flags, GTF_permit_access | GTF_readonly);
	ref = gnttab_grant_access(0, 0x41235, false);
	assert_int_equal(entry(ref)->flags, GTF_permit_access);
	assert_int_equal(gnttab_in_use(), 2);
	assert_int_equal(gnttab_grant_access(0, 1ULL << 32, false), -ERANGE);
}

static void test_never_reserved_refs(void **state)
{
	unsigned int cap;

	assert_int_equal(init_region(), 0);
	cap = gnttab_capacity();
	for (unsigned int i = 0; i < cap; i++) {
		int ref = gnttab_grant_access(0, 0x40000 + i, false);

		assert_true(ref >= GNTTAB_NR_RESERVED_ENTRIES);
	}
	assert_int_equal(gnttab_grant_access(0, 1, false), -ENOSPC);
	assert_int_equal(gnttab_in_use(), cap);
	/* The reserved entries were never touched. */
	for (int r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++)
		assert_int_equal(entry(r)->flags, 0);
}

static void test_end_and_reuse(void **state)
{
	int a, b, c;

	assert_int_equal(init_region(), 0);
	a = gnttab_grant_access(0, 0x40001, false);
	b = gnttab_grant_access(0, 0x40002, false);
	assert_int_equal(gnttab_end_access(a), 0);
	assert_int_equal(entry(a)->flags, 0);
	/* O(1) LIFO free list: the ref just ended comes back first. */
	c = gnttab_grant_access(0, 0x40003, false);
	assert_int_equal(c, a);
	assert_int_equal(gnttab_end_access(b), 0);
	assert_int_equal(gnttab_end_access(b), -EINVAL); /* double end */
	assert_int_equal(gnttab_end_access(3), -EINVAL); /* reserved */
	assert_int_equal(gnttab_end_access(1 << 20), -EINVAL);
	assert_int_equal(gnttab_in_use(), 1);
}

static void test_busy_quarantine(void **state)
{
	struct gnttab_stats st;
	int a, next;

	assert_int_equal(init_region(), 0);
	a = gnttab_grant_access(0, 0x40001, false);
	entry(a)->flags |= GTF_writing; /* the backend has it mapped */
	assert_int_equal(gnttab_end_access(a), -EBUSY);
	assert_int_equal(gnttab_busy(), 1);
	assert_int_equal(gnttab_in_use(), 0);
	assert_true(entry(a)->flags & GTF_permit_access); /* not revoked under the backend */
	/* Never handed out again while busy. */
	for (int i = 0; i < 100; i++) {
		next = gnttab_grant_access(0, 0x50000 + i, false);
		assert_int_not_equal(next, a);
	}
	/* The backend lets go: a later end succeeds and the ref is free again. */
	entry(a)->flags &= ~GTF_writing;
	assert_int_equal(gnttab_end_access(a), 0);
	assert_int_equal(gnttab_busy(), 0);
	gnttab_get_stats(&st);
	assert_int_equal(st.in_use, 100);
	entry(next)->flags |= GTF_reading;
	assert_int_equal(gnttab_end_access(next), -EBUSY);
}

static void test_teardown_ends_everything(void **state)
{
	int a, b;

	assert_int_equal(init_region(), 0);
	a = gnttab_grant_access(0, 0x40001, false);
	b = gnttab_grant_access(0, 0x40002, true);
	assert_int_equal(gnttab_teardown(), 0);
	assert_int_equal(entry(a)->flags, 0);
	assert_int_equal(entry(b)->flags, 0);
	for (int i = 0; i < REGION_FRAMES; i++)
		assert_false(mapped[i]);
	assert_int_equal(gnttab_in_use(), 0);
	/* Usable again after a teardown (a failed boot returns to the prompt). */
	assert_int_equal(init_region(), 0);
}

static void test_teardown_reports_busy(void **state)
{
	int a;

	assert_int_equal(init_region(), 0);
	a = gnttab_grant_access(0, 0x40001, false);
	entry(a)->flags |= GTF_reading;
	assert_int_equal(gnttab_teardown(), -EBUSY);
	/* The table stays in the physmap, the ref stays quarantined. */
	assert_true(mapped[0]);
	assert_int_equal(gnttab_busy(), 1);
	assert_int_equal(gnttab_grant_access(0, 0x40002, false) == a, false);
	/* Once the backend lets go, the next teardown completes. */
	entry(a)->flags &= ~GTF_reading;
	assert_int_equal(gnttab_teardown(), 0);
	assert_int_equal(gnttab_busy(), 0);
	for (int i = 0; i < REGION_FRAMES; i++)
		assert_false(mapped[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_maps_xen_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_init_capped_by_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_init_no_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_partial_map_keeps_working, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_grant_writes_entry_in_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_never_reserved_refs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_end_and_reuse, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_busy_quarantine, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_teardown_ends_everything, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_teardown_reports_busy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
