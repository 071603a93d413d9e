/* SPDX-License-Identifier: MIT */
/*
 * The arch layer: the only code that knows whether pvboot runs on Xen
 * (arch/arm64) or as a Linux process with a simulated Xen (arch/sandbox).
 * Everything above it uses only this (docs/layering.md): no CONFIG_SANDBOX
 * or CONFIG_ARM64 test and no <pvboot/sandbox.h> outside arch/.
 */
#ifndef PVBOOT_ARCH_H
#define PVBOOT_ARCH_H

#include <pvboot/compiler.h>

/* Xen hypercall: number in x16, arguments x0-x4 ("hvc #0xEA1" on arm64). */
long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4);

/*
 * Called in every polling loop. On arm64 a "yield" hint; in the sandbox it
 * gives the simulated backends a chance to run (they are single-threaded).
 */
void arch_cpu_relax(void);

/* Memory barriers for rings shared with other domains (inner shareable). */
void arch_mb(void);
void arch_rmb(void);
void arch_wmb(void);

/* Free-running counter and its frequency (CNTVCT_EL0 / CNTFRQ_EL0). */
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);

/* Data cache maintenance by virtual address range. */
void arch_dcache_clean(const void *start, size_t len);
void arch_dcache_inval(void *start, size_t len);
void arch_dcache_flush(const void *start, size_t len); /* clean + invalidate */
void arch_icache_inval_all(void);

/* PSCI SYSTEM_RESET / SYSTEM_OFF; in the sandbox, exit the process. */
__noreturn void arch_reset(void);
__noreturn void arch_poweroff(void);

/*
 * Commands this run was started with, run instead of autoboot and the
 * prompt (the sandbox's -c "..."); NULL on Xen.
 */
const char *arch_startup_commands(void);

/*
 * The session is over (the start-up commands ran, or console input ended
 * for good): leave with status, 0 or 1 as a command returns it. The sandbox
 * exits with it (its tests read it); on Xen the domain powers off.
 */
__noreturn void arch_exit(int status);

/*
 * Jump to an arm64 Linux Image: caches cleaned, MMU off, x0 = dtb,
 * x1..x3 = 0. The sandbox reports the hand-off and exits.
 */
__noreturn void arch_boot_linux(uintptr_t entry, uintptr_t dtb);

/*
 * Page-aligned, zeroed memory that may be granted to a backend (rings,
 * indirect pages, bounce pools). On Xen any RAM will do (the heap); the
 * sandbox must hand out guest RAM, since its simulated backends can map
 * only guest frames, never glibc heap pages. NULL if none is left.
 */
void *arch_shared_alloc(size_t size);
void arch_shared_free(void *p, size_t size);

/* Guest-physical <-> pointer. pvboot runs identity mapped on both targets. */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline uint64_t virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline uint64_t virt_to_pfn(const void *p)
{
	return virt_to_phys(p) >> PAGE_SHIFT;
}

#endif
