/* SPDX-License-Identifier: MIT */
/*
 * A simple first-fit heap over one address range (lib/heap.c). malloc()
 * and friends (lib/malloc.c, target only) use one instance over the range
 * given to malloc_init(); the engine is separate so it can be tested on the
 * host with a static array.
 *
 * Every chunk has a 16-byte header whose check word depends on the chunk's
 * address, size and state: a header overwritten by a buffer overrun, a
 * double free or a pointer that never came from the heap is detected,
 * reported through on_corrupt and left alone (leaked, never reused).
 */
#ifndef PVBOOT_HEAP_H
#define PVBOOT_HEAP_H

#include <pvboot/compiler.h>

struct heap_chunk;

struct heap {
	uintptr_t start, end;	      /* the managed range (16-byte aligned inside) */
	struct heap_chunk *free_list; /* free chunks in address order */
	size_t used;		      /* bytes in allocated chunks, headers included */
	size_t peak;		      /* highest value of used */
	size_t nr_allocs;	      /* live allocations */
	unsigned int corruptions;     /* problems detected so far */
	/* Called on each detected problem; may be NULL. */
	void (*on_corrupt)(struct heap *h, const void *where, const char *what);
};

struct heap_stats {
	size_t total, used, peak, free, largest_free;
	size_t nr_allocs, nr_free_chunks;
	unsigned int corruptions;
};

/* Set up h over [base, base + size). Returns 0 or -EINVAL if too small. */
int heap_init(struct heap *h, void *base, size_t size);
/* align: a power of two (16 is the minimum and default); NULL if no room. */
void *heap_alloc(struct heap *h, size_t size, size_t align);
void heap_free(struct heap *h, void *p);
void *heap_realloc(struct heap *h, void *p, size_t size);
/* Usable bytes at p (at least what was asked for); 0 if p is not valid. */
size_t heap_usable_size(struct heap *h, const void *p);
/* Walk every chunk and check it; returns the number of problems found. */
unsigned int heap_check(struct heap *h);
void heap_get_stats(struct heap *h, struct heap_stats *st);

/*
 * The malloc() heap: [start, end), given by the init sequence before
 * anything allocates. Returns 0, or -EINVAL for a range too small to hold
 * a heap. With the host's C library (the sandbox) there is nothing to set
 * up and the host's allocator, watched by ASan, is used.
 */
int malloc_init(uintptr_t start, uintptr_t end);
/* Who hears of a corrupted chunk of the malloc() heap (lib/ cannot print). */
void malloc_on_corrupt(void (*handler)(struct heap *h, const void *where, const char *what));

#endif
