// SPDX-License-Identifier: MIT
/*
 * pvboot-sandbox: pvboot as a Linux process. The guest's memory sits at its
 * real guest-physical addresses, a simulated Xen answers its hypercalls and
 * serves XenStore, the console (stdin/stdout) and PV disks, and then the
 * same pvboot_main() as on Xen runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/resource.h>
#include <pvboot/board.h>
#include <pvboot/sandbox.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

static struct sandbox_opts opts;
static char **saved_argv;

const char *sandbox_cmdline_commands(void)
{
	return opts.commands;
}

__noreturn void sandbox_reexec(void)
{
	sim_consback_drain();
	os_restore_tty();
	execv("/proc/self/exe", saved_argv);
	sandbox_exit(SANDBOX_EXIT_RESET); /* could not: the reset still ends this run */
}

/* Where the linker put this program (the "image" bdinfo shows). */
extern char __executable_start[], _end[];

int main(int argc, char **argv)
{
	struct rlimit rl;
	int rc;

	saved_argv = argv;
	rc = sandbox_parse_args(argc, argv, &opts);
	if (rc)
		return rc;
	if (sandbox_setup_guest(&opts))
		return SANDBOX_EXIT_SETUP;
	board.load_addr = board.reloc_addr = (uintptr_t)__executable_start;
	board.image_end = (uintptr_t)_end;
	board.stack_top = (uintptr_t)__builtin_frame_address(0);
	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur != RLIM_INFINITY)
		board.stack_base = board.stack_top - rl.rlim_cur;
	os_install_fault_handler();
	os_console_setup(!opts.commands);
	sim_init();
	pvboot_main(&board);
}
