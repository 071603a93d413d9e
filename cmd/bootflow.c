// SPDX-License-Identifier: MIT
/* bootflow scan, sysboot: distro boot (extlinux.conf, boot.scr) by hand. */
#include <stdio.h>
#include <string.h>
#include <pvboot/bootflow.h>
#include <pvboot/command.h>
#include <pvboot/env.h>

static int do_bootflow(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	bool list = false, boot = false;

	if (argc < 2 || strcmp(argv[1], "scan"))
		return CMD_RET_USAGE;
	if (argc > 2) {
		if (argv[2][0] != '-')
			return CMD_RET_USAGE;
		for (const char *f = argv[2] + 1; *f; f++) {
			if (*f == 'l')
				list = true;
			else if (*f == 'b')
				boot = true;
			else
				return CMD_RET_USAGE;
		}
	}
	return bootflow_scan(list || !boot, boot) ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

PVBOOT_CMD(bootflow, 3, do_bootflow, "find and boot an OS on the PV disks",
	   "scan [-lb]\n"
	   "    - scan every pvblock disk and partition (bootable first) for\n"
	   "      /extlinux/extlinux.conf, /boot/extlinux/extlinux.conf, /boot.scr\n"
	   "      and /boot/boot.scr; -l lists what is found, -b boots it");

static int do_sysboot(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	struct boot_source src = {0};
	struct blk_desc *dev;
	const char *file = argc > 5 ? argv[5] : env_get("bootfile");
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "-p"))
		i++; /* prompt is always offered when there are several labels */
	if (argc < i + 3)
		return CMD_RET_USAGE;
	if (strcmp(argv[i + 2], "any") && strcmp(argv[i + 2], "ext2") &&
	    strcmp(argv[i + 2], "ext4") && strcmp(argv[i + 2], "fat"))
		return CMD_RET_USAGE;
	if (part_get_info_by_dev_and_part(argv[i], argv[i + 1], &dev, &src.part))
		return CMD_RET_FAILURE;
	src.dev_handle = dev->dev.handle;
	snprintf(src.desc, sizeof(src.desc), "%s %s", argv[i], argv[i + 1]);
	if (argc > i + 4)
		file = argv[i + 4];
	if (!file) {
		printf("sysboot: no file name and bootfile is not set\n");
		return CMD_RET_FAILURE;
	}
	extlinux_boot(&src, file);
	return CMD_RET_FAILURE;
}

PVBOOT_CMD(sysboot, 7, do_sysboot, "command to get and boot from syslinux files",
	   "[-p] <interface> <dev[:part]> <ext2|fat|any> [addr] [filename]\n"
	   "    - load and parse the extlinux.conf 'filename' (default ${bootfile})\n"
	   "      on the given partition and boot its default label; 'addr' is\n"
	   "      accepted for compatibility (${pxefile_addr_r} is used)");
