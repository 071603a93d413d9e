/* SPDX-License-Identifier: MIT */
/*
 * arch_setjmp / arch_longjmp for x86_64 System V: rbx, rbp, r12-r15, rsp
 * and the return address. (glibc's setjmp cannot be wrapped in a function,
 * and the UEFI code must not include <setjmp.h>.)
 */
	.text
	.globl	arch_setjmp
	.type	arch_setjmp, @function
arch_setjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* rsp after our return */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* return address */
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size	arch_setjmp, . - arch_setjmp

	.globl	arch_longjmp_asm
	.type	arch_longjmp_asm, @function
arch_longjmp_asm:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	incl	%eax
1:	jmpq	*56(%rdi)
	.size	arch_longjmp_asm, . - arch_longjmp_asm

	.section .note.GNU-stack,"",@progbits
