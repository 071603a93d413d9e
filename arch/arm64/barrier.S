/* SPDX-License-Identifier: MIT */
/* Barriers for rings shared with other domains (inner shareable) and the polling hint. */
#include "asm.h"

	.text
ENTRY(arch_mb)
	dmb	ish
	ret
ENDPROC(arch_mb)

ENTRY(arch_rmb)
	dmb	ishld
	ret
ENDPROC(arch_rmb)

ENTRY(arch_wmb)
	dmb	ishst
	ret
ENDPROC(arch_wmb)

ENTRY(arch_cpu_relax)
	yield
	ret
ENDPROC(arch_cpu_relax)
