// SPDX-License-Identifier: MIT
/*
 * lib/heap.c driven by arbitrary sequences of alloc / aligned alloc /
 * realloc / free over a small arena. After every step the heap must pass
 * heap_check(), no corruption may be reported (the program only ever
 * passes valid pointers), every live block must keep its contents, lie
 * inside the arena, be aligned as asked, and not overlap another block.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/heap.h>

#define ARENA (64 * 1024)
#define SLOTS 32

static unsigned char arena[ARENA] __aligned(64);

struct slot {
	unsigned char *p;
	size_t size;
	size_t align;
	unsigned char fill;
};

static void corrupt(struct heap *h, const void *where, const char *what)
{
	fprintf(stderr, "heap reported %s at %p on valid use\n", what, where);
	abort();
}

static void verify(struct heap *h, struct slot *s)
{
	if (heap_check(h))
		abort();
	for (int i = 0; i < SLOTS; i++) {
		if (!s[i].p)
			continue;
		if (s[i].p < arena || s[i].p + s[i].size > arena + ARENA)
			abort();
		if (((uintptr_t)s[i].p & (s[i].align - 1)) ||
		    heap_usable_size(h, s[i].p) < s[i].size)
			abort();
		/* Sampled: first, middle and last byte keep the fill pattern. */
		if (s[i].size && (s[i].p[0] != s[i].fill || s[i].p[s[i].size / 2] != s[i].fill ||
				  s[i].p[s[i].size - 1] != s[i].fill))
			abort();
		for (int j = i + 1; j < SLOTS; j++)
			if (s[j].p && s[i].p < s[j].p + s[j].size && s[j].p < s[i].p + s[i].size)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct heap h;
	struct slot s[SLOTS] = {0};
	struct heap_stats st;

	if (heap_init(&h, arena, sizeof(arena)))
		abort();
	h.on_corrupt = corrupt;
	for (size_t i = 0; i + 3 < size; i += 4) {
		unsigned int op = data[i] >> 6, idx = data[i] % SLOTS;
		size_t n = (size_t)data[i + 1] << 8 | data[i + 2];
		size_t align = (size_t)1 << (data[i + 3] % 13);
		struct slot *sl = &s[idx];

		switch (op) {
		case 0: /* malloc */
		case 1: /* aligned */
			if (sl->p)
				break;
			if (op == 0)
				align = 16;
			sl->p = heap_alloc(&h, n, align);
			if (sl->p) {
				sl->size = n;
				sl->align = align < 16 ? 16 : align;
				sl->fill = (unsigned char)(i + 1);
				memset(sl->p, sl->fill, n);
			}
			break;
		case 2: { /* realloc: keeps the common prefix */
			unsigned char *q = heap_realloc(&h, sl->p, n);
			size_t keep = sl->p ? (n < sl->size ? n : sl->size) : 0;

			if (n == 0 || q) {
				if (q) {
					for (size_t k = 0; k < keep; k++)
						if (q[k] != sl->fill)
							abort();
					memset(q, sl->fill, n);
				}
				sl->p = q;
				sl->size = q ? n : 0;
				sl->align = 16;
			}
			break;
		}
		case 3:
			heap_free(&h, sl->p);
			sl->p = NULL;
			break;
		}
		verify(&h, s);
	}
	for (int i = 0; i < SLOTS; i++)
		heap_free(&h, s[i].p);
	/* Everything free again: one chunk, nothing leaked. */
	heap_get_stats(&h, &st);
	if (st.free != ARENA || st.nr_free_chunks != 1 || st.used || st.corruptions)
		abort();
	return 0;
}
