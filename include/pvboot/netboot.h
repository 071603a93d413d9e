/* SPDX-License-Identifier: MIT */
/*
 * The network stack as U-Boot users drive it: configuration from and
 * results to the environment (ipaddr, netmask, gatewayip, serverip,
 * bootfile, dnsip, ethaddr, ethact, tftpblocksize, tftpwindowsize, ...),
 * the load-address check, and the size/time/rate report of every transfer.
 */
#ifndef PVBOOT_NETBOOT_H
#define PVBOOT_NETBOOT_H

#include <pvboot/compiler.h>

struct eth_dev;

/* ethaddr, eth1addr, ... from the devices found; ethact if unset. Init step. */
int netboot_env_init(void);
/* The device named by ethact, else the first one; NULL (with a message) if none. */
struct eth_dev *netboot_dev(void);
/* Start the stack on netboot_dev() with the environment's address. need_ip: refuse without. */
int netboot_start(bool need_ip);
/* DHCP; sets the variables above. */
int netboot_dhcp(void);
/*
 * Download spec ("[ip:]file", NULL: ${bootfile} from ${serverip}) to addr by
 * TFTP, or "[ip:]path" / "http://ip[:port]/path" by HTTP. Sets fileaddr and
 * filesize; *len gets the size. Nothing is written outside what the
 * memory gate accepts. 0 or -errno (reported).
 */
int netboot_tftp(uintptr_t addr, const char *spec, uint64_t *len);
int netboot_wget(uintptr_t addr, const char *spec, uint64_t *len);
/* One file from server by TFTP, at most max bytes; verbose: U-Boot's progress and report. */
int netboot_tftp_file(uintptr_t addr, uint32_t server, const char *name, uint64_t max, bool verbose,
		      uint64_t *len);
/* ${serverip}, 0 if unset or malformed. */
uint32_t netboot_server(void);

#endif
