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

uint32_t arch_mmio_read32(uintptr_t addr)
{
	return sim_mmio_read32(addr);
}

void arch_mmio_write32(uintptr_t addr, uint32_t val)
{
	sim_mmio_write32(addr, val);
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

bool arch_banner_printed(void)
{
	return false; /* the host's stdout exists from the start */
}

const char *arch_startup_commands(void)
{
	return sandbox_cmdline_commands();
}

__noreturn void arch_exit(int status)
{
	sandbox_exit(status);
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

static bool handed_off;
static int (*release_all)(void);

void arch_set_release(int (*release)(void))
{
	release_all = release;
}

/* What the simulated Xen still holds for the guest, reported after `when`. */
static unsigned int report_leftovers(const char *when, unsigned int bad)
{
	struct sim_state st;

	sim_get_state(&st);
	bad += sandbox_check_leftovers(&st, out);
	if (bad)
		out("## Sandbox: %s NOT clean (%u problem(s))\n", when, bad);
	else
		out("## Sandbox: %s clean: no grants, ports or mappings left, shared_info "
		    "unmapped\n",
		    when);
	return bad;
}

__noreturn void arch_boot_linux(uintptr_t entry, uintptr_t dtb)
{
	unsigned int bad;

	handed_off = true;
	console_flush();
	sim_consback_drain();
	out("## Sandbox: would jump to Linux at 0x%lx with DT at 0x%lx\n", (unsigned long)entry,
	    (unsigned long)dtb);
	bad = sandbox_check_payload(entry, dtb, board.banks[0].start, board.banks[0].size, out);
	if (report_leftovers("hand-off", bad))
		sandbox_exit(SANDBOX_EXIT_HANDOFF);
	sandbox_exit(0);
}

/*
 * Every run that ends normally ends like a hand-off: each driver gives its
 * backend back and the Xen services release everything, then the simulated
 * Xen must hold nothing of the guest's. So every sandbox test also checks
 * that nothing was left behind, whatever it did before. A run that ends any
 * other way (killed, crashed, a sanitizer) still reports what was held.
 */
void sandbox_report_leftovers(const char *how)
{
	if (handed_off)
		return; /* reported already */
	handed_off = true;
	report_leftovers(how, 0);
}

int sandbox_audit_exit(int status)
{
	int err;

	if (handed_off)
		return status; /* checked already */
	if (status == SANDBOX_EXIT_CRASH) {
		/* The domain crashed itself: nothing of it may run now; say what it held. */
		sandbox_report_leftovers("crash");
		return status;
	}
	handed_off = true;
	err = release_all ? release_all() : 0;
	console_flush();
	sim_consback_drain();
	if (err)
		out("## Sandbox: teardown at exit reported error %d\n", err);
	return report_leftovers("exit", 0) ? SANDBOX_EXIT_HANDOFF : status;
}
