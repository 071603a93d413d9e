// SPDX-License-Identifier: MIT
/*
 * Common start: the arch layer has set up memory and the MMU and filled
 * `board`; from here on the code is the same on Xen and in the sandbox.
 * The init sequence is a table so that its order is declared in one place.
 */
#include <errno.h>
#include <stdio.h>
#include <pvboot/board.h>
#include <pvboot/boot.h>
#include <pvboot/bootstage.h>
#include <pvboot/command.h>
#include <pvboot/console.h>
#include <pvboot/env.h>
#include <pvboot/errstr.h>
#include <pvboot/log.h>
#include <pvboot/netboot.h>
#include <pvboot/netfront.h>
#include <pvboot/pvblock.h>
#include <pvboot/version.h>
#include <pvboot/xen/console.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/init.h>
#ifdef CONFIG_SANDBOX
#include <pvboot/sandbox.h>
#endif

static int print_banner(void)
{
	const struct mem_bank *ram = &board.banks[0];

	printf("\n%s\n\n", pvboot_version_string);
	printf("Xen:   %s\n", xen_version_string());
	printf("DRAM:  %llu MiB at 0x%llx\n", (unsigned long long)(ram->size >> 20),
	       (unsigned long long)ram->start);
	/* Then whatever was recorded before the console existed. */
	early_log_flush();
	return 0;
}

static int env_init_step(void)
{
	env_init();
	return 0;
}

struct init_step {
	const char *name;
	int (*fn)(void);
	bool fatal; /* without it there is no console or shell worth having */
};

static const struct init_step init_sequence[] = {
    {"xen", xen_hypervisor_init, true},
    {"console", xen_console_init, true},
    {"banner", print_banner, false},
    {"env", env_init_step, false},
    {"xen-services", xen_services_init, false},
#ifdef CONFIG_PVBLOCK
    {"pvblock", pvblock_init, false},
#endif
#ifdef CONFIG_NET
    {"netfront", netfront_init, false},
    {"net-env", netboot_env_init, false},
#endif
};

static void run_init_sequence(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(init_sequence); i++) {
		const struct init_step *s = &init_sequence[i];
		int err = s->fn();

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

__noreturn void pvboot_main(void)
{
	bootstage_mark("main");
	early_log_hold();
	run_init_sequence();
#ifdef CONFIG_SANDBOX
	if (sandbox_cmdline_commands())
		sandbox_exit(run_command_list(sandbox_cmdline_commands(), -1, 0));
#endif
	autoboot();
	bootstage_mark("prompt");
	shell_loop();
}
