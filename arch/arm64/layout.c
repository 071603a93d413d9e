// SPDX-License-Identifier: MIT
/* Placement of the relocated image, stack, heap and DT copy at the top of RAM bank 0. */
#include <errno.h>
#include "layout.h"

int layout_plan(const struct layout_req *r, struct board_info *b)
{
	uint64_t ram_end = ALIGN_DOWN(r->ram_start + r->ram_size, PAGE_SIZE);
	uint64_t image = ALIGN_UP(r->image_mem, PAGE_SIZE);
	uint64_t stack = ALIGN_UP(r->stack_size, PAGE_SIZE);
	uint64_t heap = ALIGN_DOWN(MIN(r->heap_max, r->ram_size / 4), PAGE_SIZE);
	uint64_t fdt = ALIGN_UP(r->fdt_size + LAYOUT_FDT_SLACK, PAGE_SIZE);
	uint64_t need = image + stack + PAGE_SIZE + heap + fdt;

	if (!r->ram_size || r->ram_start + r->ram_size < r->ram_start || !image || !stack ||
	    !heap || !r->fdt_size)
		return -EINVAL;
	if (ram_end < r->ram_start + need)
		return -ENOMEM;
	/* Stay below an initrd libxl put at the top of RAM, if there is room. */
	if (r->keep_end > r->keep_start && r->keep_start < ram_end &&
	    r->keep_end > ram_end - need) {
		uint64_t below = ALIGN_DOWN(r->keep_start, PAGE_SIZE);

		if (below >= r->ram_start + need &&
		    !(below - need < r->cur_end && r->cur_start < below))
			ram_end = below;
	}
	/* Everything is copied from the running image: the areas must not overlap. */
	if (ram_end - need < r->cur_end && r->cur_start < ram_end)
		return -ENOMEM;

	b->reloc_addr = ram_end - image;
	b->image_end = b->reloc_addr + r->image_mem;
	b->stack_top = b->reloc_addr;
	b->stack_base = b->stack_top - stack;
	b->heap_end = b->stack_base - PAGE_SIZE; /* the guard page stays unmapped */
	b->heap_start = b->heap_end - heap;
	b->fdt = b->heap_start - fdt;
	b->fdt_size = fdt;
	b->reserved_start = b->fdt;
	return 0;
}

void layout_in_place(uintptr_t base, uint64_t image_mem, uint64_t stack_size, uint64_t heap_size,
		     uintptr_t dtb, uint32_t fdt_size, struct board_info *b)
{
	b->fdt = b->fdt_orig = dtb;
	b->fdt_size = fdt_size;
	b->load_addr = b->reloc_addr = b->reserved_start = base;
	b->image_end = base + image_mem;
	b->stack_base = ALIGN_UP(b->image_end, PAGE_SIZE) + PAGE_SIZE; /* guard page below */
	b->stack_top = b->stack_base + ALIGN_UP(stack_size, PAGE_SIZE);
	b->heap_start = b->stack_top;
	b->heap_end = b->heap_start + heap_size;
}
