// SPDX-License-Identifier: MIT
/* bdinfo: where pvboot and the guest's RAM are, and which Xen runs us. */
#include <stdio.h>
#include <pvboot/board.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/xen/hypervisor.h>

static void print_num(const char *name, uint64_t v)
{
	printf("%-12s= 0x%016llx\n", name, (unsigned long long)v);
}

static int do_bdinfo(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	for (unsigned int i = 0; i < board.nr_banks && i < BOARD_MAX_BANKS; i++) {
		print_num("DRAM bank", i);
		print_num("-> start", board.banks[i].start);
		print_num("-> size", board.banks[i].size);
		if (i > 0)
			printf("   (not used: pvboot uses bank 0 only)\n");
	}
	print_num("relocaddr", board.reloc_addr);
	print_num("image end", board.image_end);
	print_num("load addr", board.load_addr);
	print_num("fdt_blob", board.fdt);
	print_num("fdt_size", board.fdt_size);
	print_num("fdt_orig", board.fdt_orig);
	print_num("heap start", board.heap_start);
	print_num("heap end", board.heap_end);
	print_num("stack base", board.stack_base);
	print_num("stack top", board.stack_top);
	print_num("reserved", board.reserved_start);
	print_num("gnttab base", board.gnttab_base);
	print_num("gnttab size", board.gnttab_size);
	printf("%-12s= %u\n", "evtchn irq", board.evtchn_irq);
	printf("%-12s= %s\n", "Xen", xen_version_string());
	printf("%-12s= 0x%lx\n", "loadaddr", env_get_hex("loadaddr", 0));
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(bdinfo, 1, do_bdinfo, "print Board Info structure",
	   "\n    - RAM banks, where pvboot lives (relocation, heap, stack, DT), Xen version");
