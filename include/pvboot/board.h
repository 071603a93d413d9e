/* SPDX-License-Identifier: MIT */
/* What the arch layer learnt about this guest before common code runs. */
#ifndef PVBOOT_BOARD_H
#define PVBOOT_BOARD_H

#include <pvboot/compiler.h>

#define BOARD_MAX_BANKS 4

struct mem_bank {
	uint64_t start;
	uint64_t size;
};

struct board_info {
	/*
	 * RAM from /memory. Only bank 0 is used: pvboot, its load addresses
	 * and the gate all live there (a second bank is reported, not used).
	 */
	struct mem_bank banks[BOARD_MAX_BANKS];
	unsigned int nr_banks;

	/* /hypervisor: reg[0] is where grant-table frames may be mapped. */
	uint64_t gnttab_base;
	uint64_t gnttab_size;
	uint32_t evtchn_irq; /* GIC intid of the event upcall (PPI), info only */

	/* Where things are (guest-physical == virtual). */
	uintptr_t fdt;	      /* our safe copy of the DT Xen gave us */
	size_t fdt_size;      /* size of the space reserved for it (room for fixups) */
	uintptr_t fdt_orig;   /* where Xen put it (x0 at entry) */
	uintptr_t load_addr;  /* where Xen loaded pvboot.bin */
	uintptr_t reloc_addr; /* where pvboot runs after relocating */
	uintptr_t image_end;  /* end of code+data+bss at reloc_addr */
	uintptr_t heap_start, heap_end;
	uintptr_t stack_base, stack_top;

	/* Lowest address pvboot itself occupies (heap/stack/fdt/image): loads must stay below. */
	uintptr_t reserved_start;
};

/*
 * The one instance, filled by the arch layer, which hands it to
 * pvboot_main(). Outside arch/ only init/main.c reads it, and passes each
 * service the part it needs (docs/layering.md: the check enforces it).
 */
extern struct board_info board;

/*
 * Parse RAM and /hypervisor from a DT into board. Returns 0 or -errno with
 * a message already logged (early log if the console is not up yet).
 */
int board_parse_fdt(const void *fdt, struct board_info *bi);

/* Common entry, called by the arch layer once memory, MMU and stack are set up. */
__noreturn void pvboot_main(const struct board_info *bi);

#endif
