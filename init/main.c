// SPDX-License-Identifier: MIT
/*
 * Common start: the arch layer has set up memory and the MMU and describes
 * the guest in a struct board_info; from here on the code is the same on
 * Xen and in the sandbox. This is the one place that reads that
 * description: each service is given the part it needs as arguments. The
 * init sequence is a table so that its order is declared in one place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pvboot/abort.h>
#include <pvboot/arch.h>
#include <pvboot/bdinfo.h>
#include <pvboot/board.h>
#include <pvboot/boot.h>
#include <pvboot/bootstage.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/env_store.h>
#include <pvboot/errstr.h>
#include <pvboot/heap.h>
#include <pvboot/log.h>
#include <pvboot/memgate.h>
#include <pvboot/netboot.h>
#include <pvboot/netfront.h>
#include <pvboot/pl011.h>
#include <pvboot/pvblock.h>
#include <pvboot/timer.h>
#include <pvboot/version.h>
#include <pvboot/xen/console.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/init.h>

static const struct board_info *bi;
static bool console_is_uart; /* no PV console: the DT's UART instead */

/* lib/ cannot print: what its abort() and its heap checks have to say comes here. */
static void report_abort(void)
{
	pr_err("abort() called: powering off\n");
	console_flush();
}

static void report_heap_corruption(struct heap *h, const void *where, const char *what)
{
	pr_err("malloc: %s at %p\n", what, where);
}

/* Before anything allocates: every malloc() fails until this is done. */
static void heap_setup(void)
{
	int err;

	abort_set_handler(report_abort);
	malloc_on_corrupt(report_heap_corruption);
	err = malloc_init(bi->heap_start, bi->heap_end);
	if (err)
		pr_err("malloc: no heap (%#lx-%#lx): %s\n", (unsigned long)bi->heap_start,
		       (unsigned long)bi->heap_end, errno_str(err));
}

static int print_banner(void)
{
	const struct mem_bank *ram = &bi->banks[0];

	if (arch_banner_printed())
		printf("\n"); /* the version line went out at start-up */
	else
		printf("\n%s\n\n", pvboot_version_string);
	printf("Xen:   %s\n", xen_version_string());
	printf("DRAM:  %llu MiB at 0x%llx\n", (unsigned long long)(ram->size >> 20),
	       (unsigned long long)ram->start);
	if (console_is_uart)
		printf("Console: UART at 0x%llx (Xen's vpl011; no PV console)\n",
		       (unsigned long long)bi->uart_base);
	/* Then whatever was recorded before the console existed. */
	early_log_flush();
	return 0;
}

/* Seconds to wait for a XenStore that is not up yet: $xenstore_wait, or the built-in default. */
static unsigned long xenstore_wait_ms(void)
{
	const char *s = env_get("xenstore_wait");
	unsigned long secs = CONFIG_XEN_STORE_WAIT_SECS;
	char *end;

	if (s && *s) {
		unsigned long v = strtoul(s, &end, 10);

		if (!*end && v <= 24 * 3600)
			secs = v;
		else
			pr_warn("xenstore_wait=%s is not a number of seconds, using %lu\n", s,
				secs);
	}
	return secs * 1000;
}

/* The Xen services get what they need from here, the top: they never read `board`. */
static int xen_services_step(void)
{
	const struct xen_services_config cfg = {
	    .gnttab_base = bi->gnttab_base,
	    .gnttab_size = bi->gnttab_size,
	    .interrupted = ctrlc,
	    .store_wait_ms = xenstore_wait_ms(),
	};

	return xen_services_init(&cfg);
}

/*
 * The PV console; without one (a dom0less domain: no toolstack set it up),
 * the UART Xen emulates for it if the DT has one.
 */
static int console_init_step(void)
{
	int err = xen_console_init();

	if (err != -ENODEV || !bi->uart_size)
		return err;
	err = pl011_console_init(bi->uart_base);
	console_is_uart = !err;
	return err;
}

static int env_init_step(void)
{
	static struct env_platform p; /* static: no stack canary for one call */

	p.ram_start = bi->banks[0].start;
	p.ram_size = bi->banks[0].size;
	p.reserved_start = bi->reserved_start;
	p.fdt = bi->fdt;
	env_init(&p);
	return 0;
}

/* The stored environment replaces the defaults once the disks are there. */
static int env_load_step(void)
{
	env_store_setup();
	if (env_store_available())
		env_load();
	return 0;
}

struct init_step {
	const char *name;
	int (*fn)(void);
	bool fatal; /* without it there is no console or shell worth having */
};

static const struct init_step init_sequence[] = {
    {"xen", xen_hypervisor_init, true},
    {"console", console_init_step, true},
    {"banner", print_banner, false},
    {"env", env_init_step, false},
    {"xen-services", xen_services_step, false},
#ifdef CONFIG_PVBLOCK
    {"pvblock", pvblock_init, false},
#endif
    {"env-load", env_load_step, false},
#ifdef CONFIG_PVBLOCK
    /* Then the disks' backends map their persistent grants while the rest runs. */
    {"pvblock-warm", pvblock_warm_up_all, false},
#endif
#ifdef CONFIG_NET
    {"netfront", netfront_init, false},
    {"net-env", netboot_env_init, false},
#endif
};

/*
 * bootstage's "first console byte" (common/console.c only remembers when):
 * a phase of length 0, recorded before the mark of the step it happened in
 * (the banner, as a rule), so that step's Elapsed stays whole.
 */
static void record_first_byte(void)
{
	static bool recorded;
	uint64_t ticks, us;

	if (recorded || arch_banner_printed() || !console_first_output(&ticks))
		return;
	recorded = true;
	us = timer_ticks_to_us(ticks);
	bootstage_record_phase("first console byte", us, us);
}

static void run_init_sequence(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(init_sequence); i++) {
		const struct init_step *s = &init_sequence[i];
		int err = s->fn();

		record_first_byte();
		bootstage_mark(s->name);
		if (!err)
			continue;
		pr_err("init: %s failed: %s\n", s->name, errno_str(err));
		if (s->fatal) {
			/* Nothing to talk to: say so where we still can and stop the domain. */
			early_log_flush();
			arch_poweroff();
		}
	}
}

__noreturn void pvboot_main(const struct board_info *board_desc)
{
	const char *cmds;

	bi = board_desc;
	bdinfo_set_board(bi);
	mem_gate_init(bi);
	bootstage_mark("main");
	early_log_hold();
	heap_setup();
	arch_set_release(handoff_release_all);
	run_init_sequence();
	cmds = arch_startup_commands();
	if (cmds)
		arch_exit(run_command_list(cmds, -1, 0));
	autoboot();
	record_first_byte();
	bootstage_mark("prompt");
	shell_loop();
}
