// SPDX-License-Identifier: MIT
/*
 * malloc() and friends on the target: one heap (lib/heap.c) over
 * [board.heap_start, board.heap_end), set up on first use. Corruption is
 * reported with the address and the chunk is leaked rather than reused.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <pvboot/board.h>
#include <pvboot/heap.h>
#include <pvboot/log.h>

static struct heap heap;
static bool heap_ready;

static void report_corruption(struct heap *h, const void *where, const char *what)
{
	pr_err("malloc: %s at %p\n", what, where);
}

static struct heap *get_heap(void)
{
	if (!heap_ready) {
		if (heap_init(&heap, (void *)board.heap_start, board.heap_end - board.heap_start)) {
			pr_err("malloc: no heap (%#lx-%#lx)\n", (unsigned long)board.heap_start,
			       (unsigned long)board.heap_end);
			return NULL;
		}
		heap.on_corrupt = report_corruption;
		heap_ready = true;
	}
	return &heap;
}

void *malloc(size_t size)
{
	struct heap *h = get_heap();

	return h ? heap_alloc(h, size, 0) : NULL;
}

void *aligned_alloc(size_t align, size_t size)
{
	struct heap *h = get_heap();

	return h ? heap_alloc(h, size, align) : NULL;
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	struct heap *h = get_heap();

	return h ? heap_realloc(h, p, size) : NULL;
}

void free(void *p)
{
	if (p && heap_ready)
		heap_free(&heap, p);
}

void malloc_stats(void)
{
	struct heap_stats st;
	struct heap *h = get_heap();

	if (!h)
		return;
	heap_check(h);
	heap_get_stats(h, &st);
	printf("heap        = 0x%lx-0x%lx (%zu KiB)\n", (unsigned long)h->start,
	       (unsigned long)h->end, st.total >> 10);
	printf("heap used   = %zu KiB in %zu allocations (peak %zu KiB)\n", st.used >> 10,
	       st.nr_allocs, st.peak >> 10);
	printf("heap free   = %zu KiB in %zu chunks (largest %zu KiB)\n", st.free >> 10,
	       st.nr_free_chunks, st.largest_free >> 10);
	if (st.corruptions)
		printf("heap errors = %u\n", st.corruptions);
}
