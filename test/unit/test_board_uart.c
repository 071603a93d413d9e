// SPDX-License-Identifier: MIT
/*
 * Finding the console UART in the DT Xen gives (common/board.c): Xen's
 * vpl011 node of a dom0less domain, the one /chosen/stdout-path names, and
 * the nodes that must not be used (disabled, not at the root, over RAM or
 * the grant-table region, not a page of their own).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <pvboot/board.h>
#include <pvboot/log.h>

static char dt[8192];
static unsigned int warnings;

int log_level = LOG_INFO;
void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level == LOG_WARN)
		warnings++;
}

static void setprop_reg(int node, uint64_t base, uint64_t size)
{
	fdt32_t reg[4] = {cpu_to_fdt32(base >> 32), cpu_to_fdt32(base), cpu_to_fdt32(size >> 32),
			  cpu_to_fdt32(size)};

	assert_int_equal(fdt_setprop(dt, node, "reg", reg, sizeof(reg)), 0);
}

static int add_node(int parent, const char *name, const char *compatible, uint64_t base,
		    uint64_t size)
{
	int node = fdt_add_subnode(dt, parent, name);

	assert_true(node >= 0);
	if (compatible)
		assert_int_equal(fdt_setprop_string(dt, node, "compatible", compatible), 0);
	setprop_reg(node, base, size);
	return node;
}

/* A Xen guest's DT: 128 MiB at 0x40000000, /hypervisor at 0x38000000. */
static int setup(void **state)
{
	int hyp;

	assert_int_equal(fdt_create_empty_tree(dt, sizeof(dt)), 0);
	assert_int_equal(fdt_setprop_u32(dt, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(dt, 0, "#size-cells", 2), 0);
	assert_true(fdt_add_subnode(dt, 0, "chosen") >= 0);
	assert_int_equal(
	    fdt_setprop_string(dt, add_node(0, "memory@40000000", NULL, 0x40000000, 0x8000000),
			       "device_type", "memory"),
	    0);
	hyp = add_node(0, "hypervisor", "xen,xen", 0x38000000, 0x1000000);
	assert_int_equal(fdt_appendprop_u32(dt, hyp, "interrupts", 1), 0);
	assert_int_equal(fdt_appendprop_u32(dt, hyp, "interrupts", 15), 0);
	assert_int_equal(fdt_appendprop_u32(dt, hyp, "interrupts", 0xf08), 0);
	warnings = 0;
	return 0;
}

static struct board_info parse(void)
{
	struct board_info bi;

	memset(&bi, 0xa5, sizeof(bi)); /* nothing left over from an earlier parse */
	assert_int_equal(board_parse_fdt(dt, &bi), 0);
	return bi;
}

static void set_stdout(const char *path)
{
	assert_int_equal(
	    fdt_setprop_string(dt, fdt_path_offset(dt, "/chosen"), "stdout-path", path), 0);
}

/* ---- tests -------------------------------------------------------------- */
static void test_no_uart(void **state)
{
	struct board_info bi = parse();

	assert_int_equal(bi.uart_base, 0);
	assert_int_equal(bi.uart_size, 0);
}

static void test_xen_vpl011_node(void **state)
{
	struct board_info bi;

	add_node(0, "sbsa-uart@22000000", "arm,sbsa-uart", 0x22000000, 0x1000);
	bi = parse();
	assert_int_equal(bi.uart_base, 0x22000000);
	assert_int_equal(bi.uart_size, 0x1000);
	assert_int_equal(warnings, 0);
}

static void test_pl011_node(void **state)
{
	struct board_info bi;

	add_node(0, "pl011@9000000", "arm,pl011", 0x9000000, 0x1000);
	bi = parse();
	assert_int_equal(bi.uart_base, 0x9000000);
}

/* Several: stdout-path says which (with options, or through an alias). */
static void test_stdout_path_chooses(void **state)
{
	int aliases;

	add_node(0, "sbsa-uart@22000000", "arm,sbsa-uart", 0x22000000, 0x1000);
	add_node(0, "pl011@9000000", "arm,pl011", 0x9000000, 0x1000);
	assert_int_equal(parse().uart_base, 0x22000000); /* no stdout-path: the SBSA one */
	set_stdout("/pl011@9000000:115200n8");
	assert_int_equal(parse().uart_base, 0x9000000);
	aliases = fdt_add_subnode(dt, 0, "aliases");
	assert_int_equal(fdt_setprop_string(dt, aliases, "serial0", "/pl011@9000000"), 0);
	set_stdout("serial0");
	assert_int_equal(parse().uart_base, 0x9000000);
	/* stdout-path naming something else, or nothing: back to the SBSA UART. */
	set_stdout("/hypervisor");
	assert_int_equal(parse().uart_base, 0x22000000);
	set_stdout("/nowhere");
	assert_int_equal(parse().uart_base, 0x22000000);
}

static void test_disabled_is_not_used(void **state)
{
	int node = add_node(0, "sbsa-uart@22000000", "arm,sbsa-uart", 0x22000000, 0x1000);

	assert_int_equal(fdt_setprop_string(dt, node, "status", "disabled"), 0);
	assert_int_equal(parse().uart_base, 0);
	assert_int_equal(fdt_setprop_string(dt, node, "status", "okay"), 0);
	assert_int_equal(parse().uart_base, 0x22000000);
}

/* Mapped as device memory: never over RAM or the grant-table region, never a partial page. */
static void test_hostile_reg_is_refused(void **state)
{
	static const struct {
		uint64_t base, size;
	} bad[] = {
	    {0x40000000, 0x1000},	  /* RAM */
	    {0x47fff000, 0x1000},	  /* the last page of RAM */
	    {0x38800000, 0x1000},	  /* the grant-table region */
	    {0x22000800, 0x1000},	  /* not page-aligned */
	    {0x22000000, 0x100},	  /* smaller than a page */
	    {0xfffffffffffff000, 0x1000}, /* wraps */
	};
	int node = add_node(0, "sbsa-uart@22000000", "arm,sbsa-uart", 0x22000000, 0x1000);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		warnings = 0;
		setprop_reg(node, bad[i].base, bad[i].size);
		assert_int_equal(parse().uart_base, 0);
		assert_int_equal(warnings, 1);
	}
	/* A larger window is fine; only the register page is used. */
	setprop_reg(node, 0x22000000, 0x10000);
	assert_int_equal(parse().uart_size, 0x1000);
}

static void test_not_at_root_or_no_reg(void **state)
{
	int bus = fdt_add_subnode(dt, 0, "soc"), node;

	add_node(bus, "serial@1000", "arm,pl011", 0x1000, 0x1000);
	assert_int_equal(parse().uart_base, 0);
	assert_int_equal(warnings, 1);
	node = fdt_add_subnode(dt, 0, "sbsa-uart@22000000");
	assert_int_equal(fdt_setprop_string(dt, node, "compatible", "arm,sbsa-uart"), 0);
	assert_int_equal(parse().uart_base, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_no_uart, setup),
	    cmocka_unit_test_setup(test_xen_vpl011_node, setup),
	    cmocka_unit_test_setup(test_pl011_node, setup),
	    cmocka_unit_test_setup(test_stdout_path_chooses, setup),
	    cmocka_unit_test_setup(test_disabled_is_not_used, setup),
	    cmocka_unit_test_setup(test_hostile_reg_is_refused, setup),
	    cmocka_unit_test_setup(test_not_at_root_or_no_reg, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
