// SPDX-License-Identifier: MIT
/*
 * pvblock's data path (pvblock_io.c over pvblock_ring.c) on a fake Xen and
 * blkback (test/fuzz/pvblock_fake.c): byte-exact transfers in every mode,
 * a grant table too small for a full pool or a full request, Ctrl-C once
 * and twice, a backend that errs, stops answering or goes away. Every wait
 * runs on the fake's clock, so a test that would wait forever is caught by
 * an alarm instead of hanging the suite.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../fuzz/pvblock_fake.h"

#define NO_SCRIPT ((struct fake_script){NULL, 0})

static uint8_t *buffer(size_t off)
{
	size_t size;

	return fake_ram_buffers(&size) + off;
}

static struct pvblock_dev *disk(bool persistent, bool indirect, unsigned int grants)
{
	struct fake_setup s = {
	    .persistent = persistent, .indirect = indirect, .blksz = 512, .grant_capacity = grants};
	struct pvblock_dev *d = fake_pvblock_new(&s, NO_SCRIPT);

	assert_non_null(d);
	return d;
}

static void read_ok(struct pvblock_dev *d, uint64_t sector, uint8_t *buf, size_t len)
{
	memset(buf, 0, len);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, sector, buf, len), 0);
	assert_memory_equal(buf, fake_disk() + sector * 512, len);
	assert_int_equal(d->inflight, 0);
}

static void test_modes_byte_exact(void **state)
{
	for (int mode = 0; mode < 4; mode++) {
		struct pvblock_dev *d = disk(mode & 1, mode & 2, 1024);
		uint8_t *buf = buffer(0);

		read_ok(d, 0, buf, 64 << 10);		/* page-aligned */
		read_ok(d, 77, buffer(0x203), 9 * 512); /* not even block-aligned */
		for (size_t i = 0; i < 8192; i++)
			buf[i] = (uint8_t)(i ^ 0x5a);
		assert_int_equal(pvblock_transfer(d, BLKIF_OP_WRITE, 100, buf, 8192), 0);
		assert_memory_equal(fake_disk() + 100 * 512, buf, 8192);
		assert_int_equal(pvblock_flush_cache(d), 0);
		fake_pvblock_free(d);
	}
}

/*
 * Persistent grants, and the grant table has room for one pool page only:
 * the pool cannot be split in two halves. A transfer must still go through
 * it, one page at a time, and end.
 */
static void test_pool_of_one_page(void **state)
{
	struct pvblock_dev *d = disk(true, false, 2); /* the ring's grant, one for the pool */

	alarm(10);
	read_ok(d, 0, buffer(0), 64 << 10);
	assert_int_equal(d->pool_pages, 1);
	memset(buffer(0), 0x3c, 3 * 4096);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_WRITE, 8, buffer(0), 3 * 4096), 0);
	assert_memory_equal(fake_disk() + 8 * 512, buffer(0), 3 * 4096);
	alarm(0);
	fake_pvblock_free(d);
}

/* No grant left for the pool at all: a clear error, every time, and nothing kept. */
static void test_pool_without_grants(void **state)
{
	struct pvblock_dev *d = disk(true, false, 1); /* the ring takes the only one */

	alarm(10);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -ENOSPC);
	assert_null(d->pool);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -ENOSPC);
	alarm(0);
	fake_pvblock_free(d);
}

/* Direct grants, a small table: requests wait for grants to come back. */
static void test_out_of_grants_waits(void **state)
{
	struct pvblock_dev *d = disk(false, true, 40);

	read_ok(d, 0, buffer(0), 128 << 10); /* 32 pages, in requests of up to 32 */
	fake_pvblock_free(d);
}

/*
 * The warm-up names every page of the persistent pool in requests queued
 * without waiting; the next transfer collects them before it uses the pool.
 * Without persistent grants there is nothing to warm up.
 */
static void test_warm_up_names_the_pool(void **state)
{
	struct pvblock_dev *d = disk(true, true, 1024);
	struct pvblock_dev *direct;
	struct fake_stats st;

	assert_int_equal(pvblock_warm_up(d), 0);
	assert_true(d->warming);
	assert_true(d->inflight > 0); /* answered, not yet taken */
	assert_int_equal(fake_pool_pages_named(d), d->pool_pages);
	read_ok(d, 3, buffer(0), 64 << 10);
	assert_false(d->warming);
	assert_int_equal(pvblock_warm_up(d), 0); /* again: nothing in flight, so it may */
	fake_pvblock_free(d);			 /* a warm-up in flight at the end is let go of */

	direct = disk(false, true, 1024);
	assert_int_equal(pvblock_warm_up(direct), 0);
	assert_false(direct->warming);
	fake_get_stats(&st);
	assert_int_equal(st.requests, 0);
	fake_pvblock_free(direct);
}

/* A Ctrl-C while the next transfer collects the warm-up is that transfer's. */
static void test_ctrlc_while_collecting_warm_up(void **state)
{
	static const uint8_t answers[] = {9}; /* held back: the transfer has to wait */
	struct fake_setup s = {.persistent = true, .blksz = 512, .grant_capacity = 1024};
	struct pvblock_dev *d = fake_pvblock_new(&s, (struct fake_script){answers, 1});

	assert_int_equal(pvblock_warm_up(d), 0);
	fake_ctrlc(1, 1);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -EINTR);
	assert_int_equal(d->inflight, 0);
	assert_false(d->failed);
	read_ok(d, 0, buffer(0), 4096);
	fake_pvblock_free(d);
}

static void test_error_status(void **state)
{
	static const uint8_t answers[] = {0, 10}; /* the second request fails */
	struct fake_setup s = {.blksz = 512, .grant_capacity = 1024};
	struct pvblock_dev *d = fake_pvblock_new(&s, (struct fake_script){answers, 2});
	uint8_t *buf = buffer(0);

	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buf, 64 << 10), -EIO);
	assert_int_equal(d->inflight, 0);
	assert_false(d->failed); /* an I/O error is not a broken ring */
	read_ok(d, 0, buf, 64 << 10);
	fake_pvblock_free(d);
}

static void test_ctrlc_once_then_usable(void **state)
{
	static const uint8_t answers[] = {9}; /* held back: the frontend has to wait */
	struct fake_setup s = {.blksz = 512, .grant_capacity = 1024};
	struct pvblock_dev *d = fake_pvblock_new(&s, (struct fake_script){answers, 1});
	struct fake_stats st;

	fake_ctrlc(1, 1);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -EINTR);
	fake_get_stats(&st);
	assert_int_equal(st.ctrlc, 1);
	assert_int_equal(d->inflight, 0); /* what was in flight finished */
	assert_false(d->failed);
	read_ok(d, 0, buffer(0), 4096);
	fake_pvblock_free(d);
}

static void test_ctrlc_twice_fails_the_disk(void **state)
{
	struct pvblock_dev *d = disk(false, false, 1024);

	fake_backend_stall(true);
	fake_ctrlc(1, 2);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -EINTR);
	assert_true(d->failed);
	assert_int_equal(d->inflight, 0);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -EIO);
	fake_pvblock_free(d);
}

static void test_stalled_backend_times_out(void **state)
{
	struct pvblock_dev *d = disk(true, true, 1024);

	alarm(10);
	fake_backend_stall(true);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -ETIMEDOUT);
	assert_true(d->failed);
	assert_false(d->backend_gone);
	alarm(0);
	fake_pvblock_free(d);
}

static void test_backend_gone(void **state)
{
	struct pvblock_dev *d = disk(false, false, 1024);

	fake_backend_stall(true);
	fake_backend_gone(true);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -ENODEV);
	assert_true(d->failed);
	assert_true(d->backend_gone); /* for the driver to follow it to Closed */
	fake_pvblock_free(d);
}

/*
 * A Ctrl-C that the backend-state check's XenStore read consumed is the
 * user's: the wait stops for it (here: twice, as the backend stays silent)
 * instead of running to its 30 s timeout.
 */
static void test_ctrlc_seen_by_state_read(void **state)
{
	struct pvblock_dev *d = disk(false, false, 1024);

	fake_backend_stall(true);
	fake_state_read_interrupted(true);
	assert_int_equal(pvblock_transfer(d, BLKIF_OP_READ, 0, buffer(0), 4096), -EINTR);
	assert_true(d->failed);
	assert_false(d->backend_gone);
	fake_pvblock_free(d);
}

/*
 * The backend writes the whole page of every grant on reads: only pages the
 * buffer covers entirely may be granted, and the bytes around the buffer
 * must stay as they were. Direct grants; a sub-page buffer, and one that
 * starts and ends inside a page with whole pages between.
 */
static void test_subpage_never_granted(void **state)
{
	static const struct {
		size_t off, len;
	} cases[] = {{0x1200, 3 * 512}, {0xe00, 512 + 8192 + 3 * 512}, {0x1000, 512}};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pvblock_dev *d = disk(false, i & 1, 1024);
		uint8_t *area = buffer(0), *buf = area + cases[i].off;
		size_t len = cases[i].len;

		memset(area, 0xa5, 0x6000);
		fake_backend_whole_page(true);
		fake_allow_grants((uintptr_t)buf, (uintptr_t)buf + len);
		read_ok(d, 40, buf, len);
		assert_true(fake_grants_stayed_inside());
		for (uint8_t *p = area; p < buf; p++)
			assert_int_equal(*p, 0xa5);
		for (uint8_t *p = buf + len; p < area + 0x6000; p++)
			assert_int_equal(*p, 0xa5);
		fake_pvblock_free(d);
	}
}

/*
 * A file in 1 KiB pieces scattered on the disk (a sparse or aged 1 KiB-block
 * ext4), read as one stream with persistent grants: pieces that do not
 * follow on the disk are separate requests, and with several in flight no
 * pool page (one grant for good) may be in two of them; the fake aborts if
 * one is sent again before its answer was taken. Pieces that do follow
 * share a request. Byte-exact, holes between the pieces in memory untouched.
 */
static void test_scattered_spans_never_share_a_grant(void **state)
{
	enum { PIECES = 100, PIECE = 1024 };
	static struct pvblock_span sp[PIECES];
	struct pvblock_dev *d = disk(true, false, 1024);
	uint8_t *buf = buffer(0);

	memset(buf, 0xa5, PIECES * 2 * PIECE);
	for (unsigned int i = 0; i < PIECES; i++) {
		/* Runs of 3 pieces that follow on the disk, then a 1 KiB jump. */
		sp[i].sector = 8 + i * 2 + (i / 3) * 2;
		sp[i].buf = buf + i * 2 * PIECE; /* a hole of 1 KiB between pieces */
		sp[i].len = PIECE;
	}
	for (unsigned int i = 1; i < PIECES; i++)
		assert_true(sp[i].sector >= sp[i - 1].sector + 2);
	assert_int_equal(pvblock_read_spans(d, sp, PIECES), 0);
	for (unsigned int i = 0; i < PIECES; i++) {
		assert_memory_equal(sp[i].buf, fake_disk() + sp[i].sector * 512, PIECE);
		for (unsigned int j = 0; j < PIECE; j++)
			assert_int_equal(sp[i].buf[PIECE + j], 0xa5);
	}
	assert_int_equal(d->inflight, 0);
	assert_int_equal(d->st.pool_bytes, PIECES * PIECE);
	fake_pvblock_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_modes_byte_exact),
	    cmocka_unit_test(test_pool_of_one_page),
	    cmocka_unit_test(test_pool_without_grants),
	    cmocka_unit_test(test_out_of_grants_waits),
	    cmocka_unit_test(test_error_status),
	    cmocka_unit_test(test_ctrlc_once_then_usable),
	    cmocka_unit_test(test_ctrlc_twice_fails_the_disk),
	    cmocka_unit_test(test_stalled_backend_times_out),
	    cmocka_unit_test(test_backend_gone),
	    cmocka_unit_test(test_warm_up_names_the_pool),
	    cmocka_unit_test(test_ctrlc_while_collecting_warm_up),
	    cmocka_unit_test(test_ctrlc_seen_by_state_read),
	    cmocka_unit_test(test_subpage_never_granted),
	    cmocka_unit_test(test_scattered_spans_never_share_a_grant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
