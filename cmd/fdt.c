// SPDX-License-Identifier: MIT
/*
 * fdt addr / print / list / header: look at the device tree Xen gave us
 * (fdtcontroladdr, the default) or any blob in RAM, printed as dts-like
 * text through libfdt. A blob is checked (readable through the memory gate,
 * every tag and length inside what is readable) before it becomes the
 * working one and again before each use, since memory commands may change
 * it in between; printing is bounded in depth and per property.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/fdt_check.h>
#include <pvboot/memgate.h>

#define FDT_MAX_DEPTH 32
#define FDT_PROP_SHOW 1024 /* bytes of one property printed before "..." */

static uintptr_t working_fdt; /* 0: the control DT pvboot was given */

static uintptr_t cur_fdt_addr(void)
{
	return working_fdt ? working_fdt : env_control_fdt();
}

/* May libfdt walk the blob at addr? Says why not. */
static bool fdt_blob_ok(uint64_t addr)
{
	uint64_t avail;
	const char *why;

	if (mem_gate(addr, sizeof(struct fdt_header), MEM_READ))
		return false;
	avail = mem_gate_readable(mem_map_board(), addr);
	if (fdt_validate((const void *)(uintptr_t)addr, MIN(avail, (uint64_t)FDT_MAX_SIZE), &why)) {
		printf("No valid device tree at 0x%llx: %s\n", (unsigned long long)addr, why);
		return false;
	}
	return true;
}

/* The working DT, checked again: NULL (with the reason printed) if unusable. */
static const void *cur_fdt(void)
{
	uintptr_t addr = cur_fdt_addr();

	if (!addr || !fdt_blob_ok(addr)) {
		printf("No FDT memory address configured. Please configure\n"
		       "the FDT address via \"fdt addr <address>\" command.\n");
		return NULL;
	}
	return (const void *)addr;
}

static bool is_printable_strings(const char *s, int len)
{
	if (len <= 0 || s[len - 1] != '\0' || s[0] == '\0')
		return false;
	for (int i = 0; i < len; i++) {
		if (s[i] == '\0') {
			if (i + 1 < len && s[i + 1] == '\0')
				return false; /* empty string inside: binary data */
		} else if (s[i] < 0x20 || s[i] > 0x7e) {
			return false;
		}
	}
	return true;
}

static void indent(int depth)
{
	for (int i = 0; i < depth; i++)
		printf("\t");
}

static void print_prop(const char *name, const void *data, int len, int depth)
{
	const uint8_t *b = data;
	int shown = MIN(len, (int)FDT_PROP_SHOW);

	indent(depth);
	if (len <= 0) {
		printf("%s;\n", name);
		return;
	}
	if (is_printable_strings(data, len)) {
		const char *s = data;

		printf("%s = ", name);
		for (int i = 0; i < len; i += strlen(s + i) + 1)
			printf("%s\"%s\"", i ? ", " : "", s + i);
		printf(";\n");
		return;
	}
	printf("%s = ", name);
	if (len % 4 == 0) {
		printf("<");
		for (int i = 0; i < shown; i += 4)
			printf("%s0x%08x", i ? " " : "", fdt32_ld((const fdt32_t *)(b + i)));
		printf("%s>;\n", shown < len ? " ..." : "");
	} else {
		printf("[");
		for (int i = 0; i < shown; i++)
			printf("%s%02x", i ? " " : "", b[i]);
		printf("%s];\n", shown < len ? " ..." : "");
	}
}

/* Print node and (up to max_depth levels of) its children. */
static int print_node(const void *fdt, int node, int depth, int max_depth)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	int prop, child;

	indent(depth);
	printf("%s {\n", depth == 0 && (!name || !*name) ? "/" : name ? name : "?");
	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *pname;
		int len;
		const void *data = fdt_getprop_by_offset(fdt, prop, &pname, &len);

		if (data && pname)
			print_prop(pname, data, len, depth + 1);
	}
	if (depth < max_depth) {
		fdt_for_each_subnode(child, fdt, node)
		{
			if (ctrlc())
				return -1;
			if (print_node(fdt, child, depth + 1, max_depth))
				return -1;
		}
	}
	indent(depth);
	printf("};\n");
	return 0;
}

static int fdt_show(const char *path, const char *prop, int max_depth)
{
	const void *fdt = cur_fdt();
	int node;

	if (!fdt)
		return CMD_RET_FAILURE;
	node = fdt_path_offset(fdt, path);
	if (node < 0) {
		printf("libfdt fdt_path_offset() returned %s\n", fdt_strerror(node));
		return CMD_RET_FAILURE;
	}
	if (prop) {
		int len;
		const void *data = fdt_getprop(fdt, node, prop, &len);

		if (!data) {
			printf("libfdt fdt_getprop(): %s\n", fdt_strerror(len));
			return CMD_RET_FAILURE;
		}
		print_prop(prop, data, len, 0);
		return CMD_RET_SUCCESS;
	}
	return print_node(fdt, node, 0, max_depth) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int fdt_header(void)
{
	const void *fdt = cur_fdt();

	if (!fdt)
		return CMD_RET_FAILURE;
	printf("magic:\t\t\t0x%x\n", fdt_magic(fdt));
	printf("totalsize:\t\t0x%x (%u)\n", fdt_totalsize(fdt), fdt_totalsize(fdt));
	printf("off_dt_struct:\t\t0x%x\n", fdt_off_dt_struct(fdt));
	printf("off_dt_strings:\t\t0x%x\n", fdt_off_dt_strings(fdt));
	printf("off_mem_rsvmap:\t\t0x%x\n", fdt_off_mem_rsvmap(fdt));
	printf("version:\t\t%u\n", fdt_version(fdt));
	printf("last_comp_version:\t%u\n", fdt_last_comp_version(fdt));
	printf("boot_cpuid_phys:\t0x%x\n", fdt_boot_cpuid_phys(fdt));
	printf("size_dt_strings:\t0x%x\n", fdt_size_dt_strings(fdt));
	printf("size_dt_struct:\t\t0x%x\n", fdt_size_dt_struct(fdt));
	printf("number mem_rsv:\t\t0x%x\n", fdt_num_mem_rsv(fdt));
	return CMD_RET_SUCCESS;
}

static int do_fdt(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc < 2)
		return CMD_RET_USAGE;
	if (!strcmp(argv[1], "addr")) {
		uint64_t addr;
		int i = 2;

		if (i < argc && !strcmp(argv[i], "-c")) {
			printf("The address of the control fdt is %#08lx\n",
			       (unsigned long)env_control_fdt());
			return CMD_RET_SUCCESS;
		}
		if (i >= argc) {
			printf("The address of the fdt is %#08lx\n", (unsigned long)cur_fdt_addr());
			return CMD_RET_SUCCESS;
		}
		if (parse_u64(argv[i], &addr))
			return CMD_RET_USAGE;
		if (!fdt_blob_ok(addr))
			return CMD_RET_FAILURE;
		working_fdt = (uintptr_t)addr;
		env_set_hex("fdtaddr", addr);
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(argv[1], "print") || !strcmp(argv[1], "list")) {
		bool list = argv[1][0] == 'l';

		return fdt_show(argc > 2 ? argv[2] : "/", argc > 3 ? argv[3] : NULL,
				list ? 1 : FDT_MAX_DEPTH);
	}
	if (!strcmp(argv[1], "header"))
		return fdt_header();
	return CMD_RET_USAGE;
}

PVBOOT_CMD(
    fdt, 4, do_fdt, "flattened device tree utility commands",
    "addr [-c] [addr] - show or set the working fdt (default: fdtcontroladdr, -c: control fdt)\n"
    "fdt print [path] [prop] - recursive print starting at path (default /)\n"
    "fdt list [path] [prop] - print one level starting at path\n"
    "fdt header - display header info");
