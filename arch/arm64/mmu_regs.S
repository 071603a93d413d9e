/* SPDX-License-Identifier: MIT */
/* Turning the MMU on, and moving it to new tables. */
#include "asm.h"

#define SCTLR_MMU_CACHES	((1 << 0) | (1 << 2) | (1 << 12))	/* M, C, I */
#define SCTLR_ALIGN_CHECK	(1 << 1)				/* A */

	.text
/*
 * void mmu_enable(ttbr0, tcr, mair). The caller has invalidated, by VA, all
 * memory written with the caches off that will now be read through them.
 */
ENTRY(mmu_enable)
	msr	mair_el1, x2
	msr	tcr_el1, x1
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x0, sctlr_el1
	mov	x1, #SCTLR_MMU_CACHES
	orr	x0, x0, x1
	bic	x0, x0, #SCTLR_ALIGN_CHECK
	msr	sctlr_el1, x0
	isb
	ret
ENDPROC(mmu_enable)

/* void mmu_tlb_flush(void): table updates visible, stale translations gone. */
ENTRY(mmu_tlb_flush)
	dsb	ishst
	tlbi	vmalle1
	dsb	nsh
	isb
	ret
ENDPROC(mmu_tlb_flush)

/*
 * void mmu_switch(ttbr0): both old and new tables identity-map the running
 * code, but with different block sizes; turning translation off for the
 * switch (no memory accesses in between) avoids TLB conflict aborts.
 */
ENTRY(mmu_switch)
	dsb	ish
	mrs	x1, sctlr_el1
	bic	x2, x1, #1
	msr	sctlr_el1, x2
	isb
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x1
	isb
	ret
ENDPROC(mmu_switch)

/*
 * boot_linux_tail(entry, dtb): interrupts masked, MMU and caches off, no
 * memory access after that, then into the kernel with x0 = dtb, x1-x3 = 0
 * and SP_EL1 selected as a firmware would leave it.
 */
ENTRY(boot_linux_tail)
	msr	daifset, #0xf
	mov	x4, x0
	mrs	x2, sctlr_el1
	mov	x3, #SCTLR_MMU_CACHES
	bic	x2, x2, x3
	msr	sctlr_el1, x2
	isb
	ic	iallu
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	spsel, #1
	mov	x0, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x4
ENDPROC(boot_linux_tail)
