// SPDX-License-Identifier: MIT
/*
 * What the device tree Xen gave us says about this guest: RAM (/memory;
 * pvboot uses bank 0 only and says so when there are more) and the
 * /hypervisor node (grant-table region, event upcall PPI). Nothing here is
 * hard-coded: Xen chooses it at run time.
 */
#include <errno.h>
#include <libfdt.h>
#include <pvboot/board.h>
#include <pvboot/fdt_check.h>
#include <pvboot/log.h>

struct board_info board;

/* Read an address or size made of `cells` 32-bit big-endian cells. */
static uint64_t fdt_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	while (cells-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static int root_cells(const void *fdt, const char *name, int def)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, 0, name, &len);

	if (!p || len != 4)
		return def;
	return fdt32_to_cpu(*p);
}

static bool is_memory_node(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);
	const char *name = fdt_get_name(fdt, node, NULL);

	if (type)
		return !strcmp(type, "memory");
	return name && !strncmp(name, "memory", 6) && (name[6] == '\0' || name[6] == '@');
}

static int parse_memory(const void *fdt, struct board_info *bi, int ac, int sc)
{
	int node, len;

	bi->nr_banks = 0;
	fdt_for_each_subnode(node, fdt, 0)
	{
		const fdt32_t *reg;
		int i, n;

		if (!is_memory_node(fdt, node))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len <= 0 || len % ((ac + sc) * 4)) {
			pr_warn("DT: %s has a malformed reg property, ignored\n",
				fdt_get_name(fdt, node, NULL));
			continue;
		}
		n = len / ((ac + sc) * 4);
		for (i = 0; i < n; i++, reg += ac + sc) {
			struct mem_bank b = {fdt_read_cells(reg, ac), fdt_read_cells(reg + ac, sc)};

			if (!b.size)
				continue;
			if (bi->nr_banks == BOARD_MAX_BANKS) {
				pr_warn("DT: more than %d RAM banks, the rest ignored\n",
					BOARD_MAX_BANKS);
				break;
			}
			bi->banks[bi->nr_banks++] = b;
		}
	}
	if (!bi->nr_banks) {
		pr_err("DT: no /memory node with a usable reg: cannot tell where RAM is\n");
		return -ENODEV;
	}
	/* Xen lists the bank below 4 GiB first; keep the lowest as bank 0 anyway. */
	for (unsigned int i = 1; i < bi->nr_banks; i++) {
		if (bi->banks[i].start < bi->banks[0].start) {
			struct mem_bank t = bi->banks[0];

			bi->banks[0] = bi->banks[i];
			bi->banks[i] = t;
		}
	}
	for (unsigned int i = 1; i < bi->nr_banks; i++)
		pr_warn("RAM bank %u at 0x%llx (%llu MiB) ignored: pvboot uses bank 0 only\n", i,
			(unsigned long long)bi->banks[i].start,
			(unsigned long long)(bi->banks[i].size >> 20));
	return 0;
}

static int parse_hypervisor(const void *fdt, struct board_info *bi, int ac, int sc)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "xen,xen");
	const fdt32_t *reg, *irq;
	int len;

	if (node < 0) {
		pr_err("DT: no /hypervisor node (compatible \"xen,xen\"): not a Xen guest?\n");
		return -ENODEV;
	}
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (ac + sc) * 4) {
		pr_err("DT: /hypervisor has no reg: no region to map grant-table frames\n");
		return -EINVAL;
	}
	bi->gnttab_base = fdt_read_cells(reg, ac);
	bi->gnttab_size = fdt_read_cells(reg + ac, sc);
	if (!bi->gnttab_size || bi->gnttab_base % PAGE_SIZE) {
		pr_err("DT: /hypervisor reg[0] 0x%llx+0x%llx is not a usable region\n",
		       (unsigned long long)bi->gnttab_base, (unsigned long long)bi->gnttab_size);
		return -EINVAL;
	}
	/* interrupts = <type num flags>: a PPI, intid = num + 16. Information only. */
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (irq && len >= 12)
		bi->evtchn_irq = fdt32_to_cpu(irq[1]) + (fdt32_to_cpu(irq[0]) == 1 ? 16 : 32);
	else
		pr_warn("DT: /hypervisor has no interrupts property (polling anyway)\n");
	return 0;
}

int board_parse_fdt(const void *fdt, struct board_info *bi)
{
	const char *why;
	int err, ac, sc;

	if (fdt_validate(fdt, FDT_MAX_SIZE, &why)) {
		pr_err("DT: invalid device tree at %p: %s\n", fdt, why);
		return -EINVAL;
	}
	err = fdt_check_header(fdt);
	if (err) {
		pr_err("DT: invalid device tree at %p: %s\n", fdt, fdt_strerror(err));
		return -EINVAL;
	}
	ac = root_cells(fdt, "#address-cells", 2);
	sc = root_cells(fdt, "#size-cells", 1);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		pr_err("DT: unsupported #address-cells/#size-cells %d/%d\n", ac, sc);
		return -EINVAL;
	}
	err = parse_memory(fdt, bi, ac, sc);
	if (err)
		return err;
	return parse_hypervisor(fdt, bi, ac, sc);
}
