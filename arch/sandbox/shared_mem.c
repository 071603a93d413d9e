// SPDX-License-Identifier: MIT
/*
 * Memory that may be granted to a backend. A grant entry names a 32-bit
 * frame, and the simulated backends map only guest RAM, so pages shared with
 * them come from a region reserved at the top of guest RAM (below the DT
 * copy), never from glibc's heap. First fit over a page bitmap: a handful of
 * rings and pools per disk, allocated at connect and freed at disconnect.
 */
#include <string.h>
#include <pvboot/arch.h>
#include "sandbox.h"
#include "sim/sim.h"

#define MAX_PAGES (16u << 20 >> PAGE_SHIFT) /* 16 MiB at most */

static uintptr_t base;
static unsigned int nr_pages;
static uint8_t used[MAX_PAGES]; /* 0 free, 1 first page of a block, 2 continuation */

void sandbox_shared_init(uintptr_t start, size_t size)
{
	base = start;
	nr_pages = MIN(size >> PAGE_SHIFT, MAX_PAGES);
	memset(used, 0, sizeof(used));
}

void *arch_shared_alloc(size_t size)
{
	unsigned int n = DIV_ROUND_UP(size ? size : 1, PAGE_SIZE), run = 0;

	for (unsigned int i = 0; i < nr_pages; i++) {
		run = used[i] ? 0 : run + 1;
		if (run == n) {
			unsigned int first = i + 1 - n;
			void *p = (void *)(base + ((uintptr_t)first << PAGE_SHIFT));

			used[first] = 1;
			memset(used + first + 1, 2, n - 1);
			memset(p, 0, (size_t)n << PAGE_SHIFT);
			return p;
		}
	}
	return NULL;
}

void arch_shared_free(void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p;
	unsigned int i;

	if (!p)
		return;
	i = (a - base) >> PAGE_SHIFT;
	if (a < base || a % PAGE_SIZE || i >= nr_pages || used[i] != 1)
		return; /* not ours: nothing sane to do with it */
	used[i++] = 0;
	while (i < nr_pages && used[i] == 2)
		used[i++] = 0;
}

size_t sandbox_shared_free_bytes(void)
{
	size_t n = 0;

	for (unsigned int i = 0; i < nr_pages; i++)
		n += !used[i];
	return n << PAGE_SHIFT;
}

bool arch_grantable(const void *p, size_t len)
{
	const struct sim_layout *l = sim_get_layout();
	uintptr_t a = (uintptr_t)p;

	return len && a >= l->ram_base && a - l->ram_base < l->ram_size &&
	       len <= l->ram_size - (a - l->ram_base);
}
