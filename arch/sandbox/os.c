// SPDX-License-Identifier: MIT
/*
 * The host side of the sandbox: the terminal (raw while pvboot owns it, so
 * that Ctrl-C reaches the guest as a byte, and restored however we leave),
 * signals, and leaving the process.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <pvboot/console.h>
#include <pvboot/sandbox.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

static struct termios saved_tio;
static bool tio_saved;
static struct sigaction old_segv;

bool os_stdin_is_tty(void)
{
	return isatty(0);
}

void os_restore_tty(void)
{
	if (tio_saved)
		tcsetattr(0, TCSADRAIN, &saved_tio);
}

/*
 * abort(): the end-of-run report cannot be made safely here (see death.c),
 * so only a fixed line says how the run ended; the terminal is restored.
 */
static void on_abort(int sig)
{
	static const char line[] =
	    "\n## Sandbox: aborted (SIGABRT): what the guest held is unknown, NOT clean\n";

	os_restore_tty();
	if (write(1, line, sizeof(line) - 1) < 0)
		_exit(128 + sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

void os_console_setup(bool interactive)
{
	struct termios tio;

	signal(SIGPIPE, SIG_IGN); /* a vanished reader is handled where we write */
	if (isatty(0) && !tcgetattr(0, &saved_tio)) {
		tio_saved = true;
		tio = saved_tio;
		/* Bytes as typed: no line editing, echo or signals (Ctrl-C is the guest's). */
		tio.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
		tio.c_iflag &= ~(ICRNL | INLCR | IGNCR | IXON | ISTRIP | BRKINT);
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		tio.c_oflag &= ~OPOST; /* the guest's console already ends lines with \r\n */
		tcsetattr(0, TCSADRAIN, &tio);
	}
	/* Piped input in interactive mode: the end of the input is the end of the run. */
	sim_consback_exit_on_eof(interactive && !isatty(0));
}

/* A message straight to stderr (async-signal-safe: no stdio). */
static void say_stderr(const char *buf, int n)
{
	if (n > 0 && write(2, buf, (size_t)n) < 0)
		return; /* nowhere left to say it */
}

static const char *region_name(uint64_t a)
{
	const struct sim_layout *l = sim_get_layout();

	if (a >= l->gnttab_base && a - l->gnttab_base < l->gnttab_size)
		return "the grant-table region (no frame mapped there)";
	if (sim_gpa_is_ram(a & ~(PAGE_SIZE - 1), PAGE_SIZE))
		return "guest RAM taken out of the physmap (not repopulated)";
	return NULL;
}

/* Touching an unmapped gfn faults on Xen too: say which, then let ASan report the rest. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	const char *what = region_name((uintptr_t)si->si_addr);

	if (what) {
		char buf[160];
		say_stderr(buf, snprintf(buf, sizeof(buf), "sim: guest accessed 0x%lx in %s\n",
					 (unsigned long)(uintptr_t)si->si_addr, what));
	}
	os_restore_tty();
	sigaction(SIGSEGV, &old_segv, NULL); /* the access repeats and the old handler reports */
}

void os_install_fault_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, &old_segv);
	signal(SIGABRT, on_abort);
	sandbox_death_reports_init();
}

__noreturn void sandbox_exit(int status)
{
	static bool exiting;
	unsigned int v;

	if (!exiting) {
		exiting = true;
		sim_consback_exit_on_eof(false);
		status = sandbox_audit_exit(status);
		console_flush(); /* the guest's buffered output into the ring... */
	}
	sim_consback_drain(); /* ...and out to stdout */
	os_restore_tty();
	v = sim_violations();
	if (v) {
		char buf[96];
		say_stderr(buf,
			   snprintf(buf, sizeof(buf),
				    "sim: %u protocol violation(s) by the guest: exit status %d\n",
				    v, SANDBOX_EXIT_VIOLATION));
		status = SANDBOX_EXIT_VIOLATION;
	}
	/* _exit: the guest's heap is not ours to free; LeakSanitizer would only see noise. */
	_exit(status);
}
