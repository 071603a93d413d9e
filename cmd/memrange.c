// SPDX-License-Identifier: MIT
/* Keep the memory commands inside RAM, and writes off pvboot itself. */
#include <stdio.h>
#include <pvboot/board.h>
#include "memrange.h"

bool mem_range_ok(uint64_t addr, uint64_t len, bool write)
{
	uint64_t start = board.banks[0].start;
	uint64_t end = start + board.banks[0].size;
	uint64_t limit = end;

	if (write && board.reserved_start > start && board.reserved_start < end)
		limit = board.reserved_start;
	if (addr < start || addr > end || len > end - addr) {
		printf("## Error: 0x%llx..+0x%llx is outside RAM (0x%llx..0x%llx)\n",
		       (unsigned long long)addr, (unsigned long long)len, (unsigned long long)start,
		       (unsigned long long)(end - 1));
		return false;
	}
	/* The page below the stack is left unmapped to catch overflows: reading it faults. */
	if (board.stack_base && addr < board.stack_base &&
	    addr + len > board.stack_base - PAGE_SIZE) {
		printf("## Error: 0x%llx..+0x%llx touches the stack guard page at 0x%llx\n",
		       (unsigned long long)addr, (unsigned long long)len,
		       (unsigned long long)(board.stack_base - PAGE_SIZE));
		return false;
	}
	if (write && addr + len > limit) {
		printf("## Error: 0x%llx..+0x%llx would overwrite pvboot (from 0x%llx)\n",
		       (unsigned long long)addr, (unsigned long long)len,
		       (unsigned long long)limit);
		return false;
	}
	return true;
}
