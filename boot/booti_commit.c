// SPDX-License-Identifier: MIT
/*
 * Carrying out a booti plan (see boot/booti_plan.c): what it says, then
 * what it does. Everything here was checked by the plan; the only way left
 * to fail is compressed data that changed in memory since it was planned.
 */
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/booti.h>
#include <pvboot/image.h>

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
