// SPDX-License-Identifier: MIT
/*
 * Identity-mapped stage-1 translation: 4K granule, 39-bit VA (T0SZ = 25),
 * walk starting at level 1. Tables come from a fixed pool inside the image,
 * so each copy of pvboot (at the load address, then at the top of RAM) owns
 * its own. A mapping never replaces a valid entry: ranges mapped first keep
 * their attributes, which is how the image gets W^X inside the RAM map and
 * how a hole (the stack guard page) stays unmapped. mmu_protect() changes
 * the rights of what is mapped, splitting blocks into pages where needed.
 */
#include <errno.h>
#include "arm64.h"

#define VA_BITS 39
#define PT_ENTRIES 512
/* Start-up needs about 10; the rest is for splitting blocks under EFI images (mmu_protect). */
#define POOL_TABLES 40

#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1) /* at levels 1-2; a level-3 page has it too */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_RO (1UL << 7) /* AP[2] */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL
#define PTE_PERM_MASK (PTE_RO | PTE_PXN | PTE_UXN)

/* MAIR_EL1 indexes, see mmu_mair() */
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1

static uint64_t pool[POOL_TABLES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pool_used;

static uint64_t *table_alloc(void)
{
	uint64_t *t;

	if (pool_used == POOL_TABLES)
		return NULL;
	t = pool[pool_used++];
	for (int i = 0; i < PT_ENTRIES; i++)
		t[i] = 0;
	return t;
}

void mmu_reset(void)
{
	pool_used = 0;
	table_alloc(); /* pool[0] is the level-1 root */
}

uint64_t mmu_root(void)
{
	return (uint64_t)(uintptr_t)pool[0];
}

unsigned int mmu_tables_used(void)
{
	return pool_used;
}

static uint64_t leaf_attrs(enum map_type type)
{
	uint64_t nx = PTE_PXN | PTE_UXN;
	uint64_t normal = PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN;

	switch (type) {
	case MAP_NORMAL_RWX:
		return normal;
	case MAP_NORMAL_RW:
		return normal | nx;
	case MAP_NORMAL_RX:
		return normal | PTE_RO;
	case MAP_NORMAL_RO:
		return normal | PTE_RO | nx;
	case MAP_DEVICE:
	default:
		return PTE_ATTR(ATTR_DEVICE) | PTE_AF | nx;
	}
}

/* Map [va, end) into `table` at `level` (1..3) with leaf attributes `attrs`. */
static int map_level(uint64_t *table, int level, uint64_t va, uint64_t end, uint64_t attrs)
{
	unsigned int shift = 12 + 9 * (3 - level);
	uint64_t span = 1UL << shift;

	while (va < end) {
		uint64_t next = (va & ~(span - 1)) + span;
		uint64_t *e = &table[(va >> shift) % PT_ENTRIES];
		int err;

		if (next > end)
			next = end;
		if (level == 3) {
			if (!(*e & PTE_VALID))
				*e = va | attrs | PTE_VALID | PTE_TABLE;
		} else if (!(*e & PTE_VALID) && next - va == span) {
			*e = va | attrs | PTE_VALID; /* a whole 1 GiB / 2 MiB block */
		} else if (!(*e & PTE_VALID) || (*e & PTE_TABLE)) {
			if (!(*e & PTE_VALID)) {
				uint64_t *t = table_alloc();

				if (!t)
					return -ENOMEM;
				*e = (uint64_t)(uintptr_t)t | PTE_VALID | PTE_TABLE;
			}
			err = map_level((uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK), level + 1, va,
					next, attrs);
			if (err)
				return err;
		} /* else: an existing block already maps it, keep it */
		va = next;
	}
	return 0;
}

int mmu_map(uint64_t pa, uint64_t size, enum map_type type)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);
	int err;

	if (!size)
		return 0;
	if (end <= start || end > (1UL << VA_BITS))
		return -ERANGE;
	err = map_level(pool[0], 1, start, end, leaf_attrs(type));
	/* Make the new entries visible to the table walker (it snoops the D-cache). */
	dsb(ishst);
	isb();
	return err;
}

/* A block entry becomes a table of 512 entries with the same attributes. */
static int split_block(uint64_t *e, int level)
{
	unsigned int child_shift = 12 + 9 * (3 - (level + 1));
	uint64_t attrs = *e & ~PTE_ADDR_MASK, base = *e & PTE_ADDR_MASK;
	uint64_t *t = table_alloc();

	if (!t)
		return -ENOMEM;
	for (int i = 0; i < PT_ENTRIES; i++)
		t[i] = (base + ((uint64_t)i << child_shift)) | attrs |
		       (level + 1 == 3 ? PTE_TABLE : 0);
	/* Break before make: the walker must never see two translations at once. */
	dsb(ishst);
	WRITE_ONCE(*e, 0);
	mmu_tlb_flush();
	WRITE_ONCE(*e, (uint64_t)(uintptr_t)t | PTE_VALID | PTE_TABLE);
	dsb(ishst);
	return 0;
}

static int protect_level(uint64_t *table, int level, uint64_t va, uint64_t end, uint64_t perm)
{
	unsigned int shift = 12 + 9 * (3 - level);
	uint64_t span = 1UL << shift;

	while (va < end) {
		uint64_t next = MIN((va & ~(span - 1)) + span, end);
		uint64_t *e = &table[(va >> shift) % PT_ENTRIES];
		int err;

		if (!(*e & PTE_VALID))
			return -EFAULT;
		if (level == 3 || (!(*e & PTE_TABLE) && next - va == span)) {
			WRITE_ONCE(*e, (*e & ~PTE_PERM_MASK) | perm);
		} else {
			if (!(*e & PTE_TABLE) && (err = split_block(e, level)))
				return err;
			err = protect_level((uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK), level + 1,
					    va, next, perm);
			if (err)
				return err;
		}
		va = next;
	}
	return 0;
}

/* Blocks of `level` that [va, end) covers only in part: each needs a table when split. */
static unsigned int partial_blocks(int level, uint64_t va, uint64_t end)
{
	uint64_t span = 1UL << (12 + 9 * (3 - level));
	uint64_t first = ALIGN_DOWN(va, span), last = ALIGN_DOWN(end - 1, span);

	if (level == 3)
		return 0;
	if (first == last)
		return va != first || end != first + span;
	return (va != first) + (end != last + span);
}

/* Tables protect_level() will take from the pool for [va, end). */
static unsigned int tables_needed(const uint64_t *table, int level, uint64_t va, uint64_t end)
{
	unsigned int shift = 12 + 9 * (3 - level), n = 0;
	uint64_t span = 1UL << shift;

	while (va < end) {
		uint64_t next = MIN((va & ~(span - 1)) + span, end);
		uint64_t e = table[(va >> shift) % PT_ENTRIES];

		if (level < 3 && (e & PTE_VALID) && next - va != span) {
			if (e & PTE_TABLE)
				n += tables_needed((const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK),
						   level + 1, va, next);
			else
				n += 1 + partial_blocks(level + 1, va, next);
		}
		va = next;
	}
	return n;
}

int mmu_protect(uint64_t pa, uint64_t size, enum map_type type)
{
	uint64_t perm = leaf_attrs(type) & PTE_PERM_MASK;
	int err;

	if (type == MAP_DEVICE || pa % PAGE_SIZE || size % PAGE_SIZE || pa + size < pa ||
	    pa + size > (1UL << VA_BITS))
		return -EINVAL;
	/* All or nothing: never leave a range half changed for want of a table. */
	if (tables_needed(pool[0], 1, pa, pa + size) > POOL_TABLES - pool_used)
		return -ENOMEM;
	err = protect_level(pool[0], 1, pa, pa + size, perm);
	mmu_tlb_flush();
	return err;
}
