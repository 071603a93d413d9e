// SPDX-License-Identifier: MIT
/*
 * pvblock: U-Boot's block-device commands for Xen PV disks (info, device,
 * part, read, write), plus flush and rescan. Reads and writes print the
 * U-Boot "N blocks read: OK" line and the size, time and rate.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/blk.h>
#include <pvboot/command.h>
#include <pvboot/errstr.h>
#include <pvboot/format.h>
#include <pvboot/memgate.h>
#include <pvboot/part.h>
#include <pvboot/pvblock.h>
#include <pvboot/timer.h>

static int pvblock_curr;

static struct blk_desc *pvblock_dev_arg(int argc, char *const argv[], int idx)
{
	unsigned long n = pvblock_curr;
	struct blk_desc *dev;

	if (argc > idx && parse_ulong(argv[idx], &n)) {
		printf("pvblock: '%s' is not a device number\n", argv[idx]);
		return NULL;
	}
	dev = n > 0xffff ? NULL : blk_get_dev("pvblock", (int)n);
	if (!dev)
		printf("pvblock: no device %lu\n", n);
	return dev;
}

static int do_pvblock_info(void)
{
	struct blk_desc *d;
	int n = 0;

	for (d = blk_first(); d; d = d->next) {
		if (strcmp(d->if_type, "pvblock"))
			continue;
		pvblock_print_info(d);
		n++;
	}
	if (!n) {
		printf("no pvblock devices available\n");
		return CMD_RET_FAILURE;
	}
	return CMD_RET_SUCCESS;
}

static int do_pvblock_rw(bool write, char *const argv[])
{
	unsigned long addr;
	uint64_t blk, cnt, us;
	struct blk_desc *dev;
	long ret;

	if (parse_ulong(argv[2], &addr) || parse_u64(argv[3], &blk) || parse_u64(argv[4], &cnt))
		return CMD_RET_USAGE;
	dev = blk_get_dev("pvblock", pvblock_curr);
	if (!dev) {
		printf("pvblock: no current device (see pvblock device)\n");
		return CMD_RET_FAILURE;
	}
	printf("\npvblock %s: device %d block # %llu, count %llu ... ", write ? "write" : "read",
	       pvblock_curr, (unsigned long long)blk, (unsigned long long)cnt);
	/* A read writes memory; a write only reads it. */
	if (mem_gate(addr, cnt > UINT64_MAX / dev->blksz ? UINT64_MAX : cnt * dev->blksz,
		     write ? MEM_READ : MEM_WRITE)) {
		printf("\n");
		return CMD_RET_FAILURE;
	}
	us = timer_us();
	if (write)
		ret = blk_write(dev, blk, cnt, (const void *)addr);
	else
		ret = blk_read(dev, blk, cnt, (void *)addr);
	us = timer_us() - us;
	if (ret < 0 || (uint64_t)ret != cnt) {
		printf("\npvblock %s failed: %s\n", write ? "write" : "read",
		       errno_str(ret < 0 ? (int)ret : -EIO));
		return CMD_RET_FAILURE;
	}
	printf("%llu blocks %s: OK\n", (unsigned long long)cnt, write ? "written" : "read");
	if (write)
		print_write_rate(cnt * dev->blksz, us);
	else
		print_rate(cnt * dev->blksz, us);
	return CMD_RET_SUCCESS;
}

static int do_pvblock(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	struct blk_desc *dev;

	if (argc < 2)
		return CMD_RET_USAGE;
	if (!strcmp(argv[1], "info") && argc == 2)
		return do_pvblock_info();
	if (!strcmp(argv[1], "device") && argc <= 3) {
		dev = pvblock_dev_arg(argc, argv, 2);
		if (!dev)
			return CMD_RET_FAILURE;
		pvblock_curr = dev->devnum;
		printf("\n");
		pvblock_print_info(dev);
		if (argc == 3)
			printf("... is now current device\n");
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(argv[1], "part") && argc <= 3) {
		dev = pvblock_dev_arg(argc, argv, 2);
		if (!dev)
			return CMD_RET_FAILURE;
		part_print(dev);
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(argv[1], "read") && argc == 5)
		return do_pvblock_rw(false, argv);
	if (!strcmp(argv[1], "write") && argc == 5)
		return do_pvblock_rw(true, argv);
	if (!strcmp(argv[1], "flush") && argc <= 3) {
		int ret;

		dev = pvblock_dev_arg(argc, argv, 2);
		if (!dev)
			return CMD_RET_FAILURE;
		ret = blk_flush(dev);
		if (ret) {
			printf("pvblock flush failed: %s\n", errno_str(ret));
			return CMD_RET_FAILURE;
		}
		printf("pvblock %d: flushed\n", dev->devnum);
		return CMD_RET_SUCCESS;
	}
	if (!strcmp(argv[1], "rescan") && argc == 2) {
		int n = pvblock_rescan();

		pvblock_curr = 0;
		if (n < 0) {
			printf("pvblock rescan failed: %s\n", errno_str(n));
			return CMD_RET_FAILURE;
		}
		printf("pvblock: %d disk(s)\n", n);
		return CMD_RET_SUCCESS;
	}
	return CMD_RET_USAGE;
}

PVBOOT_CMD(pvblock, 5, do_pvblock, "Xen para-virtualized block device",
	   "info  - show available block devices\n"
	   "pvblock device [dev] - show or set current device\n"
	   "pvblock part [dev] - print partition table of one or all devices\n"
	   "pvblock read  addr blk# cnt\n"
	   "pvblock write addr blk# cnt - read/write `cnt' blocks starting at block\n"
	   "     `blk#' to/from memory address `addr'\n"
	   "pvblock flush [dev] - write the backend's cache to the disk\n"
	   "pvblock rescan - disconnect every disk and probe again\n"
	   "     (env pvblock_persistent=1 selects persistent grants)");

static int do_blkcache(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned int hits, misses;
	struct blk_desc *d;

	if (argc != 2 || strcmp(argv[1], "show"))
		return CMD_RET_USAGE;
	blk_cache_stats(&hits, &misses);
	printf("block cache:\n    hits: %u\n    misses: %u\n    entries: %d\n", hits, misses,
	       CONFIG_BLK_CACHE_BLOCKS);
	for (d = blk_first(); d; d = d->next) {
		struct pvblock_stats st;

		if (pvblock_get_stats(d, &st))
			continue;
		printf("pvblock %d: requests %llu, max in flight %u, bounce copies %llu (%llu "
		       "bytes), persistent-pool copies %llu (%llu bytes)\n",
		       d->devnum, (unsigned long long)st.requests, st.max_inflight,
		       (unsigned long long)st.bounce_copies, (unsigned long long)st.bounce_bytes,
		       (unsigned long long)st.pool_copies, (unsigned long long)st.pool_bytes);
	}
	return CMD_RET_SUCCESS;
}

PVBOOT_CMD(blkcache, 2, do_blkcache, "block cache diagnostics",
	   "show - show cache statistics, bounce and persistent-pool copy counters");
