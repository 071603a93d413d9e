// SPDX-License-Identifier: MIT
/*
 * Start-up in C. Two phases, one per copy of pvboot:
 *
 * early_setup() runs at the load address, relocated, .bss cleared, MMU off.
 * It maps the image and the DT Xen gave us, turns the MMU and caches on (so
 * libfdt and everything after it run on cacheable memory), reads RAM from
 * the DT, moves the DT to a safe place and copies itself to the top of RAM
 * bank 0, relocated for that address.
 *
 * relocated_setup() runs in that copy, on its final stack: final page
 * tables (W^X image, RAM, the grant-table region, the console and XenStore
 * pages, an emulated UART's registers, an unmapped stack guard page), then
 * pvboot_main().
 */
#include <errno.h>
#include <libfdt.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include <pvboot/bootstage.h>
#include <pvboot/timer.h>
#include <pvboot/log.h>
#include <pvboot/version.h>
#include <xen/xen.h>
#include <xen/hvm/params.h>
#include "arm64.h"
#include "layout.h"

#define FDT_MAX_SIZE (2 * SZ_1M)
#define FALLBACK_HEAP_SIZE (2 * SZ_1M)

extern bool arch_relocated;
static uint64_t entry_ticks;  /* CNTVCT at entry, carried into the copy */
static uint64_t mmu_on_ticks; /* CNTVCT once the MMU and caches were on, likewise */
static uint64_t copied_ticks; /* CNTVCT once the copy at the top of RAM was made, likewise */
static uint64_t banner_ticks; /* CNTVCT when the version line went out early (0: it did not) */
extern uintptr_t __stack_chk_guard;

static uint64_t tcr_value(void)
{
	uint64_t ips = read_sysreg(id_aa64mmfr0_el1) & 0xf; /* PARange */

	if (ips > 5)
		ips = 5;     /* 48 bits: all a 4K granule can address */
	return (64 - 39)     /* T0SZ: 39-bit VA, walk starts at level 1 */
	       | (1UL << 8)  /* IRGN0: write-back, write-allocate */
	       | (1UL << 10) /* ORGN0: same */
	       | (3UL << 12) /* SH0: inner shareable */
	       | (1UL << 23) /* EPD1: no TTBR1 walks */
	       | (ips << 32);
}

/* MAIR_EL1: attr0 Device-nGnRnE, attr1 Normal inner/outer write-back RW-allocate. */
#define MAIR_VALUE (0x00UL | (0xffUL << 8))

/* totalsize of the DT at dtb, or 0. MMU off: aligned 32-bit loads only. */
static uint32_t early_fdt_size(uintptr_t dtb)
{
	const uint32_t *h = (const uint32_t *)dtb;
	uint32_t size;

	if (!dtb || dtb % 8 || __builtin_bswap32(h[0]) != FDT_MAGIC)
		return 0;
	size = __builtin_bswap32(h[1]);
	return size >= sizeof(struct fdt_header) && size <= FDT_MAX_SIZE ? size : 0;
}

/* A pfn an HVM param may hold that names no page: unset, or ~0 (dom0less, not yet). */
static bool no_page(uint64_t pfn)
{
	return !pfn || pfn == ~0ULL;
}

/* The console and XenStore rings are in the magic-pages region, outside /memory. */
static void map_xen_pages(void)
{
	static const uint8_t params[] = {HVM_PARAM_CONSOLE_PFN, HVM_PARAM_STORE_PFN};
	uint64_t pfn;

	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		if (early_hvm_param(params[i], &pfn) || no_page(pfn))
			continue;
		if (mmu_map(pfn << PAGE_SHIFT, PAGE_SIZE, MAP_NORMAL_RW) && arch_relocated)
			pr_err("mmu: cannot map the Xen page at pfn %#llx\n",
			       (unsigned long long)pfn);
	}
}

/*
 * Later (XenStore of a dom0less domain): the live tables only gain entries
 * where there were none, so no TLB maintenance is needed.
 */
int arch_map_xen_page(uint64_t pfn)
{
	const struct mem_bank *ram = &board.banks[0];
	uint64_t pa = pfn << PAGE_SHIFT;

	if (no_page(pfn) || pfn > (UINT64_MAX >> PAGE_SHIFT))
		return -EINVAL;
	if (pa + PAGE_SIZE > ram->start && pa < ram->start + ram->size)
		return -EINVAL; /* our heap or image: never a page to share */
	return mmu_map(pa, PAGE_SIZE, MAP_NORMAL_RW);
}

static uintptr_t image_base(void)
{
	return (uintptr_t)__image_start;
}

static size_t image_mem(void)
{
	return (uintptr_t)__image_end - (uintptr_t)__image_start;
}

/* The initrd libxl loaded for us (/chosen linux,initrd-start/end), or 0..0. */
static void chosen_initrd(const void *fdt, uint64_t *start, uint64_t *end)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const char *names[2] = {"linux,initrd-start", "linux,initrd-end"};
	uint64_t v[2] = {0, 0};

	for (int i = 0; i < 2 && node >= 0; i++) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, node, names[i], &len);

		if (p && len == 4)
			v[i] = fdt32_to_cpu(p[0]);
		else if (p && len == 8)
			v[i] = (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	}
	*start = v[0];
	*end = v[1] > v[0] ? v[1] : v[0];
}

/* Not cryptographic: different per boot and per guest, with RNDR when the CPU has it. */
static __no_canary void stack_guard_init(void)
{
	uint64_t v = read_sysreg(cntvct_el0) * 0x9e3779b97f4a7c15UL;

	if (((read_sysreg(id_aa64isar0_el1) >> 60) & 0xf) >= 1) {
		uint64_t r;

		__asm__ volatile("mrs %0, s3_3_c2_c4_0" : "=r"(r)); /* RNDR */
		v ^= r;
	}
	v ^= image_base() ^ ((uint64_t)board.fdt_orig << 17) ^ board.banks[0].size;
	__stack_chk_guard = v & ~0xffUL; /* a zero byte stops string overruns */
}

/*
 * W^X without page-aligned sections: code first (its last page, shared with
 * the first rodata, stays read-only executable), then data from the page
 * where it starts, then read-only data in between. mmu_map() never replaces
 * an entry, so the order decides the boundary pages.
 */
static int map_image_wx(void)
{
	uintptr_t base = image_base(), text_end = (uintptr_t)__text_end;
	uintptr_t data = ALIGN_DOWN((uintptr_t)__rodata_end, PAGE_SIZE);
	int err = mmu_map(base, text_end - base, MAP_NORMAL_RX);

	if (!err)
		err = mmu_map(data, (uintptr_t)__image_end - data, MAP_NORMAL_RW);
	if (!err)
		err = mmu_map(text_end, data - text_end, MAP_NORMAL_RO);
	return err;
}

bool arch_banner_printed(void)
{
	return banner_ticks != 0;
}

/*
 * The version line, out at once: what comes next (the copy to the top of
 * RAM, the page tables, Xen's services) can take long on a busy emulator,
 * and the user should see the guest alive. Through the PV console ring, as
 * crash reports go; nothing without one (a vpl011-only dom0less guest).
 */
static void early_banner(void)
{
	if (earlycon_init())
		return;
	earlycon_write("\n", 1);
	earlycon_write(pvboot_version_string, strlen(pvboot_version_string));
	earlycon_write("\n", 1);
	banner_ticks = arch_counter();
}

static void record_banner(void)
{
	uint64_t us = timer_ticks_to_us(banner_ticks);

	if (banner_ticks)
		bootstage_record_phase("first console byte", us, us);
}

__no_canary __noreturn void relocated_setup(uintptr_t dtb_orig)
{
	int err;

	arch_relocated = true;
	stack_guard_init();
	mmu_reset();
	err = map_image_wx();
	if (!err)
		err = mmu_map(board.stack_base, board.stack_top - board.stack_base, MAP_NORMAL_RW);
	if (!err)
		err = map_board_ram(&board, MAP_NORMAL_RW);
	if (!err && board.gnttab_size)
		err = mmu_map(board.gnttab_base, board.gnttab_size, MAP_NORMAL_RW);
	if (!err)
		err = map_board_devices(&board);
	if (err)
		arch_fatal("cannot build the page tables, error", (uint64_t)-err);
	map_xen_pages();
	mmu_switch(mmu_root());

	/* Parse again here so that DT warnings land in this copy's early log. */
	board_parse_fdt((void *)board.fdt, &board);
	bootstage_record("entry", timer_ticks_to_us(entry_ticks));
	bootstage_record("mmu-on", timer_ticks_to_us(mmu_on_ticks));
	record_banner();
	bootstage_record("copied", timer_ticks_to_us(copied_ticks));
	bootstage_mark("relocated");
	pr_debug("arm64: %llu us from entry to the final page tables\n",
		 (unsigned long long)((arch_counter() - entry_ticks) * 1000000 /
				      MAX(arch_counter_freq(), 1)));
	pvboot_main(&board);
}

/* Continue at the top of RAM: DT moved first, then the image copied and relocated. */
static __noreturn void relocate_to_top(uintptr_t dtb, uint32_t fdt_size, struct board_info *bi)
{
	uintptr_t base = image_base(), to = bi->reloc_addr;
	uintptr_t off = to - base;
	unsigned long bad;
	size_t file = (uintptr_t)__bss_start - (uintptr_t)__image_start;
	int err;

	board = *bi; /* for a crash report from here on */
	err = map_board_ram(bi, MAP_NORMAL_RWX);
	if (err)
		arch_fatal("cannot map RAM, error", (uint64_t)-err);
	memmove((void *)bi->fdt, (void *)dtb, fdt_size);
	memcpy((void *)to, (void *)base, file);
	memset((void *)(to + file), 0, image_mem() - file);
	/* RELR adds to what the copy holds: a pointer changed to outside the image is refused. */
	bad = relocate_image(to, off, _DYNAMIC + off, image_mem());
	if (bad)
		arch_fatal("relocated pointers changed before the copy, left as they were:", bad);
	*(struct board_info *)((uintptr_t)&board + off) = *bi;
	*(uint64_t *)((uintptr_t)&entry_ticks + off) = entry_ticks;
	*(uint64_t *)((uintptr_t)&mmu_on_ticks + off) = mmu_on_ticks;
	*(uint64_t *)((uintptr_t)&banner_ticks + off) = banner_ticks;
	*(uint64_t *)((uintptr_t)&copied_ticks + off) = arch_counter();
	/* The copy was written through the D-cache: make it visible to instruction fetch. */
	arch_dcache_clean((void *)to, image_mem());
	arch_icache_inval_all();
	enter_image((uintptr_t)relocated_entry + off, bi->stack_top, dtb);
}

static __no_canary __noreturn void run_in_place(void)
{
	stack_guard_init();
	record_banner();
	bootstage_mark("in-place");
	pvboot_main(&board);
}

/*
 * No usable RAM in the DT (or too little): stay where Xen loaded us, with a
 * small stack and heap right after the image, so that the console can still
 * say what is wrong. RAM bank 0, if the DT named one, is mapped as usual:
 * loads below the image are allowed by the memory gate and must not fault.
 */
static __noreturn void stay_in_place(uintptr_t dtb, uint32_t fdt_size, const struct board_info *bi)
{
	struct board_info *b = &board;
	uintptr_t base = image_base();

	*b = *bi; /* whatever the DT did say (RAM banks, /hypervisor) */
	layout_in_place(base, image_mem(), (uint64_t)CONFIG_STACK_SIZE_KB * SZ_1K,
			FALLBACK_HEAP_SIZE, dtb, fdt_size, b);
	if (map_in_place(b))
		arch_fatal("cannot map a stack and heap after the image at", base);
	pr_err("pvboot stays where it was loaded (%#lx), with a %u MiB heap after it\n",
	       (unsigned long)base, (unsigned int)(FALLBACK_HEAP_SIZE >> 20));
	run_on_stack(b->stack_top, run_in_place);
}

__noreturn void early_setup(uintptr_t dtb, uint64_t entry)
{
	uintptr_t base = image_base();
	uint32_t fdt_size = early_fdt_size(dtb);
	struct board_info bi;
	struct layout_req req;
	uint64_t rela_start, rela_end;

	arch_relocated = true;
	entry_ticks = entry;
	/* The DT writable: the copy of pvboot or of the DT may be put over it. */
	mmu_reset();
	if (mmu_map(base, image_mem(), MAP_NORMAL_RWX) ||
	    (fdt_size && mmu_map(dtb, fdt_size, MAP_NORMAL_RW)))
		arch_fatal("cannot build the first page tables at", base);
	/* Pointers and .bss were written with the caches off: drop stale lines first. */
	arch_dcache_inval((void *)base, image_mem());
	if (fdt_size)
		arch_dcache_flush((void *)dtb, fdt_size);
	mmu_enable(mmu_root(), tcr_value(), MAIR_VALUE);
	mmu_on_ticks = arch_counter();
	map_xen_pages();
	early_banner();
	if (!fdt_size)
		arch_fatal("no valid device tree in x0 at entry: x0 =", dtb);
	/*
	 * .bss has been cleared and used: if it overlapped .rela.dyn, the copy
	 * made below would relocate itself from a clobbered table (U-Boot's
	 * hang on Xen). check-relocs refuses such a link; this catches any
	 * other way of getting there, loudly.
	 */
	reloc_range(_DYNAMIC, &rela_start, &rela_end);
	if (rela_end > (uintptr_t)__bss_start - (uintptr_t)__image_start)
		arch_fatal(".rela.dyn overlaps .bss: cannot relocate again, .rela.dyn ends at",
			   rela_end);

	memset(&bi, 0, sizeof(bi));
	if (board_parse_fdt((void *)dtb, &bi) && !bi.nr_banks)
		stay_in_place(dtb, fdt_size, &bi);
	req = (struct layout_req){
	    .ram_start = bi.banks[0].start,
	    .ram_size = bi.banks[0].size,
	    .cur_start = base,
	    .cur_end = base + image_mem(),
	    .image_mem = image_mem(),
	    .fdt_size = fdt_size,
	    .heap_max = (uint64_t)CONFIG_HEAP_SIZE_MB * SZ_1M,
	    .stack_size = (uint64_t)CONFIG_STACK_SIZE_KB * SZ_1K,
	};
	chosen_initrd((void *)dtb, &req.keep_start, &req.keep_end);
	if (layout_plan(&req, &bi)) {
		pr_err("RAM bank 0 (%#llx, %llu MiB) is too small for pvboot\n",
		       (unsigned long long)bi.banks[0].start,
		       (unsigned long long)(bi.banks[0].size >> 20));
		stay_in_place(dtb, fdt_size, &bi);
	}
	bi.fdt_orig = dtb;
	bi.load_addr = base;
	relocate_to_top(dtb, fdt_size, &bi);
}
