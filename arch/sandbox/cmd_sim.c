// SPDX-License-Identifier: MIT
/*
 * `sim`: the sandbox's window on its simulated Xen, for tests and for
 * developers: what is granted/mapped/open, and faults switched on at run
 * time so a test can break things after boot (e.g. `sim fault xs-stall`).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include "sandbox.h"
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif
#include "sim/sim_internal.h"

/*
 * `sim die KIND`: end the run the ways a broken guest does, for the tests of
 * the end-of-run report (it must come out however the run ends).
 */
static int sim_die(const char *kind)
{
	if (!strcmp(kind, "asan")) {
		char *volatile p = malloc(16);

		free(p);
		if (p)		  /* use after free, on purpose: AddressSanitizer's */
			p[0] = 1; // NOLINT(clang-analyzer-unix.Malloc): the point of this command
	} else if (!strcmp(kind, "ubsan")) {
		volatile int big = INT_MAX;

		printf("%d\n", big + 1); /* signed overflow: UBSan's */
	} else if (!strcmp(kind, "crash")) {
		struct sched_shutdown sd = {.reason = SHUTDOWN_crash};

		/* The guest's hypercall, as the simulated Xen sees it. */
		sim_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&sd, 0, 0, 0);
	} else if (!strcmp(kind, "hang")) {
		for (volatile int spin = 1; spin;) /* no poll loop: nothing runs but the clock */
			;
	} else if (!strcmp(kind, "abort")) {
		abort();
	} else {
		return CMD_RET_USAGE;
	}
	printf("sim: still alive after 'sim die %s'\n", kind);
	return CMD_RET_FAILURE;
}

static void show_fault(const char *name, const char *value)
{
	printf("  %s%s%s\n", name, value[0] ? "=" : "", value);
}

static int sim_status(void)
{
	struct sim_state st;

	sim_get_state(&st);
	printf("violations:      %u\n", st.violations);
	printf("grant frames:    %u in the physmap\n", st.gnttab_frames);
	printf("grants active:   %u\n", st.grants_active);
	printf("backend maps:    %u\n", st.gnttab_mapped);
	printf("ports open:      %u (besides console and xenstore)\n", st.ports_open);
	printf("shared_info:     %s\n", st.shared_info_mapped ? "mapped" : "not mapped");
	printf("physmap holes:   %u\n", st.holes);
	printf("shared pool:     %zu KiB free (pages for backends)\n",
	       sandbox_shared_free_bytes() >> 10);
	printf("faults:\n");
	sim_fault_list(show_fault);
	return CMD_RET_SUCCESS;
}

/*
 * LeakSanitizer, now: memory no pointer reaches any more. (The run itself
 * ends with _exit, where a whole-heap report would be noise.)
 */
static int sim_leakcheck(void)
{
#ifdef __SANITIZE_ADDRESS__
	if (__lsan_do_recoverable_leak_check()) {
		printf("sim: leak check: memory leaked (see the report above)\n");
		return CMD_RET_FAILURE;
	}
	printf("sim: leak check: no leak\n");
	return CMD_RET_SUCCESS;
#else
	printf("sim: leak check: not built with AddressSanitizer\n");
	return CMD_RET_FAILURE;
#endif
}

static int do_sim(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc < 2 || !strcmp(argv[1], "status"))
		return argc > 2 ? CMD_RET_USAGE : sim_status();
	if (!strcmp(argv[1], "leakcheck"))
		return argc > 2 ? CMD_RET_USAGE : sim_leakcheck();
	if (!strcmp(argv[1], "fault") && argc == 3) {
		if (!strcmp(argv[2], "clear")) {
			sim_fault_clear();
			return CMD_RET_SUCCESS;
		}
		if (sim_fault_add_checked(argv[2])) {
			printf("sim: unknown or malformed fault '%s'\n", argv[2]);
			return CMD_RET_FAILURE;
		}
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(argv[1], "die") && argc == 3)
		return sim_die(argv[2]);
	return CMD_RET_USAGE;
}

PVBOOT_CMD(sim, 3, do_sim, "sandbox: the simulated hypervisor's state and faults",
	   "[status]            - grants, mappings, ports, shared_info, violations\n"
	   "sim fault NAME[=VALUE] - switch a fault on (see pvboot-sandbox --help)\n"
	   "sim fault clear        - switch every fault off\n"
	   "sim die asan|ubsan|crash|hang|abort - end the run as a broken guest would\n"
	   "sim leakcheck          - report heap memory nothing points to any more");
