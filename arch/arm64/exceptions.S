/* SPDX-License-Identifier: MIT */
/*
 * Exception vectors. pvboot takes no interrupts and expects no exceptions:
 * every entry saves the registers into a struct trap_frame on the exception
 * stack (SP_EL1; ordinary code runs on SP_EL0, so a stack overflow can still
 * be reported) and calls trap_handler(), which reports and stops the domain.
 */
#include "asm.h"

#define FRAME_SIZE	(36 * 8)	/* struct trap_frame */

.macro ventry, idx
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\idx
	b	trap_entry
.endm

	.section .text.vectors, "ax"
	.balign	2048
ENTRY(vectors)
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* irq */
	ventry	2	/* fiq */
	ventry	3	/* serror */
	ventry	4	/* current EL, SP_EL1: sync */
	ventry	5
	ventry	6
	ventry	7
	ventry	8	/* lower EL, AArch64 */
	ventry	9
	ventry	10
	ventry	11
	ventry	12	/* lower EL, AArch32 */
	ventry	13
	ventry	14
	ventry	15
ENDPROC(vectors)

trap_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, sp_el0
	stp	x30, x1, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #272]
	mov	x1, x0
	mov	x0, sp
	mov	x29, #0		/* end of the frame chain for a debugger */
	bl	trap_handler
	b	.
