// SPDX-License-Identifier: MIT
/*
 * Where may a load write? Only inside RAM bank 0 and below everything pvboot
 * itself occupies (image, heap, stack, the DT copy). The check runs before
 * any byte is read, so a refused load leaves memory untouched.
 */
#include <errno.h>
#include <stdio.h>
#include <pvboot/board.h>
#include <pvboot/fs.h>

struct lmb_region {
	const char *what;
	uint64_t start, end;
};

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

int lmb_check_load(uintptr_t addr, uint64_t len)
{
	const struct mem_bank *bank = &board.banks[0];
	uint64_t end = (uint64_t)addr + len;
	const struct lmb_region pvboot[] = {
	    {"pvboot's image", board.reloc_addr, board.image_end},
	    {"pvboot's heap", board.heap_start, board.heap_end},
	    {"pvboot's stack", board.stack_base, board.stack_top},
	    {"the device tree", board.fdt, board.fdt + board.fdt_size},
	};

	if (!len)
		return 0;
	if (!board.nr_banks || end < addr || addr < bank->start || end > bank->start + bank->size) {
		printf("** Reading file would overwrite memory outside RAM (bank 0: 0x%llx-0x%llx) "
		       "at 0x%llx-0x%llx **\n",
		       (unsigned long long)bank->start,
		       (unsigned long long)(bank->start + bank->size), (unsigned long long)addr,
		       (unsigned long long)end);
		return -EFAULT;
	}
	for (size_t i = 0; i < ARRAY_SIZE(pvboot); i++) {
		if (pvboot[i].end <= pvboot[i].start)
			continue;
		if (overlaps(addr, end, pvboot[i].start, pvboot[i].end)) {
			printf("** Reading file would overwrite %s at 0x%llx-0x%llx **\n",
			       pvboot[i].what, (unsigned long long)pvboot[i].start,
			       (unsigned long long)pvboot[i].end);
			return -EFAULT;
		}
	}
	if (board.reserved_start && end > board.reserved_start) {
		printf("** Reading file would overwrite memory reserved by pvboot at 0x%llx-0x%llx "
		       "(loads must end below 0x%llx) **\n",
		       (unsigned long long)board.reserved_start,
		       (unsigned long long)(bank->start + bank->size),
		       (unsigned long long)board.reserved_start);
		return -EFAULT;
	}
	return 0;
}
