// SPDX-License-Identifier: MIT
/* part list/start/size/number/uuid/name with U-Boot's syntax and variables. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/part.h>

#define PART_LIST_MAX 128

static int part_dev(const char *iface, const char *devstr, struct blk_desc **dev)
{
	unsigned long n;

	if (parse_ulong(devstr, &n) || n > 0xffff) {
		printf("** Bad device specification %s %s **\n", iface, devstr);
		return -EINVAL;
	}
	*dev = blk_get_dev(iface, (int)n);
	if (!*dev) {
		printf("** Bad device specification %s %s **\n", iface, devstr);
		return -ENODEV;
	}
	return 0;
}

static int do_part_list(int argc, char *const argv[])
{
	struct disk_partition info;
	struct blk_desc *dev;

	if (argc < 2 || argc > 3)
		return CMD_RET_USAGE;
	if (part_dev(argv[0], argv[1], &dev))
		return CMD_RET_FAILURE;
	if (argc == 3) {
		/* Space-separated partition numbers, as U-Boot. */
		char list[PART_LIST_MAX * 4] = "";
		size_t o = 0;

		for (int p = 1; p <= PART_LIST_MAX; p++)
			if (!part_get_info(dev, p, &info) && o < sizeof(list))
				o += snprintf(list + o, sizeof(list) - o, "%s%d", o ? " " : "", p);
		env_set(argv[2], list);
		return CMD_RET_SUCCESS;
	}
	part_print(dev);
	return CMD_RET_SUCCESS;
}

enum part_param { P_START, P_SIZE, P_NUMBER, P_UUID, P_NAME };

static int do_part_param(enum part_param param, int argc, char *const argv[])
{
	struct disk_partition info;
	struct blk_desc *dev;
	char buf[80];
	int part;

	if (argc < 2 || argc > 3)
		return CMD_RET_USAGE;
	if (part_get_info_by_dev_and_part(argv[0], argv[1], &dev, &info))
		return CMD_RET_FAILURE;
	part = info.number;
	switch (param) {
	case P_START:
		snprintf(buf, sizeof(buf), "%llx", (unsigned long long)info.start);
		break;
	case P_SIZE:
		snprintf(buf, sizeof(buf), "%llx", (unsigned long long)info.size);
		break;
	case P_NUMBER:
		snprintf(buf, sizeof(buf), "0x%x", part);
		break;
	case P_UUID:
		snprintf(buf, sizeof(buf), "%s", info.uuid);
		break;
	case P_NAME:
		snprintf(buf, sizeof(buf), "%s", info.name);
		break;
	}
	if (argc == 3)
		env_set(argv[2], buf);
	else
		printf("%s\n", buf);
	return CMD_RET_SUCCESS;
}

static int do_part(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	static const struct {
		const char *name;
		enum part_param param;
	} params[] = {
	    {"start", P_START}, {"size", P_SIZE}, {"number", P_NUMBER},
	    {"uuid", P_UUID},	{"name", P_NAME},
	};

	if (argc < 2)
		return CMD_RET_USAGE;
	if (!strcmp(argv[1], "list"))
		return do_part_list(argc - 2, argv + 2);
	for (size_t i = 0; i < ARRAY_SIZE(params); i++)
		if (!strcmp(argv[1], params[i].name))
			return do_part_param(params[i].param, argc - 2, argv + 2);
	return CMD_RET_USAGE;
}

PVBOOT_CMD(part, 6, do_part, "disk partition related commands",
	   "list <interface> <dev> [varname]\n"
	   "    - print the partition table of the device, or store the list of\n"
	   "      partition numbers in 'varname'\n"
	   "part start <interface> <dev:part> [varname]\n"
	   "    - first block of the partition (hex)\n"
	   "part size <interface> <dev:part> [varname]\n"
	   "    - size of the partition in blocks (hex)\n"
	   "part number <interface> <dev#name> [varname]\n"
	   "    - number of the partition called 'name' (0x..)\n"
	   "part uuid <interface> <dev[:part]> [varname]\n"
	   "    - partition UUID (GPT GUID or MBR <disk signature>-<nn>)\n"
	   "part name <interface> <dev:part> [varname]\n"
	   "    - GPT partition name\n"
	   "<dev[:part]>: hex device and partition numbers; part omitted or 'auto'\n"
	   "    = first bootable partition, 0 = whole disk; '#name' selects by name");
