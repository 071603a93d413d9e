// SPDX-License-Identifier: MIT
/*
 * Block layer over a RAM disk driver: registry, range checks (including
 * lba + cnt wrapping), short transfers, read-only, the metadata cache (hits,
 * LRU eviction, invalidation by writes), byte-granular blk_pread and
 * streamed reads (batches, merging, partial blocks, sticky errors).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pvboot/blk.h>
#include <pvboot/log.h>

int log_level = LOG_INFO;
static unsigned int nr_errors;
void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level == LOG_ERR)
		nr_errors++;
}

#define DISK_BLOCKS 256

struct ramdisk {
	struct blk_desc blk;
	uint8_t *data;
	unsigned int reads, writes;
	bool short_read;
	unsigned int batches, runs; /* read_runs calls and the runs they carried */
	uint64_t max_cnt;	    /* longest run seen */
};

static long rd_read(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf)
{
	struct ramdisk *rd = dev->priv;

	rd->reads++;
	assert_true(lba + cnt <= dev->lba); /* the layer must never pass a bad range */
	memcpy(buf, rd->data + lba * dev->blksz, cnt * dev->blksz);
	return rd->short_read ? (long)cnt - 1 : (long)cnt;
}

static long rd_write(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf)
{
	struct ramdisk *rd = dev->priv;

	rd->writes++;
	assert_true(lba + cnt <= dev->lba);
	memcpy(rd->data + lba * dev->blksz, buf, cnt * dev->blksz);
	return (long)cnt;
}

static const struct blk_ops rd_ops = {.read = rd_read, .write = rd_write};

static struct ramdisk *rd_new(int devnum, unsigned int blksz)
{
	struct ramdisk *rd = calloc(1, sizeof(*rd));
	unsigned int i;

	rd->data = malloc((size_t)DISK_BLOCKS * blksz);
	for (i = 0; i < DISK_BLOCKS * blksz; i++)
		rd->data[i] = (uint8_t)(i * 7 + i / 4096);
	rd->blk.if_type = "ram";
	rd->blk.devnum = devnum;
	rd->blk.blksz = blksz;
	rd->blk.lba = DISK_BLOCKS;
	rd->blk.ops = &rd_ops;
	rd->blk.priv = rd;
	assert_int_equal(blk_register(&rd->blk), 0);
	return rd;
}

static void rd_free(struct ramdisk *rd)
{
	blk_unregister(&rd->blk);
	free(rd->data);
	free(rd);
}

static void test_registry(void **state)
{
	struct ramdisk *a = rd_new(0, 512), *b = rd_new(1, 4096);
	struct blk_desc bad = {.if_type = "ram", .devnum = 2, .blksz = 1000, .ops = &rd_ops};

	assert_ptr_equal(blk_get_dev("ram", 0), &a->blk);
	assert_ptr_equal(blk_get_dev("ram", 1), &b->blk);
	assert_null(blk_get_dev("ram", 2));
	assert_null(blk_get_dev("pvblock", 0));
	assert_ptr_equal(blk_next(0), &a->blk); /* registration order */
	assert_ptr_equal(blk_next(a->blk.dev.handle), &b->blk);
	assert_int_equal(blk_register(&a->blk), -EEXIST);
	assert_int_equal(blk_register(&bad), -EINVAL);
	rd_free(a);
	assert_null(blk_get_dev("ram", 0));
	assert_ptr_equal(blk_next(0), &b->blk);
	rd_free(b);
	assert_null(blk_next(0));
}

static void test_range_checks(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[1024];

	nr_errors = 0;
	assert_int_equal(blk_read(&rd->blk, DISK_BLOCKS - 2, 2, buf), 2);
	assert_int_equal(blk_read(&rd->blk, DISK_BLOCKS - 1, 2, buf), -EINVAL);
	assert_int_equal(blk_read(&rd->blk, DISK_BLOCKS, 1, buf), -EINVAL);
	/* lba + cnt wraps around to a small number: must still be refused. */
	assert_int_equal(blk_read(&rd->blk, 2, UINT64_MAX, buf), -EINVAL);
	assert_int_equal(blk_read(&rd->blk, UINT64_MAX, 2, buf), -EINVAL);
	assert_int_equal(blk_write(&rd->blk, UINT64_MAX - 1, 3, buf), -EINVAL);
	assert_int_equal(blk_read_cached(&rd->blk, 1, UINT64_MAX, buf), -EINVAL);
	assert_int_equal(blk_read(&rd->blk, 0, 1, NULL), -EINVAL);
	assert_int_equal(rd->reads, 1);
	assert_true(nr_errors >= 5); /* each refusal says why */
	assert_int_equal(blk_read(&rd->blk, 3, 0, buf), 0);
	rd_free(rd);
}

static void test_short_transfer_is_error(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[2048];

	rd->short_read = true;
	assert_int_equal(blk_read(&rd->blk, 0, 4, buf), -EIO);
	rd_free(rd);
}

static void test_readonly(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[512] = {0};

	rd->blk.readonly = true;
	assert_int_equal(blk_write(&rd->blk, 0, 1, buf), -EROFS);
	assert_int_equal(rd->writes, 0);
	rd_free(rd);
}

static void test_cache_hits_and_invalidation(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[512], w[1024];
	unsigned int h0, m0, h, m;

	blk_cache_stats(&h0, &m0);
	assert_int_equal(blk_read_cached(&rd->blk, 10, 1, buf), 1);
	assert_memory_equal(buf, rd->data + 10 * 512, 512);
	assert_int_equal(blk_read_cached(&rd->blk, 10, 1, buf), 1);
	assert_memory_equal(buf, rd->data + 10 * 512, 512);
	assert_int_equal(rd->reads, 1);
	blk_cache_stats(&h, &m);
	assert_int_equal(h - h0, 1);
	assert_int_equal(m - m0, 1);

	/* A write through the layer must not leave a stale copy behind. */
	memset(w, 0xab, sizeof(w));
	assert_int_equal(blk_write(&rd->blk, 9, 2, w), 2);
	assert_int_equal(blk_read_cached(&rd->blk, 10, 1, buf), 1);
	assert_memory_equal(buf, w, 512);
	assert_int_equal(rd->reads, 2);
	rd_free(rd);
}

static void test_cache_lru(void **state)
{
	struct ramdisk *rd = rd_new(0, 4096);
	uint8_t buf[4096];
	unsigned int i;

	/* Fill the cache, touch block 0 again, then one more: the victim is block 1. */
	for (i = 0; i < CONFIG_BLK_CACHE_BLOCKS; i++)
		assert_int_equal(blk_read_cached(&rd->blk, i, 1, buf), 1);
	assert_int_equal(blk_read_cached(&rd->blk, 0, 1, buf), 1);
	assert_int_equal(rd->reads, CONFIG_BLK_CACHE_BLOCKS);
	assert_int_equal(blk_read_cached(&rd->blk, CONFIG_BLK_CACHE_BLOCKS, 1, buf), 1);
	assert_int_equal(rd->reads, CONFIG_BLK_CACHE_BLOCKS + 1);
	assert_int_equal(blk_read_cached(&rd->blk, 0, 1, buf), 1);
	assert_int_equal(rd->reads, CONFIG_BLK_CACHE_BLOCKS + 1);
	assert_int_equal(blk_read_cached(&rd->blk, 1, 1, buf), 1);
	assert_int_equal(rd->reads, CONFIG_BLK_CACHE_BLOCKS + 2);
	assert_memory_equal(buf, rd->data + 4096, 4096);
	/* Large reads bypass the cache and do not evict. */
	{
		uint8_t *big = malloc(32 * 4096);

		assert_int_equal(blk_read_cached(&rd->blk, 100, 32, big), 32);
		assert_memory_equal(big, rd->data + 100 * 4096, 32 * 4096);
		free(big);
	}
	assert_int_equal(rd->reads, CONFIG_BLK_CACHE_BLOCKS + 3);
	rd_free(rd);
}

static void test_pread(void **state)
{
	static const enum blk_read_hint hints[] = {BLK_READ_META, BLK_READ_DATA};

	for (size_t h = 0; h < ARRAY_SIZE(hints); h++) {
		struct ramdisk *rd = rd_new(0, 512);
		size_t total = (size_t)DISK_BLOCKS * 512;
		uint8_t *buf = malloc(total + 1);

		/* Partial head, whole middle, partial tail. */
		assert_int_equal(blk_pread(&rd->blk, 100, buf, 3000, hints[h]), 0);
		assert_memory_equal(buf, rd->data + 100, 3000);
		assert_int_equal(blk_pread(&rd->blk, 512 * 7 + 511, buf, 1, hints[h]), 0);
		assert_int_equal(buf[0], rd->data[512 * 7 + 511]);
		/* Not a byte more than asked for. */
		buf[10] = 0x77;
		assert_int_equal(blk_pread(&rd->blk, 3, buf, 10, hints[h]), 0);
		assert_int_equal(buf[10], 0x77);
		assert_int_equal(blk_pread(&rd->blk, 0, buf, total, hints[h]), 0);
		assert_memory_equal(buf, rd->data, total);
		assert_int_equal(blk_pread(&rd->blk, total - 10, buf, 10, hints[h]), 0);
		assert_int_equal(blk_pread(&rd->blk, total - 10, buf, 11, hints[h]), -EINVAL);
		assert_int_equal(blk_pread(&rd->blk, UINT64_MAX - 5, buf, 10, hints[h]), -EINVAL);
		free(buf);
		rd_free(rd);
	}
}

/* File data: whole blocks in one request, partial ones bounced, the cache left alone. */
static void test_pread_data_bypasses_cache(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t *buf = malloc(64 * 512);
	unsigned int hits0, misses0, hits, misses;

	blk_cache_stats(&hits0, &misses0);
	rd->reads = 0;
	assert_int_equal(blk_pread(&rd->blk, 512 + 100, buf, 6 * 512, BLK_READ_DATA), 0);
	assert_memory_equal(buf, rd->data + 512 + 100, 6 * 512);
	assert_int_equal(rd->reads, 3); /* head block, 5 whole blocks at once, tail block */
	blk_cache_stats(&hits, &misses);
	assert_int_equal(hits, hits0);
	assert_int_equal(misses, misses0);
	/* Metadata of a few blocks is cached: the second read costs nothing. */
	assert_int_equal(blk_pread(&rd->blk, 2048, buf, 2 * 512, BLK_READ_META), 0);
	rd->reads = 0;
	assert_int_equal(blk_pread(&rd->blk, 2048, buf, 2 * 512, BLK_READ_META), 0);
	assert_int_equal(rd->reads, 0);
	assert_memory_equal(buf, rd->data + 2048, 2 * 512);
	free(buf);
	rd_free(rd);
}

static int rd_read_runs(struct blk_desc *dev, const struct blk_run *runs, unsigned int n)
{
	struct ramdisk *rd = dev->priv;
	unsigned int i;

	rd->batches++;
	assert_true(n >= 1 && n <= BLK_STREAM_RUNS);
	for (i = 0; i < n; i++) {
		assert_true(runs[i].cnt && runs[i].lba + runs[i].cnt <= dev->lba);
		memcpy(runs[i].buf, rd->data + runs[i].lba * dev->blksz, runs[i].cnt * dev->blksz);
		rd->max_cnt = MAX(rd->max_cnt, runs[i].cnt);
	}
	rd->runs += n;
	return 0;
}

static const struct blk_ops rd_stream_ops = {
    .read = rd_read, .write = rd_write, .read_runs = rd_read_runs};

/* Many pieces in few driver calls; merged when adjacent on disk and in memory. */
static void test_stream_batches_and_merges(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	size_t n = BLK_STREAM_RUNS + 88;
	uint8_t *buf = calloc(n, 1024);
	struct blk_stream st;
	size_t i;

	rd->blk.ops = &rd_stream_ops;
	/* Every other block of the disk, each into every other block of memory. */
	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(blk_stream_add(&st, (i % 128) * 1024, buf + i * 1024, 512), 0);
	assert_int_equal(rd->batches, 1); /* a full batch went when the next piece came */
	assert_int_equal(blk_stream_finish(&st, 0), 0);
	assert_int_equal(rd->batches, 2);
	assert_int_equal(rd->runs, n);
	assert_int_equal(rd->reads, 0);
	for (i = 0; i < n; i++)
		assert_memory_equal(buf + i * 1024, rd->data + (i % 128) * 1024, 512);

	/* 40 blocks added one by one, in order on disk and in memory: one run. */
	rd->batches = rd->runs = 0;
	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	for (i = 0; i < 40; i++)
		assert_int_equal(blk_stream_add(&st, 512 * (10 + i), buf + 512 * i, 512), 0);
	/* Next on disk but not in memory: a run of its own. */
	assert_int_equal(blk_stream_add(&st, 512 * 50, buf + 512 * 41, 512), 0);
	assert_int_equal(blk_stream_finish(&st, 0), 0);
	assert_int_equal(rd->batches, 1);
	assert_int_equal(rd->runs, 2);
	assert_int_equal(rd->max_cnt, 40);
	assert_memory_equal(buf, rd->data + 512 * 10, 512 * 40);
	assert_memory_equal(buf + 512 * 41, rd->data + 512 * 50, 512);
	free(buf);
	rd_free(rd);
}

/* Partial blocks at once, through the bounce block; not a byte more than asked for. */
static void test_stream_partial_blocks(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[2048];
	struct blk_stream st;

	rd->blk.ops = &rd_stream_ops;
	memset(buf, 0x77, sizeof(buf));
	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	assert_int_equal(blk_stream_add(&st, 100, buf, 1500), 0);
	assert_int_equal(rd->reads, 2); /* head and tail blocks, read at once */
	assert_int_equal(blk_stream_finish(&st, 0), 0);
	assert_int_equal(rd->runs, 1);
	assert_memory_equal(buf, rd->data + 100, 1500);
	assert_int_equal(buf[1500], 0x77);
	rd_free(rd);
}

/* The first error sticks; queued runs are dropped, not read. */
static void test_stream_errors(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[4096];
	struct blk_stream st;

	rd->blk.ops = &rd_stream_ops;
	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	assert_int_equal(blk_stream_add(&st, 0, buf, 1024), 0);
	assert_int_equal(blk_stream_add(&st, (uint64_t)DISK_BLOCKS * 512 - 512, buf, 1024),
			 -EINVAL);
	assert_int_equal(blk_stream_add(&st, 2048, buf + 2048, 512), -EINVAL);
	assert_int_equal(blk_stream_finish(&st, 0), -EINVAL);
	assert_int_equal(rd->batches, 0);

	/* The caller's own error: nothing queued is read, its error comes back. */
	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	assert_int_equal(blk_stream_add(&st, 0, buf, 1024), 0);
	assert_int_equal(blk_stream_finish(&st, -EUCLEAN), -EUCLEAN);
	assert_int_equal(rd->batches, 0);
	rd_free(rd);
}

/* A driver without read_runs: the layer reads run after run, short reads are errors. */
static void test_stream_without_read_runs(void **state)
{
	struct ramdisk *rd = rd_new(0, 512);
	uint8_t buf[4096];
	struct blk_stream st;

	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	assert_int_equal(blk_stream_add(&st, 0, buf, 1024), 0);
	assert_int_equal(blk_stream_add(&st, 4096, buf + 2048, 1024), 0);
	assert_int_equal(blk_stream_finish(&st, 0), 0);
	assert_int_equal(rd->reads, 2);
	assert_memory_equal(buf, rd->data, 1024);
	assert_memory_equal(buf + 2048, rd->data + 4096, 1024);
	rd->short_read = true;
	assert_int_equal(blk_stream_init(&st, &rd->blk), 0);
	assert_int_equal(blk_stream_add(&st, 0, buf, 1024), 0);
	assert_int_equal(blk_stream_finish(&st, 0), -EIO);
	rd_free(rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test(test_range_checks),
	    cmocka_unit_test(test_short_transfer_is_error),
	    cmocka_unit_test(test_readonly),
	    cmocka_unit_test(test_cache_hits_and_invalidation),
	    cmocka_unit_test(test_cache_lru),
	    cmocka_unit_test(test_pread),
	    cmocka_unit_test(test_pread_data_bypasses_cache),
	    cmocka_unit_test(test_stream_batches_and_merges),
	    cmocka_unit_test(test_stream_partial_blocks),
	    cmocka_unit_test(test_stream_errors),
	    cmocka_unit_test(test_stream_without_read_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
