// SPDX-License-Identifier: MIT
/*
 * Network commands with U-Boot's names and syntax: dhcp, ping, tftpboot,
 * wget, and net list/info/rescan for the Xen PV network devices.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/net.h>
#include <pvboot/netboot.h>
#include <pvboot/netfront.h>

/* [loadAddress] [[hostIPaddr:]file] as U-Boot parses it: a first hex word is the address. */
static int load_args(int argc, char *const argv[], unsigned long *addr, const char **spec)
{
	*addr = env_get_hex("loadaddr", 0);
	*spec = NULL;
	if (argc == 2) {
		if (parse_ulong(argv[1], addr))
			*spec = argv[1];
	} else if (argc == 3) {
		if (parse_ulong(argv[1], addr))
			return -EINVAL;
		*spec = argv[2];
	}
	return 0;
}

/* tftpboot and wget: the same arguments, another protocol. */
static int load_cmd(int argc, char *const argv[],
		    int (*get)(uintptr_t addr, const char *spec, uint64_t *len))
{
	unsigned long addr;
	const char *spec;
	uint64_t len;

	if (argc > 3 || load_args(argc, argv, &addr, &spec))
		return CMD_RET_USAGE;
	return get(addr, spec, &len) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_tftpboot(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return load_cmd(argc, argv, netboot_tftp);
}

static int do_wget(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	return load_cmd(argc, argv, netboot_wget);
}

static int do_dhcp(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr;
	const char *spec;
	uint64_t len;

	if (argc > 3 || load_args(argc, argv, &addr, &spec))
		return CMD_RET_USAGE;
	if (netboot_dhcp())
		return CMD_RET_FAILURE;
	/* As U-Boot: with arguments (or autoload=yes), fetch the file too. */
	if (argc == 1 && strcmp(env_get("autoload") ? env_get("autoload") : "", "yes"))
		return CMD_RET_SUCCESS;
	return netboot_tftp(addr, spec, &len) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_ping(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long rtt;
	uint32_t ip;
	int err;

	if (argc != 2)
		return CMD_RET_USAGE;
	if (net_parse_ip(argv[1], &ip)) {
		printf("ping: '%s' is not an IPv4 address\n", argv[1]);
		return CMD_RET_FAILURE;
	}
	err = netboot_start(true);
	if (err)
		return CMD_RET_FAILURE;
	err = net_ping(ip, 5000, &rtt);
	if (err) {
		printf("ping failed; host %s is not alive\n", argv[1]);
		return CMD_RET_FAILURE;
	}
	printf("host %s is alive (%lu.%03lu ms)\n", argv[1], rtt / 1000, rtt % 1000);
	return CMD_RET_SUCCESS;
}

static int net_list(bool info)
{
	struct net_stats ns;
	const char *act = env_get("ethact");
	int n = 0;

	for (struct eth_dev *d = eth_first(); d; d = d->next, n++) {
		printf("eth%d: %s %02x:%02x:%02x:%02x:%02x:%02x mtu %u%s\n", d->index, d->name,
		       d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4], d->mac[5], d->mtu,
		       act && !strcmp(act, d->name) ? " active" : "");
		if (!info)
			continue;
		printf("            RX: %llu packets, %llu bytes, %llu dropped\n",
		       (unsigned long long)d->st.rx_packets, (unsigned long long)d->st.rx_bytes,
		       (unsigned long long)d->st.rx_dropped);
		printf("            TX: %llu packets, %llu bytes, %llu errors\n",
		       (unsigned long long)d->st.tx_packets, (unsigned long long)d->st.tx_bytes,
		       (unsigned long long)d->st.tx_errors);
		d->ops->print_info(d);
	}
	if (!n) {
		printf("No network devices\n");
		return CMD_RET_FAILURE;
	}
	if (info) {
		net_get_stats(&ns);
		printf("stack: %llu frames in (%llu malformed, %llu not for us), %llu out; "
		       "ARP %llu requests, %llu replies;\n"
		       "       TCP %llu retransmits, %llu duplicate ACKs; TFTP %llu timeouts;\n"
		       "       IP %llu fragments (%llu dropped), %llu datagrams reassembled\n",
		       (unsigned long long)ns.rx_frames, (unsigned long long)ns.rx_bad,
		       (unsigned long long)ns.rx_ignored, (unsigned long long)ns.tx_frames,
		       (unsigned long long)ns.arp_requests, (unsigned long long)ns.arp_replies,
		       (unsigned long long)ns.tcp_retransmits, (unsigned long long)ns.tcp_dupacks,
		       (unsigned long long)ns.tftp_timeouts, (unsigned long long)ns.ip_frags,
		       (unsigned long long)ns.ip_frag_dropped,
		       (unsigned long long)ns.ip_reassembled);
	}
	return CMD_RET_SUCCESS;
}

static int do_net(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	if (argc != 2)
		return CMD_RET_USAGE;
	if (!strcmp(argv[1], "list"))
		return net_list(false);
	if (!strcmp(argv[1], "info"))
		return net_list(true);
	if (!strcmp(argv[1], "rescan")) {
		int n = netfront_rescan();

		if (n < 0)
			return CMD_RET_FAILURE;
		netboot_env_init();
		printf("%d network device(s)\n", n);
		return CMD_RET_SUCCESS;
	}
	return CMD_RET_USAGE;
}

#define TFTP_HELP                                                                      \
	"[loadAddress] [[hostIPaddr:]bootfilename]\n"                                  \
	"    - load a file by TFTP to loadAddress (default ${loadaddr}) from\n"        \
	"      hostIPaddr (default ${serverip}); file default ${bootfile}.\n"          \
	"      Options from ${tftpblocksize} (1468), ${tftpwindowsize} (16),\n"        \
	"      ${tftptimeout} (ms, 1000), ${tftptimeoutcountmax} (10).\n"              \
	"      Sets ${fileaddr} and ${filesize}; refused before anything is written\n" \
	"      past RAM or over pvboot."

PVBOOT_CMD(tftpboot, 3, do_tftpboot, "load file via network using TFTP protocol", TFTP_HELP);
PVBOOT_CMD_ALIAS(tftp, 3, do_tftpboot, "load file via network using TFTP protocol", TFTP_HELP);
PVBOOT_CMD(wget, 3, do_wget, "load file via network using HTTP protocol",
	   "[loadAddress] [[hostIPaddr:]path | http://IP[:port]/path]\n"
	   "    - HTTP/1.1 GET of path to loadAddress (default ${loadaddr}) from\n"
	   "      hostIPaddr (default ${serverip}), port 80 unless given.\n"
	   "      Sets ${fileaddr} and ${filesize}.");
PVBOOT_CMD(dhcp, 3, do_dhcp, "boot image via network using DHCP/TFTP protocol",
	   "[loadAddress] [[hostIPaddr:]bootfilename]\n"
	   "    - get an address by DHCP: sets ipaddr, netmask, gatewayip, serverip,\n"
	   "      dnsip, bootfile (and hostname, domain when given). With arguments,\n"
	   "      or autoload=yes, then load the file by TFTP as tftpboot does.");
PVBOOT_CMD(ping, 2, do_ping, "send ICMP ECHO_REQUEST to network host",
	   "pingAddress\n"
	   "    - one echo request to pingAddress (IPv4), waiting up to 5 s for the reply");
PVBOOT_CMD(net, 2, do_net, "Xen PV network devices",
	   "list   - list the network devices (netfront N: device/vif/N)\n"
	   "net info   - the same with counters, rings and the stack's statistics\n"
	   "net rescan - disconnect every vif and probe device/vif again");
