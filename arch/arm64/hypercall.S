/* SPDX-License-Identifier: MIT */
/* Calls into Xen: hypercalls and PSCI (SMCCC over HVC). */
#include "asm.h"

	.text
/*
 * long arch_hypercall(op, a0, a1, a2, a3, a4): Xen's ARM ABI takes the
 * number in x16 and the arguments in x0-x4 and returns in x0.
 */
ENTRY(arch_hypercall)
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#0xEA1
	ret
ENDPROC(arch_hypercall)

/* long psci_call(fn, a1, a2, a3): SMC Calling Convention through HVC #0. */
ENTRY(psci_call)
	hvc	#0
	ret
ENDPROC(psci_call)
