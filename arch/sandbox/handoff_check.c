// SPDX-License-Identifier: MIT
/*
 * What the sandbox checks when pvboot would jump to Linux: that Linux would
 * find an arm64 Image and a device tree in RAM, and that the hand-off left
 * Xen as a booting OS expects it (DESIGN pitfalls): no grant giving access,
 * no grant frame or shared_info in the physmap, no backend mapping, no event
 * channel but the console's and XenStore's, every removed page repopulated.
 */
#include <libfdt.h>
#include <string.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

static bool in_ram(uint64_t a, uint64_t len, uint64_t start, uint64_t size)
{
	return a >= start && len <= size && a - start <= size - len;
}

/* What Linux would find: its Image, its DT and what /chosen says. */
unsigned int sandbox_check_payload(uintptr_t entry, uintptr_t dtb, uint64_t ram_start,
				   uint64_t ram_size, sandbox_out_fn out)
{
	unsigned int bad = 0;
	const void *fdt = (const void *)dtb;
	const char *bootargs;
	int chosen, len;

	if (!in_ram(entry, 64, ram_start, ram_size) ||
	    memcmp((const char *)entry + 56, "ARM\x64", 4)) {
		out("## Sandbox: no arm64 Image header at 0x%lx\n", (unsigned long)entry);
		bad++;
	}
	if (!in_ram(dtb, sizeof(struct fdt_header), ram_start, ram_size) || fdt_check_header(fdt) ||
	    !in_ram(dtb, fdt_totalsize(fdt), ram_start, ram_size)) {
		out("## Sandbox: no valid device tree at 0x%lx\n", (unsigned long)dtb);
		return bad + 1;
	}
	chosen = fdt_path_offset(fdt, "/chosen");
	bootargs = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	if (bootargs && len > 0 && !bootargs[len - 1])
		out("## Sandbox: bootargs \"%s\"\n", bootargs);
	if (chosen >= 0) {
		const fdt32_t *s = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
		int elen;
		const fdt32_t *e = fdt_getprop(fdt, chosen, "linux,initrd-end", &elen);

		if (s && e && len == elen && (len == 4 || len == 8)) {
			uint64_t a = len == 8 ? fdt64_ld((const fdt64_t *)s) : fdt32_ld(s);
			uint64_t b = len == 8 ? fdt64_ld((const fdt64_t *)e) : fdt32_ld(e);

			out("## Sandbox: initrd 0x%llx-0x%llx\n", (unsigned long long)a,
			    (unsigned long long)b);
		}
	}
	return bad;
}

/* The hand-off must leave Xen as the OS expects to find it (see DESIGN pitfalls). */
unsigned int sandbox_check_leftovers(const struct sim_state *st, sandbox_out_fn out)
{
	unsigned int bad = 0;

	if (st->grants_active) {
		out("## Sandbox: %u grant reference(s) still give access\n", st->grants_active);
		bad++;
	}
	if (st->gnttab_frames) {
		out("## Sandbox: %u grant-table frame(s) still in the physmap\n",
		    st->gnttab_frames);
		bad++;
	}
	if (st->gnttab_mapped) {
		out("## Sandbox: a backend still maps %u granted page(s)\n", st->gnttab_mapped);
		bad++;
	}
	if (st->ports_open) {
		out("## Sandbox: %u event channel(s) open besides console and xenstore\n",
		    st->ports_open);
		bad++;
	}
	if (st->shared_info_mapped) {
		out("## Sandbox: shared_info is still in the physmap\n");
		bad++;
	}
	if (st->runstate_registered) {
		out("## Sandbox: the runstate area is still registered (Xen would write into the "
		    "OS)\n");
		bad++;
	}
	if (st->holes) {
		out("## Sandbox: %u page(s) of RAM removed and not repopulated\n", st->holes);
		bad++;
	}
	return bad;
}
