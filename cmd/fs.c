// SPDX-License-Identifier: MIT
/*
 * Filesystem commands with U-Boot's syntax: ls, load, size, fstype, fsuuid,
 * save, rm and the ext4ls/ext4load/ext4size/fatls/fatload/fatsize/fatwrite/
 * fatrm spellings that existing boot scripts use (the filesystem is probed
 * either way).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <pvboot/arch.h>
#include <pvboot/command.h>
#include <pvboot/env.h>
#include <pvboot/fs.h>
#include <pvboot/memgate.h>
#include <pvboot/timer.h>

static int do_ls(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	int ret;

	if (argc < 3)
		return CMD_RET_USAGE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	ret = fs_ls(argc > 3 ? argv[3] : "/");
	fs_close();
	return ret ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_load(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr;
	uint64_t bytes = 0, pos = 0, size, len, got;
	const char *name;
	uint64_t t0;
	int ret;

	if (argc < 3)
		return CMD_RET_USAGE;
	if (argc > 3) {
		if (parse_ulong(argv[3], &addr))
			return CMD_RET_USAGE;
	} else {
		addr = env_get_hex("loadaddr", 0);
	}
	name = argc > 4 ? argv[4] : env_get("bootfile");
	if (!name || !*name) {
		printf("** No boot file defined **\n");
		return CMD_RET_FAILURE;
	}
	if ((argc > 5 && parse_u64(argv[5], &bytes)) || (argc > 6 && parse_u64(argv[6], &pos)))
		return CMD_RET_USAGE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	ret = fs_size(name, &size);
	if (ret) {
		printf(ret == -EISDIR ? "** %s is a directory **\n" : "** File not found %s **\n",
		       name);
		goto out;
	}
	if (pos > size) {
		printf("** Offset 0x%llx is beyond the end of %s (0x%llx bytes) **\n",
		       (unsigned long long)pos, name, (unsigned long long)size);
		ret = -EINVAL;
		goto out;
	}
	len = size - pos;
	if (bytes && bytes < len)
		len = bytes;
	/* Refuse before reading anything: nothing of pvboot gets overwritten. */
	ret = mem_gate(addr, len, MEM_WRITE);
	if (ret)
		goto out;
	t0 = timer_us();
	/* len 0 would mean "to the end of the file", unchecked if the file changed. */
	got = 0;
	ret = len ? fs_read(name, addr, pos, len, &got) : 0;
	if (ret)
		goto out;
	print_rate(got, timer_us() - t0);
	env_set_hex("fileaddr", addr);
	env_set_hex("filesize", got);
out:
	fs_close();
	return ret ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

static int do_size(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	uint64_t size;
	int ret;

	if (argc != 4)
		return CMD_RET_USAGE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	ret = fs_size(argv[3], &size);
	fs_close();
	if (ret) {
		printf("** File not found %s **\n", argv[3]);
		return CMD_RET_FAILURE;
	}
	env_set_hex("filesize", size);
	return CMD_RET_SUCCESS;
}

static int do_fstype(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	const char *name;

	if (argc < 3 || argc > 4)
		return CMD_RET_USAGE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	name = fs_get_type_name();
	if (argc == 4)
		env_set(argv[3], name);
	else
		printf("%s\n", name);
	fs_close();
	return CMD_RET_SUCCESS;
}

static int do_fsuuid(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	char uuid[40];
	int ret;

	if (argc < 3 || argc > 4)
		return CMD_RET_USAGE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	ret = fs_uuid(uuid, sizeof(uuid));
	fs_close();
	if (ret) {
		printf("** No UUID on this filesystem **\n");
		return CMD_RET_FAILURE;
	}
	if (argc == 4)
		env_set(argv[3], uuid);
	else
		printf("%s\n", uuid);
	return CMD_RET_SUCCESS;
}

#ifdef CONFIG_FS_FAT_WRITE
/* save/fatwrite <interface> <dev[:part]> <addr> <filename> [bytes [pos]] */
static int do_save(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	unsigned long addr;
	uint64_t bytes, pos = 0, t0;
	int ret;

	if (argc < 5 || (!strcmp(argv[0], "save") && argc < 6))
		return CMD_RET_USAGE;
	if (parse_ulong(argv[3], &addr))
		return CMD_RET_USAGE;
	if (argc > 5) {
		if (parse_u64(argv[5], &bytes))
			return CMD_RET_USAGE;
	} else {
		bytes = env_get_hex("filesize", 0);
	}
	if (argc > 6 && parse_u64(argv[6], &pos))
		return CMD_RET_USAGE;
	if (pos) {
		printf("** Writing at an offset is not supported: files are replaced whole **\n");
		return CMD_RET_FAILURE;
	}
	if (mem_gate(addr, bytes, MEM_READ))
		return CMD_RET_FAILURE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	t0 = timer_us();
	ret = fs_write(argv[4], phys_to_virt(addr), bytes);
	fs_close();
	if (ret)
		return CMD_RET_FAILURE;
	print_write_rate(bytes, timer_us() - t0);
	return CMD_RET_SUCCESS;
}

static int do_rm(struct cmd_tbl *cmdtp, int flag, int argc, char *const argv[])
{
	int ret;

	if (argc != 4)
		return CMD_RET_USAGE;
	if (fs_set_blk_dev(argv[1], argv[2]))
		return CMD_RET_FAILURE;
	ret = fs_unlink(argv[3]);
	fs_close();
	return ret ? CMD_RET_FAILURE : CMD_RET_SUCCESS;
}

#define FATWRITE_HELP                                                                 \
	"<interface> <dev[:part]> <addr> <filename> [<bytes> [<offset>]]\n"           \
	"    - write 'bytes' (hex, default ${filesize}) from 'addr' to 'filename',\n" \
	"      creating or replacing it (its directory must exist). A cut at any\n"   \
	"      point leaves the old or the new file. 'offset' must be 0."
#define RM_HELP                                 \
	"<interface> <dev[:part]> <filename>\n" \
	"    - delete 'filename'"

PVBOOT_CMD(save, 7, do_save, "save file to a filesystem",
	   "<interface> <dev[:part]> <addr> <filename> bytes [pos]\n"
	   "    - save 'bytes' (hex, mandatory) from 'addr' in memory to 'filename',\n"
	   "      creating or replacing it. 'pos' must be 0 (files are replaced whole).");
PVBOOT_CMD_ALIAS(fatwrite, 7, do_save, "write file into a dos filesystem", FATWRITE_HELP);
PVBOOT_CMD(rm, 4, do_rm, "delete a file", RM_HELP);
PVBOOT_CMD_ALIAS(fatrm, 4, do_rm, "delete a file in a FAT filesystem", RM_HELP);
#endif

#define LS_HELP                                  \
	"<interface> <dev[:part]> [directory]\n" \
	"    - list files from 'dev' on 'interface' in 'directory' (default /)"
#define LOAD_HELP                                                                   \
	"<interface> <dev[:part]> [<addr> [<filename> [bytes [pos]]]]\n"            \
	"    - load 'bytes' (hex, 0 = whole file) from 'pos' (hex) of 'filename'\n" \
	"      to 'addr' (default ${loadaddr}; filename default ${bootfile});\n"    \
	"      sets ${filesize}. Refused if it would overwrite pvboot or leave RAM."
#define SIZE_HELP                               \
	"<interface> <dev[:part]> <filename>\n" \
	"    - set ${filesize} to the size of 'filename' (hex)"

PVBOOT_CMD(ls, 4, do_ls, "list files in a directory (default /)", LS_HELP);
PVBOOT_CMD(load, 7, do_load, "load binary file from a filesystem", LOAD_HELP);
PVBOOT_CMD(size, 4, do_size, "determine a file's size", SIZE_HELP);
PVBOOT_CMD(fstype, 4, do_fstype, "look up a filesystem type",
	   "<interface> <dev>:<part> [varname]\n"
	   "    - print the filesystem type, or store it in 'varname'");
PVBOOT_CMD(fsuuid, 4, do_fsuuid, "look up a filesystem UUID",
	   "<interface> <dev>:<part> [varname]\n"
	   "    - print the filesystem UUID, or store it in 'varname'");
PVBOOT_CMD_ALIAS(ext4ls, 4, do_ls, "list files in a directory (default /)", LS_HELP);
PVBOOT_CMD_ALIAS(ext4load, 7, do_load, "load binary file from a filesystem", LOAD_HELP);
PVBOOT_CMD_ALIAS(ext4size, 4, do_size, "determine a file's size", SIZE_HELP);
PVBOOT_CMD_ALIAS(fatls, 4, do_ls, "list files in a directory (default /)", LS_HELP);
PVBOOT_CMD_ALIAS(fatload, 7, do_load, "load binary file from a filesystem", LOAD_HELP);
PVBOOT_CMD_ALIAS(fatsize, 4, do_size, "determine a file's size", SIZE_HELP);
