/* SPDX-License-Identifier: MIT */
/* What common code may ask of the sandbox arch (CONFIG_SANDBOX only). */
#ifndef PVBOOT_SANDBOX_H
#define PVBOOT_SANDBOX_H

#include <pvboot/compiler.h>

/* Process exit statuses besides a command's 0/1. */
#define SANDBOX_EXIT_RESET 16	  /* `reset` in a non-interactive run */
#define SANDBOX_EXIT_VIOLATION 17 /* the simulated hypervisor saw a protocol violation */
#define SANDBOX_EXIT_HANDOFF 18	  /* the hand-off or the end of the run left something behind */
#define SANDBOX_EXIT_SETUP 19	  /* bad command line, memory or DT set-up */
#define SANDBOX_EXIT_CRASH 20	  /* SCHEDOP_shutdown(SHUTDOWN_crash) */

/* The -c "cmd; cmd" string, or NULL when the shell should run interactively. */
const char *sandbox_cmdline_commands(void);

/*
 * Leave the process: drain the guest console output, restore the terminal,
 * and exit with status (SANDBOX_EXIT_VIOLATION instead if the simulated
 * hypervisor recorded violations).
 */
__noreturn void sandbox_exit(int status);

/*
 * The toolstack destroyed the domain (xl destroy, a simulated power cut):
 * report what it still held ("## Sandbox: <why> NOT clean"), releasing
 * nothing, then die of SIGKILL as the domain would, without any teardown.
 */
__noreturn void sandbox_destroyed(const char *why);

#endif
