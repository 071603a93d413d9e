/* SPDX-License-Identifier: MIT */
/* Internals of the sandbox arch (the files of arch/sandbox), not seen by common code. */
#ifndef ARCH_SANDBOX_H
#define ARCH_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sandbox_opts {
	unsigned long mem_mb; /* 0: from the DT (or the default) */
	const char *dtb_path; /* NULL: the built-in Xen-like DT */
	const char *commands; /* -c */
	bool vpl011;	      /* --vpl011: an emulated UART, no PV console (dom0less) */
};

/* cmdline.c: parse argv (disks and faults go straight to the sim). 0, or exit status. */
int sandbox_parse_args(int argc, char **argv, struct sandbox_opts *opts);

/* dt.c: guest memory, grant region and magic pages mapped; DT placed; board filled. */
int sandbox_setup_guest(const struct sandbox_opts *opts);

/* shared_mem.c: the pool arch_shared_alloc() hands out (guest RAM). */
void sandbox_shared_init(uintptr_t start, size_t size);
size_t sandbox_shared_free_bytes(void);

/* os.c */
void os_console_setup(bool interactive); /* raw tty, exit-on-EOF for pipes */
bool os_stdin_is_tty(void);
void os_restore_tty(void);
void os_install_fault_handler(void); /* and the reports of death.c */
/* death.c: a run that is killed, dies in a sanitizer or aborts still reports. */
void sandbox_death_reports_init(void);
__attribute__((noreturn)) void sandbox_reexec(void); /* main.c: start over with the same argv */

/* handoff_check.c: each problem is reported through out; returns how many. */
struct sim_state;
typedef void (*sandbox_out_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned int sandbox_check_payload(uintptr_t entry, uintptr_t dtb, uint64_t ram_start,
				   uint64_t ram_size, sandbox_out_fn out);
unsigned int sandbox_check_leftovers(const struct sim_state *st, sandbox_out_fn out);

/* arch.c: release everything as at a hand-off and check; status, or the hand-off failure's. */
int sandbox_audit_exit(int status);
/*
 * arch.c: say what the simulated Xen still holds, releasing nothing, as
 * "## Sandbox: <how> clean" or "... NOT clean": the report of a run that did
 * not end by itself (killed, crashed). At most one report per run.
 */
void sandbox_report_leftovers(const char *how);

/* The built-in DT (default_dtb.S). */
extern const char sandbox_default_dtb[], sandbox_default_dtb_end[];

#endif
