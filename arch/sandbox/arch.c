// SPDX-License-Identifier: MIT
/*
 * The arch layer of the sandbox: hypercalls go to the simulated Xen,
 * polling loops run its backends, time is CLOCK_MONOTONIC in ns, caches
 * are coherent, and reset/poweroff/booting Linux end the process.
 */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pvboot/arch.h>
#include <pvboot/board.h>
#include <pvboot/console.h>
#include <pvboot/sandbox.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

#define IDLE_AFTER_NS 2000000ull	/* no guest activity for 2 ms: stop burning a core */
#define DEEP_IDLE_AFTER_NS 100000000ull /* nothing for 100 ms: longer naps */

long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4)
{
	return sim_hypercall(op, a0, a1, a2, a3, a4);
}

void arch_cpu_relax(void)
{
	uint64_t idle;

	sim_run_backends();
	idle = sim_now_ns() - sim_last_activity();
	if (idle > IDLE_AFTER_NS) {
		/* Longer naps once nothing happened for a while (a prompt waiting for keys). */
		struct timespec ts = {0, idle > DEEP_IDLE_AFTER_NS ? 250000 : 50000};

		nanosleep(&ts, NULL);
	}
}

void arch_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void arch_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

void arch_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

uint64_t arch_counter(void)
{
	return sim_now_ns();
}

uint64_t arch_counter_freq(void)
{
	return 1000000000ull;
}

/* The host's caches are coherent with the simulated backends: nothing to do. */
void arch_dcache_clean(const void *start, size_t len)
{
}

void arch_dcache_inval(void *start, size_t len)
{
}

void arch_dcache_flush(const void *start, size_t len)
{
}

void arch_icache_inval_all(void)
{
}

__noreturn void arch_reset(void)
{
	if (!sandbox_cmdline_commands() && os_stdin_is_tty())
		sandbox_reexec(); /* a fresh domain, as after a real reboot */
	sandbox_exit(SANDBOX_EXIT_RESET);
}

__noreturn void arch_poweroff(void)
{
	sandbox_exit(0);
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(1, buf, MIN((size_t)n, sizeof(buf) - 1)) < 0)
		return;
}

/* What Linux would find: its Image, its DT and what /chosen says. */
static unsigned int check_payload(uintptr_t entry, uintptr_t dtb)
{
	const struct mem_bank *ram = &board.banks[0];
	unsigned int bad = 0;
	const void *fdt = (const void *)dtb;
	const char *bootargs;
	int chosen, len;

	if (!sim_gpa_is_ram(entry, 64) || memcmp((const char *)entry + 56, "ARM\x64", 4)) {
		out("## Sandbox: no arm64 Image header at 0x%lx\n", (unsigned long)entry);
		bad++;
	}
	if (!sim_gpa_is_ram(dtb, sizeof(struct fdt_header)) || fdt_check_header(fdt) ||
	    dtb - ram->start + fdt_totalsize(fdt) > ram->size) {
		out("## Sandbox: no valid device tree at 0x%lx\n", (unsigned long)dtb);
		return bad + 1;
	}
	chosen = fdt_path_offset(fdt, "/chosen");
	bootargs = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	if (bootargs && len > 0 && !bootargs[len - 1])
		out("## Sandbox: bootargs \"%s\"\n", bootargs);
	if (chosen >= 0) {
		const fdt32_t *s = fdt_getprop(fdt, chosen, "linux,initrd-start", &len);
		const fdt32_t *e = fdt_getprop(fdt, chosen, "linux,initrd-end", NULL);

		if (s && e && (len == 4 || len == 8)) {
			uint64_t a = len == 8 ? fdt64_ld((const fdt64_t *)s) : fdt32_ld(s);
			uint64_t b = len == 8 ? fdt64_ld((const fdt64_t *)e) : fdt32_ld(e);

			out("## Sandbox: initrd 0x%llx-0x%llx\n", (unsigned long long)a,
			    (unsigned long long)b);
		}
	}
	return bad;
}

/* The hand-off must leave Xen as the OS expects to find it (see DESIGN pitfalls). */
static unsigned int check_leftovers(void)
{
	struct sim_state st;
	unsigned int bad = 0;

	sim_get_state(&st);
	if (st.grants_active) {
		out("## Sandbox: %u grant reference(s) still give access\n", st.grants_active);
		bad++;
	}
	if (st.gnttab_frames) {
		out("## Sandbox: %u grant-table frame(s) still in the physmap\n", st.gnttab_frames);
		bad++;
	}
	if (st.gnttab_mapped) {
		out("## Sandbox: a backend still maps %u granted page(s)\n", st.gnttab_mapped);
		bad++;
	}
	if (st.ports_open) {
		out("## Sandbox: %u event channel(s) open besides console and xenstore\n",
		    st.ports_open);
		bad++;
	}
	if (st.shared_info_mapped) {
		out("## Sandbox: shared_info is still in the physmap\n");
		bad++;
	}
	if (st.holes) {
		out("## Sandbox: %u page(s) of RAM removed and not repopulated\n", st.holes);
		bad++;
	}
	return bad;
}

__noreturn void arch_boot_linux(uintptr_t entry, uintptr_t dtb)
{
	unsigned int bad;

	console_flush();
	sim_consback_drain();
	out("## Sandbox: would jump to Linux at 0x%lx with DT at 0x%lx\n", (unsigned long)entry,
	    (unsigned long)dtb);
	bad = check_payload(entry, dtb) + check_leftovers();
	if (bad) {
		out("## Sandbox: hand-off NOT clean (%u problem(s))\n", bad);
		sandbox_exit(SANDBOX_EXIT_HANDOFF);
	}
	out("## Sandbox: hand-off clean: no grants, ports or mappings left, shared_info "
	    "unmapped\n");
	sandbox_exit(0);
}
