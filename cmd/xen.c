// SPDX-License-Identifier: MIT
/*
 * xen info: what the Xen layer holds right now (shared_info, rings, grants,
 * event channels). xen check: fail if anything would be left behind for the
 * OS (grants in use or busy, event channels of ours still open).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/pl011.h>
#include <pvboot/xen/console.h>
#include <pvboot/xen/events.h>
#include <pvboot/xen/gnttab.h>
#include <pvboot/xen/hypervisor.h>
#include <pvboot/xen/poll.h>
#include <pvboot/xen/stats.h>
#include <pvboot/xen/xenstore.h>

#define MAX_LISTED_PORTS 16

static void print_domid(void)
{
	char *domid;
	int rc = xenstore_read(XBT_NIL, "domid", &domid);

	if (rc < 0) {
		printf("Domain id:      unknown (%s)\n", xenstore_strerror(rc));
		return;
	}
	printf("Domain id:      %s\n", domid);
	free(domid);
}

static void print_console(void)
{
	struct xen_console_stats c;
	struct pl011_stats u;

	if (xen_console_get_stats(&c) < 0 && pl011_get_stats(&u) == 0) {
		printf("Console:        UART at 0x%llx (vpl011, no PV console); %llu bytes out, "
		       "%llu in, %llu dropped\n",
		       (unsigned long long)u.base, (unsigned long long)u.written,
		       (unsigned long long)u.read, (unsigned long long)u.dropped);
		return;
	}
	if (xen_console_get_stats(&c) < 0) {
		printf("Console:        not connected\n");
		return;
	}
	printf("Console:        ring gfn 0x%llx, port %u; %llu bytes out, %llu in, "
	       "%llu dropped, %u bad indexes\n",
	       (unsigned long long)c.pfn, c.port, (unsigned long long)c.written,
	       (unsigned long long)c.read, (unsigned long long)c.dropped, c.bad_idx);
}

static void print_xenstore(void)
{
	struct xenstore_stats x;

	if (xenstore_get_stats(&x) < 0) {
		printf("XenStore:       not connected\n");
		return;
	}
	printf("XenStore:       ring gfn 0x%llx, port %u; %llu requests, %u timeouts, "
	       "%u stray replies, %u protocol errors\n",
	       (unsigned long long)x.pfn, x.port, (unsigned long long)x.requests, x.timeouts,
	       x.wrong_reqid, x.proto_errors);
	printf("                %u watches, %u events queued, %u events dropped, "
	       "%u for no watch of ours\n",
	       x.watches, x.events_queued, x.events_dropped, x.events_stray);
}

static void print_gnttab(void)
{
	struct gnttab_stats g;

	if (gnttab_get_stats(&g) < 0) {
		printf("Grant table:    not initialised\n");
		return;
	}
	printf("Grant table:    %u frames at gfn 0x%llx (Xen allows %u), %u references\n", g.frames,
	       (unsigned long long)g.base_gfn, g.max_frames, g.capacity);
	printf("Grants:         %u in use, %u busy (still mapped by a backend); "
	       "%llu granted, %llu ended\n",
	       g.in_use, g.busy, (unsigned long long)g.grants, (unsigned long long)g.ends);
}

static void print_ports(void)
{
	evtchn_port_t ports[MAX_LISTED_PORTS];
	unsigned int n = evtchn_open_ports(ports, MAX_LISTED_PORTS);

	printf("Event channels: %u open of ours", evtchn_open_count());
	for (unsigned int i = 0; i < n; i++)
		printf("%s%u", i ? ", " : " (", ports[i]);
	printf("%s (console and XenStore ports are Xen's)\n", n ? ")" : "");
}

static void print_waits(void)
{
	struct xen_poll_stats p;
	uint64_t abs_offset;

	xen_poll_get_stats(&p);
	abs_offset = p.offset_ns < 0 ? -(uint64_t)p.offset_ns : (uint64_t)p.offset_ns;
	if (!p.registered) {
		printf("Waits:          spin (no runstate area); %llu spun\n",
		       (unsigned long long)p.spins);
		return;
	}
	printf("Waits:          sleep in Xen (SCHEDOP_poll); %llu polls (%llu woken by their port), "
	       "%llu ms asleep; %llu spun before Xen's time was known\n",
	       (unsigned long long)p.polls, (unsigned long long)p.woken,
	       (unsigned long long)(p.asleep_us / 1000), (unsigned long long)p.spins);
	/* Time the guest's counter counted while the vCPU could not run (bootstage's too). */
	printf("                start-up waited %llu.%03llu ms for a physical CPU\n",
	       (unsigned long long)(p.start_waited_us / 1000),
	       (unsigned long long)(p.start_waited_us % 1000));
	/* Sign apart: an offset in (-1 s, 0) has no sign in its whole seconds. */
	printf("                Xen's time = counter %c %llu.%06llu s (bound raised %llu times)\n",
	       p.offset_ns < 0 ? '-' : '+', (unsigned long long)(abs_offset / 1000000000),
	       (unsigned long long)(abs_offset % 1000000000 / 1000),
	       (unsigned long long)p.refinements);
}

static int do_xen_info(void)
{
	uint64_t gfn = xen_shared_info_gpfn();

	printf("Xen:            %s\n", xen_version_string());
	print_domid();
	if (gfn)
		printf("shared_info:    gfn 0x%llx\n", (unsigned long long)gfn);
	else
		printf("shared_info:    not mapped\n");
	print_console();
	print_xenstore();
	print_gnttab();
	print_ports();
	print_waits();
	return CMD_RET_SUCCESS;
}

static int do_xen_check(void)
{
	unsigned int in_use = gnttab_in_use(), busy = gnttab_busy();
	unsigned int ports = evtchn_open_count();

	if (!in_use && !busy && !ports) {
		printf("xen: nothing left behind (0 grants in use, 0 busy, 0 ports open)\n");
		return CMD_RET_SUCCESS;
	}
	printf("xen: left behind: %u grants in use, %u busy, %u ports open\n", in_use, busy, ports);
	return CMD_RET_FAILURE;
}

static int do_xen(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc == 2 && !strcmp(argv[1], "info"))
		return do_xen_info();
	if (argc == 2 && !strcmp(argv[1], "check"))
		return do_xen_check();
	return CMD_RET_USAGE;
}

PVBOOT_CMD(xen, 2, do_xen, "Xen layer status",
	   "info  - Xen version, domain id, shared_info, console and XenStore rings,\n"
	   "             grant table and event channel usage\n"
	   "xen check - fail if a grant is in use or busy or one of our event\n"
	   "             channels is open (what the OS would inherit)");
