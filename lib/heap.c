// SPDX-License-Identifier: MIT
/*
 * First-fit heap with an address-ordered free list. Chunks tile the whole
 * range; a free chunk is merged with free neighbours as soon as it is freed,
 * so fragmentation stays low for a bootloader's few, mostly large buffers.
 * Headers carry a check word so that corruption is detected, not spread.
 */
#include <errno.h>
#include <string.h>
#include <pvboot/heap.h>

struct heap_chunk {
	size_t size;		 /* whole chunk, header included, multiple of HEAP_ALIGN */
	size_t check;		 /* chunk_check(): address, size and state */
	struct heap_chunk *next; /* only while free: next free chunk, higher address */
};

#define HEAP_ALIGN 16UL
#define HDR_SIZE offsetof(struct heap_chunk, next)
#define MIN_CHUNK 32UL /* header + free-list link, rounded to HEAP_ALIGN */

#define KEY_USED ((size_t)0x5a17c0dea110cb0bULL)
#define KEY_FREE ((size_t)0xf4ee0c4a7d1e5e3bULL)

_Static_assert(HDR_SIZE == HEAP_ALIGN, "chunk header must keep payloads 16-byte aligned");

static size_t chunk_check(const struct heap_chunk *c, size_t size, bool used)
{
	return size ^ (size_t)(uintptr_t)c ^ (used ? KEY_USED : KEY_FREE);
}

static void set_chunk(struct heap_chunk *c, size_t size, bool used)
{
	c->size = size;
	c->check = chunk_check(c, size, used);
}

static void corrupt(struct heap *h, const void *where, const char *what)
{
	h->corruptions++;
	if (h->on_corrupt)
		h->on_corrupt(h, where, what);
}

/* Is c a well-formed chunk in state used, lying entirely inside the heap? */
static bool chunk_ok(const struct heap *h, const struct heap_chunk *c, bool used)
{
	uintptr_t a = (uintptr_t)c;

	if (a < h->start || a >= h->end || (a & (HEAP_ALIGN - 1)))
		return false; /* NULL too: the heap never starts at 0 */
	if (h->end - a < MIN_CHUNK)
		return false;
	// NOLINTNEXTLINE(clang-analyzer-core.NullDereference): c >= h->start > 0
	if (c->size < MIN_CHUNK || (c->size & (HEAP_ALIGN - 1)) || c->size > h->end - a)
		return false;
	return c->check == chunk_check(c, c->size, used);
}

/* The free-list successor of c, or an error flag if the link is bad. */
static bool next_free_ok(const struct heap *h, const struct heap_chunk *c)
{
	const struct heap_chunk *n = c->next;

	return !n || ((uintptr_t)n >= (uintptr_t)c + c->size && chunk_ok(h, n, false));
}

int heap_init(struct heap *h, void *base, size_t size)
{
	uintptr_t start = ALIGN_UP((uintptr_t)base, HEAP_ALIGN);
	uintptr_t end = ALIGN_DOWN((uintptr_t)base + size, HEAP_ALIGN);

	memset(h, 0, sizeof(*h));
	if ((uintptr_t)base + size < (uintptr_t)base || end <= start || end - start < MIN_CHUNK)
		return -EINVAL;
	h->start = start;
	h->end = end;
	h->free_list = (struct heap_chunk *)start;
	set_chunk(h->free_list, end - start, false);
	h->free_list->next = NULL;
	return 0;
}

static size_t chunk_need(const struct heap *h, size_t size)
{
	if (size > h->end - h->start)
		return 0;
	size = ALIGN_UP(size + HDR_SIZE, HEAP_ALIGN);
	return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/* Where an aligned chunk of need bytes can start inside free chunk c, or 0. */
static uintptr_t fit(const struct heap_chunk *c, size_t need, size_t align)
{
	uintptr_t start = (uintptr_t)c, end = start + c->size;
	uintptr_t chunk = ALIGN_UP(start + HDR_SIZE, align) - HDR_SIZE;

	/* A gap in front must be big enough to stay a free chunk of its own. */
	while (chunk != start && chunk - start < MIN_CHUNK)
		chunk += align;
	if (chunk >= end || end - chunk < need)
		return 0;
	return chunk;
}

void *heap_alloc(struct heap *h, size_t size, size_t align)
{
	struct heap_chunk *prev = NULL, *c;
	size_t need = chunk_need(h, size);

	if (align < HEAP_ALIGN)
		align = HEAP_ALIGN;
	if (!need || (align & (align - 1)) || align > h->end - h->start)
		return NULL;

	for (c = h->free_list; c; prev = c, c = c->next) {
		struct heap_chunk *link, *used, *tail;
		uintptr_t at;
		size_t tail_size;

		if (!chunk_ok(h, c, false) || !next_free_ok(h, c)) {
			corrupt(h, c, "free chunk");
			return NULL;
		}
		at = fit(c, need, align);
		if (!at)
			continue;

		tail_size = (uintptr_t)c + c->size - (at + need);
		if (tail_size < MIN_CHUNK) {
			need += tail_size;
			tail_size = 0;
		}
		/* c becomes [lead gap (free)] [used chunk] [tail (free)]. */
		link = c->next;
		if (at != (uintptr_t)c) {
			set_chunk(c, at - (uintptr_t)c, false);
			prev = c;
		}
		if (tail_size) {
			tail = (struct heap_chunk *)(at + need);
			set_chunk(tail, tail_size, false);
			tail->next = link;
			link = tail;
		}
		if (prev)
			prev->next = link;
		else
			h->free_list = link;

		used = (struct heap_chunk *)at;
		set_chunk(used, need, true);
		h->used += need;
		if (h->used > h->peak)
			h->peak = h->used;
		h->nr_allocs++;
		return (char *)used + HDR_SIZE;
	}
	return NULL;
}

/* The header of an allocated payload p, or NULL (reported) if p is not one. */
static struct heap_chunk *used_chunk(struct heap *h, const void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct heap_chunk *c;

	if (a < h->start + HDR_SIZE || a >= h->end || (a & (HEAP_ALIGN - 1))) {
		corrupt(h, p, "pointer not from this heap");
		return NULL;
	}
	c = (struct heap_chunk *)(a - HDR_SIZE);
	if (chunk_ok(h, c, true))
		return c;
	corrupt(h, p, chunk_ok(h, c, false) ? "double free" : "corrupt chunk header");
	return NULL;
}

void heap_free(struct heap *h, void *p)
{
	struct heap_chunk *c, *prev = NULL, *n;

	if (!p)
		return;
	c = used_chunk(h, p);
	if (!c)
		return;

	for (n = h->free_list; n && n < c; prev = n, n = n->next) {
		if (!chunk_ok(h, n, false) || !next_free_ok(h, n)) {
			corrupt(h, n, "free chunk");
			return;
		}
	}
	if ((prev && (uintptr_t)prev + prev->size > (uintptr_t)c) ||
	    (n && (uintptr_t)c + c->size > (uintptr_t)n)) {
		corrupt(h, p, "chunk overlaps a free chunk");
		return;
	}

	h->used -= c->size;
	h->nr_allocs--;
	set_chunk(c, c->size, false);
	c->next = n;
	if (n && (uintptr_t)c + c->size == (uintptr_t)n) {
		set_chunk(c, c->size + n->size, false);
		c->next = n->next;
	}
	if (prev && (uintptr_t)prev + prev->size == (uintptr_t)c) {
		set_chunk(prev, prev->size + c->size, false);
		prev->next = c->next;
	} else if (prev) {
		prev->next = c;
	} else {
		h->free_list = c;
	}
}

size_t heap_usable_size(struct heap *h, const void *p)
{
	struct heap_chunk *c = p ? used_chunk(h, p) : NULL;

	return c ? c->size - HDR_SIZE : 0;
}

/* Grow c in place by taking (part of) the free chunk right after it. */
static bool grow_in_place(struct heap *h, struct heap_chunk *c, size_t need)
{
	struct heap_chunk *next = (struct heap_chunk *)((uintptr_t)c + c->size);
	struct heap_chunk *prev = NULL, *n, *link;
	size_t extra, rest;

	if ((uintptr_t)next >= h->end)
		return false;
	for (n = h->free_list; n && n < next; prev = n, n = n->next)
		if (!chunk_ok(h, n, false) || !next_free_ok(h, n))
			return false;
	if (n != next || !chunk_ok(h, n, false) || c->size + n->size < need)
		return false;

	extra = need - c->size;
	rest = n->size - extra;
	link = n->next;
	if (rest >= MIN_CHUNK) {
		struct heap_chunk *t = (struct heap_chunk *)((uintptr_t)c + need);

		set_chunk(t, rest, false);
		t->next = link;
		link = t;
	} else {
		extra = n->size;
	}
	if (prev)
		prev->next = link;
	else
		h->free_list = link;
	h->used += extra;
	if (h->used > h->peak)
		h->peak = h->used;
	set_chunk(c, c->size + extra, true);
	return true;
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
	struct heap_chunk *c;
	size_t need;
	void *q;

	if (!p)
		return heap_alloc(h, size, HEAP_ALIGN);
	if (!size) {
		heap_free(h, p);
		return NULL;
	}
	c = used_chunk(h, p);
	if (!c)
		return NULL;
	need = chunk_need(h, size);
	if (!need)
		return NULL;

	if (need <= c->size) {
		size_t rest = c->size - need;

		if (rest >= MIN_CHUNK) {
			struct heap_chunk *t = (struct heap_chunk *)((uintptr_t)c + need);

			/* Hand the tail back as a used chunk, then free it to merge it. */
			set_chunk(c, need, true);
			set_chunk(t, rest, true);
			h->nr_allocs++;
			heap_free(h, (char *)t + HDR_SIZE);
		}
		return p;
	}
	if (grow_in_place(h, c, need))
		return p;

	q = heap_alloc(h, size, HEAP_ALIGN);
	if (q) {
		memcpy(q, p, c->size - HDR_SIZE);
		heap_free(h, p);
	}
	return q;
}

unsigned int heap_check(struct heap *h)
{
	uintptr_t a = h->start;
	struct heap_chunk *expect_free = h->free_list;
	unsigned int before = h->corruptions;

	while (a < h->end) {
		struct heap_chunk *c = (struct heap_chunk *)a;

		if (chunk_ok(h, c, false)) {
			if (c != expect_free) {
				corrupt(h, c, "free chunk missing from the free list");
				break;
			}
			if (!next_free_ok(h, c)) {
				corrupt(h, c, "free list link");
				break;
			}
			expect_free = c->next;
		} else if (!chunk_ok(h, c, true)) {
			corrupt(h, c, "corrupt chunk header");
			break;
		}
		a += c->size;
	}
	return h->corruptions - before;
}

void heap_get_stats(struct heap *h, struct heap_stats *st)
{
	struct heap_chunk *c;

	memset(st, 0, sizeof(*st));
	st->total = h->end - h->start;
	st->used = h->used;
	st->peak = h->peak;
	st->nr_allocs = h->nr_allocs;
	for (c = h->free_list; c; c = c->next) {
		if (!chunk_ok(h, c, false) || !next_free_ok(h, c)) {
			corrupt(h, c, "free chunk");
			break;
		}
		st->free += c->size;
		st->nr_free_chunks++;
		if (c->size - HDR_SIZE > st->largest_free)
			st->largest_free = c->size - HDR_SIZE;
	}
	st->corruptions = h->corruptions;
}
