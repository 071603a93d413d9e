// SPDX-License-Identifier: MIT
/*
 * malloc() and friends on the target: one heap (lib/heap.c) over the range
 * the init sequence gives malloc_init(). Corruption is reported through the
 * handler set by malloc_on_corrupt() and the chunk is leaked rather than
 * reused. Before malloc_init() (or if it failed) every allocation fails.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/heap.h>

static struct heap heap;
static bool heap_ready;
static void (*corrupt_handler)(struct heap *h, const void *where, const char *what);

int malloc_init(uintptr_t start, uintptr_t end)
{
	if (end <= start || heap_init(&heap, (void *)start, end - start))
		return -EINVAL;
	heap.on_corrupt = corrupt_handler;
	heap_ready = true;
	return 0;
}

void malloc_on_corrupt(void (*handler)(struct heap *h, const void *where, const char *what))
{
	corrupt_handler = handler;
	heap.on_corrupt = handler;
}

static struct heap *get_heap(void)
{
	return heap_ready ? &heap : NULL;
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
