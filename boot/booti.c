// SPDX-License-Identifier: MIT
/*
 * Boot an arm64 Linux Image in three steps. Plan (boot/booti_plan.c): every
 * check and placement, touching no memory; any failure returns to the prompt
 * with memory and devices as they were. Hand-off: the devices are quiesced;
 * if that fails the boot stops there, memory still untouched. Commit: the
 * plan is carried out (boot/booti_commit.c: stage, move or inflate the
 * kernel, write the DT), which cannot fail unless memory changed under it,
 * since everything it does was checked, and the arch layer jumps (MMU off,
 * x0 = DT). This file only gathers the environment and runs the steps.
 */
#include <stdio.h>
#include <pvboot/arch.h>
#include <pvboot/boot.h>
#include <pvboot/booti.h>
#include <pvboot/env.h>

void booti_env_get(struct booti_env *e)
{
	e->fdt = env_get_hex("fdtcontroladdr", env_control_fdt());
	e->fdt_dst = env_get_hex("fdt_addr_r", 0);
	e->comp_addr = env_get_hex("kernel_comp_addr_r", 0);
	e->comp_size = env_get_hex("kernel_comp_size", 0);
	e->bootargs = env_get("bootargs");
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
	handoff_report();
	printf("\nStarting kernel ...\n\n");
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
