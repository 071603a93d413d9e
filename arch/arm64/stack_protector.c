// SPDX-License-Identifier: MIT
/*
 * -fstack-protector-strong support (also used by Debian's libfdt.a/libz.a).
 * The guard starts as a constant and is made unpredictable by
 * stack_guard_init() in a function that never returns, so no live frame
 * holds the old value.
 */
#include "arm64.h"

uintptr_t __stack_chk_guard = 0x5f3759df8c2a1e00UL;

__noreturn void __stack_chk_fail(void);
__noreturn void __stack_chk_fail(void)
{
	arch_fatal("stack smashing detected, return address",
		   (uintptr_t)__builtin_return_address(0));
}
