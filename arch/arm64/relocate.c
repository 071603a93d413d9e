// SPDX-License-Identifier: MIT
/*
 * Apply the image's R_AARCH64_RELATIVE relocations for the address it runs
 * at. Runs before relocation with the MMU off (first call) and again on the
 * copy at the top of RAM, so it uses nothing but its arguments: no globals,
 * no stack canary, no library calls, aligned 64-bit stores only.
 */
#include "arm64.h"

/* From the AArch64 ELF ABI (no <elf.h> in a freestanding build). */
#define R_AARCH64_RELATIVE 1027

struct rela {
	uint64_t offset;
	uint64_t info;
	int64_t addend;
};

__no_canary void relocate_image(uintptr_t base, const void *rela, const void *rela_end)
{
	const struct rela *r = rela;

	for (; r < (const struct rela *)rela_end; r++) {
		/* check-relocs guarantees RELATIVE only; skip anything else defensively. */
		if ((uint32_t)r->info != R_AARCH64_RELATIVE)
			continue;
		*(uint64_t *)(base + r->offset) = base + r->addend;
	}
}
