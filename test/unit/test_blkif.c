// SPDX-License-Identifier: MIT
/*
 * blkif helpers: segment planning (512-byte units whatever the disk's
 * sector size, one segment per page touched), request counts, rsp_prod
 * plausibility and response validation with crafted responses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../drivers/block/blkif_ring.h"

#define BASE ((uintptr_t)0x40000000)

static void test_plan_aligned_pages(void **state)
{
	struct blkif_seg_plan s[16];
	unsigned int n;

	/* 8 KiB, page aligned: two whole pages, sectors 0..7 each. */
	assert_int_equal(blkif_plan_segments(BASE, 8192, 11, s, &n), 8192);
	assert_int_equal(n, 2);
	assert_true(s[0].page == BASE && s[0].first_sect == 0 && s[0].last_sect == 7);
	assert_true(s[1].page == BASE + 4096 && s[1].first_sect == 0 && s[1].last_sect == 7);
}

static void test_plan_sector_aligned_offset(void **state)
{
	struct blkif_seg_plan s[16];
	unsigned int n;

	/* Starts 1.5 KiB into a page, 3 KiB long: sectors 3..7 then 0. */
	assert_int_equal(blkif_plan_segments(BASE + 1536, 3072, 11, s, &n), 3072);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].first_sect, 3);
	assert_int_equal(s[0].last_sect, 7);
	assert_true(s[1].page == BASE + 4096);
	assert_int_equal(s[1].first_sect, 0);
	assert_int_equal(s[1].last_sect, 0);
}

static void test_plan_single_sector(void **state)
{
	struct blkif_seg_plan s[1];
	unsigned int n;

	assert_int_equal(blkif_plan_segments(BASE + 3584, 512, 1, s, &n), 512);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].first_sect, 7);
	assert_int_equal(s[0].last_sect, 7);
}

static void test_plan_limited_by_segments(void **state)
{
	struct blkif_seg_plan s[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	unsigned int n;

	/* 1 MiB with 11 segments: 44 KiB per request, as U-Boot's ceiling. */
	assert_int_equal(blkif_plan_segments(BASE, SZ_1M, 11, s, &n), 11 * 4096);
	assert_int_equal(n, 11);
	/* Unaligned start: the first segment is partial, so less is covered. */
	assert_int_equal(blkif_plan_segments(BASE + 512, SZ_1M, 11, s, &n), 11 * 4096 - 512);
}

static void test_plan_4k_sector_disk(void **state)
{
	struct blkif_seg_plan s[256];
	unsigned int n, i;

	/* A 4 KiB-sector disk uses whole pages: still 8 blkif sectors per segment. */
	assert_int_equal(blkif_plan_segments(BASE, 256 * 4096, 256, s, &n), 256 * 4096);
	assert_int_equal(n, 256);
	for (i = 0; i < n; i++) {
		assert_int_equal(s[i].first_sect, 0);
		assert_int_equal(s[i].last_sect, 7);
		assert_true(s[i].page == BASE + i * 4096);
	}
}

static void test_plan_rejects_unaligned(void **state)
{
	struct blkif_seg_plan s[4];
	unsigned int n = 99;

	assert_int_equal(blkif_plan_segments(BASE + 1, 512, 4, s, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(blkif_plan_segments(BASE, 100, 4, s, &n), 0);
	assert_int_equal(blkif_plan_segments(BASE, 0, 4, s, &n), 0);
	assert_int_equal(blkif_plan_segments(BASE, 512, 0, s, &n), 0);
}

static void test_ring_order_for(void **state)
{
	/* A blkif ring holds 32 requests per page (rounded down to a power of two). */
	assert_int_equal(__CONST_RING_SIZE(blkif, PAGE_SIZE), 32);
	assert_int_equal(blkif_ring_order_for(4, 64), 1);
	assert_int_equal(blkif_ring_order_for(4, 32), 0);
	assert_int_equal(blkif_ring_order_for(4, 33), 1);
	assert_int_equal(blkif_ring_order_for(4, 65), 2);
	/* The backend's limit wins, even when it is too small for what we want. */
	assert_int_equal(blkif_ring_order_for(0, 64), 0);
	assert_int_equal(blkif_ring_order_for(4, 100000), 4);
}

static void test_count_requests(void **state)
{
	/* 64 MiB: 16384 pages; 256 segs -> 64 requests, 11 segs -> 1490. */
	assert_int_equal(blkif_count_requests(BASE, 64 * SZ_1M, 256), 64);
	assert_int_equal(blkif_count_requests(BASE, 64 * SZ_1M, 11), 1490);
	/* One sector straddling nothing vs. 4 KiB starting mid-page (two pages). */
	assert_int_equal(blkif_count_requests(BASE, 512, 11), 1);
	assert_int_equal(blkif_count_requests(BASE + 2048, 4096, 1), 2);
	assert_int_equal(blkif_count_requests(BASE, 0, 11), 0);
}

static void test_rsp_prod(void **state)
{
	/* Normal: 3 of 5 outstanding answered. */
	assert_int_equal(blkif_check_rsp_prod(10, 13, 15, 32), 0);
	assert_int_equal(blkif_check_rsp_prod(10, 10, 15, 32), 0);
	/* Across the 32-bit wrap. */
	assert_int_equal(blkif_check_rsp_prod(0xfffffffe, 1, 3, 32), 0);
	/* More answers than requests. */
	assert_int_equal(blkif_check_rsp_prod(10, 16, 15, 32), -EPROTO);
	/* Behind rsp_cons (wraps to a huge count). */
	assert_int_equal(blkif_check_rsp_prod(10, 9, 15, 32), -EPROTO);
	/* More than a ring ahead. */
	assert_int_equal(blkif_check_rsp_prod(0, 40, 40, 32), -EPROTO);
	assert_int_equal(blkif_check_rsp_prod(0, 0x8000, 4, 32), -EPROTO);
}

static struct blkif_pending pend[4];

static void setup_pending(void)
{
	memset(pend, 0, sizeof(pend));
	pend[1] = (struct blkif_pending){blkif_make_id(1, 7), BLKIF_OP_READ, true};
	pend[2] = (struct blkif_pending){blkif_make_id(2, 8), BLKIF_OP_WRITE, true};
	pend[3] = (struct blkif_pending){blkif_make_id(3, 5), BLKIF_OP_WRITE, false};
}

static enum blkif_rsp_verdict check(uint64_t id, uint8_t op, int16_t status, unsigned int *slot)
{
	struct blkif_response r = {.id = id, .operation = op, .status = status};

	return blkif_check_response(&r, pend, 4, slot);
}

static void test_response_valid_and_errors(void **state)
{
	unsigned int slot = 99;

	setup_pending();
	assert_int_equal(check(blkif_make_id(1, 7), BLKIF_OP_READ, BLKIF_RSP_OKAY, &slot),
			 BLKIF_RSP_VALID);
	assert_int_equal(slot, 1);
	assert_int_equal(check(blkif_make_id(2, 8), BLKIF_OP_WRITE, BLKIF_RSP_ERROR, &slot),
			 BLKIF_RSP_IOERR);
	assert_int_equal(slot, 2);
	assert_int_equal(check(blkif_make_id(2, 8), BLKIF_OP_WRITE, BLKIF_RSP_EOPNOTSUPP, &slot),
			 BLKIF_RSP_NOTSUPP);
	/* A status value the ABI does not define is an error, never success. */
	assert_int_equal(check(blkif_make_id(1, 7), BLKIF_OP_READ, 5, &slot), BLKIF_RSP_IOERR);
	assert_int_equal(check(blkif_make_id(1, 7), BLKIF_OP_READ, -300, &slot), BLKIF_RSP_IOERR);
}

static void test_response_bad_ids(void **state)
{
	unsigned int slot;

	setup_pending();
	/* Slot beyond the table. */
	assert_int_equal(check(blkif_make_id(4, 7), BLKIF_OP_READ, 0, &slot), BLKIF_RSP_BAD_ID);
	assert_int_equal(check(~0ull, BLKIF_OP_READ, 0, &slot), BLKIF_RSP_BAD_ID);
	/* Right slot, stale generation or forged high bits. */
	assert_int_equal(check(blkif_make_id(1, 6), BLKIF_OP_READ, 0, &slot), BLKIF_RSP_BAD_ID);
	/* Slot 0 was never used: id 0 matches its empty entry but is not in flight. */
	assert_int_equal(check(0, 0, 0, &slot), BLKIF_RSP_DUP_ID);
	/* Answered already. */
	assert_int_equal(check(blkif_make_id(3, 5), BLKIF_OP_WRITE, 0, &slot), BLKIF_RSP_DUP_ID);
	/* Operation not echoed. */
	assert_int_equal(check(blkif_make_id(1, 7), BLKIF_OP_WRITE, 0, &slot), BLKIF_RSP_BAD_OP);
	assert_int_equal(check(blkif_make_id(2, 8), BLKIF_OP_READ, 0, &slot), BLKIF_RSP_BAD_OP);
}

static void test_ring_sizes(void **state)
{
	/* The entry counts the frontend relies on, from <xen/io/ring.h>. */
	assert_int_equal(__CONST_RING_SIZE(blkif, PAGE_SIZE), 32);
	assert_int_equal(__CONST_RING_SIZE(blkif, PAGE_SIZE << 4), 512);
	assert_int_equal(BLKIF_SEGS_PER_INDIRECT_PAGE, 512);
	assert_true(sizeof(struct blkif_request_indirect) <= sizeof(struct blkif_request));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ring_order_for),
	    cmocka_unit_test(test_plan_aligned_pages),
	    cmocka_unit_test(test_plan_sector_aligned_offset),
	    cmocka_unit_test(test_plan_single_sector),
	    cmocka_unit_test(test_plan_limited_by_segments),
	    cmocka_unit_test(test_plan_4k_sector_disk),
	    cmocka_unit_test(test_plan_rejects_unaligned),
	    cmocka_unit_test(test_count_requests),
	    cmocka_unit_test(test_rsp_prod),
	    cmocka_unit_test(test_response_valid_and_errors),
	    cmocka_unit_test(test_response_bad_ids),
	    cmocka_unit_test(test_ring_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
