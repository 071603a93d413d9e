/* SPDX-License-Identifier: MIT */
/*
 * Data cache maintenance by VA (set/way operations are not for guests) and
 * I-cache invalidation. Line size from CTR_EL0.DminLine.
 */
#include "asm.h"

	.text
/* x2 = smallest D-cache line size; x0 aligned down to it; x1 = end. Clobbers x3. */
.macro dline_setup
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	add	x1, x0, x1
	sub	x3, x2, #1
	bic	x0, x0, x3
.endm

.macro dcache_range, op
	dline_setup
1:	cmp	x0, x1
	b.hs	2f
	dc	\op, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret
.endm

/* void arch_dcache_clean(const void *start, size_t len): to the point of coherency */
ENTRY(arch_dcache_clean)
	dcache_range cvac
ENDPROC(arch_dcache_clean)

/*
 * void arch_dcache_inval(void *start, size_t len). Partial lines at either end
 * are cleaned and invalidated so that bytes outside the range are not lost.
 * (Under a hypervisor DC IVAC may act as DC CIVAC anyway.)
 */
ENTRY(arch_dcache_inval)
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3
	add	x1, x0, x1
	sub	x3, x2, #1
	tst	x0, x3
	b.eq	1f
	bic	x0, x0, x3
	dc	civac, x0
	add	x0, x0, x2
1:	tst	x1, x3
	b.eq	2f
	bic	x1, x1, x3
	cmp	x1, x0
	b.lo	2f
	dc	civac, x1
2:	cmp	x0, x1
	b.hs	3f
	dc	ivac, x0
	add	x0, x0, x2
	b	2b
3:	dsb	sy
	ret
ENDPROC(arch_dcache_inval)

/* void arch_dcache_flush(const void *start, size_t len): clean + invalidate */
ENTRY(arch_dcache_flush)
	dcache_range civac
ENDPROC(arch_dcache_flush)

/* void arch_icache_inval_all(void) */
ENTRY(arch_icache_inval_all)
	dsb	ish
	ic	iallu
	dsb	ish
	isb
	ret
ENDPROC(arch_icache_inval_all)
