/* SPDX-License-Identifier: MIT */
/*
 * Entry from Xen: EL1, MMU and D-cache off, x0 = device tree (guest-physical).
 * The first 64 bytes are a Linux arm64 Image header so that libxl loads
 * pvboot.bin like a kernel (Documentation/arch/arm64/booting.rst).
 */
#include "asm.h"

	.section .head.code, "ax"
	.globl	_start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */

	.section .head, "ax"
primary_entry:
	mov	x19, x0
	isb
	mrs	x20, cntvct_el0		/* entry time, for the start-up figure */
	/* Vectors and their own stack (SP_EL1) first: from here on a fault is reported. */
	adr_l	x1, vectors
	msr	vbar_el1, x1
	adr_l	x1, exception_stack_top
	mov	sp, x1
	/* FP/SIMD on: Debian's libz.a/libfdt.a may use it. */
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	/* Ordinary code runs on SP_EL0, so a stack overflow still gets a working handler. */
	adr_l	x1, early_stack_top
	msr	sp_el0, x1
	msr	spsel, #0

	/* Relocate to where we were loaded, before anything static is written. */
	adr_l	x0, __image_start
	mov	x1, x0			/* delta: the file is linked at 0 */
	adr_l	x2, _DYNAMIC
	adr_l	x3, __image_end
	sub	x3, x3, x0
	bl	relocate_image		/* pack-relocs checked every pointer: none is refused */

	/* .bss lies after .rela.dyn (checked at build time), so clear it now. */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	mov	x0, x19
	mov	x1, x20
	bl	early_setup
	b	.

/*
 * enter_image(entry, stack_top, arg): continue in the relocated copy, on its
 * stack. The caller wrote the copy through the D-cache and invalidated the
 * I-cache. (SP_EL0 is the current SP here: set it with mov, not msr.)
 */
ENTRY(enter_image)
	mov	sp, x1
	mov	x3, x0
	mov	x0, x2
	br	x3
ENDPROC(enter_image)

/* Per-image part of enter_image: runs in the copy, then calls relocated_setup(arg). */
ENTRY(relocated_entry)
	adr_l	x1, vectors
	msr	vbar_el1, x1
	msr	spsel, #1
	adr_l	x1, exception_stack_top
	mov	sp, x1
	msr	spsel, #0
	isb
	bl	relocated_setup
	b	.
ENDPROC(relocated_entry)

/* run_on_stack(stack_top, fn): call fn() on a new SP_EL0 stack; fn does not return. */
ENTRY(run_on_stack)
	mov	sp, x0
	blr	x1
	b	.
ENDPROC(run_on_stack)
