// SPDX-License-Identifier: MIT
/*
 * Default environment, computed from RAM bank 0 (as env_init() was told)
 * so that the usual flows (load + booti with ${kernel_addr_r} ...) work in
 * any RAM size, from a 32 MiB domU to GiBs. Layout (docs/environment.md), with
 * top = reserved_start rounded down to 2 MiB:
 *
 *   start + 1 MiB     scriptaddr      (boot.scr, uEnv.txt)
 *   start + 1.5 MiB   pxefile_addr_r  (extlinux.conf)
 *   start + 2 MiB     kernel_addr_r = loadaddr   (3/8 of the span, <= 128 MiB)
 *   ...               kernel_comp_addr_r, kernel_comp_size (1/8, <= 64 MiB)
 *   ...               fdt_addr_r      (1 MiB)
 *   ...               ramdisk_addr_r  (the rest, up to top)
 *   top ..            pvboot itself (DT copy, heap, stack, image)
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/log.h>
#include <pvboot/version.h>

/* Always present, so that the section (and its __start/__stop) exists. */
PVBOOT_ENV_DEFAULT(bootcmd, "run distro_bootcmd");

static struct env_platform platform;

void env_set_default(void)
{
	env_clear();
	env_defaults_apply();
}

void env_init(const struct env_platform *p)
{
	platform = *p;
	env_set_default();
}

uintptr_t env_control_fdt(void)
{
	return platform.fdt;
}

struct ram_layout {
	uint64_t script, pxefile, kernel, kernel_comp, kernel_comp_size, fdt, ramdisk;
};

static uint64_t span_part(uint64_t span, unsigned int eighths, uint64_t cap)
{
	uint64_t v = ALIGN_DOWN(span / 8 * eighths, SZ_2M);

	if (v > cap)
		v = cap;
	return v < SZ_2M ? SZ_2M : v;
}

static void compute_layout(struct ram_layout *l)
{
	uint64_t start = platform.ram_start;
	uint64_t end = start + platform.ram_size;
	uint64_t top = platform.reserved_start;
	uint64_t base, span;

	if (top <= start || top > end)
		top = end;
	top = ALIGN_DOWN(top, SZ_2M);
	l->script = start + SZ_1M;
	l->pxefile = start + SZ_1M + SZ_1M / 2;
	l->kernel = ALIGN_UP(start + SZ_2M, SZ_2M);
	base = l->kernel;
	span = top > base ? top - base : 0;
	l->kernel_comp = base + span_part(span, 3, 128 * SZ_1M);
	l->kernel_comp_size = span_part(span, 1, 64 * SZ_1M);
	l->fdt = l->kernel_comp + l->kernel_comp_size;
	l->ramdisk = l->fdt + SZ_1M;
	if (l->ramdisk >= top)
		pr_warn("env: RAM below pvboot is only %llu MiB: load addresses overlap pvboot\n",
			(unsigned long long)((top - start) >> 20));
}

/* Xen's `extra=` arrives as /chosen/bootargs: it is the default command line. */
static void set_bootargs_from_dt(void)
{
	const void *fdt = (const void *)platform.fdt;
	const char *args;
	int node, len;

	if (!fdt || fdt_check_header(fdt))
		return;
	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0)
		return;
	args = fdt_getprop(fdt, node, "bootargs", &len);
	if (!args || len <= 1 || args[len - 1] != '\0')
		return;
	env_set("bootargs", args);
}

void env_defaults_runtime(void)
{
	if (platform.fdt)
		env_set_hex("fdtcontroladdr", platform.fdt);
	env_set("ver", pvboot_version_string);
}

void env_defaults_apply(void)
{
	struct ram_layout l;
	char num[16];

	compute_layout(&l);
	env_set_hex("scriptaddr", l.script);
	env_set_hex("pxefile_addr_r", l.pxefile);
	env_set_hex("kernel_addr_r", l.kernel);
	env_set_hex("loadaddr", l.kernel);
	env_set_hex("kernel_comp_addr_r", l.kernel_comp);
	env_set_hex("kernel_comp_size", l.kernel_comp_size);
	env_set_hex("fdt_addr_r", l.fdt);
	env_set_hex("ramdisk_addr_r", l.ramdisk);
	set_bootargs_from_dt();

	snprintf(num, sizeof(num), "%d", CONFIG_BOOTDELAY);
	env_set("bootdelay", num);
	env_set("baudrate", "115200");
	env_set("arch", "arm");
	env_set("cpu", "armv8");
	env_set("vendor", "xen");
	env_set("board", "xenguest_arm64");
	env_set("board_name", "xenguest_arm64");
	env_defaults_runtime();

	for (const struct env_default *d = __start_pvboot_env_default;
	     d < __stop_pvboot_env_default; d++)
		if (env_set(d->name, d->value))
			pr_warn("env: bad default '%s'\n", d->name);
}
