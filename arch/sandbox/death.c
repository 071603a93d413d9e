// SPDX-License-Identifier: MIT
/*
 * A run that does not end by itself still says what it left behind, so
 * that the test library can audit every run: killed (a test's time limit
 * sends SIGTERM; also SIGINT, SIGHUP, SIGQUIT), dead in AddressSanitizer or
 * UBSan, aborted, or destroyed by a simulated toolstack (sandbox_destroyed()). First the guest's
 * console output so far, then what the simulated Xen still holds ("## Sandbox: <how> NOT clean").
 * Nothing is released: the guest may be anywhere in its code.
 *
 * The kill signals are blocked and taken by a thread of their own with
 * sigwait(), so the report is made in ordinary code while the guest, hung
 * or not, stays where it is. The sanitizers call back before they exit.
 * (abort() is os.c's: only a fixed line can be written safely there.)
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <pvboot/sandbox.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

static sigset_t kill_signals;

static void report(const char *how)
{
	os_restore_tty();
	sim_consback_drain();
	sandbox_report_leftovers(how);
}

static void *kill_reporter(void *unused)
{
	sigset_t one;
	char how[64];
	int sig;

	if (sigwait(&kill_signals, &sig))
		return NULL;
	snprintf(how, sizeof(how), "killed by signal %d (%s)", sig, strsignal(sig));
	report(how);
	/* Then die of it, as without us. */
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

__noreturn void sandbox_destroyed(const char *why)
{
	report(why);
	raise(SIGKILL);
	_exit(128 + SIGKILL);
}

static void on_sanitizer_death(void)
{
	report("died in a sanitizer");
}

/*
 * Each sanitizer runtime keeps its own death callback: GCC links ASan and
 * UBSan as two libraries, and the plain symbol reaches only the first.
 */
static void set_death_callbacks(void)
{
	static const char *const runtimes[] = {"libasan.so.8", "libubsan.so.1"};

	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		void *rt = dlopen(runtimes[i], RTLD_LAZY | RTLD_NOLOAD);
		void (*set)(void (*)(void));

		if (!rt)
			continue; /* not in this build */
		*(void **)&set = dlsym(rt, "__sanitizer_set_death_callback");
		if (set)
			set(on_sanitizer_death);
		dlclose(rt);
	}
}

void sandbox_death_reports_init(void)
{
	pthread_t t;

	sigemptyset(&kill_signals);
	sigaddset(&kill_signals, SIGTERM);
	sigaddset(&kill_signals, SIGINT);
	sigaddset(&kill_signals, SIGHUP);
	sigaddset(&kill_signals, SIGQUIT);
	if (!pthread_sigmask(SIG_BLOCK, &kill_signals, NULL) &&
	    !pthread_create(&t, NULL, kill_reporter, NULL))
		pthread_detach(t);
	set_death_callbacks();
}
