// SPDX-License-Identifier: MIT
/* pvboot-sandbox's command line. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pvboot/sandbox.h>
#include "sandbox.h"
#include "sim/sim_internal.h"

static const char usage[] =
    "usage: pvboot-sandbox [-m MiB] [-d guest.dtb] [-c \"cmd; cmd\"]\n"
    "                      [--disk IMG[,ro][,sector=4096]]... [--vif "
    "DIR[,mac=MAC][,bootfile=F]]...\n"
    "                      [--sim-fault=NAME[=VALUE]]... [--vpl011]\n"
    "\n"
    "pvboot as a Linux process on a simulated Xen 4.17: the PV console is\n"
    "stdin/stdout, XenStore, event channels and grant tables are simulated,\n"
    "and each --disk is a PV disk (xvda, xvdb, ...) served by a simulated blkback.\n"
    "\n"
    "  -m MiB             guest RAM (default: the DT's /memory, 128 MiB built in)\n"
    "  -d FILE            device tree to boot with instead of the built-in one\n"
    "  -c \"CMDS\"          run the commands, exit with the status of the last one\n"
    "  --disk IMG[,ro][,sector=4096]\n"
    "                     attach IMG as the next PV disk (read-only, 4 KiB sectors)\n"
    "  --vif DIR[,mac=MAC][,bootfile=NAME]\n"
    "                     a PV network interface on a simulated LAN 192.168.77.0/24\n"
    "                     whose server (.1) leases .10 by DHCP (offering NAME) and\n"
    "                     serves DIR by TFTP and HTTP\n"
    "  --sim-fault=NAME[=VALUE]\n"
    "                     make the simulated Xen misbehave: xs-garbage, xs-oversize,\n"
    "                     xs-truncated, xs-wrong-reqid, xs-error=ERRNO, xs-stall,\n"
    "                     xs-drop=N, xs-delay=MS, xs-flood-stray, xs-flood-events,\n"
    "                     xs-late[=MS], xs-late-unset[=MS], xs-unconnected[=MS],\n"
    "                     xs-eagain=N, xs-after=N, console-stall=BYTES, blk-...,\n"
    "                     net-... (arch/sandbox/sim/netback.c), peer-... (netpeer*.c)\n"
    "  --vpl011           a dom0less domain's console: no PV console, Xen's emulated\n"
    "                     SBSA UART (vpl011) at 0x22000000 in the DT instead\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: that of the last -c command; 0 after poweroff; 16 after reset;\n"
    "17 if the simulated Xen saw a protocol violation; 18 if the hand-off to Linux,\n"
    "or the end of the run (where everything is released as at a hand-off), left\n"
    "grants, ports, mappings or shared_info behind; 19 for a set-up error.\n";

static void say(const char *s)
{
	if (write(2, s, strlen(s)) < 0)
		return;
}

static void say3(const char *a, const char *b, const char *c)
{
	say(a);
	say(b);
	say(c);
}

int sandbox_parse_args(int argc, char **argv, struct sandbox_opts *opts)
{
	static const struct option longopts[] = {
	    {"disk", required_argument, NULL, 'D'},
	    {"vif", required_argument, NULL, 'V'},
	    {"sim-fault", required_argument, NULL, 'F'},
	    {"vpl011", no_argument, NULL, 'U'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(opts, 0, sizeof(*opts));
	while ((c = getopt_long(argc, argv, "m:d:c:h", longopts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'm':
			opts->mem_mb = strtoul(optarg, &end, 10);
			if (*end || !opts->mem_mb) {
				say3("pvboot-sandbox: -m ", optarg, ": not a size in MiB\n");
				return SANDBOX_EXIT_SETUP;
			}
			break;
		case 'd':
			opts->dtb_path = optarg;
			break;
		case 'c':
			opts->commands = optarg;
			break;
		case 'D':
			if (sim_disk_add(optarg))
				return SANDBOX_EXIT_SETUP;
			break;
		case 'V':
			if (sim_vif_add(optarg))
				return SANDBOX_EXIT_SETUP;
			break;
		case 'F':
			if (sim_fault_add_checked(optarg)) {
				say3("pvboot-sandbox: --sim-fault=", optarg,
				     ": unknown fault (see --help)\n");
				return SANDBOX_EXIT_SETUP;
			}
			break;
		case 'U':
			opts->vpl011 = true;
			break;
		case 'h':
			if (write(1, usage, sizeof(usage) - 1) < 0)
				exit(1);
			exit(0);
		default:
			say(usage);
			return SANDBOX_EXIT_SETUP;
		}
	}
	if (optind < argc) {
		say3("pvboot-sandbox: unexpected argument '", argv[optind], "'\n");
		return SANDBOX_EXIT_SETUP;
	}
	return 0;
}
