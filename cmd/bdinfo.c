// SPDX-License-Identifier: MIT
/* bdinfo: where pvboot and the guest's RAM are, and which Xen runs us. */
#include <stdio.h>
#include <pvboot/bdinfo.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/xen/hypervisor.h>

static const struct board_info *bd; /* set before the shell runs */

void bdinfo_set_board(const struct board_info *bi)
{
	bd = bi;
}

static void print_num(const char *name, uint64_t v)
{
	printf("%-12s= 0x%016llx\n", name, (unsigned long long)v);
}

static int do_bdinfo(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	for (unsigned int i = 0; i < bd->nr_banks && i < BOARD_MAX_BANKS; i++) {
		print_num("DRAM bank", i);
		print_num("-> start", bd->banks[i].start);
		print_num("-> size", bd->banks[i].size);
		if (i > 0)
			printf("   (not used: pvboot uses bank 0 only)\n");
	}
	print_num("relocaddr", bd->reloc_addr);
	print_num("image end", bd->image_end);
	print_num("load addr", bd->load_addr);
	print_num("fdt_blob", bd->fdt);
	print_num("fdt_size", bd->fdt_size);
	print_num("fdt_orig", bd->fdt_orig);
	print_num("heap start", bd->heap_start);
	print_num("heap end", bd->heap_end);
	print_num("stack base", bd->stack_base);
	print_num("stack top", bd->stack_top);
	print_num("reserved", bd->reserved_start);
	print_num("gnttab base", bd->gnttab_base);
	print_num("gnttab size", bd->gnttab_size);
	printf("%-12s= %u\n", "evtchn irq", bd->evtchn_irq);
	printf("%-12s= %s\n", "Xen", xen_version_string());
	printf("%-12s= 0x%lx\n", "loadaddr", env_get_hex("loadaddr", 0));
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(bdinfo, 1, do_bdinfo, "print Board Info structure",
	   "\n    - RAM banks, where pvboot lives (relocation, heap, stack, DT), Xen version");
