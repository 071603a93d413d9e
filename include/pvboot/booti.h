/* SPDX-License-Identifier: MIT */
/* Booting an arm64 Linux Image: shared by `booti`, extlinux and scripts. */
#ifndef PVBOOT_BOOTI_H
#define PVBOOT_BOOTI_H

#include <pvboot/compiler.h>

struct booti_args {
	uintptr_t kernel;    /* where the Image (or gzip'd Image) was loaded */
	uint64_t kernel_len; /* bytes loaded there, 0 = unknown */
	uintptr_t initrd;    /* 0 = none */
	uint64_t initrd_len;
	uintptr_t fdt;	      /* 0 = fdtcontroladdr (the DT Xen gave us) */
	const char *bootargs; /* NULL = env bootargs, else keep the DT's own */
};

/*
 * Check everything, place the kernel, fix up the DT, quiesce devices and jump.
 * Returns only on failure (-errno) with a message printed; nothing is torn
 * down if the checks fail.
 */
int booti_boot(const struct booti_args *args);

/* DT fixups for the OS: /chosen bootargs and initrd. 0 or -errno. */
int fdt_fixup_chosen(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end);

#endif
