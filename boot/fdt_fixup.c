// SPDX-License-Identifier: MIT
/* What the kernel must find in /chosen: its command line and its initrd. */
#include <errno.h>
#include <stdio.h>
#include <libfdt.h>
#include <pvboot/booti.h>

static int fixup(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
	int node = fdt_path_offset(fdt, "/chosen");
	int err;

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		return node;
	if (bootargs) {
		err = fdt_setprop_string(fdt, node, "bootargs", bootargs);
		if (err)
			return err;
	}
	/* An initrd Xen placed for pvboot is not the OS's: replace it or drop it. */
	if (initrd_end > initrd_start) {
		err = fdt_setprop_u64(fdt, node, "linux,initrd-start", initrd_start);
		return err ? err : fdt_setprop_u64(fdt, node, "linux,initrd-end", initrd_end);
	}
	fdt_delprop(fdt, node, "linux,initrd-start");
	fdt_delprop(fdt, node, "linux,initrd-end");
	return 0;
}

int fdt_fixup_chosen(void *fdt, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end)
{
	int err = fixup(fdt, bootargs, initrd_start, initrd_end);

	if (!err)
		return 0;
	printf("ERROR: cannot fix up /chosen in the device tree: %s\n", fdt_strerror(err));
	return -ENOSPC;
}
