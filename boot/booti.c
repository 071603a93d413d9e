// SPDX-License-Identifier: MIT
/*
 * Boot an arm64 Linux Image in three steps. Plan (boot/booti_plan.c): every
 * check and placement, touching no memory; any failure returns to the prompt
 * with memory and devices as they were. Hand-off: the devices are quiesced;
 * if that fails the boot stops there, memory still untouched. Commit: the
 * plan is carried out (stage, move or inflate the kernel, write the DT),
 * which cannot fail unless memory changed under it, since everything it
 * does was checked, and the arch layer jumps (MMU off, x0 = DT).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include <pvboot/boot.h>
#include <pvboot/booti.h>
#include <pvboot/bootstage.h>
#include <pvboot/env.h>
#include <pvboot/image.h>

void booti_env_get(struct booti_env *e)
{
	e->fdt = env_get_hex("fdtcontroladdr", board.fdt);
	e->fdt_dst = env_get_hex("fdt_addr_r", 0);
	e->comp_addr = env_get_hex("kernel_comp_addr_r", 0);
	e->comp_size = env_get_hex("kernel_comp_size", 0);
	e->bootargs = env_get("bootargs");
}

void booti_plan_print(const struct booti_plan *p)
{
	if (p->initrd.end > p->initrd.start)
		printf("## Loading init Ramdisk at 0x%llx, size 0x%llx\n",
		       (unsigned long long)p->initrd.start,
		       (unsigned long long)(p->initrd.end - p->initrd.start));
	if (p->op == BOOTI_INFLATE)
		printf("   Uncompressing Kernel Image to 0x%llx (%llu bytes)\n",
		       (unsigned long long)p->entry, (unsigned long long)p->out_len);
	else if (p->op == BOOTI_MOVE)
		printf("   Moving Image from 0x%llx to 0x%llx\n", (unsigned long long)p->src,
		       (unsigned long long)p->entry);
	printf("## Flattened Device Tree blob at %08llx\n"
	       "   Loading Device Tree to %08llx, end %08llx\n",
	       (unsigned long long)p->fdt_src.start, (unsigned long long)p->fdt.start,
	       (unsigned long long)(p->fdt.end - 1));
}

int booti_commit(struct booti_plan *p)
{
	uint64_t src = p->src;
	size_t out;
	int err = 0;

	switch (p->op) {
	case BOOTI_INFLATE:
		if (p->stage) {
			memmove(phys_to_virt(p->stage), phys_to_virt(p->src), p->src_len);
			src = p->stage;
		}
		/* The same bytes inflated once already, to exactly this length. */
		err =
		    gunzip(phys_to_virt(p->entry), p->out_len, phys_to_virt(src), p->src_len, &out);
		if (err)
			printf("ERROR: the kernel did not inflate as it did when planned: the "
			       "compressed data changed in memory\n");
		break;
	case BOOTI_MOVE:
		memmove(phys_to_virt(p->entry), phys_to_virt(p->src), p->src_len);
		break;
	case BOOTI_IN_PLACE:
		break;
	}
	if (!err)
		memcpy(phys_to_virt(p->fdt.start), p->fdt_blob, p->fdt.end - p->fdt.start);
	booti_plan_free(p);
	return err;
}

int booti_boot(const struct booti_args *a)
{
	struct booti_env e;
	struct booti_plan p;
	int err;

	booti_env_get(&e);
	err = booti_plan(a, &e, mem_map_board(), &p);
	if (err)
		return err;
	booti_plan_print(&p);
	printf("\nStarting kernel ...\n\n");
	bootstage_mark("handoff");
	err = handoff_prepare();
	if (err) {
		booti_plan_free(&p);
		printf("ERROR: devices could not be handed over cleanly (%d): not booting\n", err);
		return err;
	}
	err = booti_commit(&p);
	if (err)
		return err;
	arch_boot_linux(p.entry, p.fdt.start);
}
