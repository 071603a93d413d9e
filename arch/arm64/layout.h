/* SPDX-License-Identifier: MIT */
/* Where pvboot puts itself in RAM bank 0 (pure arithmetic, unit-tested on the host). */
#ifndef ARM64_LAYOUT_H
#define ARM64_LAYOUT_H

#include <pvboot/board.h>
#include "arm64.h"

struct layout_req {
	uint64_t ram_start, ram_size; /* bank 0 */
	uint64_t cur_start, cur_end;  /* the running image: must not be overwritten */
	uint64_t image_mem;	      /* bytes the copy needs (code to end of stacks) */
	uint64_t fdt_size;	      /* totalsize of the device tree */
	uint64_t heap_max;	      /* wanted heap, capped to a quarter of RAM */
	uint64_t stack_size;
	uint64_t keep_start, keep_end; /* an initrd to keep if possible (/chosen), or 0 */
};

/* Room left after the DT for fixups (bootargs, initrd, ...). */
#define LAYOUT_FDT_SLACK (64 * 1024)

/*
 * From the top of bank 0 (or just below the keep range, when there is room
 * there) down: image | stack | guard page (unmapped) | heap | DT copy. Fills reloc_addr, image_end,
 * stack_*, heap_*, fdt, fdt_size and reserved_start of b. Returns 0, or -ENOMEM if it does not fit
 * above the running image, -EINVAL for nonsense input.
 */
int layout_plan(const struct layout_req *r, struct board_info *b);

/*
 * Staying where Xen loaded us (no usable RAM in the DT, or too little to
 * move): image at base | guard page (unmapped) | stack | heap, and the DT
 * where Xen put it. Fills the placement fields of b (RAM banks and
 * /hypervisor are left as they are); everything from base up is reserved.
 */
void layout_in_place(uintptr_t base, uint64_t image_mem, uint64_t stack_size, uint64_t heap_size,
		     uintptr_t dtb, uint32_t fdt_size, struct board_info *b);

/* map.c: RAM bank 0 without the stack guard page. 0 or -errno from mmu_map(). */
int map_board_ram(const struct board_info *b, enum map_type type);
/* map.c: what a board laid out in place uses besides the image and the DT. */
int map_in_place(const struct board_info *b);

#endif
