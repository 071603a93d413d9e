// SPDX-License-Identifier: MIT
/*
 * lib/heap.c, the engine behind the target's malloc(), run over a static
 * array: alignment, splitting and coalescing, realloc, statistics and the
 * detection of corrupted headers, double frees and foreign pointers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <cmocka.h>
#include <pvboot/heap.h>

#define ARENA_SIZE (256 * 1024)

static unsigned char arena[ARENA_SIZE] __aligned(4096);
static struct heap th;
static unsigned int reports;
static const char *last_report;

static void on_corrupt(struct heap *hp, const void *where, const char *what)
{
	reports++;
	last_report = what;
}

static int setup(void **state)
{
	assert_int_equal(heap_init(&th, arena, sizeof(arena)), 0);
	th.on_corrupt = on_corrupt;
	reports = 0;
	last_report = NULL;
	return 0;
}

static size_t free_bytes(void)
{
	struct heap_stats st;

	heap_get_stats(&th, &st);
	return st.free;
}

static size_t free_chunks(void)
{
	struct heap_stats st;

	heap_get_stats(&th, &st);
	return st.nr_free_chunks;
}

static void test_init_limits(void **state)
{
	struct heap t;
	unsigned char tiny[40];

	assert_int_equal(heap_init(&t, tiny, 8), -EINVAL);
	assert_int_equal(heap_init(&t, (void *)(UINTPTR_MAX - 64), 1024), -EINVAL);
	assert_int_equal(free_bytes(), ARENA_SIZE);
	assert_int_equal(free_chunks(), 1);
}

static void test_basic_alloc_free(void **state)
{
	void *a = heap_alloc(&th, 100, 0);
	void *b = heap_alloc(&th, 1, 0);
	void *c = heap_alloc(&th, 0, 0);

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(((uintptr_t)a & 15) == 0);
	assert_true(((uintptr_t)b & 15) == 0);
	assert_true(heap_usable_size(&th, a) >= 100);
	memset(a, 0xaa, 100);
	memset(b, 0xbb, 1);
	/* Distinct, non-overlapping. */
	assert_true((uintptr_t)b >= (uintptr_t)a + 100 || (uintptr_t)a >= (uintptr_t)b + 1);
	heap_free(&th, b);
	heap_free(&th, a);
	heap_free(&th, c);
	heap_free(&th, NULL);
	/* Everything merged back into one chunk. */
	assert_int_equal(free_chunks(), 1);
	assert_int_equal(free_bytes(), ARENA_SIZE);
	assert_int_equal(heap_check(&th), 0);
	assert_int_equal(reports, 0);
}

static void test_exhaustion(void **state)
{
	void *p[64];
	int n = 0;

	assert_null(heap_alloc(&th, ARENA_SIZE, 0));
	assert_null(heap_alloc(&th, SIZE_MAX, 0));
	assert_null(heap_alloc(&th, SIZE_MAX - 8, 0));
	while (n < 64 && (p[n] = heap_alloc(&th, 8000, 0)))
		n++;
	assert_true(n > 25 && n < 64);
	assert_null(heap_alloc(&th, 8000, 0));
	while (n--)
		heap_free(&th, p[n]);
	assert_int_equal(free_chunks(), 1);
	assert_non_null(heap_alloc(&th, ARENA_SIZE - 64, 0));
}

static void test_coalescing_orders(void **state)
{
	void *p[5];
	int i;

	for (i = 0; i < 5; i++)
		p[i] = heap_alloc(&th, 1000, 0);
	/* Free 1 and 3: two holes. Then 2 joins them into one. */
	heap_free(&th, p[1]);
	heap_free(&th, p[3]);
	assert_int_equal(free_chunks(), 3); /* two holes + the tail */
	heap_free(&th, p[2]);
	assert_int_equal(free_chunks(), 2);
	/* A 3000-byte request now fits in the merged hole, at p[1]. */
	assert_ptr_equal(heap_alloc(&th, 3000, 0), p[1]);
	heap_free(&th, p[1]);
	heap_free(&th, p[0]);
	heap_free(&th, p[4]);
	assert_int_equal(free_chunks(), 1);
	assert_int_equal(heap_check(&th), 0);
}

static void test_alignment(void **state)
{
	size_t aligns[] = {16, 32, 64, 256, 4096, 65536};
	void *p[ARRAY_SIZE(aligns)];
	void *small = heap_alloc(&th, 24, 0); /* make the free space start unaligned */

	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		p[i] = heap_alloc(&th, 100, aligns[i]);
		assert_non_null(p[i]);
		assert_true(((uintptr_t)p[i] & (aligns[i] - 1)) == 0);
		memset(p[i], 0x5a, 100);
	}
	assert_null(heap_alloc(&th, 16, 48)); /* not a power of two */
	assert_int_equal(heap_check(&th), 0);
	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++)
		heap_free(&th, p[i]);
	heap_free(&th, small);
	assert_int_equal(free_chunks(), 1);
	assert_int_equal(free_bytes(), ARENA_SIZE);
	assert_int_equal(reports, 0);
}

static void test_page_aligned_pages(void **state)
{
	/* What the PV drivers do: several page-aligned pages interleaved with small allocations. */
	void *pages[8], *smalls[8];

	for (int i = 0; i < 8; i++) {
		smalls[i] = heap_alloc(&th, 40 + i, 0);
		pages[i] = heap_alloc(&th, 4096, 4096);
		assert_non_null(pages[i]);
		assert_true(((uintptr_t)pages[i] & 4095) == 0);
	}
	for (int i = 0; i < 8; i++) {
		memset(pages[i], i, 4096);
		heap_free(&th, smalls[i]);
	}
	for (int i = 0; i < 8; i++) {
		unsigned char *pg = pages[i];

		assert_int_equal(pg[0], i);
		assert_int_equal(pg[4095], i);
		heap_free(&th, pages[i]);
	}
	assert_int_equal(free_chunks(), 1);
	assert_int_equal(heap_check(&th), 0);
}

static void test_resize(void **state)
{
	unsigned char *p = heap_realloc(&th, NULL, 50);
	unsigned char *q, *blocker;
	size_t i;

	assert_non_null(p);
	for (i = 0; i < 50; i++)
		p[i] = (unsigned char)i;
	/* Grows in place while the space after it is free. */
	q = heap_realloc(&th, p, 500);
	assert_ptr_equal(q, p);
	for (i = 0; i < 50; i++)
		assert_int_equal(q[i], i);
	/* Shrink keeps the pointer and gives the tail back. */
	q = heap_realloc(&th, q, 20);
	assert_ptr_equal(q, p);
	blocker = heap_alloc(&th, 10, 0);
	assert_non_null(blocker);
	assert_true(blocker > q && blocker < q + 500); /* reused the released tail */
	/* Now growth must move, and keep the contents. */
	q = heap_realloc(&th, q, 2000);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	for (i = 0; i < 20; i++)
		assert_int_equal(q[i], i);
	/* Impossible growth fails and keeps the old block. */
	assert_null(heap_realloc(&th, q, ARENA_SIZE * 2));
	assert_int_equal(q[5], 5);
	/* realloc(p, 0) frees. */
	assert_null(heap_realloc(&th, q, 0));
	heap_free(&th, blocker);
	assert_int_equal(free_chunks(), 1);
	assert_int_equal(heap_check(&th), 0);
	assert_int_equal(reports, 0);
}

static void test_stats(void **state)
{
	struct heap_stats st;
	void *a = heap_alloc(&th, 1000, 0);
	void *b = heap_alloc(&th, 3000, 0);

	heap_get_stats(&th, &st);
	assert_int_equal(st.total, ARENA_SIZE);
	assert_int_equal(st.nr_allocs, 2);
	assert_true(st.used >= 4000 && st.used < 4100);
	assert_int_equal(st.used + st.free, ARENA_SIZE);
	assert_int_equal(st.nr_free_chunks, 1);
	assert_true(st.largest_free < ARENA_SIZE - 4000);
	heap_free(&th, a);
	heap_free(&th, b);
	heap_get_stats(&th, &st);
	assert_int_equal(st.used, 0);
	assert_true(st.peak >= 4000);
	assert_int_equal(st.nr_allocs, 0);
}

static void test_double_free(void **state)
{
	void *a = heap_alloc(&th, 64, 0);
	void *b = heap_alloc(&th, 64, 0);

	heap_free(&th, a);
	heap_free(&th, a);
	assert_int_equal(reports, 1);
	assert_string_equal(last_report, "double free");
	heap_free(&th, b);
	assert_int_equal(heap_check(&th), 0);
	assert_int_equal(free_chunks(), 1);
}

static void test_foreign_pointers(void **state)
{
	static unsigned char outside[64] __aligned(16);
	unsigned char *a = heap_alloc(&th, 64, 0);

	heap_free(&th, outside + 16);
	assert_int_equal(reports, 1);
	assert_string_equal(last_report, "pointer not from this heap");
	heap_free(&th, a + 1); /* misaligned */
	assert_int_equal(reports, 2);
	heap_free(&th, a + 32); /* inside a block: no valid header there */
	assert_int_equal(reports, 3);
	assert_string_equal(last_report, "corrupt chunk header");
	heap_free(&th, a);
	assert_int_equal(reports, 3);
	assert_int_equal(heap_check(&th), 0);
}

static void test_overrun_detected(void **state)
{
	unsigned char *a = heap_alloc(&th, 64, 0);
	unsigned char *b = heap_alloc(&th, 64, 0);
	unsigned char *c = heap_alloc(&th, 64, 0);
	size_t before = free_bytes();

	/* Overrun a by 20 bytes: tramples b's header. */
	memset(a, 0x41, heap_usable_size(&th, a) + 20);
	assert_int_equal(heap_check(&th), 1);
	assert_string_equal(last_report, "corrupt chunk header");
	reports = 0;
	/* Freeing b is refused (the chunk is leaked, not reused). */
	heap_free(&th, b);
	assert_int_equal(reports, 1);
	assert_int_equal(free_bytes(), before);
	/* Unaffected blocks still work. */
	heap_free(&th, c);
	heap_free(&th, a);
	assert_int_equal(reports, 1);
	assert_non_null(heap_alloc(&th, 1000, 0));
}

static void test_free_list_corruption(void **state)
{
	unsigned char *a = heap_alloc(&th, 64, 0);
	unsigned char *b = heap_alloc(&th, 64, 0);

	heap_free(&th, a);
	/* Use after free: write into the freed chunk's link. */
	memset(a - 16, 0x42, 32);
	assert_null(heap_alloc(&th, 32, 0));
	assert_true(reports >= 1);
	assert_string_equal(last_report, "free chunk");
	heap_free(&th, b); /* must not follow the bad link */
	assert_true(reports >= 2);
}

static void test_random_workload(void **state)
{
	void *p[200] = {0};
	size_t sz[200] = {0};
	uint32_t x = 12345;

	for (int round = 0; round < 20000; round++) {
		int i;

		x = x * 1103515245 + 12345;
		i = (int)((x >> 8) % 200);
		if (p[i]) {
			unsigned char *q = p[i];

			/* Contents survived everything else. */
			assert_int_equal(q[0], (unsigned char)i);
			assert_int_equal(q[sz[i] - 1], (unsigned char)i);
			if (x & 1) {
				heap_free(&th, p[i]);
				p[i] = NULL;
			} else {
				size_t n = 1 + (x >> 20) % 3000;

				q = heap_realloc(&th, q, n);
				if (q) {
					memset(q, i, n);
					p[i] = q;
					sz[i] = n;
				}
			}
		} else {
			size_t n = 1 + (x >> 16) % 2000;
			size_t align = (x & 0x80) ? (size_t)1 << (4 + (x >> 28) % 9) : 0;

			p[i] = heap_alloc(&th, n, align);
			if (p[i]) {
				if (align)
					assert_true(((uintptr_t)p[i] & (align - 1)) == 0);
				memset(p[i], i, n);
				sz[i] = n;
			}
		}
		if (round % 1000 == 0)
			assert_int_equal(heap_check(&th), 0);
	}
	for (int i = 0; i < 200; i++)
		heap_free(&th, p[i]);
	assert_int_equal(heap_check(&th), 0);
	assert_int_equal(free_chunks(), 1);
	assert_int_equal(free_bytes(), ARENA_SIZE);
	assert_int_equal(reports, 0);
}

/*
 * lib/malloc.c itself (target-only: it would replace the sanitizer's
 * allocator if linked under its real names), included with its functions
 * renamed, over a static array given to malloc_init().
 */
#define malloc(n) pv_malloc(n)
#define calloc(n, s) pv_calloc(n, s)
#define realloc(p, n) pv_realloc(p, n)
#define free(p) pv_free(p)
#define aligned_alloc(a, n) pv_aligned_alloc(a, n)
#define memalign(a, n) pv_memalign(a, n)
#include "../../lib/malloc.c"
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef aligned_alloc
#undef memalign

static unsigned char board_heap[128 * 1024] __aligned(16);
static char last_log[200];

static void report(struct heap *h, const void *where, const char *what)
{
	snprintf(last_log, sizeof(last_log), "malloc: %s at %p", what, where);
}

static void test_malloc_api(void **state)
{
	void *p, *q;
	unsigned char *z;

	/* No heap given yet: every allocation fails cleanly; so does a range too small. */
	assert_null(pv_malloc(10));
	pv_free(NULL);
	assert_int_equal(malloc_init((uintptr_t)board_heap, (uintptr_t)board_heap), -EINVAL);
	assert_int_equal(malloc_init((uintptr_t)board_heap + 16, (uintptr_t)board_heap), -EINVAL);
	assert_null(pv_malloc(10));

	malloc_on_corrupt(report);
	assert_int_equal(
	    malloc_init((uintptr_t)board_heap, (uintptr_t)board_heap + sizeof(board_heap)), 0);
	p = pv_malloc(100);
	assert_non_null(p);
	assert_true((uintptr_t)p >= (uintptr_t)board_heap &&
		    (uintptr_t)p < (uintptr_t)board_heap + sizeof(board_heap));

	/* calloc: zeroed, and n * size overflow refused. */
	memset(p, 0xff, 100);
	pv_free(p);
	z = pv_calloc(10, 10);
	assert_non_null(z);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	{
		volatile size_t big = SIZE_MAX / 2, huge = (size_t)1 << 33;

		assert_null(pv_calloc(big, 3));
		assert_null(pv_calloc(huge, huge));
	}

	q = pv_memalign(4096, 4096);
	assert_non_null(q);
	assert_true(((uintptr_t)q & 4095) == 0);
	p = pv_aligned_alloc(65536, 10);
	assert_non_null(p);
	assert_true(((uintptr_t)p & 65535) == 0);
	pv_free(p);

	z = pv_realloc(z, 5000);
	assert_non_null(z);
	assert_int_equal(z[99], 0);
	pv_free(z);
	pv_free(q);

	/* A bad free is reported with its address, not acted on. */
	pv_free(board_heap + 8);
	assert_non_null(strstr(last_log, "malloc: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_init_limits, setup),
	    cmocka_unit_test_setup(test_basic_alloc_free, setup),
	    cmocka_unit_test_setup(test_exhaustion, setup),
	    cmocka_unit_test_setup(test_coalescing_orders, setup),
	    cmocka_unit_test_setup(test_alignment, setup),
	    cmocka_unit_test_setup(test_page_aligned_pages, setup),
	    cmocka_unit_test_setup(test_resize, setup),
	    cmocka_unit_test_setup(test_stats, setup),
	    cmocka_unit_test_setup(test_double_free, setup),
	    cmocka_unit_test_setup(test_foreign_pointers, setup),
	    cmocka_unit_test_setup(test_overrun_detected, setup),
	    cmocka_unit_test_setup(test_free_list_corruption, setup),
	    cmocka_unit_test_setup(test_random_workload, setup),
	    cmocka_unit_test(test_malloc_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
