// SPDX-License-Identifier: MIT
/*
 * Apply the image's relative relocations for the address it runs at. The
 * table is found through _DYNAMIC, which the linker fills in last: symbols
 * placed around it in the linker script can be evaluated before the linker
 * has sized it (seen with GNU ld 2.40: __rela_end covered 206 of 384
 * entries). The linker writes DT_RELA (R_AARCH64_RELATIVE entries, 24 bytes
 * each); scripts/pack-relocs turns that into DT_RELR in pvboot.bin (a word
 * per run of up to 63 pointers, as in the ELF gABI's SHT_RELR), which
 * GNU ld 2.40 cannot write for AArch64.
 * Runs before relocation with the MMU off and again on the copy at the top
 * of RAM, so it uses nothing but its arguments: no globals, no stack
 * canary, no library calls.
 */
#include "arm64.h"

/* From the ELF gABI and the AArch64 ELF ABI (no <elf.h> in a freestanding build). */
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELRSZ 35
#define DT_RELR 36
#define R_AARCH64_RELATIVE 1027

struct dyn {
	int64_t tag;
	uint64_t val;
};

struct rela {
	uint64_t offset;
	uint64_t info;
	int64_t addend;
};

struct tables {
	uint64_t rela, relasz, relr, relrsz;
};

static __no_canary void find_tables(const void *dynamic, struct tables *t)
{
	const struct dyn *d;

	t->rela = t->relasz = t->relr = t->relrsz = 0;
	for (d = dynamic; d->tag != DT_NULL; d++) {
		if (d->tag == DT_RELA)
			t->rela = d->val;
		else if (d->tag == DT_RELASZ)
			t->relasz = d->val;
		else if (d->tag == DT_RELR)
			t->relr = d->val;
		else if (d->tag == DT_RELRSZ)
			t->relrsz = d->val;
	}
}

__no_canary void reloc_range(const void *dynamic, uint64_t *start, uint64_t *end)
{
	struct tables t;

	find_tables(dynamic, &t);
	/* pack-relocs leaves one of the two tables. */
	*start = t.relrsz ? t.relr : t.rela;
	*end = t.relrsz ? t.relr + t.relrsz : t.rela + t.relasz;
}

/*
 * RELR: each pointer holds its link-time value plus what it was relocated
 * by so far; add delta. One that no longer points into the image it was
 * relocated for was changed at run time: it is left alone and counted.
 */
static __no_canary unsigned long relr_add(uint64_t *p, uintptr_t delta, uintptr_t lo, uintptr_t hi)
{
	if (*p < lo || *p > hi)
		return 1;
	*p += delta;
	return 0;
}

__no_canary unsigned long relocate_image(uintptr_t base, uintptr_t delta, const void *dynamic,
					 uintptr_t size)
{
	uintptr_t lo = base - delta, hi = lo + size;
	unsigned long bad = 0;
	uint64_t *where = 0;
	struct tables t;

	find_tables(dynamic, &t);
	for (const struct rela *r = (void *)(base + t.rela); t.relasz >= sizeof(*r);
	     r++, t.relasz -= sizeof(*r)) {
		/* check-relocs guarantees RELATIVE only; skip anything else defensively. */
		if ((uint32_t)r->info == R_AARCH64_RELATIVE)
			*(uint64_t *)(base + r->offset) = base + r->addend;
	}
	for (const uint64_t *e = (void *)(base + t.relr); t.relrsz >= sizeof(*e);
	     e++, t.relrsz -= sizeof(*e)) {
		if (!(*e & 1)) { /* an address: relocate it, a bitmap may follow */
			where = (uint64_t *)(base + *e);
			bad += relr_add(where++, delta, lo, hi);
			continue;
		}
		for (uint64_t bits = *e >> 1, i = 0; bits && where; bits >>= 1, i++)
			if (bits & 1)
				bad += relr_add(where + i, delta, lo, hi);
		if (where)
			where += 63;
	}
	return bad;
}
