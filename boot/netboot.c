// SPDX-License-Identifier: MIT
/*
 * U-Boot's network environment over net/: what dhcp, tftpboot and wget read
 * and set, how they report, and the memory gate for every byte a server
 * sends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/env.h>
#include <pvboot/errstr.h>
#include <pvboot/format.h>
#include <pvboot/memgate.h>
#include <pvboot/net.h>
#include <pvboot/netboot.h>
#include <pvboot/timer.h>

#define DEFAULT_TFTP_BLKSIZE 1468 /* a full frame: no fragments, as U-Boot */
#define DEFAULT_TFTP_WINDOW 16
#define HTTP_PORT 80

static void mac_str(const uint8_t *m, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

int netboot_env_init(void)
{
	for (struct eth_dev *d = eth_first(); d; d = d->next) {
		char name[16], mac[18];

		if (d->index)
			snprintf(name, sizeof(name), "eth%daddr", d->index);
		else
			snprintf(name, sizeof(name), "ethaddr");
		mac_str(d->mac, mac);
		env_set(name, mac);
		printf("Net:   %s, MAC %s\n", d->name, mac);
	}
	if (eth_first() && !env_get("ethact"))
		env_set("ethact", eth_first()->name);
	return 0;
}

struct eth_dev *netboot_dev(void)
{
	const char *act = env_get("ethact");
	struct eth_dev *d = act ? eth_get_by_name(act) : NULL;

	if (!d)
		d = eth_first();
	if (!d)
		printf("No network device (add vif = [...] to the guest's xl config)\n");
	return d;
}

static uint32_t env_ip(const char *name)
{
	const char *s = env_get(name);
	uint32_t ip = 0;

	if (s && *s && net_parse_ip(s, &ip)) {
		printf("** %s = '%s' is not an IPv4 address, ignored **\n", name, s);
		ip = 0;
	}
	return ip;
}

static unsigned long env_dec(const char *name, unsigned long def, unsigned long max)
{
	const char *s = env_get(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return def;
	v = strtoul(s, &end, 10);
	if (*end || v > max) {
		printf("** %s = '%s' is not a number up to %lu, using %lu **\n", name, s, max, def);
		return def;
	}
	return v;
}

int netboot_start(bool need_ip)
{
	struct eth_dev *dev = netboot_dev();
	struct net_config cfg = {0};
	const char *mac = env_get("ethaddr");

	if (!dev)
		return -ENODEV;
	cfg.ip = env_ip("ipaddr");
	cfg.netmask = env_ip("netmask");
	cfg.gateway = env_ip("gatewayip");
	/* ethaddr is ours to change, as in U-Boot; the device's own otherwise. */
	if (!dev->index && mac && (eth_parse_mac(mac, cfg.mac) || !eth_mac_valid(cfg.mac))) {
		printf("** ethaddr = '%s' is not a unicast MAC address, using the device's **\n",
		       mac);
		memset(cfg.mac, 0, sizeof(cfg.mac));
	}
	if (need_ip && !cfg.ip) {
		printf("*** ERROR: `ipaddr' not set (run dhcp, or setenv ipaddr) ***\n");
		return -EADDRNOTAVAIL;
	}
	return net_start(dev, &cfg);
}

static void set_ip(const char *name, uint32_t ip)
{
	char s[16];

	if (ip)
		env_set(name, net_ip_str(ip, s));
}

int netboot_dhcp(void)
{
	struct dhcp_lease l;
	uint64_t t0 = timer_us();
	char s[16];
	int err = netboot_start(false);

	if (err)
		return err;
	err = net_dhcp(&l);
	if (err) {
		printf("DHCP failed: %s\n",
		       err == -ETIMEDOUT ? "no DHCP server answered" : errno_str(err));
		return err;
	}
	printf("DHCP client bound to address %s (%llu ms)\n", net_ip_str(l.ip, s),
	       (unsigned long long)(timer_us() - t0) / 1000);
	set_ip("ipaddr", l.ip);
	set_ip("netmask", l.netmask);
	set_ip("gatewayip", l.gateway);
	set_ip("serverip", l.server);
	set_ip("dnsip", l.dns);
	if (l.bootfile[0])
		env_set("bootfile", l.bootfile);
	if (l.hostname[0])
		env_set("hostname", l.hostname);
	if (l.domain[0])
		env_set("domain", l.domain);
	return 0;
}

/* "[ip:]name" -> server and name; NULL spec: ${serverip} and ${bootfile}. */
static int split_spec(const char *spec, uint32_t *server, char *name, size_t size)
{
	const char *colon = spec ? strchr(spec, ':') : NULL;

	*server = env_ip("serverip");
	if (!spec) {
		spec = env_get("bootfile");
		if (!spec || !*spec) {
			printf(
			    "*** ERROR: `bootfile' not set (run dhcp, or give a file name) ***\n");
			return -EINVAL;
		}
	} else if (colon) {
		char ip[16];

		if ((size_t)(colon - spec) >= sizeof(ip)) {
			printf("** '%s': bad server address **\n", spec);
			return -EINVAL;
		}
		snprintf(ip, sizeof(ip), "%.*s", (int)(colon - spec), spec);
		if (net_parse_ip(ip, server)) {
			printf("** '%s' is not an IPv4 address **\n", ip);
			return -EINVAL;
		}
		spec = colon + 1;
	}
	if (!*server) {
		printf("*** ERROR: `serverip' not set ***\n");
		return -EINVAL;
	}
	if (!*spec || strlen(spec) >= size) {
		printf("** file name '%s' is empty or too long **\n", spec);
		return -EINVAL;
	}
	strcpy(name, spec);
	return 0;
}

static int gate_write(uintptr_t addr, uint64_t len)
{
	if (!mem_gate_map(mem_map_board(), addr, len, MEM_WRITE, NULL, 0, true))
		return 0;
	/* The refusal on its own line, not after the progress marks. */
	printf("\n");
	return mem_gate(addr, len, MEM_WRITE);
}

/*
 * A download to addr: the room the memory gate gives there is known before
 * the first packet; a byte past it goes to the gate, which refuses it and
 * says what is in the way. No room at all: refused before any packet.
 */
static int dest_init(struct net_dest *d, uintptr_t addr, uint64_t max)
{
	memset(d, 0, sizeof(*d));
	d->checked = mem_gate_room(mem_map_board(), addr, NULL, 0);
	if (!d->checked) {
		mem_gate(addr, 1, MEM_WRITE); /* says why */
		return -EFAULT;
	}
	d->addr = addr;
	d->base = phys_to_virt(addr);
	d->max = max;
	d->gate = gate_write;
	return 0;
}

static void report(uintptr_t addr, uint64_t len, uint64_t us)
{
	char line[96];

	printf("Bytes transferred = %llu (%llx hex)\n", (unsigned long long)len,
	       (unsigned long long)len);
	format_rate(line, sizeof(line), len, us);
	printf("%s\n", line);
	env_set_hex("fileaddr", addr);
	env_set_hex("filesize", len);
}

int netboot_tftp_file(uintptr_t addr, uint32_t server, const char *name, uint64_t max, bool verbose,
		      uint64_t *len)
{
	struct tftp_opts o = {.progress = verbose};
	struct net_dest d;
	char s[16], us[16];
	uint64_t t0;
	int err;

	o.blksize = (unsigned int)env_dec("tftpblocksize", DEFAULT_TFTP_BLKSIZE, TFTP_MAX_BLKSIZE);
	o.windowsize = (unsigned int)env_dec("tftpwindowsize", DEFAULT_TFTP_WINDOW, 64);
	o.timeout_ms = (unsigned int)env_dec("tftptimeout", 1000, 60000);
	o.retries = (unsigned int)env_dec("tftptimeoutcountmax", 10, 1000);
	if (o.blksize && o.blksize < 8)
		o.blksize = 8;
	err = dest_init(&d, addr, max);
	if (err)
		return err;
	if (verbose) {
		printf("Using %s device\n", netboot_dev()->name);
		printf("TFTP from server %s; our IP address is %s\n", net_ip_str(server, s),
		       net_ip_str(env_ip("ipaddr"), us));
		printf("Filename '%s'.\nLoad address: 0x%llx\nLoading: ", name,
		       (unsigned long long)addr);
	}
	t0 = timer_us();
	err = net_tftp_get(server, name, &o, &d);
	if (err) {
		if (verbose || err != -ENOENT)
			printf("TFTP of '%s' failed: %s\n", name, errno_str(err));
		return err;
	}
	if (verbose)
		report(addr, d.len, timer_us() - t0);
	*len = d.len;
	return 0;
}

int netboot_tftp(uintptr_t addr, const char *spec, uint64_t *len)
{
	char name[256];
	uint32_t server;
	int err = netboot_start(true);

	if (!err)
		err = split_spec(spec, &server, name, sizeof(name));
	if (err)
		return err;
	return netboot_tftp_file(addr, server, name, UINT64_MAX, true, len);
}

uint32_t netboot_server(void)
{
	return env_ip("serverip");
}

/* "http://a.b.c.d[:port]/path" or "[ip:]path". */
static int split_url(const char *spec, uint32_t *server, uint16_t *port, char *path, size_t size)
{
	const char *p, *slash;
	char host[24];
	unsigned long n = HTTP_PORT;

	if (!spec || strncmp(spec, "http://", 7))
		return split_spec(spec, server, path, size);
	p = spec + 7;
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= sizeof(host)) {
		printf("** '%s': expected http://IP[:port]/path **\n", spec);
		return -EINVAL;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(slash - p), p);
	if (strchr(host, ':')) {
		char *end;

		n = strtoul(strchr(host, ':') + 1, &end, 10);
		*strchr(host, ':') = '\0';
		if (*end || !n || n > 65535) {
			printf("** '%s': bad port **\n", spec);
			return -EINVAL;
		}
	}
	if (net_parse_ip(host, server)) {
		printf("** '%s': the host must be an IPv4 address (no DNS) **\n", host);
		return -EINVAL;
	}
	if (strlen(slash) >= size)
		return -ENAMETOOLONG;
	strcpy(path, slash);
	*port = (uint16_t)n;
	return 0;
}

int netboot_wget(uintptr_t addr, const char *spec, uint64_t *len)
{
	struct net_dest d;
	char path[256], host[24];
	uint32_t server;
	uint16_t port = HTTP_PORT;
	uint64_t t0;
	int err = netboot_start(true);

	if (!err)
		err = split_url(spec, &server, &port, path + 1, sizeof(path) - 1);
	if (err)
		return err;
	/* A bare name is a path from the server's root. */
	path[0] = '/';
	net_ip_str(server, host);
	err = dest_init(&d, addr, UINT64_MAX);
	if (err)
		return err;
	printf("HTTP from %s:%u, GET %s\nLoading: ", host, port, path[1] == '/' ? path + 1 : path);
	t0 = timer_us();
	err = net_http_get(server, port, host, path[1] == '/' ? path + 1 : path, true, &d);
	if (err) {
		printf("wget of '%s' failed: %s\n", path[1] == '/' ? path + 1 : path,
		       errno_str(err));
		return err;
	}
	report(addr, d.len, timer_us() - t0);
	*len = d.len;
	return 0;
}
