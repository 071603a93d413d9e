/* SPDX-License-Identifier: MIT */
/*
 * Private interfaces of the arm64 arch layer. Code here may run before the
 * image is relocated: symbols are declared hidden so the compiler reaches
 * them PC-relative instead of through (not yet relocated) GOT entries.
 */
#ifndef ARM64_PRIV_H
#define ARM64_PRIV_H

#pragma GCC visibility push(hidden)

#include <pvboot/compiler.h>

#define read_sysreg(r)                                       \
	({                                                   \
		uint64_t __v;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(__v)); \
		__v;                                         \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#ifdef UNIT_TEST /* mmu.c and layout.c are also tested on the host */
#define isb() __asm__ volatile("" ::: "memory")
#define dsb(opt) __asm__ volatile("" ::: "memory")
#else
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#endif

#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)

/* Functions that run before relocation must not touch __stack_chk_guard. */
#define __no_canary __attribute__((no_stack_protector))

/* Linker script symbols (pvboot.lds), all relative to the image start. */
extern char __image_start[], __text_end[], __rodata_end[], _DYNAMIC[];
extern char __bss_start[], __bss_end[], __image_end[];
extern char early_stack_top[], exception_stack_top[];

static inline bool mmu_is_on(void)
{
	return read_sysreg(sctlr_el1) & SCTLR_M;
}

/* relocate.c */
/*
 * Relocate the image at base, whose pointers were last relocated for
 * base - delta (the link address 0 in the file) and so point into
 * [base - delta, base - delta + size]; returns how many did not (RELR).
 */
unsigned long relocate_image(uintptr_t base, uintptr_t delta, const void *dynamic, uintptr_t size);
/* Offsets of the relocation table in the image (DT_RELR, else DT_RELA). */
void reloc_range(const void *dynamic, uint64_t *start, uint64_t *end);

/* mmu.c: identity map. Existing valid entries are never replaced. */
enum map_type {
	MAP_NORMAL_RWX, /* only while starting up */
	MAP_NORMAL_RW,	/* RAM and memory shared with Xen: never executable */
	MAP_NORMAL_RX,	/* our code */
	MAP_NORMAL_RO,	/* our read-only data */
	MAP_DEVICE,	/* Device-nGnRnE, never executable */
};
void mmu_reset(void);
int mmu_map(uint64_t pa, uint64_t size, enum map_type type);
/* Change the rights of mapped Normal memory; splits blocks as needed. */
int mmu_protect(uint64_t pa, uint64_t size, enum map_type type);
void mmu_tlb_flush(void); /* after changing live entries */
uint64_t mmu_root(void);
unsigned int mmu_tables_used(void);

/* cache.S / start.S helpers */
void mmu_enable(uint64_t ttbr0, uint64_t tcr, uint64_t mair);
void mmu_switch(uint64_t ttbr0); /* MMU briefly off: no TLB conflicts */
__noreturn void enter_image(uintptr_t entry, uintptr_t stack_top, uintptr_t arg);
void relocated_entry(uintptr_t arg);
__noreturn void run_on_stack(uintptr_t stack_top, void (*fn)(void));
__noreturn void boot_linux_tail(uintptr_t entry, uintptr_t dtb);
long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3);

/* earlycon.c: the PV console ring driven directly, for crash reports. */
int earlycon_init(void);
void earlycon_write(const char *s, size_t len);
void earlycon_drain(void);
void earlycon_register(void); /* output-only console_dev, see earlycon.c */
int early_hvm_param(unsigned int idx, uint64_t *value);
__noreturn void xen_crash_domain(void);

/* traps.c */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, far;
};
__noreturn void trap_handler(struct trap_frame *f, unsigned long vector);
__noreturn void arch_fatal(const char *what, uint64_t value);

/* setup.c */
__noreturn void early_setup(uintptr_t dtb, uint64_t entry_ticks);
__noreturn void relocated_setup(uintptr_t dtb_orig);

#pragma GCC visibility pop

#endif
