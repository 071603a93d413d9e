// SPDX-License-Identifier: MIT
/*
 * Lay the guest out as Xen does on arm64, at the same guest-physical
 * addresses, so that pointers are guest-physical addresses as on the real
 * target: RAM where the DT's /memory says (0x40000000), the grant-table
 * region where /hypervisor says (0x38000000, unmapped until the guest maps
 * frames), the magic pages (console and XenStore rings) at 0x39000000, and
 * the DT inside RAM where libxl puts it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <pvboot/board.h>
#include <pvboot/console.h>
#include <pvboot/sandbox.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

#define DEFAULT_RAM_BASE 0x40000000ull /* GUEST_RAM0_BASE */
#define DEFAULT_RAM_MB 128
#define MIN_RAM_MB 16
#define MAGIC_BASE 0x39000000ull /* GUEST_MAGIC_BASE */
#ifdef __SANITIZE_ADDRESS__
/* Above this, x86_64 AddressSanitizer keeps its shadow memory. */
#define ADDR_LIMIT 0x7fff8000ull
#else
#define ADDR_LIMIT 0x100000000ull /* Xen's RAM bank 0 ends at 4 GiB (GUEST_RAM0: 3 GiB) */
#endif
#define DTB_MAX (1u << 20)
#define FDT_ROOM (64u << 10)	 /* free space in our DT copy for fixups */
#define SHARED_MAX (16ull << 20) /* pages granted to backends: rings, pools */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	n = n < 0 ? 0 : MIN(n, (int)sizeof(buf) - 2);
	buf[n++] = '\n';
	if (write(2, "pvboot-sandbox: ", 16) < 0 || write(2, buf, n) < 0)
		return;
}

static void *load_file(const char *path, size_t *size)
{
	struct stat st;
	void *buf = NULL;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0 || st.st_size > DTB_MAX) {
		fail("-d %s: %s", path, fd < 0 ? strerror(errno) : "not a plausible DTB size");
		goto out;
	}
	buf = malloc(st.st_size);
	if (buf && read(fd, buf, st.st_size) != st.st_size) {
		fail("-d %s: short read", path);
		free(buf);
		buf = NULL;
	}
	*size = st.st_size;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static int root_cells(const void *fdt, const char *name, int def)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, 0, name, &len);

	return p && len == 4 ? (int)fdt32_to_cpu(*p) : def;
}

static int memory_node(const void *fdt)
{
	return fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
}

/* reg[0] of a node as (base, size), or false. */
static bool node_reg0(const void *fdt, int node, uint64_t *base, uint64_t *size)
{
	int ac = root_cells(fdt, "#address-cells", 2), sc = root_cells(fdt, "#size-cells", 1);
	int len;
	const fdt32_t *reg;

	if (node < 0 || ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (ac + sc) * 4)
		return false;
	*base = cells(reg, ac);
	*size = cells(reg + ac, sc);
	return true;
}

/* Resize bank 0 only: further banks stay, so pvboot can report them as unused. */
static int set_memory_size(void *fdt, uint64_t base, uint64_t size)
{
	int ac = root_cells(fdt, "#address-cells", 2), sc = root_cells(fdt, "#size-cells", 1);
	int len, n = 0, node = memory_node(fdt);
	const fdt32_t *old = fdt_getprop(fdt, node, "reg", &len);
	fdt32_t reg[64];

	if (!old || len < (ac + sc) * 4 || (size_t)len > sizeof(reg))
		return -FDT_ERR_BADVALUE;
	memcpy(reg, old, len);
	if (ac == 2)
		reg[n++] = cpu_to_fdt32(base >> 32);
	reg[n++] = cpu_to_fdt32(base);
	if (sc == 2)
		reg[n++] = cpu_to_fdt32(size >> 32);
	reg[n++] = cpu_to_fdt32(size);
	return fdt_setprop(fdt, node, "reg", reg, len);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int map_fixed(uint64_t base, uint64_t size, int prot, const char *what)
{
	void *p;

	if (!size || base % PAGE_SIZE || size % PAGE_SIZE || base + size > ADDR_LIMIT ||
	    base + size < base) {
		fail("%s at 0x%llx+0x%llx: must be page aligned and end below 0x%llx", what,
		     (unsigned long long)base, (unsigned long long)size,
		     (unsigned long long)ADDR_LIMIT);
		return -EINVAL;
	}
	p = mmap((void *)(uintptr_t)base, size, prot,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || p != (void *)(uintptr_t)base) {
		fail("cannot map %s at 0x%llx (%llu KiB): %s", what, (unsigned long long)base,
		     (unsigned long long)(size >> 10),
		     p == MAP_FAILED ? strerror(errno) : "placed elsewhere");
		if (p != MAP_FAILED)
			munmap(p, size);
		return -ENOMEM;
	}
	return 0;
}

/* Messages board_parse_fdt logged before any console existed: show them on stderr. */
static void stderr_write(struct console_dev *dev, const char *buf, size_t len)
{
	if (write(2, buf, len) < 0)
		return;
}

static struct console_dev stderr_console = {.name = "stderr", .write = stderr_write};

static int setup(const struct sandbox_opts *opts, const void *src, size_t src_size)
{
	uint64_t ram_base = DEFAULT_RAM_BASE, ram_size = (uint64_t)DEFAULT_RAM_MB << 20;
	uint64_t gt_base = 0, gt_size = 0, dt_ram_size, fdt_space, orig, shared_size;
	struct sim_layout layout;
	void *fdt;
	int err;

	err = fdt_check_header(src);
	if (err || fdt_totalsize(src) > src_size) {
		fail("%s: not a device tree blob (%s)",
		     opts->dtb_path ? opts->dtb_path : "built-in",
		     err ? fdt_strerror(err) : "truncated");
		return -EINVAL;
	}
	/* RAM: the DT's bank 0 unless -m says otherwise. */
	if (node_reg0(src, memory_node(src), &ram_base, &dt_ram_size))
		ram_size = dt_ram_size;
	if (opts->mem_mb)
		ram_size = (uint64_t)opts->mem_mb << 20;
	if (ram_size < ((uint64_t)MIN_RAM_MB << 20) || ram_base + ram_size > ADDR_LIMIT) {
		fail("guest RAM of %llu MiB at 0x%llx: must be %d MiB or more and end below "
		     "0x%llx (at most %llu MiB here)",
		     (unsigned long long)(ram_size >> 20), (unsigned long long)ram_base, MIN_RAM_MB,
		     ADDR_LIMIT,
		     (unsigned long long)(ram_base < ADDR_LIMIT ? (ADDR_LIMIT - ram_base) >> 20
								: 0));
		return -EINVAL;
	}
	if (map_fixed(ram_base, ram_size, PROT_READ | PROT_WRITE, "guest RAM"))
		return -ENOMEM;

	/* The grant-table region: address space only, until the guest maps frames there. */
	if (node_reg0(src, fdt_node_offset_by_compatible(src, -1, "xen,xen"), &gt_base, &gt_size)) {
		if (overlaps(gt_base, gt_size, ram_base, ram_size) ||
		    overlaps(gt_base, gt_size, MAGIC_BASE, SIM_MAGIC_PAGES * PAGE_SIZE)) {
			fail("/hypervisor region 0x%llx+0x%llx overlaps RAM or the magic pages",
			     (unsigned long long)gt_base, (unsigned long long)gt_size);
			return -EINVAL;
		}
		if (map_fixed(gt_base, gt_size, PROT_NONE, "grant-table region"))
			return -ENOMEM;
	}
	if (overlaps(MAGIC_BASE, SIM_MAGIC_PAGES * PAGE_SIZE, ram_base, ram_size)) {
		fail("guest RAM overlaps the magic pages at 0x%llx", MAGIC_BASE);
		return -EINVAL;
	}
	if (map_fixed(MAGIC_BASE, SIM_MAGIC_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      "magic pages"))
		return -ENOMEM;

	/* Where libxl puts the DT: in RAM, 2 MiB below the top of the first 128 MiB. */
	orig = ram_base + MIN(ram_size, 128ull << 20) - SZ_2M;
	fdt = (void *)(uintptr_t)orig;
	err = fdt_open_into(src, fdt, fdt_totalsize(src) + 256);
	if (!err && memory_node(fdt) >= 0)
		err = set_memory_size(fdt, ram_base, ram_size);
	if (!err)
		err = fdt_pack(fdt);
	if (err) {
		fail("cannot place the device tree: %s", fdt_strerror(err));
		return -EINVAL;
	}
	/* Our safe copy at the top of RAM, with room for fixups; loads stay below it. */
	fdt_space = ALIGN_UP(fdt_totalsize(fdt) + FDT_ROOM, SZ_64K);
	board.fdt = (uintptr_t)(ram_base + ram_size - fdt_space);
	board.fdt_size = fdt_space;
	board.fdt_orig = orig;
	err = fdt_open_into(fdt, (void *)board.fdt, fdt_space);
	if (err) {
		fail("cannot copy the device tree: %s", fdt_strerror(err));
		return -EINVAL;
	}
	err = board_parse_fdt((void *)board.fdt, &board);
	if (err) {
		console_register(&stderr_console); /* replays what board_parse_fdt said */
		fail("the device tree does not describe a usable Xen guest");
		return err;
	}
	/* Pages for backends (arch_shared_alloc) just below the DT copy. */
	shared_size = MIN(ALIGN_DOWN(board.banks[0].size / 4, SZ_1M), SHARED_MAX);
	board.reserved_start = board.fdt - shared_size;
	sandbox_shared_init(board.reserved_start, shared_size);
	board.heap_start = board.heap_end = 0; /* glibc's malloc is the heap here */

	layout = (struct sim_layout){
	    .ram_base = board.banks[0].start,
	    .ram_size = board.banks[0].size,
	    .gnttab_base = board.gnttab_base,
	    .gnttab_size = board.gnttab_size,
	    .magic_base = MAGIC_BASE,
	};
	sim_set_layout(&layout);
	return 0;
}

int sandbox_setup_guest(const struct sandbox_opts *opts)
{
	size_t size = sandbox_default_dtb_end - sandbox_default_dtb;
	void *file = NULL;
	int err;

	if (opts->dtb_path && !(file = load_file(opts->dtb_path, &size)))
		return -EINVAL;
	err = setup(opts, file ? file : sandbox_default_dtb, size);
	free(file);
	return err;
}
