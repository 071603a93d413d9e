// SPDX-License-Identifier: MIT
/*
 * Every command that takes an address goes through the memory gate.
 *
 * The commands are the real ones, run through the real shell, over a guest
 * RAM of our own: a 16 MiB bank whose top MiB is "pvboot's" (read-only here)
 * with an unmapped stack guard page in it, and unmapped pages on both sides
 * of the bank. Each command is given hostile addresses: one past RAM, the
 * guard page, pvboot's memory for a write. It must refuse with the gate's
 * message and fail; touching the address instead faults, and the fault is
 * reported with the command's name. Filesystems, disks, the network stack
 * and the hand-off are stubs that touch the memory they are given, as the
 * real ones do: the network's servers write through the stack's real
 * download sink, a block at a time.
 *
 * The list is checked against the source tree: every PVBOOT_CMD in it must
 * be listed here, as taking an address (with hostile cases) or as not
 * taking one, so a new command cannot escape by being forgotten.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <libfdt.h>
#include <pvboot/blk.h>
#include <pvboot/board.h>
#include <pvboot/memgate.h>
#include <pvboot/boot.h>
#include <pvboot/bootstage.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/env_internal.h>
#include <pvboot/eth.h>
#include <pvboot/fs.h>
#include <pvboot/net.h>
#include <pvboot/efi.h>
#include <pvboot/netfront.h>
#include <pvboot/part.h>
#include <pvboot/pvblock.h>
#include "capture_console.h"
#include "../../net/net_priv.h"

/* Our own SIGSEGV handler reports which command touched what. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_segv=0";
}

#define RAM_SIZE (16u << 20)
#define PVBOOT_SIZE (1u << 20) /* the top of the bank */
#define SIDE (64u << 10)       /* unmapped on each side */

struct board_info board;
static uint8_t *ram;
static uintptr_t k_addr, out_addr, pv_addr, guard_addr, fdt_addr, edge_addr;

/* ---- stubs: what the commands reach below them ----------------------------- */
void env_defaults_apply(void)
{
}

void env_defaults_runtime(void)
{
}

void env_set_default(void)
{
	env_clear();
}

uintptr_t env_control_fdt(void)
{
	return fdt_addr;
}

static volatile uint8_t sink;

static void touch_write(void *p, size_t len)
{
	memset(p, 'x', len);
}

static void touch_read(const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sink ^= ((const volatile uint8_t *)p)[i];
}

static struct blk_desc disk = {
    .dev = {.handle = 1}, .if_type = "pvblock", .blksz = 512, .lba = 1 << 16};

struct blk_desc *blk_get_dev(const char *if_type, int devnum)
{
	return devnum == 0 ? &disk : NULL;
}

struct blk_desc *blk_next(uint32_t after)
{
	return after < disk.dev.handle ? &disk : NULL;
}

struct blk_desc *blk_get_by_handle(uint32_t handle)
{
	return handle == disk.dev.handle ? &disk : NULL;
}

long blk_read(struct blk_desc *dev, uint64_t lba, uint64_t cnt, void *buf)
{
	touch_write(buf, cnt * dev->blksz);
	return (long)cnt;
}

long blk_write(struct blk_desc *dev, uint64_t lba, uint64_t cnt, const void *buf)
{
	touch_read(buf, cnt * dev->blksz);
	return (long)cnt;
}

int blk_flush(struct blk_desc *dev)
{
	return 0;
}

void blk_cache_stats(unsigned int *hits, unsigned int *misses)
{
	*hits = *misses = 0;
}

int pvblock_rescan(const struct pvblock_options *opts)
{
	return 1;
}

void pvblock_get_options(struct pvblock_options *opts)
{
	opts->persistent = true;
}

void pvblock_print_info(struct blk_desc *dev)
{
}

int pvblock_get_stats(struct blk_desc *dev, struct pvblock_stats *st)
{
	return -1;
}

void part_whole_disk(struct blk_desc *dev, struct disk_partition *info)
{
	memset(info, 0, sizeof(*info));
	info->size = dev->lba;
}

int part_get_info(struct blk_desc *dev, int part, struct disk_partition *info)
{
	return -1;
}

int part_list(struct blk_desc *dev, struct disk_partition **parts)
{
	*parts = NULL;
	return 0;
}

const char *part_type_name(struct blk_desc *dev)
{
	return NULL;
}

void part_print(struct blk_desc *dev)
{
}

int part_get_info_by_dev_and_part(const char *iface, const char *dev_part_str,
				  struct blk_desc **dev, struct disk_partition *info)
{
	*dev = &disk;
	part_whole_disk(&disk, info);
	return 0;
}

/* A filesystem where every name exists and is 4 KiB long. */
int fs_set_blk_dev(const char *iface, const char *dev_part_str)
{
	return 0;
}

int fs_set_blk_dev_with_part(struct blk_desc *dev, const struct disk_partition *part)
{
	return 0;
}

void fs_close(void)
{
}

const char *fs_get_type_name(void)
{
	return "ext4";
}

int fs_uuid(char *buf, size_t len)
{
	return -1;
}

int fs_exists(const char *path)
{
	return 1;
}

int fs_size(const char *path, uint64_t *size)
{
	*size = 0x1000;
	return 0;
}

/* A write reads the whole buffer it is given, as FAT write does. */
int fs_write(const char *path, const void *buf, uint64_t len)
{
	touch_read(buf, len);
	return 0;
}

int fs_unlink(const char *path)
{
	return 0;
}

int fs_ls(const char *path)
{
	return 0;
}

int fs_read(const char *path, uintptr_t buf, uint64_t pos, uint64_t len, uint64_t *actread)
{
	len = len ? len : 0x1000;
	touch_write((void *)buf, len);
	*actread = len;
	return 0;
}

void bootstage_mark(const char *name)
{
}

int handoff_prepare(void)
{
	return 0;
}

void handoff_report(void)
{
}

/* UEFI reads the whole image and the DT it is given, as the real one does. */
int efi_run_image(const void *image, size_t len, const void *fdt, const char *options)
{
	touch_read(image, len);
	touch_read(fdt, 64);
	return 0;
}

int efi_debug_show(enum efi_debug_view view, const void *fdt)
{
	if (fdt)
		touch_read(fdt, 64);
	return 0;
}

void efi_set_bootdev(const char *iface, const char *dev_part, const char *path, uintptr_t addr,
		     uint64_t size)
{
}

__noreturn void arch_boot_linux(uintptr_t entry, uintptr_t dtb)
{
	fail_msg("a hostile booti reached the jump to 0x%lx", (unsigned long)entry);
	abort();
}

uint64_t timer_us(void)
{
	return 0;
}

void print_rate(uint64_t bytes, uint64_t us)
{
}

void print_write_rate(uint64_t bytes, uint64_t us)
{
}

void format_rate(char *buf, size_t len, uint64_t bytes, uint64_t us)
{
	snprintf(buf, len, "%llu bytes read in 0 ms", (unsigned long long)bytes);
}

const char *errno_str(int err)
{
	return "error";
}

uint64_t deadline_ms(unsigned long ms)
{
	return 0;
}

bool deadline_passed(uint64_t deadline)
{
	return true;
}

bool console_tstc(void)
{
	return false;
}

int console_getc(void)
{
	return -1;
}

void arch_cpu_relax(void)
{
}

/*
 * A network whose server has every file: a PXE configuration under
 * pxelinux.cfg/, 64 KiB of bytes otherwise, sent in TFTP-sized blocks
 * through net_dest_write as the real TFTP and HTTP clients do.
 */
static void print_info_stub(struct eth_dev *dev)
{
}

static const struct eth_ops eth_ops_stub = {.print_info = print_info_stub};
static struct eth_dev eth0 = {
    .name = "netfront0", .mac = {0x00, 0x16, 0x3e, 0, 0, 1}, .mtu = 1500, .ops = &eth_ops_stub};

struct eth_dev *eth_first(void)
{
	return &eth0;
}

struct eth_dev *eth_get_by_name(const char *name)
{
	return strcmp(name, eth0.name) ? NULL : &eth0;
}

int eth_parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	return -EINVAL;
}

bool eth_mac_valid(const uint8_t mac[ETH_ALEN])
{
	return false;
}

int netfront_rescan(void)
{
	return 1;
}

void net_get_stats(struct net_stats *st)
{
	memset(st, 0, sizeof(*st));
}

int net_start(struct eth_dev *dev, const struct net_config *cfg)
{
	return 0;
}

int net_parse_ip(const char *s, uint32_t *addr)
{
	unsigned int a, b, c, d;
	char end;

	if (!s || sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) != 4 || a > 255 || b > 255 ||
	    c > 255 || d > 255)
		return -EINVAL;
	*addr = a << 24 | b << 16 | c << 8 | d;
	return 0;
}

char *net_ip_str(uint32_t ip, char *buf)
{
	sprintf(buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return buf;
}

int net_dhcp(struct dhcp_lease *l)
{
	memset(l, 0, sizeof(*l));
	l->ip = 0x0a000002;
	l->netmask = 0xffffff00;
	l->server = 0x0a000001;
	strcpy(l->bootfile, "vmlinuz");
	return 0;
}

int net_ping(uint32_t ip, unsigned long timeout_ms, unsigned long *rtt_us)
{
	*rtt_us = 1;
	return 0;
}

static int serve(const char *file, struct net_dest *d)
{
	static const char conf[] = "default l\nlabel l\n  kernel Image\n  append x\n";
	uint8_t block[1468];
	size_t size = strstr(file, "pxelinux.cfg/") ? sizeof(conf) - 1 : 0x10000;

	d->len = 0;
	for (size_t off = 0; off < size; off += sizeof(block)) {
		size_t n = MIN(sizeof(block), size - off);
		int err;

		if (size == sizeof(conf) - 1)
			memcpy(block, conf, n);
		else
			memset(block, 'k', n);
		err = net_dest_write(d, off, block, n);
		if (err)
			return err;
	}
	return 0;
}

int net_tftp_get(uint32_t server, const char *file, const struct tftp_opts *o,
		 struct net_dest *dest)
{
	return serve(file, dest);
}

int net_http_get(uint32_t server, uint16_t port, const char *host, const char *path, bool progress,
		 struct net_dest *dest)
{
	return serve(path, dest);
}

/* ---- the commands, and how to attack each ------------------------------------ */

/*
 * ${k}: a valid kernel header in RAM; ${out}, ${guard}: unmapped; ${pv}:
 * pvboot's; ${edge}: the last 4 KiB below pvboot (a download starts there
 * and is stopped when it reaches pvboot).
 */
struct gated {
	const char *name;
	const char *attacks[8];
};

static const struct gated gated[] = {
    {"md", {"md ${out} 4", "md ${guard} 1", "md.q ${ram} fffffffffffffff"}},
    {"mw", {"mw ${out} 0 1", "mw ${pv} 0 1", "mw.b ${ram} 0 ffffffffffffffff"}},
    {"cp", {"cp ${out} ${ram} 1", "cp ${ram} ${pv} 4", "cp ${ram} ${out} 1"}},
    {"cmp", {"cmp ${ram} ${out} 1", "cmp ${guard} ${ram} 1"}},
    {"crc32",
     {"crc32 ${out} 10", "crc32 ${guard} 10", "crc32 ${ram} 10 ${pv}", "crc32 ${ram} 10 *${out}"}},
    {"fdt", {"fdt addr ${out}", "fdt addr ${guard}"}},
    {"env",
     {"env import -t ${out} 10", "env import -t ${guard}", "env import -b ${guard}",
      "env import -c ${guard} 100", "env export -t ${pv}", "env export -b -s 100 ${guard}",
      "env export -c -s 100 ${pv}"}},
    {"save", {"save pvblock 0:1 ${guard} /f 10", "save pvblock 0:1 ${ram} /f ffffffffffffffff"}},
    {"fatwrite", {"fatwrite pvblock 0:1 ${guard} /f 10"}},
    {"source", {"source ${out}", "source ${guard}"}},
    {"load", {"load pvblock 0:1 ${pv} /f", "load pvblock 0:1 ${out} /f"}},
    {"ext4load", {"ext4load pvblock 0:1 ${pv} /f"}},
    {"fatload", {"fatload pvblock 0:1 ${out} /f"}},
    {"pvblock",
     {"pvblock read ${pv} 0 1", "pvblock read ${out} 0 1", "pvblock write ${out} 0 1",
      "pvblock write ${guard} 0 1"}},
    {"booti",
     {"booti ${out}", "booti ${guard}", "booti ${k} ${out}", "booti ${k} ${pv}:100",
      "booti ${k} - ${out}", "booti ${k} - ${guard}", "booti 0"}},
    {"sysboot",
     {"setenv pxefile_addr_r ${pv}; sysboot pvblock 0:1 any 0 /extlinux.conf",
      "setenv pxefile_addr_r ${out}; sysboot pvblock 0:1 any 0 /extlinux.conf"}},
    {"bootflow", {"setenv pxefile_addr_r ${pv}; setenv scriptaddr ${out}; bootflow scan -b"}},
    {"bootefi",
     {"bootefi ${out}:100", "bootefi ${guard}:10", "bootefi ${ram}:fffffffffffffff0",
      "bootefi ${ram}:100 ${out}", "bootefi ${ram}:100 ${guard}",
      "setenv fdtcontroladdr ${out}; bootefi ${ram}:100"}},
    {"efidebug",
     {"setenv fdtcontroladdr ${out}; efidebug tables",
      "setenv fdtcontroladdr ${guard}; efidebug dh"}},
    {"tftpboot",
     {"tftpboot ${out} vmlinuz", "tftpboot ${pv} vmlinuz", "tftpboot ${guard} 10.0.0.1:vmlinuz",
      "tftpboot ${edge} vmlinuz", "setenv loadaddr ${out}; setenv bootfile vmlinuz; tftpboot"}},
    {"tftp", {"tftp ${pv} vmlinuz", "tftp ${edge} vmlinuz"}},
    {"wget",
     {"wget ${out} vmlinuz", "wget ${pv} http://10.0.0.1/vmlinuz", "wget ${guard} vmlinuz",
      "wget ${edge} http://10.0.0.1:8080/vmlinuz"}},
    {"dhcp",
     {"dhcp ${pv} vmlinuz", "dhcp ${edge} vmlinuz", "setenv loadaddr ${out}; dhcp vmlinuz"}},
    {"pxe",
     {"pxe get ${pv}", "pxe get ${out}", "pxe boot ${out}", "pxe boot ${guard}",
      "setenv kernel_addr_r ${pv}; pxe get; pxe boot",
      "setenv kernel_addr_r ${edge}; pxe get; pxe boot"}},
};

/* Commands that take no address from their arguments or the environment, and why. */
static const char *const no_address[] = {
    "version", "help",	    "echo",   "test",	  "true",     "false",	  "sleep",
    "time",    "run",	    "boot",   "setenv",	  "printenv", "reset",	  "poweroff",
    "bdinfo",  "bootstage", "xen",    "xenstore", "part",     "blkcache", "ls",
    "size",    "fstype",    "fsuuid", "ext4ls",	  "ext4size", "fatls",	  "fatsize",
    "sim",     "saveenv",   "rm",     "fatrm",	  "ping",     "net",
};
/*
 * run, time and boot run other commands, which are gated themselves;
 * setenv/printenv/env print only names and values; saveenv writes the
 * environment from pvboot's own buffer; rm/fatrm take only a file name; ping
 * sends to an IP address, not to memory; the rest read devices, XenStore or pvboot's own state into
 * its own buffers.
 */

static sigjmp_buf fault_jmp;
static volatile uintptr_t fault_addr;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	fault_addr = (uintptr_t)si->si_addr;
	siglongjmp(fault_jmp, 1);
}

static void *map_at_least(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

static int setup(void **state)
{
	uint8_t *area = map_at_least(SIDE + RAM_SIZE + SIDE);
	uint8_t *top;

	ram = area + SIDE;
	top = ram + RAM_SIZE - PVBOOT_SIZE;
	mem_gate_init(&board);
	board.nr_banks = 1;
	board.banks[0].start = (uintptr_t)ram;
	board.banks[0].size = RAM_SIZE;
	/* pvboot: DT copy, heap, guard page, stack; all read-only to the commands. */
	board.reserved_start = (uintptr_t)top;
	board.fdt = (uintptr_t)top;
	board.fdt_size = 0x10000;
	board.heap_start = (uintptr_t)top + 0x10000;
	board.heap_end = (uintptr_t)top + 0x80000;
	board.stack_base = board.heap_end + 0x1000;
	board.stack_top = board.stack_base + 0x10000;
	assert_int_equal(fdt_create_empty_tree(top, 0x10000), 0);
	assert_true(fdt_add_subnode(top, 0, "chosen") >= 0);
	assert_int_equal(fdt_pack(top), 0);
	fdt_addr = board.fdt;
	guard_addr = board.stack_base - 0x1000;
	pv_addr = board.heap_start;
	out_addr = (uintptr_t)ram + RAM_SIZE;
	edge_addr = (uintptr_t)top - 0x1000;
	/* An Image header in RAM, so that booti gets as far as its other arguments. */
	k_addr = (uintptr_t)ram + 0x200000;
	memcpy((void *)(k_addr + 56), "ARM\x64", 4);
	*(uint64_t *)(k_addr + 16) = 0x10000; /* image_size */
	assert_int_equal(mprotect(area, SIDE, PROT_NONE), 0);
	assert_int_equal(mprotect(ram + RAM_SIZE, SIDE, PROT_NONE), 0);
	assert_int_equal(mprotect(top, PVBOOT_SIZE, PROT_READ), 0);
	assert_int_equal(mprotect((void *)guard_addr, 0x1000, PROT_NONE), 0);
	return 0;
}

static void set_hex(const char *name, uintptr_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lx", (unsigned long)v);
	env_set(name, buf);
}

static void env_for_attack(void)
{
	env_set_default();
	env_clear();
	set_hex("ram", (uintptr_t)ram + 0x100000);
	set_hex("k", k_addr);
	set_hex("out", out_addr);
	set_hex("pv", pv_addr);
	set_hex("guard", guard_addr);
	set_hex("fdtcontroladdr", fdt_addr);
	set_hex("fdt_addr_r", (uintptr_t)ram + 0x800000);
	set_hex("kernel_addr_r", k_addr);
	set_hex("pxefile_addr_r", (uintptr_t)ram + 0x180000);
	set_hex("scriptaddr", (uintptr_t)ram + 0x100000);
	set_hex("ramdisk_addr_r", (uintptr_t)ram + 0xa00000);
	set_hex("edge", edge_addr);
	env_set("ipaddr", "10.0.0.2");
	env_set("serverip", "10.0.0.1");
}

static bool listed_gated(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(gated); i++)
		if (!strcmp(gated[i].name, name))
			return true;
	return false;
}

static bool listed_no_address(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(no_address); i++)
		if (!strcmp(no_address[i], name))
			return true;
	return false;
}

/* One hostile case: refused by the gate, failed, nothing touched. */
static bool refused(const char *attack)
{
	/* cmocka installs its own handlers for each test: ours go in after them. */
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER};
	int ret;

	assert_int_equal(sigaction(SIGSEGV, &sa, NULL), 0);
	assert_int_equal(sigaction(SIGBUS, &sa, NULL), 0);
	env_for_attack();
	if (sigsetjmp(fault_jmp, 1)) {
		capture_on = false;
		printf("NOT GATED: '%s' touched 0x%lx\n", attack, (unsigned long)fault_addr);
		return false;
	}
	ret = capture_run(attack);
	if (ret == 0 || !strstr(capture_out, "## Cannot ")) {
		printf("NOT GATED: '%s' returned %d, said:\n%s\n", attack, ret, capture_out);
		return false;
	}
	return true;
}

static void test_each_command_is_gated(void **state)
{
	unsigned int failures = 0, runs = 0;

	for (size_t i = 0; i < ARRAY_SIZE(gated); i++) {
		assert_non_null(find_cmd(gated[i].name));
		for (size_t j = 0; j < ARRAY_SIZE(gated[i].attacks) && gated[i].attacks[j]; j++) {
			runs++;
			failures += !refused(gated[i].attacks[j]);
		}
	}
	printf("%u hostile commands of %zu address-taking commands run\n", runs, ARRAY_SIZE(gated));
	assert_int_equal(failures, 0);
}

/* Collect "PVBOOT_CMD(name" / "PVBOOT_CMD_ALIAS(name" from every .c below dir. */
static void scan_tree(const char *dir, char names[][32], size_t *n, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512], line[512];
		struct stat st;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			scan_tree(path, names, n, max);
			continue;
		}
		if (!strstr(e->d_name, ".c") || strcmp(strrchr(e->d_name, '.'), ".c"))
			continue;
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			char *p = strstr(line, "PVBOOT_CMD");
			size_t len;

			if (p != line || !strchr(line, '('))
				continue;
			p = strchr(line, '(') + 1;
			while (*p == ' ' || *p == '\n')
				p++;
			len = strcspn(p, ", \n");
			if (!len || len >= 32 || *n == max)
				continue;
			memcpy(names[*n], p, len);
			names[(*n)++][len] = '\0';
		}
		if (f)
			fclose(f);
	}
	closedir(d);
}

static void test_every_command_is_listed(void **state)
{
	static const char *const dirs[] = {"cmd", "shell", "boot", "common", "drivers", "disk",
					   "fs",  "xen",   "net",  "efi",    "arch"};
	static char names[256][32];
	size_t n = 0, unlisted = 0;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		scan_tree(dirs[i], names, &n, ARRAY_SIZE(names));
	if (n < 20)
		fail_msg("found only %zu commands: run this test from the source tree", n);
	for (size_t i = 0; i < n; i++) {
		if (listed_gated(names[i]) || listed_no_address(names[i]))
			continue;
		printf("command '%s' is in neither list of test_cmd_gate.c: does it take an "
		       "address?\n",
		       names[i]);
		unlisted++;
	}
	assert_int_equal(unlisted, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_command_is_listed),
	    cmocka_unit_test(test_each_command_is_gated),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
