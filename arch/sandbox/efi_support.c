// SPDX-License-Identifier: MIT
/*
 * What UEFI needs of the sandbox arch: code in guest RAM runs natively, so
 * page protections are real mprotect() calls; a long jump tells
 * AddressSanitizer that the frames it skips are gone.
 */
#include <errno.h>
#include <sys/mman.h>
#include <pvboot/arch.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#endif

void arch_longjmp_asm(struct arch_jmp_buf *jb, int val) __attribute__((noreturn));

__noreturn void arch_longjmp(struct arch_jmp_buf *jb, int val)
{
#ifdef __SANITIZE_ADDRESS__
	__asan_handle_no_return();
#endif
	arch_longjmp_asm(jb, val);
}

int arch_mem_protect(uint64_t start, uint64_t size, enum arch_mem_prot prot)
{
	static const int map[] = {
	    [ARCH_MEM_RW] = PROT_READ | PROT_WRITE,
	    [ARCH_MEM_RO] = PROT_READ,
	    [ARCH_MEM_RX] = PROT_READ | PROT_EXEC,
	    [ARCH_MEM_RWX] = PROT_READ | PROT_WRITE | PROT_EXEC,
	};

	if (start % PAGE_SIZE || size % PAGE_SIZE || (unsigned int)prot >= 4)
		return -EINVAL;
	return mprotect((void *)(uintptr_t)start, size, map[prot]) ? -errno : 0;
}
