// SPDX-License-Identifier: MIT
/*
 * booti planning over hostile headers and addresses. The input is a small
 * parameter block (addresses, lengths, which arguments are given) and the
 * bytes placed in RAM where the kernel and the initrd are said to be: an
 * Image, a gzip stream, a legacy ramdisk header, anything. RAM is 4 MiB of
 * our own with unmapped pages on both sides and an unmapped guard page in
 * pvboot's part (the top 256 KiB, holding the DT). While planning, the
 * whole bank is read-only: the planner must write nothing, and read nothing
 * the gate did not allow. A plan that comes out must be consistent (every
 * range through the gate, disjoint, the kernel big enough for what goes in)
 * and is then committed, which must not fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <libfdt.h>
#include <pvboot/board.h>
#include <pvboot/memgate.h>
#include <pvboot/booti.h>
#include <pvboot/crc32.h>
#include <pvboot/legacy_image.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MiB (1024u * 1024)
#define RAM_SIZE (4 * MiB)
#define PVBOOT_SIZE (256u << 10)
#define FREE_SIZE (RAM_SIZE - PVBOOT_SIZE)

struct board_info board;
static uint8_t *ram;
static uint64_t R;
static struct mem_map map;
static uint64_t dirty_lo = UINT64_MAX, dirty_hi; /* free RAM written by the last run */

/* gunzip_measure() checks for Ctrl-C. */
bool ctrlc(void)
{
	return false;
}

/* ---- the input ----------------------------------------------------------------------------- */
enum {
	F_INITRD = 1,
	F_LEGACY = 2,
	F_FDT = 4,
	F_STAGE = 8,
	F_BOOTARGS = 16,
	F_KLEN = 32,
	F_HCRC = 64, /* repair a legacy header's CRC: fuzz what lies behind it */
};

struct params {
	uint8_t flags, modes;
	uint32_t kernel, kernel_len, initrd, initrd_len, initrd_loaded, fdt, fdt_dst, comp,
	    comp_size;
	uint16_t split;
};
#define PARAMS_LEN 40

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void read_params(const uint8_t *d, struct params *p)
{
	uint32_t *f[] = {&p->kernel,  &p->initrd,     &p->initrd_len, &p->initrd_loaded, &p->fdt,
			 &p->fdt_dst, &p->kernel_len, &p->comp,	      &p->comp_size};

	p->flags = d[0];
	p->modes = d[1];
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		*f[i] = le32(d + 2 + 4 * i);
	p->split = (uint16_t)(d[38] | d[39] << 8);
}

/* An address: RAM-relative mostly, sometimes absolute, from the end of RAM, or near 2^64. */
static uint64_t addr(uint32_t v, unsigned int mode)
{
	switch (mode & 3) {
	case 0:
		return R + v % (RAM_SIZE + 0x10000);
	case 1:
		return v;
	case 2:
		return R + RAM_SIZE - v % 0x10000;
	default:
		return UINT64_MAX - v;
	}
}

static void dirty(uint64_t start, uint64_t end)
{
	if (start < end) {
		dirty_lo = start < dirty_lo ? start : dirty_lo;
		dirty_hi = end > dirty_hi ? end : dirty_hi;
	}
}

/* Bytes put at a for a test, if that is free RAM (pvboot's part is not written). */
static void put(uint64_t a, const uint8_t *d, size_t n)
{
	if (a < R || a >= R + FREE_SIZE)
		return;
	n = n < R + FREE_SIZE - a ? n : R + FREE_SIZE - a;
	memcpy(ram + (a - R), d, n);
	dirty(a, a + n);
}

/* A legacy image header at a in free RAM gets the header CRC it needs. */
static void fix_legacy_hcrc(uint64_t a)
{
	struct legacy_image_header h;

	if (a < R || a > R + FREE_SIZE - sizeof(h))
		return;
	memcpy(&h, ram + (a - R), sizeof(h));
	h.ih_hcrc = 0;
	h.ih_hcrc = __builtin_bswap32(crc32_le(0, &h, sizeof(h)));
	memcpy(ram + (a - R), &h, sizeof(h));
}

/* ---- checks on a plan ------------------------------------------------------------------------ */
static bool empty(const struct mem_range *r)
{
	return r->start >= r->end;
}

static bool apart(const struct mem_range *a, const struct mem_range *b)
{
	return empty(a) || empty(b) || a->end <= b->start || b->end <= a->start;
}

static void check_plan(const struct booti_plan *p)
{
	const struct mem_range stage = {p->stage, p->stage + (p->stage ? p->src_len : 0), "stage"};

	if (mem_gate_map(&map, p->kernel.start, p->kernel.end - p->kernel.start, MEM_WRITE, NULL, 0,
			 true) ||
	    mem_gate_map(&map, p->fdt.start, p->fdt.end - p->fdt.start, MEM_WRITE, NULL, 0, true) ||
	    mem_gate_map(&map, p->initrd.start, p->initrd.end - p->initrd.start, MEM_WRITE, NULL, 0,
			 true) ||
	    mem_gate_map(&map, stage.start, stage.end - stage.start, MEM_WRITE, NULL, 0, true))
		abort(); /* a placement the gate refuses */
	if (!apart(&p->kernel, &p->fdt) || !apart(&p->kernel, &p->initrd) ||
	    !apart(&p->fdt, &p->initrd) || !apart(&stage, &p->kernel) || !apart(&stage, &p->initrd))
		abort(); /* overlapping placements */
	if (p->entry < p->kernel.start || p->entry > p->kernel.end)
		abort();
	if (p->op == BOOTI_INFLATE && p->out_len > p->kernel.end - p->entry)
		abort(); /* inflates past its room */
	if (p->op == BOOTI_MOVE && p->src_len > p->kernel.end - p->entry)
		abort();
	if (!p->fdt_blob || fdt_totalsize(p->fdt_blob) != p->fdt.end - p->fdt.start)
		abort();
}

/* ---- set-up ------------------------------------------------------------------------------------
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t area = 2 * MiB + RAM_SIZE + 2 * MiB;
	uint8_t *a = mmap(NULL, area + 2 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *top;
	int null = open("/dev/null", O_WRONLY);

	/* The planner's messages are not what is fuzzed. */
	if (null >= 0)
		dup2(null, 1);
	if (a == MAP_FAILED)
		abort();
	/* 2 MiB aligned, with unmapped space on both sides. */
	ram = (uint8_t *)(((uintptr_t)a + 4 * MiB - 1) & ~(uintptr_t)(2 * MiB - 1));
	R = (uintptr_t)ram;
	if (mprotect(ram, RAM_SIZE, PROT_READ | PROT_WRITE))
		abort();
	top = ram + FREE_SIZE;
	mem_gate_init(&board);
	board.nr_banks = 1;
	board.banks[0] = (struct mem_bank){R, RAM_SIZE};
	board.reserved_start = R + FREE_SIZE;
	board.fdt = R + FREE_SIZE;
	board.fdt_size = 0x10000;
	board.heap_start = board.fdt + 0x10000;
	board.heap_end = board.heap_start + 0x20000;
	board.stack_base = board.heap_end + 0x1000; /* guard page below */
	board.stack_top = board.stack_base + 0x10000;
	if (fdt_create_empty_tree(top, 0x10000) || fdt_setprop_string(top, 0, "model", "fuzz") ||
	    fdt_add_subnode(top, 0, "chosen") < 0 || fdt_pack(top))
		abort();
	mem_map_build(&board, &map);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct booti_args a = {0};
	struct booti_env e = {0};
	struct booti_plan p;
	struct params q;
	size_t split;
	int err;

	if (size < PARAMS_LEN)
		return 0;
	read_params(data, &q);
	data += PARAMS_LEN;
	size -= PARAMS_LEN;
	a.kernel = addr(q.kernel, q.modes);
	a.kernel_len = q.flags & F_KLEN ? q.kernel_len % (RAM_SIZE + 0x100) : 0;
	a.has_initrd = q.flags & F_INITRD;
	a.initrd = addr(q.initrd, q.modes >> 2);
	a.initrd_len = q.flags & F_LEGACY ? 0 : q.initrd_len % RAM_SIZE;
	a.initrd_loaded = q.initrd_loaded % (RAM_SIZE + 0x100);
	a.has_fdt = q.flags & F_FDT;
	a.fdt = addr(q.fdt, q.modes >> 4);
	a.bootargs = q.flags & F_BOOTARGS ? "console=hvc0 root=/dev/xvda1" : NULL;
	e.fdt = board.fdt;
	e.fdt_dst = q.fdt_dst ? addr(q.fdt_dst, q.modes >> 6) : 0;
	e.comp_addr = q.flags & F_STAGE ? R + q.comp % RAM_SIZE : 0;
	e.comp_size = q.comp_size % (RAM_SIZE + 0x100);

	/* Free RAM back to zeros: only what the last run wrote. */
	if (dirty_lo < dirty_hi)
		memset(ram + (dirty_lo - R), 0, dirty_hi - dirty_lo);
	dirty_lo = UINT64_MAX;
	dirty_hi = 0;
	split = q.split < size ? q.split : size;
	put(a.kernel, data, split);
	put(a.initrd, data + split, size - split);
	if (q.flags & F_HCRC)
		fix_legacy_hcrc(a.initrd);

	/* Planning writes nothing: the whole bank is read-only meanwhile. */
	if (mprotect(ram, RAM_SIZE, PROT_READ))
		abort();
	err = booti_plan(&a, &e, &map, &p);
	if (mprotect(ram, FREE_SIZE, PROT_READ | PROT_WRITE))
		abort();
	if (err) {
		if (p.fdt_blob)
			abort(); /* a failed plan keeps nothing */
		return 0;
	}
	check_plan(&p);
	dirty(p.kernel.start, p.kernel.end);
	dirty(p.fdt.start, p.fdt.end);
	dirty(p.stage, p.stage + (p.stage ? p.src_len : 0));
	/* pvboot's part stays read-only: the commit writes only what was planned. */
	if (booti_commit(&p))
		abort();
	return 0;
}
