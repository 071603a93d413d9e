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

/*
 * One 32-bit load or store of a device register, never merged, split or
 * reordered with another: Xen emulates its UART (vpl011) only for single
 * 32-bit accesses it can decode. The sandbox routes them to its simulated
 * devices.
 */
uint32_t arch_mmio_read32(uintptr_t addr);
void arch_mmio_write32(uintptr_t addr, uint32_t val);

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
 * What releases every device and Xen service when a run ends without an OS
 * (given once, by the init code above every layer). The sandbox calls it at
 * its process exit and then audits what its simulated Xen still holds. On
 * Xen nothing calls it: reset and poweroff leave the domain to Xen.
 */
void arch_set_release(int (*release)(void));

/*
 * Did start-up already write the version line to the console, before the
 * console layer existed (arm64: through the PV console ring as soon as the
 * MMU is on, before the copy to the top of RAM)? Then the banner leaves it
 * out, and bootstage already has the first console byte.
 */
bool arch_banner_printed(void);

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
/*
 * May the pages of [p, p + len) be granted to a backend? On Xen: if a grant
 * entry can name their frames (32 bits). In the sandbox: only guest RAM,
 * the one memory its backends can map (not the process's heap or .bss,
 * wherever the loader put them).
 */
bool arch_grantable(const void *p, size_t len);

/*
 * Make a page that Xen or dom0 shares with us outside RAM (a ring that an
 * HVM param points to, in the magic-pages region) accessible, as normal
 * write-back memory: it may have been given to us only after start-up.
 * 0 (already mapped is fine), or -errno if that cannot be: a page inside
 * our RAM, or beyond what we can map.
 */
int arch_map_xen_page(uint64_t pfn);

/*
 * A non-local return, for UEFI's Exit(): arch_setjmp() returns 0, and
 * again `val` (never 0) when arch_longjmp() is called with the same buffer
 * from a function it called. Callee-saved registers, the stack pointer and
 * the return address are kept (on arm64 d8-d15 too: EFI images use FP).
 */
struct arch_jmp_buf {
	uint64_t regs[22];
};
int arch_setjmp(struct arch_jmp_buf *jb) __attribute__((returns_twice));
__noreturn void arch_longjmp(struct arch_jmp_buf *jb, int val);

/*
 * Access rights of [start, start + size) of RAM (page aligned), for code
 * that pvboot did not build: EFI images and the memory they allocate.
 * 0, or -errno if the range is not mapped or the tables cannot be split.
 */
enum arch_mem_prot {
	ARCH_MEM_RW,  /* data: never executable */
	ARCH_MEM_RO,  /* read-only data */
	ARCH_MEM_RX,  /* code */
	ARCH_MEM_RWX, /* memory an EFI image allocated: it may load code there */
};
int arch_mem_protect(uint64_t start, uint64_t size, enum arch_mem_prot prot);

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
