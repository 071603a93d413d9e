// SPDX-License-Identifier: MIT
/*
 * Apply the image's R_AARCH64_RELATIVE relocations for the address it runs
 * at. The table is found through _DYNAMIC (DT_RELA/DT_RELASZ), which the
 * linker fills in last: symbols placed around .rela.dyn in the linker
 * script can be evaluated before the linker has sized it (seen with GNU ld
 * 2.40: __rela_end covered 206 of 384 entries). Runs before relocation with
 * the MMU off and again on the copy at the top of RAM, so it uses nothing
 * but its arguments: no globals, no stack canary, no library calls.
 */
#include "arm64.h"

/* From the ELF and AArch64 ELF ABIs (no <elf.h> in a freestanding build). */
#define DT_NULL 0
#define DT_RELA 7
#define DT_RELASZ 8
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

__no_canary void rela_range(const void *dynamic, uint64_t *start, uint64_t *end)
{
	const struct dyn *d;
	uint64_t rela = 0, relasz = 0;

	for (d = dynamic; d->tag != DT_NULL; d++) {
		if (d->tag == DT_RELA)
			rela = d->val;
		else if (d->tag == DT_RELASZ)
			relasz = d->val;
	}
	*start = rela;
	*end = rela + relasz;
}

__no_canary void relocate_image(uintptr_t base, const void *dynamic)
{
	const struct rela *r, *end;
	uint64_t start, stop;

	rela_range(dynamic, &start, &stop);
	r = (const struct rela *)(base + start);
	end = (const struct rela *)(base + stop);
	for (; r < end; r++) {
		/* check-relocs guarantees RELATIVE only; skip anything else defensively. */
		if ((uint32_t)r->info == R_AARCH64_RELATIVE)
			*(uint64_t *)(base + r->offset) = base + r->addend;
	}
}
