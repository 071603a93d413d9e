// SPDX-License-Identifier: MIT
/*
 * Device register access. A plain "ldr/str wN, [xM]": Xen can emulate a
 * trapped access only if the instruction is a single load or store with a
 * valid syndrome (no writeback, no pair), which the compiler does not
 * promise for a volatile pointer. The mapping (Device-nGnRnE) keeps device
 * accesses in order.
 */
#include <pvboot/arch.h>

uint32_t arch_mmio_read32(uintptr_t addr)
{
	uint32_t val;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(val) : "r"(addr) : "memory");
	return val;
}

void arch_mmio_write32(uintptr_t addr, uint32_t val)
{
	__asm__ volatile("str %w0, [%1]" ::"r"(val), "r"(addr) : "memory");
}
