// SPDX-License-Identifier: MIT
/*
 * Partitions and filesystems against images made by the real tools
 * (test/images/mkimages.sh): every file listed for an image is read through
 * pvboot's fs layer and compared byte for byte with the original; corrupt
 * variants must give a clear error and never crash (ASan/UBSan).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pvboot/fs.h>
#include "fileblk.h"

static char imgdir[4096];

static const char *img(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", imgdir, name);
	return path;
}

/* Read [pos, pos+len) of a host file (len 0 = to the end). */
static uint8_t *host_read(const char *path, uint64_t pos, uint64_t *len)
{
	int fd = open(path, O_RDONLY);
	uint8_t *buf;
	off_t size;

	assert_true(fd >= 0);
	size = lseek(fd, 0, SEEK_END);
	if (!*len)
		*len = (uint64_t)size - pos;
	buf = malloc(*len + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, *len, (off_t)pos), (ssize_t)*len);
	close(fd);
	return buf;
}

static uint64_t host_size(const char *path)
{
	int fd = open(path, O_RDONLY);
	off_t size = lseek(fd, 0, SEEK_END);

	close(fd);
	return (uint64_t)size;
}

/* One "fspath TAB hostpath TAB pos TAB len" line: compare the bytes. */
static void check_file(const char *fspath, const char *host, uint64_t pos, uint64_t len)
{
	uint64_t size = 0, act = 0, want = len;
	uint8_t *expect = host_read(host, pos, &want);
	uint8_t *got = malloc(want + 1);
	int ret;

	assert_non_null(got);
	ret = fs_size(fspath, &size);
	if (ret)
		fail_msg("fs_size(%s) = %d", fspath, ret);
	assert_int_equal(size, host_size(host));
	memset(got, 0xa5, want + 1);
	ret = fs_read(fspath, (uintptr_t)got, pos, len, &act);
	if (ret)
		fail_msg("fs_read(%s) = %d", fspath, ret);
	assert_int_equal(act, want);
	if (memcmp(got, expect, want))
		fail_msg("%s: content differs from %s", fspath, host);
	assert_int_equal(got[want], 0xa5); /* nothing written past the end */
	free(got);
	free(expect);
}

/* Check every line of NAME.list whose partition column (if any) is part. */
static int check_list(const char *list, int part, bool has_part)
{
	FILE *f = fopen(img(list), "r");
	char line[8192];
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *fields[5], *save = NULL, *p = line;
		int nf = 0, off = has_part ? 1 : 0;

		line[strcspn(line, "\n")] = '\0';
		while (nf < 5 && (fields[nf] = strtok_r(p, "\t", &save)))
			nf++, p = NULL;
		assert_int_equal(nf, 4 + off);
		if (has_part && atoi(fields[0]) != part)
			continue;
		check_file(fields[off], fields[off + 1], strtoull(fields[off + 2], NULL, 10),
			   strtoull(fields[off + 3], NULL, 10));
		n++;
	}
	fclose(f);
	return n;
}

/* part_get_info_by_dev_and_part(): 0 on success, the number in p->number. */
static int lookup(const char *iface, const char *spec, struct blk_desc **dev,
		  struct disk_partition *p)
{
	int ret = part_get_info_by_dev_and_part(iface, spec, dev, p);

	return ret ? ret : p->number;
}

static void mount_whole(struct fileblk *fb, const char *name, const char *want_type)
{
	struct disk_partition p;

	assert_int_equal(fileblk_open(fb, img(name), 0, 512), 0);
	part_whole_disk(&fb->desc, &p);
	log_reset();
	assert_int_equal(fs_set_blk_dev_with_part(&fb->desc, &p), 0);
	assert_string_equal(fs_get_type_name(), want_type);
}

static void check_image(const char *name, const char *type, int min_files)
{
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	char list[256];

	snprintf(list, sizeof(list), "%s", name);
	strcpy(strrchr(list, '.'), ".list");
	mount_whole(&fb, name, type);
	assert_true(check_list(list, 0, false) >= min_files);
	fs_close();
	fileblk_close(&fb);
}

static void test_ext_images(void **state)
{
	static const char *const names[] = {
	    "ext2-1k.img",	 "ext3-4k.img",	      "ext4-32bit.img",	 "ext4-64csum.img",
	    "ext4-1k.img",	 "ext4-noextent.img", "ext4-inline.img", "ext4-metabg.img",
	    "ext4-bigalloc.img", "ext4-64k.img",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		check_image(names[i], "ext4", 300);
		assert_null(strstr(log_text(), "corrupt"));
	}
}

static void test_huge_sparse(void **state)
{
	check_image("ext4-huge.img", "ext4", 2);
	check_image("ext2-huge.img", "ext4", 2);
}

static void test_fat_images(void **state)
{
	check_image("fat12.img", "fat", 300);
	check_image("fat16.img", "fat", 300);
	check_image("fat32.img", "fat", 300);
}

/* Contiguous extents must reach the driver as one request, not block by block. */
static void test_ext_big_reads(void **state)
{
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	uint64_t act;
	uint8_t *buf = malloc(307200);

	mount_whole(&fb, "ext4-64csum.img", "ext4");
	assert_int_equal(fs_read("/medium.bin", (uintptr_t)buf, 0, 1, &act), 0);
	fb.reads = fb.read_blocks = fb.max_req = 0;
	assert_int_equal(fs_read("/medium.bin", (uintptr_t)buf, 0, 0, &act), 0);
	assert_int_equal(act, 307200);
	/* One extent of 75 4-KiB blocks: the whole file in one 600-sector request. */
	assert_int_equal(fb.max_req, 600);
	assert_true(fb.reads <= 4); /* plus at most a few metadata cache misses */
	/* Unaligned range: bounce only the partial head and tail blocks. */
	fb.reads = fb.read_blocks = fb.max_req = 0;
	assert_int_equal(fs_read("/medium.bin", (uintptr_t)buf, 100, 300000, &act), 0);
	assert_int_equal(fb.max_req, 585); /* sectors 1..585 direct; 0 and 586 bounced */
	fs_close();
	fileblk_close(&fb);
	free(buf);
}

static void test_ls_output(void **state)
{
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	const char *out;

	mount_whole(&fb, "fat16.img", "fat");
	stdout_capture_start();
	assert_int_equal(fs_ls("/"), 0);
	out = stdout_capture_end();
	assert_non_null(strstr(out, "   307200   medium.bin\n"));
	assert_non_null(strstr(out, "            deep/\n"));
	assert_non_null(strstr(out, "A Long File Name With Spaces.txt\n"));
	assert_non_null(strstr(out, "ünïcødé-名前.txt\n"));
	assert_non_null(strstr(out, "\n9 file(s), 3 dir(s)\n"));
	stdout_capture_start();
	assert_int_equal(fs_ls("/nonexistent"), -ENOENT);
	out = stdout_capture_end();
	assert_non_null(strstr(out, "** Can not find directory"));
	fs_close();
	fileblk_close(&fb);

	mount_whole(&fb, "ext4-1k.img", "ext4");
	stdout_capture_start();
	assert_int_equal(fs_ls("/"), 0);
	out = stdout_capture_end();
	assert_non_null(strstr(out, "    <SYM>   fastlink\n"));
	assert_non_null(strstr(out, "   307200   medium.bin\n"));
	stdout_capture_start();
	assert_int_equal(fs_ls("/many"), 0);
	out = stdout_capture_end();
	assert_non_null(strstr(out, "\n300 file(s), 2 dir(s)\n")); /* htree dir + . and .. */
	fs_close();
	fileblk_close(&fb);
}

static void test_symlinks(void **state)
{
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	uint8_t buf[64];
	uint64_t act;

	mount_whole(&fb, "ext4-64csum.img", "ext4");
	log_reset();
	assert_int_equal(fs_read("/loop1", (uintptr_t)buf, 0, 0, &act), -ELOOP);
	assert_non_null(strstr(log_text(), "too many levels of symbolic links"));
	assert_int_equal(fs_read("/dirlink", (uintptr_t)buf, 0, 0, &act), -EISDIR);
	assert_true(fs_exists("/deep/d1/../d1/./d2"));
	assert_false(fs_exists("/hello.txt/x"));
	fs_close();
	fileblk_close(&fb);
}

static void test_fs_uuid(void **state)
{
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	char uuid[40];

	mount_whole(&fb, "fat32.img", "fat");
	assert_int_equal(fs_uuid(uuid, sizeof(uuid)), 0);
	assert_string_equal(uuid, "1234-5678");
	fs_close();
	fileblk_close(&fb);
	mount_whole(&fb, "ext2-1k.img", "ext4");
	assert_int_equal(fs_uuid(uuid, sizeof(uuid)), 0);
	assert_string_equal(uuid, "0f5e6d7c-1b2a-4c3d-8e9f-000000000010");
	fs_close();
	fileblk_close(&fb);
}

static void test_mbr(void **state)
{
	struct disk_partition p;
	struct blk_desc *dev;
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	const char *out;

	assert_int_equal(fileblk_open(&fb, img("mbr.img"), 0, 512), 0);
	assert_string_equal(part_type_name(&fb.desc), "dos");
	assert_int_equal(part_get_info(&fb.desc, 1, &p), 0);
	assert_int_equal(p.start, 2048);
	assert_int_equal(p.size, 32768);
	assert_true(p.bootable);
	assert_string_equal(p.uuid, "cafe1234-01");
	assert_string_equal(p.type, "0x83");
	assert_int_equal(part_get_info(&fb.desc, 3, &p), 0); /* the extended one itself */
	assert_string_equal(p.type, "0x05");
	assert_int_equal(part_get_info(&fb.desc, 5, &p), 0);
	assert_int_equal(p.start, 77824);
	assert_string_equal(p.uuid, "cafe1234-05");
	assert_int_equal(part_get_info(&fb.desc, 6, &p), 0);
	assert_int_equal(p.start, 112640);
	assert_int_equal(p.size, 8192);
	assert_int_equal(part_get_info(&fb.desc, 4, &p), -ENOENT);
	assert_int_equal(part_get_info(&fb.desc, 7, &p), -ENOENT);

	/* U-Boot syntax: no part = 1, auto = first bootable, 0 = whole disk, hex numbers. */
	assert_int_equal(lookup("host", "0", &dev, &p), 1);
	assert_int_equal(lookup("host", "0:auto", &dev, &p), 1);
	assert_int_equal(lookup("host", "0:0", &dev, &p), 0);
	assert_int_equal(p.size, fb.desc.lba);
	assert_int_equal(lookup("host", "0:6", &dev, &p), 6);
	/* Success is 0 (callers test for non-zero), the number is in p.number. */
	assert_int_equal(part_get_info_by_dev_and_part("host", "0:5", &dev, &p), 0);
	assert_int_equal(p.number, 5);
	assert_ptr_equal(dev, &fb.desc);
	assert_true(part_get_info_by_dev_and_part("host", "0:7", &dev, &p) < 0);
	assert_true(part_get_info_by_dev_and_part("host", "1:1", &dev, &p) < 0);
	assert_true(part_get_info_by_dev_and_part("host", "0:x", &dev, &p) < 0);

	stdout_capture_start();
	part_print(&fb.desc);
	out = stdout_capture_end();
	assert_non_null(strstr(out, "Partition Map for host device 0  --   Partition Type: DOS"));
	assert_non_null(strstr(out, "  1\t2048      \t32768     \tcafe1234-01\t83 Boot\n"));
	assert_non_null(strstr(out, "  3\t75776     \t53248     \tcafe1234-03\t05 Extd\n"));
	assert_non_null(strstr(out, "  6\t112640    \t8192      \tcafe1234-06\t01\n"));

	for (int part = 1; part <= 6; part++) {
		char spec[8];

		if (part == 3 || part == 4)
			continue;
		snprintf(spec, sizeof(spec), "0:%d", part);
		assert_int_equal(fs_set_blk_dev("host", spec), 0);
		assert_string_equal(fs_get_type_name(), part == 1 || part == 5 ? "ext4" : "fat");
		assert_true(check_list("mbr.list", part, true) > 5);
		fs_close();
	}
	fileblk_close(&fb);
}

/* 4 KiB logical sectors: partition offsets in 4 KiB units, FAT with 512-byte sectors inside. */
static void test_4k_sectors(void **state)
{
	struct disk_partition p;
	static struct fileblk fb;

	assert_int_equal(fileblk_open(&fb, img("mbr4k.img"), 0, 4096), 0);
	assert_int_equal(part_get_info(&fb.desc, 1, &p), 0);
	assert_int_equal(p.start, 256);
	assert_int_equal(p.blksz, 4096);
	assert_int_equal(part_get_info(&fb.desc, 5, &p), 0);
	assert_int_equal(p.start, 4608);
	for (int part = 1; part <= 5; part += 4) {
		assert_int_equal(fs_set_blk_dev("host", part == 1 ? "0:1" : "0:5"), 0);
		assert_true(check_list("mbr4k.list", part, true) > 5);
		fs_close();
	}
	fileblk_close(&fb);

	/* GPT with 4 KiB sectors: header at byte 4096, entries from LBA 2. */
	assert_int_equal(fileblk_open(&fb, img("gpt4k.img"), 0, 4096), 0);
	assert_string_equal(part_type_name(&fb.desc), "efi");
	assert_int_equal(part_get_info(&fb.desc, 1, &p), 0);
	assert_int_equal(p.start, 256);
	assert_int_equal(p.size, 4096);
	assert_int_equal(fs_set_blk_dev("host", "0:1"), 0);
	assert_true(check_list("gpt4k.list", 1, true) > 5);
	fs_close();
	fileblk_close(&fb);
}

static void test_dev_part_syntax(void **state)
{
	struct disk_partition p;
	struct blk_desc *dev;
	static struct fileblk fb;

	assert_int_equal(fileblk_open(&fb, img("mbr-boot2.img"), 0, 512), 0);
	assert_int_equal(lookup("host", "0", &dev, &p), 1);
	assert_int_equal(lookup("host", "0:", &dev, &p), 1);
	assert_int_equal(lookup("host", "0:auto", &dev, &p), 2);
	assert_int_equal(p.start, 4096);
	assert_true(p.bootable);
	assert_int_equal(lookup("host", "0:0", &dev, &p), 0);
	assert_int_equal(p.start, 0);
	assert_int_equal(p.size, 8192);
	fileblk_close(&fb);
	/* No table at all: the whole disk, whatever the syntax. */
	assert_int_equal(fileblk_open(&fb, img("fat12.img"), 0, 512), 0);
	assert_int_equal(lookup("host", "0", &dev, &p), 0);
	assert_int_equal(lookup("host", "0:auto", &dev, &p), 0);
	assert_true(part_get_info_by_dev_and_part("host", "0:1", &dev, &p) < 0);
	fileblk_close(&fb);
}

/* A loop over partitions reads the table once, whatever its size. */
static void test_part_list(void **state)
{
	static const int mbr_numbers[] = {1, 2, 3, 5, 6};
	struct disk_partition *parts;
	static struct fileblk fb;
	int n;

	assert_int_equal(fileblk_open(&fb, img("mbr.img"), 0, 512), 0);
	n = part_list(&fb.desc, &parts);
	assert_int_equal(n, 5);
	for (int i = 0; i < n; i++) {
		assert_int_equal(parts[i].number, mbr_numbers[i]);
		assert_int_equal(parts[i].blksz, 512);
	}
	assert_int_equal(parts[3].start, 77824);
	assert_string_equal(parts[3].uuid, "cafe1234-05");
	assert_string_equal(parts[2].type, "0x05"); /* the extended one itself */
	free(parts);
	fileblk_close(&fb);

	/* 128 entry slots, 2 used: one probe and one walk, not a table read per slot. */
	assert_int_equal(fileblk_open(&fb, img("gpt.img"), 0, 512), 0);
	fb.reads = 0;
	n = part_list(&fb.desc, &parts);
	assert_int_equal(n, 2);
	assert_true(fb.reads <= 6);
	assert_string_equal(parts[0].name, "rootfs");
	assert_int_equal(parts[1].number, 2);
	assert_string_equal(parts[1].name, "EFI boot ü");
	free(parts);
	fileblk_close(&fb);

	/* No table: nothing to list, nothing to free. */
	assert_int_equal(fileblk_open(&fb, img("fat12.img"), 0, 512), 0);
	assert_int_equal(part_list(&fb.desc, &parts), 0);
	assert_null(parts);
	fileblk_close(&fb);
}

static void test_mbr_ebr_loop(void **state)
{
	struct disk_partition p;
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */

	assert_int_equal(fileblk_open(&fb, img("mbr-ebrloop.img"), 0, 512), 0);
	log_reset();
	assert_int_equal(part_get_info(&fb.desc, 5, &p), 0);
	assert_int_equal(part_get_info(&fb.desc, 6, &p), 0);
	assert_int_equal(part_get_info(&fb.desc, 7, &p), -ENOENT);
	assert_non_null(strstr(log_text(), "chain loops"));
	assert_int_equal(part_get_info(&fb.desc, 1, &p), 0);
	fileblk_close(&fb);
}

static void check_gpt(const char *name, bool backup)
{
	struct disk_partition p;
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	const char *out;

	assert_int_equal(fileblk_open(&fb, img(name), 0, 512), 0);
	log_reset();
	assert_string_equal(part_type_name(&fb.desc), "efi");
	assert_int_equal(part_get_info(&fb.desc, 1, &p), 0);
	assert_int_equal(p.start, 2048);
	assert_int_equal(p.size, 32768);
	assert_string_equal(p.name, "rootfs");
	assert_string_equal(p.uuid, "11111111-2222-3333-4444-555555555555");
	assert_string_equal(p.type, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	assert_int_equal(part_get_info(&fb.desc, 2, &p), 0);
	assert_string_equal(p.name, "EFI boot ü");
	assert_string_equal(p.type, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	assert_int_equal(part_get_info(&fb.desc, 3, &p), -ENOENT);
	if (backup)
		assert_non_null(strstr(log_text(), "using the backup GPT at LBA 131071"));
	else
		assert_null(strstr(log_text(), "GPT"));
	struct blk_desc *dev;

	assert_int_equal(lookup("host", "0#rootfs", &dev, &p), 1);
	assert_int_equal(lookup("host", "0#EFI boot ü", &dev, &p), 2);
	assert_int_equal(lookup("host", "0", &dev, &p), 1);
	assert_int_equal(lookup("host", "0:auto", &dev, &p), 1);
	assert_true(part_get_info_by_dev_and_part("host", "0#nothing", &dev, &p) < 0);
	stdout_capture_start();
	part_print(&fb.desc);
	out = stdout_capture_end();
	assert_non_null(strstr(out, "  1\t0x00000800\t0x000087ff\t\"rootfs\"\n"));
	assert_non_null(strstr(out, "\tguid:\t66666666-7777-8888-9999-aaaaaaaaaaaa\n"));
	for (int part = 1; part <= 2; part++) {
		assert_int_equal(fs_set_blk_dev("host", part == 1 ? "0:1" : "0:2"), 0);
		assert_true(check_list("gpt.list", part, true) > 5);
		fs_close();
	}
	fileblk_close(&fb);
}

static void test_gpt(void **state)
{
	check_gpt("gpt.img", false);
	check_gpt("gpt-badprimary.img", true);
	check_gpt("gpt-badentries.img", true);
}

static void test_gpt_both_bad(void **state)
{
	struct disk_partition p;
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */

	assert_int_equal(fileblk_open(&fb, img("gpt-badboth.img"), 0, 512), 0);
	log_reset();
	assert_int_equal(part_get_info(&fb.desc, 1, &p), -ENOENT);
	assert_null(part_type_name(&fb.desc));
	stdout_capture_start();
	part_print(&fb.desc);
	assert_non_null(strstr(stdout_capture_end(), "Unknown partition table"));
	fileblk_close(&fb);
}

static void expect_probe_error(const char *name, const char *msg)
{
	struct disk_partition p;
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */

	assert_int_equal(fileblk_open(&fb, img(name), 0, 512), 0);
	part_whole_disk(&fb.desc, &p);
	log_reset();
	assert_true(fs_set_blk_dev_with_part(&fb.desc, &p) < 0);
	if (!strstr(log_text(), msg))
		fail_msg("%s: expected \"%s\" in log, got: %s", name, msg, log_text());
	fileblk_close(&fb);
}

static void expect_read_error(const char *name, const char *path, int err, const char *msg)
{
	uint8_t *buf = malloc(1 << 20);
	static struct fileblk fb; /* a failed assert leaves it registered: never dangling */
	uint64_t act;

	mount_whole(&fb, name, strncmp(name, "fat", 3) ? "ext4" : "fat");
	log_reset();
	assert_int_equal(fs_read(path, (uintptr_t)buf, 0, 0, &act), err);
	if (!strstr(log_text(), msg))
		fail_msg("%s: expected \"%s\" in log, got: %s", name, msg, log_text());
	/* Other files remain readable. */
	assert_int_equal(fs_read("/small.bin", (uintptr_t)buf, 0, 0, &act), 0);
	assert_int_equal(act, 3000);
	fs_close();
	fileblk_close(&fb);
	free(buf);
}

static void test_corrupt(void **state)
{
	expect_probe_error("ext4-encrypt.img", "unsupported INCOMPAT feature(s): encrypt");
	expect_probe_error("ext4-unknown.img", "unknown(0x80000000)");
	expect_read_error("ext4-extloop.img", "/frag.bin", -EUCLEAN, "depth inconsistent (loop?)");
	expect_read_error("ext4-badinode.img", "/hello.txt", -EUCLEAN, "checksum mismatch");
	expect_read_error("fat16-loop.img", "/frag.bin", -ELOOP, "cluster chain loops");
	expect_read_error("ext4-badblocks.img", "/frag.bin", -EUCLEAN,
			  "extent block checksum mismatch");
	expect_read_error("ext4-badblocks.img", "/many/a-rather-long-file-name-number-7.txt",
			  -EUCLEAN, "directory inode 46: block 1 checksum mismatch");
	expect_read_error("ext4-baddx.img", "/many/a-rather-long-file-name-number-7.txt", -EUCLEAN,
			  "directory inode 46: block 0 checksum mismatch");
}

/* Random bytes over the superblock (magic kept so the parser sees them). */
static void test_random_superblock(void **state)
{
	static const char *const names[] = {"ext4-64csum.img", "ext4-1k.img", "fat16.img",
					    "fat32.img"};

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		uint64_t len = 0, act;
		uint8_t *image = host_read(img(names[n]), 0, &len);
		uint8_t *copy = malloc(len), *buf = malloc(1 << 20);
		bool fat = names[n][0] == 'f';

		srand(42);
		for (int iter = 0; iter < 40; iter++) {
			struct disk_partition p;
			static struct fileblk
			    fb; /* a failed assert leaves it registered: never dangling */
			size_t base = fat ? 0 : 1024, span = fat ? 90 : 400;

			memcpy(copy, image, len);
			for (int k = 0; k < 8 + iter; k++) {
				size_t at = base + (size_t)rand() % span;

				if (fat ? (at >= 510) : (at == 1024 + 0x38 || at == 1024 + 0x39))
					continue;
				copy[at] = (uint8_t)rand();
			}
			fileblk_open_mem(&fb, copy, len, 0, 512);
			part_whole_disk(&fb.desc, &p);
			if (!fs_set_blk_dev_with_part(&fb.desc, &p)) {
				stdout_capture_start();
				fs_ls("/");
				fs_ls("/deep/d1");
				stdout_capture_end();
				fs_read("/medium.bin", (uintptr_t)buf, 0, 1 << 20, &act);
				fs_read("/frag.bin", (uintptr_t)buf, 0, 1 << 20, &act);
				assert_true(act <= 1 << 20);
			}
			fs_close();
			blk_cache_invalidate(&fb.desc);
			fileblk_close(&fb);
		}
		free(copy);
		free(buf);
		free(image);
	}
}

static int setup(void **state)
{
	char cmd[8400];

	snprintf(cmd, sizeof(cmd), "test/images/mkimages.sh %s >&2", imgdir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ext_images),	      cmocka_unit_test(test_huge_sparse),
	    cmocka_unit_test(test_fat_images),	      cmocka_unit_test(test_ext_big_reads),
	    cmocka_unit_test(test_ls_output),	      cmocka_unit_test(test_symlinks),
	    cmocka_unit_test(test_fs_uuid),	      cmocka_unit_test(test_mbr),
	    cmocka_unit_test(test_mbr_ebr_loop),      cmocka_unit_test(test_gpt),
	    cmocka_unit_test(test_gpt_both_bad),      cmocka_unit_test(test_corrupt),
	    cmocka_unit_test(test_random_superblock), cmocka_unit_test(test_4k_sectors),
	    cmocka_unit_test(test_dev_part_syntax),   cmocka_unit_test(test_part_list),
	};
	/* Shared with the sandbox tests: build/fs-images under the source tree (cwd). */
	snprintf(imgdir, sizeof(imgdir), "%s",
		 getenv("PVBOOT_FS_IMAGES") ? getenv("PVBOOT_FS_IMAGES") : "build/fs-images");
	return cmocka_run_group_tests(tests, setup, NULL);
}
