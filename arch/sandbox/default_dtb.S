/* SPDX-License-Identifier: MIT */
/* The built-in device tree, compiled from sandbox.dts by dtc at build time. */
	.section .rodata
	.balign 8
	.globl sandbox_default_dtb
sandbox_default_dtb:
	.incbin SANDBOX_DTB_PATH
	.globl sandbox_default_dtb_end
sandbox_default_dtb_end:
	.section .note.GNU-stack, "", %progbits
