/* SPDX-License-Identifier: MIT */
/* Assembler helpers for the arm64 arch layer (included by .S files only). */
#ifndef ARM64_ASM_H
#define ARM64_ASM_H
/* clang-format off */

/* Address of a symbol, PC-relative (valid before and after relocation). */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#define ENTRY(name)		\
	.globl name;		\
	.hidden name;		\
	.type name, %function;	\
	name:

#define ENDPROC(name) .size name, . - name

/* clang-format on */
#endif
