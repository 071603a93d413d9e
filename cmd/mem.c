// SPDX-License-Identifier: MIT
/*
 * Memory commands with U-Boot's syntax and output: md, mw, cp, cmp. The
 * size suffix (.b .w .l .q) selects 1, 2, 4 or 8-byte units; numbers are
 * hex. Addresses are guest-physical (identity mapped) and pass the memory
 * gate: inside RAM bank 0 and mapped; writes also off pvboot's own memory.
 */
#include <stdio.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/memgate.h>

#define MD_LINE_BYTES 16
#define MD_DEFAULT_UNITS 0x40

/* Unit size from "md.b" etc.: 1/2/4/8, 4 without suffix, 0 if invalid. */
static unsigned int cmd_unit_size(const char *name)
{
	const char *dot = strchr(name, '.');

	if (!dot)
		return 4;
	if (dot[1] && !dot[2]) {
		switch (dot[1]) {
		case 'b':
			return 1;
		case 'w':
			return 2;
		case 'l':
			return 4;
		case 'q':
			return 8;
		}
	}
	return 0;
}

static uint64_t read_unit(uint64_t addr, unsigned int size)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)addr;
	uint8_t b[8];
	uint64_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		b[i] = p[i];
	/* Little-endian, as the CPU would read the unit. */
	for (unsigned int i = size; i-- > 0;)
		v = v << 8 | b[i]; // cppcheck-suppress uninitvar ; b[0..size) was filled above
	return v;
}

static void write_unit(uint64_t addr, unsigned int size, uint64_t v)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;

	for (unsigned int i = 0; i < size; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Arguments "addr" and "count" in units, through the memory gate. */
static bool units_range(uint64_t addr, uint64_t count, unsigned int size, bool write)
{
	uint64_t len = count > UINT64_MAX / size ? UINT64_MAX : count * size;

	return !mem_gate(addr, len, write ? MEM_WRITE : MEM_READ);
}

static uint64_t md_last_addr;
static uint64_t md_last_units = MD_DEFAULT_UNITS;
static unsigned int md_last_size = 4;

static void md_line(uint64_t addr, unsigned int size, unsigned int units)
{
	char ascii[MD_LINE_BYTES + 1];
	unsigned int n = 0;

	printf("%08llx:", (unsigned long long)addr);
	for (unsigned int i = 0; i < units; i++) {
		uint64_t v = read_unit(addr + (uint64_t)i * size, size);

		printf(" %0*llx", (int)size * 2, (unsigned long long)v);
		for (unsigned int k = 0; k < size; k++) {
			uint8_t c = (uint8_t)(v >> (8 * k));

			ascii[n++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
	}
	ascii[n] = '\0';
	/* Align the text column on a short last line. */
	printf("%*s    %s\n", (int)((MD_LINE_BYTES / size - units) * (size * 2 + 1)), "", ascii);
}

static int do_md(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned int size = cmd_unit_size(argv[0]);
	uint64_t addr = md_last_addr, units = md_last_units;

	if (!size)
		return CMD_RET_USAGE;
	if (argc == 1)
		size = md_last_size; /* "md" again: continue where the last one stopped */
	if (argc > 1 && parse_u64(argv[1], &addr))
		return CMD_RET_USAGE;
	if (argc > 2 && parse_u64(argv[2], &units))
		return CMD_RET_USAGE;
	if (!units_range(addr, units, size, false))
		return CMD_RET_FAILURE;
	while (units) {
		unsigned int n = MIN(units, (uint64_t)(MD_LINE_BYTES / size));

		md_line(addr, size, n);
		addr += (uint64_t)n * size;
		units -= n;
		if (ctrlc())
			return CMD_RET_FAILURE;
	}
	md_last_addr = addr;
	md_last_size = size;
	if (argc > 2)
		parse_u64(argv[2], &md_last_units);
	return CMD_RET_SUCCESS;
}

static int do_mw(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned int size = cmd_unit_size(argv[0]);
	uint64_t addr, value, count = 1;

	if (!size || argc < 3 || parse_u64(argv[1], &addr) || parse_u64(argv[2], &value) ||
	    (argc > 3 && parse_u64(argv[3], &count)))
		return CMD_RET_USAGE;
	if (size < 8 && value >> (size * 8)) {
		printf("## Error: value 0x%llx does not fit in %u byte(s)\n",
		       (unsigned long long)value, size);
		return CMD_RET_FAILURE;
	}
	if (!units_range(addr, count, size, true))
		return CMD_RET_FAILURE;
	for (uint64_t i = 0; i < count; i++)
		write_unit(addr + i * size, size, value);
	return CMD_RET_SUCCESS;
}

static int do_cp(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned int size = cmd_unit_size(argv[0]);
	uint64_t src, dst, count;

	if (!size || argc != 4 || parse_u64(argv[1], &src) || parse_u64(argv[2], &dst) ||
	    parse_u64(argv[3], &count))
		return CMD_RET_USAGE;
	if (!units_range(src, count, size, false) || !units_range(dst, count, size, true))
		return CMD_RET_FAILURE;
	memmove((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, count * size);
	return CMD_RET_SUCCESS;
}

static const char *unit_name(unsigned int size)
{
	switch (size) {
	case 1:
		return "byte";
	case 2:
		return "halfword";
	case 8:
		return "double word";
	default:
		return "word";
	}
}

static int do_cmp(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned int size = cmd_unit_size(argv[0]);
	uint64_t a, b, count, same = 0;
	const char *type;
	int ret = CMD_RET_SUCCESS;

	if (!size || argc != 4 || parse_u64(argv[1], &a) || parse_u64(argv[2], &b) ||
	    parse_u64(argv[3], &count))
		return CMD_RET_USAGE;
	if (!units_range(a, count, size, false) || !units_range(b, count, size, false))
		return CMD_RET_FAILURE;
	type = unit_name(size);
	for (; same < count; same++) {
		uint64_t x = read_unit(a + same * size, size);
		uint64_t y = read_unit(b + same * size, size);

		if (x != y) {
			printf("%s at 0x%08llx (0x%0*llx) != %s at 0x%08llx (0x%0*llx)\n", type,
			       (unsigned long long)(a + same * size), (int)size * 2,
			       (unsigned long long)x, type, (unsigned long long)(b + same * size),
			       (int)size * 2, (unsigned long long)y);
			ret = CMD_RET_FAILURE;
			break;
		}
		if (!(same & 0xfffff) && ctrlc())
			return CMD_RET_FAILURE;
	}
	printf("Total of %llu %s(s) were the same\n", (unsigned long long)same, type);
	return ret;
}

PVBOOT_CMD(md, 3, do_md, "memory display",
	   "[.b, .w, .l, .q] address [# of objects]\n"
	   "    - display memory; numbers are hex, default 0x40 objects");
PVBOOT_CMD(mw, 4, do_mw, "memory write (fill)",
	   "[.b, .w, .l, .q] address value [count]\n"
	   "    - write value to count objects from address");
PVBOOT_CMD(cp, 4, do_cp, "memory copy",
	   "[.b, .w, .l, .q] source target count\n"
	   "    - copy count objects (overlapping ranges are fine)");
PVBOOT_CMD(cmp, 4, do_cmp, "memory compare",
	   "[.b, .w, .l, .q] addr1 addr2 count\n"
	   "    - compare count objects, report the first difference");
