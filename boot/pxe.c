// SPDX-License-Identifier: MIT
/*
 * PXE as U-Boot's `pxe` does it: fetch pxelinux.cfg/01-<mac>, then the
 * address in hex with one digit fewer each time, then default-arm and
 * default, from the TFTP server; boot the configuration with the extlinux
 * engine, every kernel, initrd and DT fetched by TFTP. Names are relative
 * to the directory of ${bootfile}, as pxelinux resolves them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/bootflow.h>
#include <pvboot/env.h>
#include <pvboot/extlinux.h>
#include <pvboot/memgate.h>
#include <pvboot/net.h>
#include <pvboot/netboot.h>

#define PXE_CONF_MAX (64 * 1024) /* with its terminating NUL */
#define PXE_PREFIX_MAX 128

/* The directory of ${bootfile} ("" if none): where pxelinux.cfg/ and relative names live. */
static void pxe_prefix(char *prefix)
{
	const char *bf = env_get("bootfile");
	const char *slash = bf ? strrchr(bf, '/') : NULL;
	size_t n = slash ? (size_t)(slash - bf) + 1 : 0;

	if (n >= PXE_PREFIX_MAX)
		n = 0;
	if (n)
		memcpy(prefix, bf, n);
	prefix[n] = '\0';
}

static int pxe_try(uintptr_t addr, const char *prefix, const char *name, uint64_t *len)
{
	char path[PXE_PREFIX_MAX + 64];
	int err;

	snprintf(path, sizeof(path), "%spxelinux.cfg/%s", prefix, name);
	printf("Retrieving file: %s\n", path);
	err = netboot_tftp_file(addr, netboot_server(), path, PXE_CONF_MAX - 1, false, len);
	if (err)
		return err;
	/* The engine reads it as a string: terminate it, inside what the gate accepted. */
	if (mem_gate(addr, *len + 1, MEM_WRITE))
		return -EFAULT;
	((char *)phys_to_virt(addr))[*len] = '\0';
	printf("Config file '%s' found (%llu bytes)\n", path, (unsigned long long)*len);
	env_set("pxefile", path);
	return 0;
}

int pxe_get(uintptr_t addr, uint64_t *len)
{
	struct eth_dev *dev;
	char prefix[PXE_PREFIX_MAX], name[32], hex[9];
	uint32_t ip;
	int err = netboot_start(true);

	if (err)
		return err;
	if (!netboot_server()) {
		printf("*** ERROR: `serverip' not set (run dhcp) ***\n");
		return -EINVAL;
	}
	/* Before asking the server anything. */
	if (mem_gate(addr, 1, MEM_WRITE))
		return -EFAULT;
	dev = netboot_dev();
	pxe_prefix(prefix);
	/* ARP type 1 (Ethernet), then the MAC in lower case, dashes between bytes. */
	snprintf(name, sizeof(name), "01-%02x-%02x-%02x-%02x-%02x-%02x", dev->mac[0], dev->mac[1],
		 dev->mac[2], dev->mac[3], dev->mac[4], dev->mac[5]);
	err = pxe_try(addr, prefix, name, len);
	if (err != -ENOENT)
		return err;
	net_parse_ip(env_get("ipaddr"), &ip);
	snprintf(hex, sizeof(hex), "%08X", ip);
	for (int n = 8; n > 0; n--) {
		snprintf(name, sizeof(name), "%.*s", n, hex);
		err = pxe_try(addr, prefix, name, len);
		if (err != -ENOENT)
			return err;
	}
	err = pxe_try(addr, prefix, "default-arm", len);
	if (err == -ENOENT)
		err = pxe_try(addr, prefix, "default", len);
	return err;
}

static int pxe_load(const struct boot_source *src, const char *path, uintptr_t addr, uint64_t *len)
{
	return netboot_tftp_file(addr, netboot_server(), path, UINT64_MAX, true, len);
}

int pxe_boot(uintptr_t addr)
{
	struct boot_source src = {.load = pxe_load};
	struct extlinux_conf *c;
	char prefix[PXE_PREFIX_MAX], s[16];
	const char *text = phys_to_virt(addr);
	uint64_t avail = MIN(mem_gate_readable(mem_map_board(), addr), (uint64_t)PXE_CONF_MAX);
	int err;

	/* The configuration is read up to its NUL, within what may be read. */
	if (mem_gate(addr, avail ? avail : 1, MEM_READ) || !avail)
		return -EFAULT;
	err = netboot_start(true);
	if (err)
		return err;
	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	snprintf(src.desc, sizeof(src.desc), "tftp %s", net_ip_str(netboot_server(), s));
	pxe_prefix(prefix);
	err = extlinux_parse(text, strnlen(text, avail), c);
	if (!err)
		err = extlinux_boot_conf(&src, prefix, c);
	if (err)
		printf("pxe: nothing in the configuration at 0x%llx could be booted\n",
		       (unsigned long long)addr);
	free(c);
	return err;
}
